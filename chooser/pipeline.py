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
from chooser.report import Report, build_report, format_for, write_report

RunTrial = Callable[..., Coroutine[Any, Any, dict[str, Any]]]
OnEvent = Callable[[str, dict[str, Any]], None]


@dataclass
class Inputs:
    """What the user gave: the question bank, the rules and the answers."""

    bank: QuestionBank
    rules: RuleSet
    answers: dict[str, Any] = field(default_factory=dict)
    answers_source: str = "defaults"


def load_inputs(questions: str | Path | None = None, rules: str | Path | None = None,
                answers: str | Path | None = None) -> Inputs:
    """Load and check the bank, the rules against it, and an answers file (UserError with
    file and line when one is bad)."""
    bank = load_questions(questions)
    ruleset = load_rules(rules, bank=bank)
    given = load_answers(answers, bank) if answers else {}
    return Inputs(bank, ruleset, given, str(answers) if answers else "defaults")


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

    def __init__(self, specs: Sequence[Any], *, run: RunTrial = run_trial,
                 on_event: OnEvent | None = None,
                 on_start: Callable[[Any], None] | None = None,
                 on_result: Callable[[Any, dict[str, Any]], None] | None = None,
                 scale: Callable[[list[dict[str, Any]]], None] = add_scaling) -> None:
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
                    result = {**_stopped(spec, f"{type(exc).__name__}: {exc}"),
                              "status": "error"}
                finally:
                    self._tasks.pop(spec.id, None)
                self._end(spec, result)
        except asyncio.CancelledError:
            for spec in self.specs:  # keep what finished; say what was stopped
                if spec.id == self._current and spec.id not in self._ended:
                    self._end(spec, _stopped(spec, "interrupted; its process group was killed"))
                elif spec.id not in self._ended:  # told to the caller, not a result: never ran
                    self._end(spec, _stopped(spec, "not started: the suite was interrupted"),
                              ran=False)
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
    return {"id": spec.id, "kind": getattr(spec, "kind", None), "status": "cancelled",
            "message": message, "framework": spec.framework, "mode": spec.mode}


def suite(name: str) -> list[TrialSpec]:
    """The trials of a named suite (quick / full) for the registered frameworks."""
    return suite_specs(name)


def score(inputs: Inputs, probe: dict[str, Any] | None, trials: list[dict[str, Any]],
          answers: dict[str, Any] | None = None) -> Recommendation:
    """The recommendation for what is known now (``answers`` overrides the inputs')."""
    return recommend(inputs.bank, inputs.rules,
                     inputs.answers if answers is None else answers, probe, trials)


def report(inputs: Inputs, rec: Recommendation, probe: dict[str, Any] | None,
           trials: list[dict[str, Any]], *, suite_name: str, command_line: list[str],
           answers_source: str | None = None,
           timestamps: dict[str, str] | None = None) -> Report:
    return build_report(inputs.bank, inputs.rules, rec, probe, trials,
                        answers_source=answers_source or inputs.answers_source,
                        trials_suite=suite_name, command_line=command_line,
                        timestamps=timestamps)


def check_exports(paths: Sequence[str | Path], force: bool) -> None:
    """Refuse bad export paths before spending minutes on trials."""
    seen: set[str] = set()
    for path in paths:
        format_for(path)
        resolved = str(Path(path).resolve())
        if resolved in seen:
            raise UserError("named twice in --export", path=str(path))
        seen.add(resolved)
        p = Path(path)
        if p.exists() and not force:
            raise UserError("already exists; pass --force to overwrite it", path=str(path))
        if not (p.parent if str(p.parent) else Path(".")).is_dir():
            raise UserError(f"directory {p.parent} does not exist", path=str(path))


def export(report_: Report, paths: Sequence[str | Path], *, force: bool = False) -> list[Path]:
    """Write the report in each path's format (atomic writes)."""
    return [write_report(report_, path, force=force) for path in paths]
