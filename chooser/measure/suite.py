"""A suite run honestly: look first, one thread budget for all, interleaved rounds for
the figures that compare frameworks, ``comparable`` on everything (docs/trials.md)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from importlib.util import find_spec

from chooser.measure import comparable
from chooser.measure.budget import Budget, measure_budget
from chooser.measure.rounds import run_interleaved
from chooser.measure.trials import (
    FRAMEWORKS,
    TrialEventHandler,
    TrialSpec,
    add_scaling,
    run_trial,
    skeleton,
    trial_argv,
    validate,
)


def budgeted(specs: list[TrialSpec], budget: Budget, data: str | None = None) -> list[TrialSpec]:
    """The specs with the budget's threads per rank (and ``data`` when given)."""
    out = []
    for spec in specs:
        ranks = spec.workers if spec.mode == "distributed" else 1
        out.append(dataclasses.replace(spec, threads=budget.per_rank(ranks),
                                       data=data if data is not None else spec.data))
    return out


def look_first(wait_quiet_s: float = 0.0, quiet: bool = False) -> Budget:
    """Headless look before a suite: choose the budget, saying on stderr what was seen and,
    while waiting for the machine to quieten, how long is left."""
    import sys

    def on_look(load, left: float) -> None:
        if quiet or load.quiet:
            return
        state = "quiet" if load.quiet else f"busy (top: {load.top_text()})"
        wait = f"; waiting up to {left:.0f} s more for it to quieten" \
            if not load.quiet and left > 0 else ""
        print(f"others use {load.other_cores:.1f} of {load.cores} cores: {state}{wait}",
              file=sys.stderr, flush=True)

    budget = asyncio.run(measure_budget(wait_quiet_s, on_look=on_look))
    if not quiet:
        print(budget.describe(), file=sys.stderr, flush=True)
    return budget


def finish_result(result: dict, spec: TrialSpec, budget: Budget) -> dict:
    """Mark ``result`` comparable or not against the budget its spec asked for."""
    comparable.mark(result, getattr(spec, "threads", None))
    result["thread_budget"] = budget.record()
    return result


def comparisons(results: list[dict]) -> list[dict]:
    """The torch ÷ TensorFlow throughput ratio of each mode both ran, with its interval."""
    by_id = {r.get("id"): r for r in results if r.get("status") == "ok"}
    out = []
    for mode in ("single", "distributed"):
        a, b = by_id.get(f"torch_{mode}"), by_id.get(f"tensorflow_{mode}")
        if a and b:
            pair = comparable.compare_pair(a, b)
            if pair is not None:
                out.append({"what": f"samples/s torch ÷ tensorflow ({mode})", **pair})
    return out


async def run_budgeted_suite(specs: list[TrialSpec], rounds: int,
                             on_event: TrialEventHandler | None = None,
                             on_result: Callable[[dict], None] | None = None, *,
                             data: str | None = None, wait_quiet_s: float = 0.0,
                             budget: Budget | None = None,
                             on_look: Callable | None = None) -> list[dict]:
    if budget is None:
        budget = await measure_budget(wait_quiet_s, on_look=on_look)
    specs = budgeted(specs, budget, data)
    for spec in specs:
        validate(spec)  # a bad --data path is the user's to fix, before anything starts
    # Interleave the single trials whose framework is installed; run_trial says "missing".
    singles = [s for s in specs if s.mode == "single" and find_spec(FRAMEWORKS[s.framework])]
    results: list[dict] = []

    def finish(result: dict, spec: TrialSpec) -> None:
        results.append(finish_result(result, spec, budget))
        add_scaling(results)
        if on_result is not None:
            on_result(result)

    def stopped(pending: list[TrialSpec]) -> None:
        if on_result is not None:
            for spec in pending:
                on_result({**skeleton(spec, trial_argv(spec)), "status": "cancelled",
                           "message": "interrupted; its process group was killed"})

    if singles:
        try:
            interleaved = await run_interleaved(singles, rounds, on_event, wait_quiet_s)
        except asyncio.CancelledError:
            stopped(singles)
            raise
        for spec, result in zip(singles, interleaved):
            finish(result, spec)
    for spec in (s for s in specs if s not in singles):
        try:
            result = await run_trial(spec, on_event)
        except asyncio.CancelledError:  # say which trial was stopped, then stop
            stopped([spec])
            raise
        finish(result, spec)
    return results
