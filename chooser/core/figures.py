"""Reading figures already marked ``comparable`` (chooser.measure.comparable marks them):
whether a stored result may be compared, and the throughput ratio of two results with its
interval. Pure functions of result dicts, shared by measure (comparisons) and decide (the
evidence gate), which must not import each other."""

from __future__ import annotations

from typing import Any

from chooser.core.stats import groups_of, method_text, ratio_ci

NOT_ASSESSED = "not assessed (recorded before chooser checked comparability)"


def comparable_of(result: dict[str, Any] | None) -> tuple[bool, str | None]:
    """(comparable, reason) of a stored result; results saved before this check are not."""
    if result is None:
        return False, "not measured"
    if "comparable" not in result:
        return False, NOT_ASSESSED
    return bool(result["comparable"]), result.get("comparable_reason")


def both(a: dict[str, Any], b: dict[str, Any]) -> tuple[bool, str | None]:
    reasons = []
    for r in (a, b):
        ok, why = comparable_of(r)
        if not ok:
            reasons.append(f"{r.get('id')}: {why}")
    return not reasons, "; ".join(reasons) or None


def compare_pair(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | None:
    """The throughput ratio a ÷ b with its interval and ``comparable`` (None when either
    has no throughput)."""
    (ga, kind_a), (gb, kind_b) = groups_of(a), groups_of(b)
    if not ga or not gb:
        return None
    paired = kind_a == kind_b == "rounds" and len(ga) == len(gb)
    ratio, ci = ratio_ci(ga, gb, paired)
    ok, why = both(a, b)
    return {
        "ids": [a.get("id"), b.get("id")],
        "ratio": round(ratio, 4),
        "ci95": [round(ci[0], 4), round(ci[1], 4)] if ci else None,
        "interval_method": method_text(kind_a if kind_a == kind_b else "windows", paired),
        "comparable": ok,
        "comparable_reason": why,
    }
