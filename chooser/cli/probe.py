"""`chooser probe`: what this machine has (CPU, memory, NVIDIA GPUs, each framework's real
build). Readable tables by default; ``--json`` prints one JSON object (docs/probe.md)."""

from __future__ import annotations

import argparse
import json
import sys


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "probe",
        help="probe CPU, memory, GPUs and the installed frameworks",
        description="Probe this machine: CPU (usable cores, ISA flags), memory, NVIDIA GPUs, "
        "and the real PyTorch and TensorFlow builds, each framework in its own child process.",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object (fields: docs/probe.md)"
    )
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=60.0,
        metavar="SECONDS",
        help="kill a probe child that runs longer (default: 60)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from chooser.measure.probe import run_probe_sync

    if args.json:
        probe = run_probe_sync(timeout=args.timeout)
        sys.stdout.write(json.dumps(probe, indent=2) + "\n")
        return 0
    from chooser.views.probe import print_part_done, print_probe

    probe = run_probe_sync(on_part=print_part_done, timeout=args.timeout)
    print_probe(probe)
    return 0
