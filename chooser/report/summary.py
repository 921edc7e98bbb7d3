"""Plain rows and labels shared by every renderer (Markdown, HTML, terminal, compare)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chooser.core import numbers
from chooser.core.figures import NOT_ASSESSED
from chooser.core.registry import labels_text
from chooser.decide.criteria import label as LABEL
from chooser.decide.recommendation import canonical_id
from probes.result import IDENTITY


def title(rec: Any = None) -> str:
    """``chooser: PyTorch or TensorFlow?`` — the labels of the frameworks ``rec`` scored
    (a report re-rendered later keeps its own), else the registered ones."""
    return f"chooser: {labels_text(list(rec.totals) if rec is not None else None)}?"


def verdict_line(rec: Any) -> str:
    """The outcome in words, then the weighted totals of every framework."""
    totals = ", ".join(
        f"{LABEL(fw)} {numbers.points(v, unit=False)}" for fw, v in rec.totals.items()
    )
    lead = "Recommended: " if rec.verdict in rec.totals else ""
    return (
        f"{lead}{rec.outcome} (weighted points of {numbers.points(rec.stake, unit=False)} "
        f"at stake: {totals}; confidence {rec.confidence.level})"
    )


def fmt_scores(r: Any) -> str:
    """What one rule gave: a score per framework with its weight, a knock-out, or a note."""
    if r.knocks_out:
        return "knocks out " + ", ".join(LABEL(fw) for fw in r.knocks_out)
    if not r.scores:
        return "note (0)"
    parts = " · ".join(f"{LABEL(fw)} {numbers.score(v)}" for fw, v in r.scores.items())
    return f"{parts} (weight {numbers.figure(r.weight)})"


def knocked_out(rec: Any) -> set[str]:
    return {fw for k in rec.knockouts for fw in k.frameworks}


def criteria_rows(rec: Any) -> list[dict[str, Any]]:
    """The criteria that carry weight, heaviest first."""
    rows = [
        {"label": c.label, "weight": c.weight, "scores": c.scores, "rules": c.rules}
        for c in rec.criteria
        if c.weight > 0
    ]
    return sorted(rows, key=lambda row: -row["weight"])


def what_if_groups(rec: Any) -> list[tuple[str, list[Any]]]:
    titles = {
        "choice": "Choices you can still make",
        "fact": "If these facts were different",
        "measurement": "If the measurements came out differently",
    }
    return [
        (titles[g], [w for w in rec.what_would_change if w.group == g])
        for g in ("choice", "fact", "measurement")
    ]


def fmt_totals(totals: dict[str, float]) -> str:
    """``PyTorch 20.7 vs TensorFlow 3 points``."""
    text = " vs ".join(f"{LABEL(fw)} {numbers.points(v, unit=False)}" for fw, v in totals.items())
    return f"{text} points"


def fmt_value(value: Any) -> str:
    """An evidence value or answer in the one number style (``12,207``, never ``1.22e+04``)."""
    return numbers.figure(value)


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


_IDENTITY = set(IDENTITY) | {"comparable", "comparable_reason"}  # what a failed run keeps


def trial_rows(trials: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per trial result, with None where a value was not measured."""
    rows = []
    for t in trials:
        if t.get("status") != "ok":  # a failed run's partial numbers are not measurements
            t = {k: v for k, v in t.items() if k in _IDENTITY}
        sps: dict[str, Any] = (
            t["samples_per_second"] if isinstance(t.get("samples_per_second"), dict) else {}
        )
        rows.append(
            {
                "id": canonical_id(t),
                "framework_id": str(t.get("framework")),
                "framework": LABEL(str(t.get("framework"))),
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
                "peak_rss_bytes": _num(t.get("peak_rss_bytes")),
                "checksums_equal": t.get("checksums_equal"),
                "scaling_efficiency": _num(t.get("scaling_efficiency")),
                "data_source": t.get("data_source") or "",
                "steps": t.get("steps"),
                "batch_size": t.get("batch_size"),
                "seed": t.get("seed"),
                "command": t.get("command") or "",
                "busy_warning": t.get("busy_warning") or "",
                # None: nothing measured to compare; False: timings shown dimmed with why
                "comparable": (
                    bool(t.get("comparable", False)) if t.get("status") == "ok" else None
                ),
                "comparable_reason": t.get("comparable_reason")
                or (NOT_ASSESSED if t.get("status") == "ok" and "comparable" not in t else ""),
                "sps_ci": (sps.get("ci95") if isinstance(sps.get("ci95"), list) else None),
            }
        )
    return rows


def trial_label(row: Mapping[str, Any]) -> str:
    """A trial row's name for people: ``PyTorch · 1 process``, ``JAX · 2 processes``."""
    size = row.get("world_size")
    return numbers.trial_name(str(row["id"]), world_size=size if isinstance(size, int) else None)


def num(value: float | None, spec: str = ".1f", unit: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{unit}"


def not_comparable(row: dict[str, Any]) -> str | None:
    """Why a row's timings must not be read as plain numbers, or None when they may."""
    return row["comparable_reason"] or "no reason recorded" if row["comparable"] is False else None
