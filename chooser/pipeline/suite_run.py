"""The one suite loop (SuiteRun): runs a named suite's trials one after another, the single
trials of the installed frameworks as interleaved rounds, with cancel one or all, and
scaling efficiency added once both halves of a framework's pair are measured."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from chooser.core import frameworks
from chooser.measure.budget import Budget
from chooser.measure.rounds import run_interleaved
from chooser.measure.scaling import add_scaling
from chooser.measure.suite import budgeted, finish_result
from chooser.measure.trials import (
    SUITE_ROUNDS,
    TrialSpec,
    installed,
    run_trial,
    suite_specs,
    validate,
)

RunTrial = Callable[..., Coroutine[Any, Any, dict[str, Any]]]
OnEvent = Callable[[str, dict[str, Any]], None]
Interleave = Callable[..., Coroutine[Any, Any, list[dict[str, Any]]]]
# After the trials: suite-level objects from the results (the scaling estimate: issue 13).
AfterTrials = Callable[[list[dict[str, Any]]], Coroutine[Any, Any, dict[str, Any]]]


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
        scaling_estimate: AfterTrials | None = None,
    ) -> None:
        self.specs = budgeted(list(specs), budget, data)
        self._run, self._on_event, self._scale = run, on_event, scale
        self._on_start, self._on_result = on_start, on_result
        self._rounds, self._interleave, self._budget = rounds, interleave, budget
        self._wait_quiet_s = wait_quiet_s
        self._scaling_estimate = scaling_estimate
        self.extras: dict[str, Any] = {}  # suite-level objects: scaling_estimate, …
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
        group = [
            s
            for s in self.specs
            if s.mode == "single"
            and getattr(s, "kind", "throughput") == "throughput"  # rounds time throughput
            and getattr(s, "variant", "tuned") == "tuned"  # variants run alone, after
            and _available(s.framework)
        ]
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
            if self._scaling_estimate is not None:  # its child is killed on cancel too
                self.extras["scaling_estimate"] = await self._scaling_estimate(self.results)
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


def _available(framework: str) -> bool:
    """A registered framework whose import is available here (asked, never imported)."""
    return frameworks.known(framework) and installed(framework)
