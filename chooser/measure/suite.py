"""A suite run honestly (docs/trials.md): look at the machine first and choose one thread
budget for every framework, give each trial that budget, mark every result ``comparable``
against it, and compare frameworks' throughput with intervals. The loop itself is
``chooser.pipeline.SuiteRun`` (it drives chooser.measure.rounds for the interleaved
single trials)."""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from itertools import combinations
from typing import Any, TextIO

from chooser.core.errors import UserError
from chooser.measure import comparable
from chooser.measure.budget import Budget, Load, measure_budget
from chooser.measure.trials import TrialSpec


def budgeted(specs: list[Any], budget: Budget | None, data: str | None = None) -> list[Any]:
    """The specs with the budget's threads per rank (and ``data`` when given); specs that
    are not TrialSpecs (a test's stand-ins) pass unchanged."""
    out = []
    for spec in specs:
        if isinstance(spec, TrialSpec) and (budget is not None or data is not None):
            ranks = spec.workers if spec.mode == "distributed" else 1
            spec = dataclasses.replace(
                spec,
                threads=budget.per_rank(ranks) if budget is not None else spec.threads,
                data=data if data is not None else spec.data,
            )
        out.append(spec)
    return out


MAX_WAIT_QUIET_S = 3600.0


def check_wait_quiet(seconds: float) -> None:
    """--wait-quiet: a finite number of seconds, from 0 to an hour (else a UserError)."""
    if not 0 <= seconds <= MAX_WAIT_QUIET_S:  # NaN fails both comparisons
        raise UserError(
            f"--wait-quiet must be 0 or more seconds (at most {MAX_WAIT_QUIET_S:g}), "
            f"got {seconds:g}"
        )


def look_first(wait_quiet_s: float = 0.0, quiet: bool = False, out: TextIO | None = None) -> Budget:
    """Headless look before a suite: choose the budget, saying on ``out`` (default stderr,
    with the progress; ``chooser recommend`` passes stdout, where its progress goes) what
    was seen and, while waiting for the machine to quieten, how long is left."""
    stream = out or sys.stderr

    def on_look(load: Load, left: float) -> None:
        if quiet or load.quiet:
            return
        wait = f"; waiting up to {left:.0f} s more for it to quieten" if left > 0 else ""
        print(
            f"others use {load.other_cores:.1f} of {load.cores} cores: "
            f"busy (top: {load.top_text()}){wait}",
            file=stream,
            flush=True,
        )

    budget = asyncio.run(measure_budget(wait_quiet_s, on_look=on_look))
    if not quiet:
        print(budget.describe(), file=stream, flush=True)
    return budget


def finish_result(result: dict[str, Any], spec: Any, budget: Budget) -> dict[str, Any]:
    """Mark ``result`` comparable or not against the budget its spec asked for."""
    comparable.mark(result, getattr(spec, "threads", None))
    result["thread_budget"] = budget.record()
    return result


def comparisons(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The throughput ratio of every pair of frameworks that both ran a mode, with its
    interval and whether it is comparable (in the order the results came)."""
    ok = [
        r
        for r in results
        if r.get("status") == "ok" and r.get("kind", "throughput") == "throughput"
    ]
    out = []
    for mode in ("single", "distributed"):
        ran = [r for r in ok if r.get("mode") == mode and r.get("variant", "tuned") == "tuned"]
        for a, b in combinations(ran, 2):
            pair = comparable.compare_pair(a, b)
            if pair is not None:
                what = f"samples/s {a.get('framework')} ÷ {b.get('framework')} ({mode})"
                out.append({"what": what, **pair})
    return out


def suite_json(
    suite: str,
    interrupted: bool,
    wall: float,
    budget: dict[str, Any],
    pairs: list[dict[str, Any]],
    finished: list[dict[str, Any]],
) -> dict[str, Any]:
    """The one JSON object ``chooser trial --suite … --json`` prints."""
    from chooser.measure.variants import out_of_box_share

    return {
        "suite": suite,
        "interrupted": interrupted,
        "wall_time_s": wall,
        "thread_budget": budget,
        "comparisons": pairs,
        "out_of_box_share": out_of_box_share(finished),
        "results": finished,
    }
