"""The one headless flow both faces use: load → probe → run a suite → score → reports.

``chooser recommend`` (cli/) and the terminal app (tui/) are two faces over these
functions; neither has its own copy of the suite loop, the scoring or the report
building. Nothing here imports Textual or rich, nor a framework (trials and probes are
child processes, started by ``chooser.measure``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chooser.core.errors import UserError
from chooser.decide.questionnaire import QuestionBank, load_answers, load_questions
from chooser.decide.recommendation import Recommendation, recommend
from chooser.decide.rules import RuleSet, load_rules
from chooser.measure.probe import PartHandler, run_probe
from chooser.measure.trials import TrialSpec, add_scaling, run_trial, suite_specs
from chooser.report import Report, build_report, format_for, render
from chooser.report.exports import (
    check_targets,
    failure_message,
    rescue,
    trials_payload,
    write_all,
)

RunTrial = Callable[..., Coroutine[Any, Any, dict[str, Any]]]
OnEvent = Callable[[str, dict[str, Any]], None]


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


class SuiteRun:
    """Runs trials one after the other (never in parallel: they would share the cores).

    ``cancel(spec_id)`` stops one trial (a running one's process group is killed, a queued
    one is skipped) and the suite goes on; cancelling the task running ``run()`` stops
    them all. Every trial's end is passed to ``on_result`` as it happens, so a caller
    interrupted half-way still holds the finished ones; ``results`` holds the trials that
    ran or were skipped by ``cancel`` (not those an interrupted suite never reached)."""

    def __init__(
        self,
        specs: Sequence[Any],
        *,
        run: RunTrial = run_trial,
        on_event: OnEvent | None = None,
        on_start: Callable[[Any], None] | None = None,
        on_result: Callable[[Any, dict[str, Any]], None] | None = None,
        scale: Callable[[list[dict[str, Any]]], None] = add_scaling,
    ) -> None:
        self.specs = list(specs)
        self._run, self._on_event, self._scale = run, on_event, scale
        self._on_start, self._on_result = on_start, on_result
        self.results: list[dict[str, Any]] = []
        self._tasks: dict[str, asyncio.Task[dict[str, Any]]] = {}
        self._skipped: set[str] = set()
        self._ended: set[str] = set()
        self._current: str | None = None  # the trial running now

    def cancel(self, spec_id: str) -> bool:
        """Stop one trial; False when it already ended (or is not in this suite)."""
        task = self._tasks.get(spec_id)
        if task is not None:
            task.cancel()
            return True
        if spec_id in self._ended or spec_id not in {s.id for s in self.specs}:
            return False
        self._skipped.add(spec_id)
        return True

    async def run(self) -> list[dict[str, Any]]:
        try:
            for spec in self.specs:
                if spec.id in self._skipped:
                    self._end(spec, _stopped(spec, "skipped by you before it started"))
                    continue
                if self._on_start is not None:
                    self._on_start(spec)
                self._current = spec.id
                task = asyncio.create_task(self._run(spec, self._on_event))
                self._tasks[spec.id] = task
                try:
                    result = await task
                except asyncio.CancelledError:
                    current = asyncio.current_task()
                    if current is not None and current.cancelling():  # the whole suite
                        raise
                    result = _stopped(spec, "cancelled by you; its process group was killed")
                except Exception as exc:  # run_trial promises not to raise; say so if it did
                    result = {**_stopped(spec, f"{type(exc).__name__}: {exc}"), "status": "error"}
                finally:
                    self._tasks.pop(spec.id, None)
                self._end(spec, result)
        except asyncio.CancelledError:
            for spec in self.specs:  # keep what finished; say what was stopped
                if spec.id == self._current and spec.id not in self._ended:
                    self._end(spec, _stopped(spec, "interrupted; its process group was killed"))
                elif spec.id not in self._ended:  # told to the caller, not a result: never ran
                    self._end(
                        spec, _stopped(spec, "not started: the suite was interrupted"), ran=False
                    )
            raise
        return self.results

    def _end(self, spec: Any, result: dict[str, Any], ran: bool = True) -> None:
        self._ended.add(spec.id)
        if ran:
            self.results.append(result)
            self._scale(self.results)
        if self._on_result is not None:
            self._on_result(spec, result)


def _stopped(spec: Any, message: str) -> dict[str, Any]:
    return {
        "id": spec.id,
        "kind": getattr(spec, "kind", None),
        "status": "cancelled",
        "message": message,
        "framework": spec.framework,
        "mode": spec.mode,
    }


def suite(name: str) -> list[TrialSpec]:
    """The trials of a named suite (quick / full) for the registered frameworks."""
    return suite_specs(name)


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
) -> Report:
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
    )


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
