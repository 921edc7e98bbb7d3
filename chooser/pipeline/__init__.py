"""The one headless flow both faces use: load → probe → run a suite → score → reports.

``chooser recommend`` (cli/) and the terminal app (tui/) are two faces over these
functions; neither has its own copy of the suite loop, the scoring or the report
building. Nothing here imports Textual or rich, nor a framework (trials and probes are
child processes, started by ``chooser.measure``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chooser.core.errors import UserError
from chooser.decide.answers import load_answers
from chooser.decide.questionnaire import QuestionBank, load_questions
from chooser.decide.recommendation import Recommendation, recommend
from chooser.decide.rules import RuleSet, load_rules
from chooser.measure.probe import PartHandler, run_probe
from chooser.pipeline.estimate import for_suite as _estimate_for_suite
from chooser.pipeline.suite_run import AfterTrials, SuiteRun, suite, suite_rounds
from chooser.report import Report, build_report, format_for, render
from chooser.report.exports import (
    check_targets,
    failure_message,
    rescue,
    trials_payload,
    write_all,
)


@dataclass
class Inputs:
    """What the user gave: the question bank, the rules and the answers."""

    bank: QuestionBank
    rules: RuleSet
    answers: dict[str, Any] = field(default_factory=dict)
    answers_source: str = "defaults"


def load_inputs(
    questions: str | Path | None = None,
    rules: str | Path | None = None,
    answers: str | Path | None = None,
) -> Inputs:
    """Load and check the bank, the rules against it, and an answers file (UserError with
    file and line when one is bad)."""
    bank = load_questions(questions)
    ruleset = load_rules(rules, bank=bank)
    # `--answers ''` is a (bad) file name, not "no answers": load_answers says so.
    given = load_answers(answers, bank) if answers is not None else {}
    return Inputs(bank, ruleset, given, str(answers) if answers is not None else "defaults")


async def probe(on_part: PartHandler | None = None, timeout: float = 60.0) -> dict[str, Any]:
    """Every probe part as a child process, joined (chooser.measure.probe)."""
    return await run_probe(on_part=on_part, timeout=timeout)


def score(
    inputs: Inputs,
    probe: dict[str, Any] | None,
    trials: list[dict[str, Any]],
    answers: dict[str, Any] | None = None,
    *,
    keep_near: Sequence[str | Path] = (),
) -> Recommendation:
    """The recommendation for what is known now (``answers`` overrides the inputs').

    A rule that faults (a UserError naming its file and line) after trials ran must not
    cost the user those minutes: the trial results are kept in a fresh file beside the
    first of ``keep_near`` (else here) and the error says where."""
    try:
        return recommend(
            inputs.bank, inputs.rules, inputs.answers if answers is None else answers, probe, trials
        )
    except UserError as exc:
        if not trials:
            raise
        saved = rescue(trials_payload(trials), [str(p) for p in keep_near])
        raise UserError(f"{exc}; the {len(trials)} trial result(s) were kept in {saved}") from None


def report(
    inputs: Inputs,
    rec: Recommendation,
    probe: dict[str, Any] | None,
    trials: list[dict[str, Any]],
    *,
    suite_name: str,
    command_line: list[str],
    answers_source: str | None = None,
    timestamps: dict[str, str] | None = None,
    extras: dict[str, Any] | None = None,
) -> Report:
    """``extras``: the suite-level objects (``SuiteRun.extras``: scaling_estimate, …)."""
    return build_report(
        inputs.bank,
        inputs.rules,
        rec,
        probe,
        trials,
        answers_source=answers_source or inputs.answers_source,
        trials_suite=suite_name,
        command_line=command_line,
        timestamps=timestamps,
        extras=extras,
    )


def suite_estimate(
    name: str,
    data: str | None = None,
    bandwidths_gbps: Sequence[float] | None = None,
    threads: int | None = None,
) -> AfterTrials | None:
    """The scaling estimate a named suite runs after its trials (``full`` only; issue 13);
    ``threads``: the suite's thread budget."""
    if name != "full":
        return None
    more: dict[str, Any] = {"bandwidths_gbps": bandwidths_gbps} if bandwidths_gbps else {}

    async def after(results: list[dict[str, Any]]) -> dict[str, Any]:
        return await _estimate_for_suite(results, data=data, threads=threads, **more)

    return after


def check_exports(paths: Sequence[str | Path], force: bool) -> None:
    """Refuse bad export paths before spending minutes on trials (chooser.report.exports)."""
    check_targets([str(p) for p in paths], force, format_for)


def export(report_: Report, paths: Sequence[str | Path], *, force: bool = False) -> list[Path]:
    """Write the report in each path's format (atomic writes). Every path that can be
    written is; when one fails, the whole report is kept in a fresh rescue file and the
    one-line UserError names the failure, what was written and where the rescue went."""
    written, failures = write_exports(report_, paths, force=force)
    if failures:
        raise export_failure(report_, paths, written, failures)
    return written


def write_exports(
    report_: Report, paths: Sequence[str | Path], *, force: bool = False
) -> tuple[list[Path], list[str]]:
    """Like ``export`` but returns (written, failures) so a face can show the verdict
    before it reports a failed export (then call ``export_failure``)."""
    written, failures = write_all(
        lambda fmt: render(report_, fmt), [str(p) for p in paths], force, format_for
    )
    return [Path(p) for p in written], failures


def export_failure(
    report_: Report, paths: Sequence[str | Path], written: Sequence[Path], failures: list[str]
) -> UserError:
    saved = rescue(render(report_, "json"), [str(p) for p in paths])
    return UserError(failure_message(failures, [str(p) for p in written], saved))


__all__ = [
    "Inputs",
    "SuiteRun",
    "check_exports",
    "export",
    "export_failure",
    "load_inputs",
    "probe",
    "report",
    "score",
    "suite",
    "suite_estimate",
    "suite_rounds",
    "write_exports",
]
