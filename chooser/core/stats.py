"""Intervals for the figures that compare frameworks: a percentile bootstrap over rounds.

A trial measured in rounds (probes/trials/rounds.py) keeps each round's throughput
windows. The unit that is resampled is the **round**: windows inside one round share
that moment's load, so they are not independent draws; rounds are. Each draw picks
rounds with replacement and takes the median of the windows of the rounds drawn.
For a ratio of two frameworks the draw is **paired**: round i of one and round i of
the other ran one after the other, so the same indices are drawn for both and a load
that hit both cancels out. A result without rounds (a distributed trial) resamples its
windows instead. 2,000 draws, a fixed seed (the same data always give the same
interval), 95 % percentile interval. Standard library only.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Sequence
from typing import Any

DRAWS = 2000
LEVEL = 0.95
SEED = 20260101
Groups = list[list[float]]


def groups_of(result: dict[str, Any]) -> tuple[Groups, str]:
    """A result's throughput windows grouped by round, and what a group is."""
    sps = result.get("samples_per_second") or {}
    rounds = [r.get("windows") or [] for r in sps.get("rounds") or [] if r.get("used", True)]
    rounds = [g for g in rounds if g]
    if len(rounds) >= 2:
        return rounds, "rounds"
    windows = sps.get("window_rates") or (rounds[0] if rounds else [])
    return [[w] for w in windows], "windows"


def _pooled_median(groups: Groups, picks: Sequence[int]) -> float:
    return statistics.median([w for i in picks for w in groups[i]])


def _percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(v for v in values if math.isfinite(v))
    lo = values[int((1 - LEVEL) / 2 * (len(values) - 1))]
    hi = values[math.ceil((1 + LEVEL) / 2 * (len(values) - 1))]
    return lo, hi


def _draws(n: int, rng: random.Random) -> list[int]:
    return [rng.randrange(n) for _ in range(n)]


def median_ci(groups: Groups) -> tuple[float, float] | None:
    """95 % interval of the pooled median, resampling groups; None with fewer than 2."""
    if len(groups) < 2:
        return None
    rng = random.Random(SEED)
    return _percentiles([_pooled_median(groups, _draws(len(groups), rng)) for _ in range(DRAWS)])


def ratio_ci(a: Groups, b: Groups, paired: bool) -> tuple[float, tuple[float, float] | None]:
    """median(a) / median(b) and its 95 % interval (paired draws when the groups are
    rounds that alternated, else independent draws)."""
    point = _pooled_median(a, range(len(a))) / _pooled_median(b, range(len(b)))
    if len(a) < 2 or len(b) < 2:
        return point, None
    rng = random.Random(SEED)
    paired = paired and len(a) == len(b)
    values = []
    for _ in range(DRAWS):
        pick_a = _draws(len(a), rng)
        pick_b = pick_a if paired else _draws(len(b), rng)
        values.append(_pooled_median(a, pick_a) / _pooled_median(b, pick_b))
    return point, _percentiles(values)


def derived_ci(
    inputs: list[Groups], fn: Callable[[list[float]], float]
) -> tuple[float, tuple[float, float] | None]:
    """``fn`` of several pooled medians (e.g. a scaling efficiency, or a difference of
    two), each input resampled independently."""
    point = fn([_pooled_median(g, range(len(g))) for g in inputs])
    if any(len(g) < 2 for g in inputs):
        return point, None
    rng = random.Random(SEED)
    values = [fn([_pooled_median(g, _draws(len(g), rng)) for g in inputs]) for _ in range(DRAWS)]
    return point, _percentiles(values)


def method_text(kind: str, paired: bool = False) -> str:
    what = "rounds" if kind == "rounds" else "throughput windows"
    pairing = ", paired by round (alternating order)" if paired else ""
    return (
        f"{LEVEL:.0%} percentile bootstrap over {what}{pairing}, {DRAWS} draws, "
        "median of pooled windows per draw"
    )
