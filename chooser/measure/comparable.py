"""Is a measured figure comparable? ``comparable`` and ``comparable_reason`` on every
trial result and every figure derived from two results (docs/trials.md).

A result is not comparable when other processes used more than ``QUIET_CORES`` of a
core on average while it ran, when its throughput windows spread more than
``SPREAD_LIMIT`` × (max ÷ min), when it ran with another thread count than the suite
asked for, or when a figure is impossible (accuracy outside [0, 1]). A derived figure
(scaling, a ratio between frameworks) is comparable only when both inputs are, and a
scaling efficiency outside [0, 1.2] is impossible on its face. Framework-free.
"""

from __future__ import annotations

from typing import Any

from chooser.core.figures import NOT_ASSESSED, both, comparable_of, compare_pair
from chooser.core.stats import derived_ci, groups_of, median_ci, method_text
from chooser.measure.budget import MIN_QUIET_ROUNDS, QUIET_CORES

__all__ = ["NOT_ASSESSED", "both", "comparable_of", "compare_pair", "mark", "mark_scaling"]

SPREAD_LIMIT = 2.5  # windows' max ÷ min; quiet runs here stay under 2 (docs/trials.md)
EFFICIENCY_RANGE = (0.0, 1.2)


def reasons_for(result: dict[str, Any], asked_threads: int | None = None) -> list[str]:
    """Why ``result``'s figures cannot be compared; [] when they can."""
    if result.get("status") != "ok":
        return [f"the trial did not succeed ({result.get('status')})"]
    out = []
    load = result.get("machine_load") or {}
    others = load.get("other_cores_avg")
    if others is not None and others > QUIET_CORES:
        top = ", ".join(f"{t['name']} {t['cores']:.1f}" for t in load.get("top") or [])
        out.append(
            f"other processes used {others:.2f} cores on average while it ran "
            f"(limit {QUIET_CORES:g} of a core{'; top: ' + top if top else ''})"
        )
    sps = result.get("samples_per_second") or {}
    quiet, rounds = sps.get("quiet_rounds"), len(sps.get("rounds") or [])
    if quiet is not None and rounds > 1 and quiet < MIN_QUIET_ROUNDS:
        out.append(
            f"only {quiet} of {rounds} rounds ran while other processes stayed under "
            f"{QUIET_CORES:g} of a core (needs {MIN_QUIET_ROUNDS})"
        )
    low, high = sps.get("min"), sps.get("max")
    if sps.get("median") is None:
        out.append("no complete throughput window")
    elif low and high and high / low > SPREAD_LIMIT:
        out.append(
            f"throughput windows spread {high / low:.1f}× (max ÷ min; limit {SPREAD_LIMIT:g}×)"
        )
    took = result.get("threads_per_rank")
    if asked_threads is not None and took is not None and took != asked_threads:
        out.append(f"ran with {took} threads per rank; the suite asked for {asked_threads}")
    accuracy = result.get("test_accuracy")
    if accuracy is not None and not 0.0 <= accuracy <= 1.0:
        out.append(f"impossible accuracy {accuracy:g} (outside [0, 1])")
    return out


def mark(result: dict[str, Any], asked_threads: int | None = None) -> dict[str, Any]:
    """Set ``comparable`` and ``comparable_reason`` on ``result`` (and return it)."""
    reasons = reasons_for(result, asked_threads)
    sps = result.get("samples_per_second")
    groups, kind = groups_of(result)
    ci = median_ci(groups) if isinstance(sps, dict) else None
    if isinstance(sps, dict) and ci is not None:
        sps["ci95"] = [round(ci[0], 1), round(ci[1], 1)]
        sps["interval_method"] = method_text(kind)
    result["comparable"] = not reasons
    result["comparable_reason"] = "; ".join(reasons) or None
    return result


def mark_scaling(dist: dict[str, Any], base: dict[str, Any]) -> None:
    """Add an interval and ``comparable`` to ``dist['scaling']`` (add_scaling made it)."""
    scaling = dist.get("scaling")
    if not scaling:
        return
    ideal = scaling["ideal_speedup"]
    (dist_groups, _), (base_groups, _) = groups_of(dist), groups_of(base)
    if dist_groups and base_groups:
        _, ci = derived_ci([dist_groups, base_groups], lambda m: m[0] / m[1] / ideal)
        if ci is not None:
            scaling["efficiency_ci95"] = [round(ci[0], 3), round(ci[1], 3)]
            scaling["interval_method"] = method_text("windows") + " (each trial independently)"
    ok, why = both(dist, base)
    low, high = EFFICIENCY_RANGE
    if not low <= scaling["efficiency"] <= high:
        ok = False
        impossible = (
            f"impossible scaling efficiency {scaling['efficiency']:.2f} "
            f"(outside [{low:g}, {high:g}])"
        )
        why = "; ".join(filter(None, [why, impossible]))
    scaling["comparable"], scaling["comparable_reason"] = ok, why
