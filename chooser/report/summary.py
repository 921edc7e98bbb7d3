"""Plain rows and labels shared by every renderer (Markdown, HTML, terminal, compare)."""

from __future__ import annotations

from typing import Any

from chooser.decide.recommendation import LABELS

FRAMEWORK_NAMES = {"torch": "PyTorch", "tensorflow": "TensorFlow"}


def verdict_line(rec: Any) -> str:
    if rec.verdict == "tie":
        return "No recommendation: the scores are tied."
    return (f"Recommended: {LABELS[rec.verdict]} — {rec.totals[rec.verdict]:g} vs "
            f"{min(rec.totals.values()):g} points (margin {rec.margin:g}, confidence "
            f"{rec.confidence.level})")


def fmt_points(points: dict[str, float]) -> str:
    parts = [f"+{v:g} {FRAMEWORK_NAMES[k]}" for k, v in points.items() if v]
    return ", ".join(parts) if parts else "0 (note)"


def fmt_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "[" + ", ".join(fmt_value(v) for v in value) + "]"
    return str(value)


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


_IDENTITY = {"id", "status", "message", "framework", "mode", "world_size", "device", "data_source",
             "steps", "batch_size", "seed", "command", "busy_warning", "comparable",
             "comparable_reason"}


def trial_rows(trials: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per trial result, with None where a value was not measured."""
    rows = []
    for t in trials:
        if t.get("status") != "ok":  # a failed run's partial numbers are not measurements
            t = {k: v for k, v in t.items() if k in _IDENTITY}
        sps = t.get("samples_per_second") if isinstance(t.get("samples_per_second"), dict) else {}
        rows.append({
            "id": str(t.get("id") or f"{t.get('framework')}_{t.get('mode')}"),
            "framework": FRAMEWORK_NAMES.get(str(t.get("framework")), str(t.get("framework"))),
            "status": str(t.get("status", "?")),
            "message": t.get("message") or "",
            "world_size": t.get("world_size"),
            "device": t.get("device"),
            "sps_median": _num(sps.get("median")),
            "sps_min": _num(sps.get("min")),
            "sps_max": _num(sps.get("max")),
            "accuracy": _num(t.get("test_accuracy")),
            "first_step_s": _num(t.get("time_to_first_step_s")),
            "wall_s": _num(t.get("wall_time_s")),
            "peak_rss_mb": (_num(t.get("peak_rss_bytes")) or 0) / 1e6 or None,
            "checksums_equal": t.get("checksums_equal"),
            "scaling_efficiency": _num(t.get("scaling_efficiency")),
            "data_source": t.get("data_source") or "",
            "steps": t.get("steps"),
            "batch_size": t.get("batch_size"),
            "seed": t.get("seed"),
            "command": t.get("command") or "",
            "busy_warning": t.get("busy_warning") or "",
            # None: nothing measured to compare; False: the timings are shown dimmed with why
            "comparable": (bool(t.get("comparable", False)) if t.get("status") == "ok"
                           else None),
            "comparable_reason": t.get("comparable_reason") or (
                "not assessed (recorded before chooser checked comparability)"
                if t.get("status") == "ok" and "comparable" not in t else ""),
            "sps_ci": (sps.get("ci95") if isinstance(sps.get("ci95"), list) else None),
        })
    return rows


def num(value: float | None, spec: str = ".1f", unit: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{unit}"


def not_comparable(row: dict[str, Any]) -> str | None:
    """Why a row's timings must not be read as plain numbers, or None when they may."""
    return row["comparable_reason"] or "no reason recorded" if row["comparable"] is False \
        else None
