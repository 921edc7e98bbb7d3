"""`chooser trial`: real MNIST training trials, one per registered framework (docs/trials.md).

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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chooser.measure.trials import TrialSpec

from chooser.cli import cluster


def register(subparsers: argparse._SubParsersAction) -> None:
    from chooser.core import frameworks
    from chooser.measure.trials import SUITE_BUDGETS
    from probes.result import KINDS

    ids = frameworks.ids()
    p = subparsers.add_parser(
        "trial",
        help=f"run real MNIST trials ({' / '.join(ids)}, single / distributed)",
        description="Train the classic MNIST ConvNet for real and measure it: steady-state "
        "samples/s, time to first step, held-out accuracy, peak memory, per-rank checksums.",
    )
    p.add_argument(
        "--framework",
        default=None,
        choices=ids,
        help=f"{frameworks.choices_text()} (default {ids[0]}); --print-launch: "
        "every framework unless given",
    )
    p.add_argument(
        "--mode",
        default="single",
        choices=("single", "distributed"),
        help="single (default) or distributed",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="ranks / workers (distributed; default 2; per node with --print-launch)",
    )
    p.add_argument(
        "--kind",
        default="throughput",
        choices=KINDS,
        help="throughput (default: samples/s over a fixed budget) or time_to_accuracy "
        "(train until the validation accuracy reaches --target; docs/trials.md)",
    )
    p.add_argument(
        "--target",
        type=float,
        default=None,
        metavar="ACC",
        help="time_to_accuracy: validation accuracy to reach (default 0.97 on full MNIST, "
        "0.95 on the embedded 5,000-image subset)",
    )
    p.add_argument(
        "--eval-every",
        type=int,
        default=None,
        metavar="STEPS",
        help="time_to_accuracy: steps between evaluations (default ~1/8 epoch, at least 20)",
    )
    budget = p.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=int, default=None, help="optimizer steps")
    budget.add_argument("--epochs", type=int, default=None, help="passes over the train split")
    p.add_argument("--batch-size", type=int, default=64, help="per replica (default 64)")
    p.add_argument(
        "--optimizer", default="adam", choices=("adam", "sgd"), help="adam (default) or sgd"
    )
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument(
        "--variant",
        default="tuned",
        choices=("tuned", "beginner", "compiled"),
        help="tuned (default), beginner (the framework as a newcomer writes it) or compiled "
        "(the framework's compiler); single-process",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--data",
        default=None,
        metavar="DIR",
        help="MNIST IDX files (.gz or raw) or mnist.npz; default: caches, then "
        "the embedded 5,000-image subset",
    )
    p.add_argument("--download", action="store_true", help="download official MNIST if absent")
    p.add_argument(
        "--device",
        default="auto",
        choices=("auto", "cpu", "cuda"),
        help="auto (default), cpu or cuda",
    )
    p.add_argument("--tensorboard", default=None, metavar="DIR", help="write event files here")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="kill a trial that runs longer (default 300; suites set their own)",
    )
    p.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="with --suite: when other processes keep the CPUs busy, wait up to SECONDS for "
        "them to quieten before measuring (default 0: measure now and say so)",
    )
    p.add_argument(
        "--suite", default=None, choices=tuple(SUITE_BUDGETS), help="quick or full: a set of trials"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--scaling-estimate",
        action="store_true",
        help="measure all-reduces and a step here, fit a ring model and ESTIMATE the scaling "
        "on N nodes × G GPUs, checked against a distributed trial (the full suite does it too)",
    )
    p.add_argument(
        "--bandwidth",
        default=None,
        metavar="GBPS",
        help="with --scaling-estimate: the interconnect in Gb/s, e.g. 25 or 1,10,100 "
        "(default 1,10,25,100,400)",
    )
    p.add_argument(
        "--print-launch",
        action="store_true",
        help="print how to run it on a cluster (see --launcher)",
    )
    p.add_argument(
        "--nodes",
        default=None,
        help="HOST1,HOST2,… (--launcher hosts) or a node count (slurm, kubernetes)",
    )
    p.add_argument("--port", type=int, default=None, help="rendezvous port (--print-launch)")
    cluster.add_arguments(p)
    p.set_defaults(func=run)


def spec_from_args(args: argparse.Namespace) -> TrialSpec:
    from chooser.core import frameworks
    from chooser.measure.limits import check_workers
    from chooser.measure.trials import TrialSpec, validate

    workers = args.workers if args.workers is not None else (2 if args.mode == "distributed" else 1)
    spec = TrialSpec(
        framework=args.framework or frameworks.ids()[0],
        mode=args.mode,
        workers=workers,
        steps=args.steps,
        epochs=args.epochs,
        batch_size=args.batch_size,
        optimizer=args.optimizer,
        lr=args.lr,
        seed=args.seed,
        data=args.data,
        download=args.download,
        device=args.device,
        tensorboard=args.tensorboard,
        timeout_s=args.timeout if args.timeout is not None else 300.0,
        kind=args.kind,
        target=args.target,
        eval_every=args.eval_every,
        variant=args.variant,
    )
    validate(spec)
    check_workers(spec.workers, local=not args.print_launch)
    return spec


def run(args: argparse.Namespace) -> int:

    if args.print_launch:
        return cluster.print_launch(args, spec_from_args)
    if args.collect:
        return cluster.collect(args)
    bandwidths(args)  # a --bandwidth out of place or malformed stops here
    if args.scaling_estimate:
        from chooser.cli.scaling import run_scaling_estimate

        return run_scaling_estimate(args)
    if args.suite is not None:
        return _run_suite(args)
    return _run_single(spec_from_args(args), args.json)


def bandwidths(args: argparse.Namespace) -> list[float] | None:
    """--bandwidth as Gb/s numbers (None: the defaults); a bad one is a UserError."""
    from chooser.core.errors import UserError
    from chooser.pipeline.estimate import parse_bandwidths

    if args.bandwidth is None:
        return None
    if not args.scaling_estimate and args.suite != "full":
        raise UserError("--bandwidth goes with --scaling-estimate or --suite full")
    try:
        return parse_bandwidths(args.bandwidth)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _exit_status(results: list[dict]) -> int:
    return 0 if all(r.get("status") in ("ok", "missing") for r in results) else 1


def _run_single(spec: TrialSpec, as_json: bool) -> int:
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
    from chooser import pipeline
    from chooser.measure.suite import check_wait_quiet, comparisons, look_first, suite_json
    from chooser.measure.variants import out_of_box_share

    check_wait_quiet(args.wait_quiet)
    started = time.monotonic()
    view = None
    if not args.json:
        from chooser.views.trials import TrialProgress

        view = TrialProgress()
    interrupted = False
    try:  # one thread budget for every framework, from a look at the machine first
        budget = look_first(args.wait_quiet, quiet=args.json)
    except KeyboardInterrupt:
        return 130
    run = pipeline.SuiteRun(
        pipeline.suite(args.suite),
        on_event=view.on_event if view else None,
        on_start=(lambda spec: view.start(spec.id)) if view else None,
        on_result=(lambda spec, result: view.finish(result)) if view else None,
        rounds=pipeline.suite_rounds(args.suite),
        budget=budget,
        data=args.data,
        wait_quiet_s=args.wait_quiet,
        scaling_estimate=pipeline.suite_estimate(
            args.suite, args.data, bandwidths(args), budget.threads
        ),
    )
    try:
        if view is not None:
            with view:
                asyncio.run(run.run())
        else:
            asyncio.run(run.run())
    except KeyboardInterrupt:  # the running trial's group is already killed; keep the rest
        interrupted = True
    finished = run.results
    wall = time.monotonic() - started
    pairs = comparisons(finished)
    if args.json:
        document = suite_json(args.suite, interrupted, wall, budget.record(), pairs, finished)
        document.update(run.extras)  # full: scaling_estimate (issue 13)
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        from chooser.core import numbers
        from chooser.views.trials import print_comparisons, print_results

        print_results(finished)
        print_comparisons(pairs)
        from chooser.views.beyond import print_beyond

        print_beyond(finished, **{"out_of_box_share": out_of_box_share(finished), **run.extras})
        print(
            f"suite {args.suite}: {len(finished)} trial(s) in {numbers.seconds(wall)}"
            + ("; interrupted, results so far kept" if interrupted else "")
        )
    if interrupted:
        return 130
    return _exit_status(finished)
