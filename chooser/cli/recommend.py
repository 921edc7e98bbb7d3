"""`chooser recommend`: answers + probe + trials → scores → reports, headless."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chooser.core.errors import UserError

if TYPE_CHECKING:
    from rich.console import Console


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "recommend", help="score PyTorch vs TensorFlow for your answers and this machine",
        description="Run the whole pipeline headless: load questions, rules and answers, "
        "probe this machine, run the chosen trials, score, and write reports.")
    parser.add_argument("--answers", metavar="FILE",
                        help="answers YAML (question id: answer); default: every question's default")
    parser.add_argument("--questions", metavar="PATH", help="question file or directory "
                        "(default: the shipped bank)")
    parser.add_argument("--rules", metavar="FILE", help="rules YAML (default: the shipped rules)")
    parser.add_argument("--trials", choices=("none", "quick", "full"), default="none",
                        help="which trial suite to run first (default: none)")
    parser.add_argument("--trials-from", metavar="FILE",
                        help="score saved trial results instead of running trials: the output "
                        "of `chooser trial --suite … --json` or a JSON report")
    parser.add_argument("--data", metavar="DIR", help="MNIST for the trials (as on `chooser trial`)")
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="SECONDS",
                        help="before the trials, wait up to SECONDS for a busy machine to "
                        "quieten (default 0)")
    parser.add_argument("--export", metavar="PATH", action="extend", nargs="+", default=[],
                        help="write the report; the format follows the extension "
                        "(.json, .md, .html); repeatable")
    parser.add_argument("--force", action="store_true", help="overwrite existing report files")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at module level: `chooser --help` and `chooser probe` stay quick.
    from rich.console import Console

    from chooser.decide.questionnaire import load_answers, load_questions
    from chooser.views.recommendation import print_recommendation
    from chooser.decide.recommendation import recommend
    from chooser.report import build_report, format_for, write_report
    from chooser.report.model import now_iso
    from chooser.decide.rules import load_rules

    console = Console()
    stamps = {"started": now_iso()}
    bank = load_questions(args.questions)
    rules = load_rules(args.rules, bank=bank)
    answers = load_answers(args.answers, bank) if args.answers else {}
    _check_exports(args.export, args.force, format_for)
    if args.answers:
        console.print(f"Answers from {_escape(str(args.answers))} ({len(answers)} given; other questions "
                      "take the probe's pre-fill or their default).")
    else:
        console.print("[bold]No --answers given: using each question's default[/bold] "
                      "(hardware questions pre-filled from the probe).")

    saved = _saved_trials(args, console)  # before the probe: a bad file fails fast
    probe = _run_probe(console)
    stamps["probe_finished"] = now_iso()
    suite = args.trials
    trials: list[dict[str, Any]] = []
    if saved is not None:
        trials, suite = saved
    elif args.trials != "none":
        interrupted = _run_trials(console, args.trials, trials, args)
        stamps["trials_finished"] = now_iso()
        if interrupted:
            suite = f"{args.trials} (interrupted after {len(trials)} trial(s))"
            console.print(_escape(f"Interrupted: scoring with the {len(trials)} finished "
                                 "trial(s); the others count as not run."))

    rec = recommend(bank, rules, answers, probe, trials)
    print_recommendation(console, rec, trials)
    stamps["finished"] = now_iso()
    report = build_report(bank, rules, rec, probe, trials,
                          answers_source=str(args.answers) if args.answers else "defaults",
                          trials_suite=suite, command_line=_command_line(),
                          timestamps=stamps)
    for path in args.export:
        written = write_report(report, path, force=args.force)
        console.print(_escape(f"wrote {written}"))
    return 0


def _command_line() -> list[str]:
    argv0 = Path(sys.argv[0]).name
    prog = ["chooser"] if argv0 in ("chooser", "__main__.py", "-m") else [argv0]
    return prog + sys.argv[1:]


def _check_exports(paths: list[str], force: bool, format_for) -> None:
    """Refuse bad export paths before spending minutes on trials."""
    seen: set[str] = set()
    for path in paths:
        format_for(path)
        resolved = str(Path(path).resolve())
        if resolved in seen:
            raise UserError("named twice in --export", path=path)
        seen.add(resolved)
        p = Path(path)
        if p.exists() and not force:
            raise UserError("already exists; pass --force to overwrite it", path=path)
        if not (p.parent if str(p.parent) else Path(".")).is_dir():
            raise UserError(f"directory {p.parent} does not exist", path=path)


def _run_probe(console: Console) -> dict[str, Any]:
    from chooser.measure.probe import run_probe_sync  # the probe runs in child processes

    with console.status("Probing this machine (hardware, torch, TensorFlow)…"):
        probe = run_probe_sync()
    fw = probe.get("frameworks") or {}
    parts = [f"{name} {part.get('version') or part.get('status')}" for name, part in fw.items()
             if isinstance(part, dict)]
    console.print(_escape(f"Probe: {len(probe.get('gpus') or [])} GPU(s); " + ", ".join(parts)))
    return probe


def _saved_trials(args: argparse.Namespace, console: Console) -> tuple[list, str] | None:
    if args.trials_from is None:
        if args.data is not None and not Path(args.data).expanduser().exists():
            raise UserError("no such file or directory", path=args.data)
        if args.wait_quiet < 0:
            raise UserError(f"--wait-quiet must be 0 or more seconds, got {args.wait_quiet:g}")
        return None
    if args.trials != "none":
        raise UserError("give --trials or --trials-from, not both")
    from chooser.measure.saved import load_trials

    trials, what = load_trials(args.trials_from)
    console.print(_escape(f"Trials from {args.trials_from} ({what}): {len(trials)} result(s), "
                          "not re-run."))
    return trials, f"saved: {args.trials_from}"


def _run_trials(console: Console, suite: str, finished: list[dict[str, Any]],
                args: argparse.Namespace) -> bool:
    """Run the suite, appending each result to ``finished`` as it ends. Returns True when
    Ctrl-C stopped it (the running trial's process group is killed by the trial engine)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from chooser.measure.trials import run_suite  # each trial is a child process group

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[info]}"),
                  TimeElapsedColumn(), console=console) as progress:
        tasks: dict[str, Any] = {}

        def on_event(spec_id: str, event: dict) -> None:
            if spec_id not in tasks:
                tasks[spec_id] = progress.add_task(spec_id, total=None, info="starting")
            task = tasks[spec_id]
            info = str(event.get("phase", ""))
            if isinstance(event.get("samples_per_second"), (int, float)):
                info += f" {event['samples_per_second']:.0f} samples/s"
            if isinstance(event.get("loss"), (int, float)):
                info += f" loss {event['loss']:.3f}"
            step, of = event.get("step"), event.get("of")
            progress.update(task, completed=step if isinstance(step, int) else 0,
                            total=of if isinstance(of, int) else None, info=info)

        def on_result(result: dict) -> None:
            finished.append(result)
            spec_id = str(result.get("id"))
            if spec_id not in tasks:
                tasks[spec_id] = progress.add_task(spec_id, total=1, info="")
            progress.update(tasks[spec_id], total=1, completed=1, info=result.get("status", "?") + (
                                f": {result['message']}" if result.get("message") else ""))

        try:
            from chooser.measure.suite import look_first

            budget = look_first(args.wait_quiet)
            results = asyncio.run(run_suite(suite, on_event=on_event, on_result=on_result,
                                            budget=budget, data=args.data,
                                            wait_quiet_s=args.wait_quiet))
        except KeyboardInterrupt:
            return True
    finished[:] = results  # the suite's own list carries scaling efficiency
    return False


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
