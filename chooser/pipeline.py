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
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.decide.answers import load_answers
from chooser.decide.questionnaire import QuestionBank, load_questions
from chooser.decide.recommendation import Recommendation, recommend
from chooser.decide.rules import RuleSet, load_rules
from chooser.measure.budget import Budget
from chooser.measure.probe import PartHandler, run_probe
from chooser.measure.rounds import run_interleaved
from chooser.measure.suite import budgeted, finish_result
from chooser.measure.trials import (
    SUITE_ROUNDS,
    TrialSpec,
    add_scaling,
    run_trial,
    suite_specs,
    validate,
)
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
Interleave = Callable[..., Coroutine[Any, Any, list[dict[str, Any]]]]


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
    """Runs a suite's trials one after the other (never two at once: they would share the
    cores). With ``rounds``, the single-process trials of every registered framework whose
    import is available run as one group of interleaved rounds (chooser.measure.rounds:
    one live child per framework, alternating rounds), then the rest one by one.

    ``budget`` (chooser.measure.budget, chosen by looking at the machine first) gives every
    trial the same thread count per rank, and each result is then marked ``comparable``
    against it. ``cancel(spec_id)`` stops one trial (a running one's process group is
    killed, a queued one is skipped) and the suite goes on; cancelling one trial of a
    running interleaved group stops the whole group (its rounds alternate, so one
    framework's figures cannot go on alone). Cancelling the task running ``run()`` stops
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
        rounds: int | None = None,
        interleave: Interleave = run_interleaved,
        budget: Budget | None = None,
        data: str | None = None,
        wait_quiet_s: float = 0.0,
    ) -> None:
        self.specs = budgeted(list(specs), budget, data)
        self._run, self._on_event, self._scale = run, on_event, scale
        self._on_start, self._on_result = on_start, on_result
        self._rounds, self._interleave, self._budget = rounds, interleave, budget
        self._wait_quiet_s = wait_quiet_s
        self.results: list[dict[str, Any]] = []
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._skipped: set[str] = set()
        self._ended: set[str] = set()
        self._current: set[str] = set()  # the trials running now
        self._group: set[str] = set()  # the trials run as interleaved rounds

    def cancel(self, spec_id: str) -> bool:
        """Stop one trial (a running interleaved group: all of it); False when it already
        ended (or is not in this suite)."""
        task = self._tasks.get(spec_id)
        if task is not None:
            task.cancel()
            return True
        if spec_id in self._ended or spec_id not in {s.id for s in self.specs}:
            return False
        self._skipped.add(spec_id)
        return True

    def _steps(self) -> list[list[Any]]:
        """What runs in turn: the interleaved group (at its first single's place), then
        every other trial alone."""
        if self._rounds is None:
            return [[s] for s in self.specs]
        group = [s for s in self.specs if s.mode == "single" and _installed(s.framework)]
        self._group = {s.id for s in group}
        steps: list[list[Any]] = []
        for spec in self.specs:
            if spec not in group:
                steps.append([spec])
            elif spec is group[0]:
                steps.append(group)
        return steps

    async def run(self) -> list[dict[str, Any]]:
        for spec in self.specs:  # a bad --data path is the user's to fix, before anything
            if isinstance(spec, TrialSpec) and spec.data is not None:
                validate(spec)
        try:
            for step in self._steps():
                for spec in [s for s in step if s.id in self._skipped]:
                    self._end(spec, _stopped(spec, "skipped by you before it started"))
                step = [s for s in step if s.id not in self._skipped]
                if step:
                    await self._run_step(step)
        except asyncio.CancelledError:
            for spec in self.specs:  # keep what finished; say what was stopped
                if spec.id in self._current and spec.id not in self._ended:
                    self._end(spec, _stopped(spec, "interrupted; its process group was killed"))
                elif spec.id not in self._ended:  # told to the caller, not a result: never ran
                    self._end(
                        spec, _stopped(spec, "not started: the suite was interrupted"), ran=False
                    )
            raise
        return self.results

    async def _run_step(self, step: list[Any]) -> None:
        for spec in step:
            if self._on_start is not None:
                self._on_start(spec)
        self._current = {s.id for s in step}
        task: asyncio.Task[Any]
        if self._rounds is not None and step[0].id in self._group:
            task = asyncio.create_task(
                self._interleave(step, self._rounds, self._on_event, self._wait_quiet_s)
            )
        else:
            task = asyncio.create_task(self._run(step[0], self._on_event))
        for spec in step:
            self._tasks[spec.id] = task
        try:
            got = await task
            results = got if isinstance(got, list) else [got]
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():  # the whole suite
                raise
            why = "cancelled by you; its process group was killed"
            if len(step) > 1:
                why = (
                    "cancelled by you with the trials interleaved with it; their groups were killed"
                )
            results = [_stopped(spec, why) for spec in step]
        except Exception as exc:  # run_trial promises not to raise; say so if it did
            results = [
                {**_stopped(spec, f"{type(exc).__name__}: {exc}"), "status": "error"}
                for spec in step
            ]
        finally:
            for spec in step:
                self._tasks.pop(spec.id, None)
        for spec, result in zip(step, results, strict=True):
            self._end(spec, result)

    def _end(self, spec: Any, result: dict[str, Any], ran: bool = True) -> None:
        self._ended.add(spec.id)
        if ran:
            if self._budget is not None:
                finish_result(result, spec, self._budget)
            self.results.append(result)
            self._scale(self.results)
        if self._on_result is not None:
            self._on_result(spec, result)


def _installed(framework: str) -> bool:
    """A registered framework whose import is available here (asked, never imported)."""
    return (
        frameworks.known(framework) and find_spec(frameworks.get(framework).import_name) is not None
    )


def _stopped(spec: Any, message: str) -> dict[str, Any]:
    return {
        "id": spec.id,
        "kind": getattr(spec, "kind", None),
        "status": "cancelled",
        "message": message,
        "framework": spec.framework,
        "mode": spec.mode,
    }


def suite_rounds(name: str) -> int:
    """How many interleaved rounds a named suite's single trials run."""
    return SUITE_ROUNDS[name]


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
