"""Plain rows and labels shared by every renderer (Markdown, HTML, terminal, compare)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chooser.core.frameworks import label, labels_text
from chooser.decide.recommendation import canonical_id, ranked
from probes.result import IDENTITY


def title() -> str:
    """``chooser: PyTorch or TensorFlow?`` — the registered frameworks' labels."""
    return f"chooser: {labels_text()}?"


def verdict_line(rec: Any) -> str:
    """The winner's points against the runner-up's ("lead" = the difference)."""
    if rec.verdict == "tie":
        return "No recommendation: the scores are tied."
    runner_up = ranked(rec.totals)[1]
    return (f"Recommended: {label(rec.verdict)} — {rec.totals[rec.verdict]:g} vs "
            f"{rec.totals[runner_up]:g} points (margin {rec.margin:g}, confidence "
            f"{rec.confidence.level})")


def totals_text(totals: dict[str, float]) -> str:
    """``PyTorch 5 vs TensorFlow 3`` — every framework, in the report's order."""
    return " vs ".join(f"{label(fw)} {points:g}" for fw, points in totals.items())


def fmt_points(points: dict[str, float]) -> str:
    parts = [f"+{v:g} {label(k)}" for k, v in points.items() if v]
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


_IDENTITY = set(IDENTITY)  # what a failed run keeps (probes.result)


def trial_rows(trials: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per trial result, with None where a value was not measured."""
    rows = []
    for t in trials:
        if t.get("status") != "ok":  # a failed run's partial numbers are not measurements
            t = {k: v for k, v in t.items() if k in _IDENTITY}
        sps: dict[str, Any] = t["samples_per_second"] if isinstance(
            t.get("samples_per_second"), dict) else {}
        rows.append({
            "id": canonical_id(t),
            "framework_id": str(t.get("framework")),
            "framework": label(str(t.get("framework"))),
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
        })
    return rows


def num(value: float | None, spec: str = ".1f", unit: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{unit}"
