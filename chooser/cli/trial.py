"""`chooser trial`: real MNIST training trials in PyTorch and TensorFlow (docs/trials.md).

One trial (``--framework``, ``--mode``…), a suite (``--suite quick|full``), or the
per-node commands of a multi-node run (``--print-launch --nodes HOST1,HOST2``).
A progress bar while it runs, then a readable result; ``--json`` prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "trial", help="run real MNIST trials (torch / TensorFlow, single / distributed)",
        description="Train the classic MNIST ConvNet for real and measure it: steady-state "
        "samples/s, time to first step, held-out accuracy, peak memory, per-rank checksums.")
    p.add_argument("--framework", default="torch", help="torch or tensorflow")
    p.add_argument("--mode", default="single", help="single or distributed")
    p.add_argument("--workers", type=int, default=None,
                   help="ranks / workers (distributed; default 2; per node with --print-launch)")
    budget = p.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=int, default=None, help="optimizer steps")
    budget.add_argument("--epochs", type=int, default=None, help="passes over the train split")
    p.add_argument("--batch-size", type=int, default=64, help="per replica (default 64)")
    p.add_argument("--optimizer", default="adam", help="adam (default) or sgd")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=None, metavar="DIR",
                   help="MNIST IDX files (.gz or raw) or mnist.npz; default: caches, then "
                        "the embedded 5,000-image subset")
    p.add_argument("--download", action="store_true", help="download official MNIST if absent")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda")
    p.add_argument("--tensorboard", default=None, metavar="DIR", help="write event files here")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="kill a trial that runs longer (default 300; suites set their own)")
    p.add_argument("--suite", default=None, help="quick or full: a set of trials")
    p.add_argument("--wait-quiet", type=float, default=0.0, metavar="SECONDS",
                   help="with --suite: when other processes keep the CPUs busy, wait up to "
                        "SECONDS for them to quieten before measuring (default 0: measure "
                        "now and say so)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--print-launch", action="store_true",
                   help="print the per-node commands of a multi-node run")
    p.add_argument("--nodes", default=None, help="HOST1,HOST2,… for --print-launch")
    p.add_argument("--port", type=int, default=None, help="rendezvous port (--print-launch)")
    p.set_defaults(func=run)


def spec_from_args(args: argparse.Namespace):
    from chooser.measure.trials import TrialSpec, validate

    workers = args.workers if args.workers is not None else (2 if args.mode == "distributed"
                                                            else 1)
    spec = TrialSpec(framework=args.framework, mode=args.mode, workers=workers,
                     steps=args.steps, epochs=args.epochs, batch_size=args.batch_size,
                     optimizer=args.optimizer, lr=args.lr, seed=args.seed, data=args.data,
                     download=args.download, device=args.device, tensorboard=args.tensorboard,
                     timeout_s=args.timeout if args.timeout is not None else 300.0)
    validate(spec)
    return spec


def run(args: argparse.Namespace) -> int:
    from chooser.core.errors import UserError

    if args.print_launch:
        from chooser.measure.launch import DEFAULT_PORT, parse_nodes, render

        if not args.nodes:
            raise UserError("--print-launch needs --nodes HOST1,HOST2")
        args.mode = "distributed"
        args.workers = args.workers or 1  # processes per node
        spec = spec_from_args(args)
        sys.stdout.write(render(spec, parse_nodes(args.nodes), args.port or DEFAULT_PORT))
        return 0
    if args.suite is not None:
        from chooser.measure.trials import SUITES

        if args.suite not in SUITES:
            raise UserError(f"unknown suite {args.suite!r} (choose {', '.join(SUITES)})")
        return _run_suite(args)
    return _run_single(spec_from_args(args), args.json)


def _exit_status(results: list[dict]) -> int:
    return 0 if all(r.get("status") in ("ok", "missing") for r in results) else 1


def _run_single(spec, as_json: bool) -> int:
    from chooser.measure.trials import run_trial

    if as_json:
        result = asyncio.run(run_trial(spec))
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return _exit_status([result])
    from chooser.views.trials import TrialProgress, print_results

    with TrialProgress() as view:
        view.start(spec.id)
        result = asyncio.run(run_trial(spec, view.on_event))
        view.finish(result)
    print_results([result])
    return _exit_status([result])


def _run_suite(args: argparse.Namespace) -> int:
    from chooser.measure.trials import run_suite

    finished: list[dict] = []
    started = time.monotonic()
    view = None
    if not args.json:
        from chooser.views.trials import TrialProgress

        view = TrialProgress()

    def on_result(result: dict) -> None:
        finished.append(result)
        if view is not None:
            view.finish(result)

    from chooser.measure.suite import comparisons, look_first

    if args.wait_quiet < 0:
        from chooser.core.errors import UserError

        raise UserError(f"--wait-quiet must be 0 or more seconds, got {args.wait_quiet:g}")
    interrupted = False
    budget = None
    try:
        budget = look_first(args.wait_quiet, quiet=args.json)
        if view is not None:
            with view:
                asyncio.run(run_suite(args.suite, view.on_event, on_result, budget=budget,
                                      data=args.data, wait_quiet_s=args.wait_quiet))
        else:
            asyncio.run(run_suite(args.suite, None, on_result, budget=budget, data=args.data,
                                  wait_quiet_s=args.wait_quiet))
    except KeyboardInterrupt:  # the running trial's group is already killed; keep the rest
        interrupted = True
    wall = time.monotonic() - started
    pairs = comparisons(finished)
    if args.json:
        sys.stdout.write(json.dumps({"suite": args.suite, "interrupted": interrupted,
                                     "wall_time_s": wall,
                                     "thread_budget": budget.record() if budget else None,
                                     "comparisons": pairs, "results": finished},
                                    indent=2) + "\n")
    else:
        from chooser.views.trials import print_comparisons, print_results

        print_results(finished)
        print_comparisons(pairs)
        print(f"suite {args.suite}: {len(finished)} trial(s) in {wall:.1f} s"
              + ("; interrupted, results so far kept" if interrupted else ""))
    if interrupted:
        return 130
    return _exit_status(finished)
