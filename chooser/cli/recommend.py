"""`chooser recommend`: answers + probe + trials → scores → reports, headless."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "recommend",
        help="score the frameworks for your answers and this machine",
        description="Run the whole pipeline headless: load questions, rules and answers, "
        "probe this machine, run the chosen trials, score, and write reports.",
    )
    parser.add_argument(
        "--answers",
        metavar="FILE",
        help="answers YAML (question id: answer); default: every question's default",
    )
    parser.add_argument(
        "--questions", metavar="PATH", help="question file or directory (default: the shipped bank)"
    )
    parser.add_argument("--rules", metavar="FILE", help="rules YAML (default: the shipped rules)")
    parser.add_argument(
        "--trials",
        choices=("none", "quick", "full"),
        default="none",
        help="which trial suite to run first (default: none)",
    )
    parser.add_argument(
        "--trials-from",
        metavar="FILE",
        help="score saved trial results instead of running trials: the output "
        "of `chooser trial --suite … --json` or a JSON report",
    )
    parser.add_argument(
        "--data", metavar="DIR", help="MNIST for the trials (as on `chooser trial`)"
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before the trials, wait up to SECONDS for a busy machine to quieten (default 0)",
    )
    parser.add_argument(
        "--export",
        metavar="PATH",
        action="extend",
        nargs="+",
        default=[],
        help="write the report; the format follows the extension (.json, .md, .html); repeatable",
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing report files")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at module level: `chooser --help` and `chooser probe` stay quick.
    from rich.console import Console

    from chooser import pipeline
    from chooser.report.model import now_iso
    from chooser.views.recommendation import print_recommendation

    console = Console()
    stamps = {"started": now_iso()}
    inputs = pipeline.load_inputs(args.questions, args.rules, args.answers)
    pipeline.check_exports(args.export, args.force)
    if args.answers is not None:
        console.print(
            f"Answers from {_escape(str(args.answers))} ({len(inputs.answers)} given; "
            "other questions take the probe's pre-fill or their default)."
        )
    else:
        console.print(
            "[bold]No --answers given: using each question's default[/bold] "
            "(hardware questions pre-filled from the probe)."
        )

    saved = _saved_trials(args, console)  # before the probe: a bad file fails fast
    probe = _run_probe(console)
    stamps["probe_finished"] = now_iso()
    suite = args.trials
    trials: list[dict[str, Any]] = []
    extras: dict[str, Any] = {}  # the suite-level objects (full: scaling_estimate)
    if saved is not None:
        trials, suite = saved
    elif args.trials != "none":
        interrupted = _run_trials(console, args.trials, trials, args, extras)
        stamps["trials_finished"] = now_iso()
        if interrupted:
            done = [t for t in trials if t.get("status") != "cancelled"]
            suite = f"{args.trials} (interrupted after {len(done)} trial(s))"
            console.print(
                _escape(
                    f"Interrupted: scoring with the {len(done)} finished "
                    "trial(s); the others count as not run."
                )
            )

    # A rule faulting after the trials keeps their results (pipeline.score says where).
    rec = pipeline.score(inputs, probe, trials, keep_near=args.export)
    stamps["finished"] = now_iso()
    report = pipeline.report(
        inputs,
        rec,
        probe,
        trials,
        suite_name=suite,
        command_line=_command_line(),
        timestamps=stamps,
        extras=extras,
    )
    # Exports first: nothing printed to the terminal can cost the user the files.
    written, failures = pipeline.write_exports(report, args.export, force=args.force)
    print_recommendation(console, rec, trials)
    from chooser.views.beyond import print_beyond

    print_beyond(trials, console=console, **extras)  # issue 13; nothing when nothing to show
    for path in written:
        console.print(_escape(f"wrote {path}"))
    if failures:
        raise pipeline.export_failure(report, args.export, written, failures)
    return 0


def _command_line() -> list[str]:
    argv0 = Path(sys.argv[0]).name
    prog = ["chooser"] if argv0 in ("chooser", "__main__.py", "-m") else [argv0]
    return prog + sys.argv[1:]


def _run_probe(console: Console) -> dict[str, Any]:
    from chooser import pipeline  # the probe runs in child processes
    from chooser.core import frameworks

    with console.status(f"Probing this machine (hardware, {', '.join(frameworks.ids())})…"):
        probe = asyncio.run(pipeline.probe())
    fw = probe.get("frameworks") or {}
    parts = [
        f"{name} {part.get('version') or part.get('status')}"
        for name, part in fw.items()
        if isinstance(part, dict)
    ]
    console.print(_escape(f"Probe: {len(probe.get('gpus') or [])} GPU(s); " + ", ".join(parts)))
    return probe


def _saved_trials(
    args: argparse.Namespace, console: Console
) -> tuple[list[dict[str, Any]], str] | None:
    from chooser.core.errors import UserError
    from chooser.measure.suite import check_wait_quiet

    if args.trials_from is None:
        if args.data is not None and not Path(args.data).expanduser().exists():
            raise UserError("no such file or directory", path=args.data)
        check_wait_quiet(args.wait_quiet)
        return None
    if args.trials != "none":
        raise UserError("give --trials or --trials-from, not both")
    from chooser.measure.saved import load_trials

    trials, what = load_trials(args.trials_from)
    console.print(
        _escape(f"Trials from {args.trials_from} ({what}): {len(trials)} result(s), not re-run.")
    )
    return trials, f"saved: {args.trials_from}"


def _run_trials(
    console: Console,
    suite: str,
    finished: list[dict[str, Any]],
    args: argparse.Namespace,
    extras: dict[str, Any] | None = None,
) -> bool:
    """Run the suite, appending each result to ``finished`` as it ends. Returns True when
    Ctrl-C stopped it (the running trial's process group is killed by the trial engine)."""
    from chooser import pipeline  # each trial is a child process group
    from chooser.measure.suite import look_first
    from chooser.views.trials import TrialProgress

    try:  # one thread budget for every framework, from a look at the machine first
        budget = look_first(args.wait_quiet, out=sys.stdout)  # stderr: the error only
    except KeyboardInterrupt:
        return True
    # Progress on stdout with the rest of the run: stderr carries only the one-line error.
    with TrialProgress(console) as view:
        run = pipeline.SuiteRun(
            pipeline.suite(suite),
            on_event=view.on_event,
            on_start=lambda spec: view.start(spec.id),
            on_result=lambda spec, result: view.finish(result),
            rounds=pipeline.suite_rounds(suite),
            budget=budget,
            data=args.data,
            wait_quiet_s=args.wait_quiet,
            scaling_estimate=pipeline.suite_estimate(suite, args.data, threads=budget.threads),
        )
        try:
            asyncio.run(run.run())
        except KeyboardInterrupt:
            return True
        finally:
            finished[:] = run.results  # the suite's own list carries scaling efficiency
            if extras is not None:
                extras.update(run.extras)
    return False


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
