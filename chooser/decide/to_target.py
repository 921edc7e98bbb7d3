"""The noise test of a time-to-accuracy comparison (used by chooser.decide.evidence).

One run per framework gives no interval, and the target is checked every
``eval_every_steps`` steps, so a run's time to target is only known to lie between its
last evaluation below the target and the first at or above it. The faster framework
(``a``) counts as faster only when the slower one's *earliest possible* time (its
evaluation before the hit) is still more than ``band`` × the faster one's reported time:
the cadence can never make the difference.
"""

from __future__ import annotations

from typing import Any


def lower_bound_s(result: dict[str, Any]) -> float:
    """The training seconds of the evaluation before the one that reached the target (0 when
    the first evaluation reached it): the earliest the target can have been crossed."""
    hit = result.get("steps_to_target")
    before = [
        e.get("train_s", 0.0)
        for e in result.get("evaluations") or []
        if hit is not None and e.get("step", 0) < hit
    ]
    return float(max(before, default=0.0))


def beyond_cadence(
    a: dict[str, Any], b: dict[str, Any], band: float, not_now: str
) -> tuple[bool, str]:
    """(supported, words) for a time-to-target comparison of results ``a`` and ``b``."""
    for r in (a, b):
        if not r.get("reached_target") or not r.get("time_to_target_s"):
            return False, (
                f"{not_now}: {r.get('id')} did not reach its target "
                f"({r.get('message') or 'no time to target'})"
            )
    if a.get("target_accuracy") != b.get("target_accuracy"):
        return False, (
            f"{not_now}: the targets differ ({a.get('target_accuracy')} and "
            f"{b.get('target_accuracy')})"
        )
    fast, slow = sorted((a, b), key=lambda r: r["time_to_target_s"])
    ratio = slow["time_to_target_s"] / fast["time_to_target_s"]
    bracketed = lower_bound_s(slow) / fast["time_to_target_s"]
    return bracketed > band, (
        f"time-to-target ratio {ratio:.2f} ({slow['time_to_target_s']:.1f} s ÷ "
        f"{fast['time_to_target_s']:.1f} s; one run each, no interval), at least "
        f"{bracketed:.2f} with the slower run taken at its evaluation before the hit; it "
        f"weighs only with that beyond {band:g}×"
    )
