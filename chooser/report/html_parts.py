"""What the HTML templates show, computed from the JSON report dict: trial rows named for
people with every figure in the one number style (chooser.core.numbers), the charts'
bars, the framework fills (colour plus a pattern), and sources turned into links."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from chooser.core import numbers
from chooser.core.figures import NOT_ASSESSED
from chooser.core.registry import colour
from chooser.decide.criteria import label
from chooser.report.svg import Bar, Chart, layout
from probes.result import IDENTITY

# The cue besides colour, by the framework's place in the report: solid, stripes, dots,
# cross-hatch, then again. The legend shows each one beside the framework's name.
PATTERNS = ("solid", "stripes", "dots", "crosshatch")
DIM = "#9a9a9a"  # a figure that is not comparable: grey, whatever the framework
_URL = re.compile(r"https?://[^\s<>\"']+")
_KEEP = set(IDENTITY) | {"comparable", "comparable_reason"}  # what a failed run keeps


def linkify(text: Any) -> Markup:
    """``text`` escaped, every http(s) URL in it a link (the report loads nothing itself)."""
    text = "" if text is None else str(text)
    out, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:)")  # a sentence's punctuation is not the URL's
        start, end = match.start(), match.start() + len(url)
        out.append(escape(text[last:start]))
        out.append(Markup('<a href="{0}" rel="noreferrer">{0}</a>').format(url))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def fills(framework_ids: Sequence[str]) -> list[dict[str, str]]:
    """One fill per framework (``fw0``, ``fw1`` …): its registry colour and a pattern."""
    return [
        {
            "id": f"fw{i}",
            "framework": fw,
            "label": label(fw),
            "colour": colour(fw),
            "pattern": PATTERNS[i % len(PATTERNS)],
        }
        for i, fw in enumerate(framework_ids)
    ]


def _num(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok else None


def _yes_no(value: Any) -> str:
    return "yes" if value is True else "no" if value is False else numbers.MISSING


def trial_view(trial: Mapping[str, Any]) -> dict[str, Any]:
    """One trial as the report shows it; a failed run's partial numbers are not shown."""
    ok = trial.get("status") == "ok"
    t = trial if ok else {k: v for k, v in trial.items() if k in _KEEP}
    sps: Mapping[str, Any] = t.get("samples_per_second") or {}
    ci = sps.get("ci95") if isinstance(sps.get("ci95"), list) else None
    reason = t.get("comparable_reason") or (NOT_ASSESSED if ok and "comparable" not in t else "")
    low, high = _num(sps.get("min")), _num(sps.get("max"))
    peak = _num(t.get("peak_rss_bytes"))
    return {
        "id": str(t.get("id", "")),
        "name": numbers.trial_name(dict(t)),
        "framework": str(t.get("framework")),
        "status": str(t.get("status", "?")),
        "message": t.get("message") or "",
        "ok": ok,
        "not_comparable": (reason or "no reason recorded")
        if ok and not t.get("comparable")
        else "",
        "busy_warning": t.get("busy_warning") or "",
        "median": _num(sps.get("median")),
        "low": low,
        "high": high,
        "ci": [_num(ci[0]), _num(ci[1])] if ci and len(ci) == 2 else None,
        "throughput": numbers.interval(sps.get("median"), *(ci or (None, None))),
        "windows": (
            f"{numbers.count(low)}–{numbers.count(high)} samples/s"
            if low is not None and high is not None
            else numbers.MISSING
        ),
        "method": sps.get("method") or "",
        "interval_method": sps.get("interval_method") or "",
        "accuracy": _num(t.get("test_accuracy")),
        "accuracy_text": numbers.percent(t.get("test_accuracy")),
        "first_step": numbers.seconds(t.get("time_to_first_step_s")),
        "wall": numbers.seconds(t.get("wall_time_s")),
        "peak_rss": numbers.size(peak),
        "ranks": numbers.count(t.get("world_size")),
        "device": t.get("device") or numbers.MISSING,
        "checksums_equal": _yes_no(t.get("checksums_equal")),
        "data_source": t.get("data_source") or numbers.MISSING,
        "steps": numbers.count(t.get("steps")),
        "batch_size": numbers.count(t.get("batch_size")),
        "seed": t.get("seed", numbers.MISSING),
        "command": t.get("command") or "",
    }


def _fill_of(fill_ids: Mapping[str, str], framework: str) -> str:
    return fill_ids.get(framework, "")


def charts(
    report: Mapping[str, Any], trials: list[dict[str, Any]], fill_list: list[dict[str, str]]
) -> dict[str, Chart]:
    """The three charts: weighted points of the stake, samples/s and test accuracy."""
    rec = report["recommendation"]
    ids = {f["framework"]: f["id"] for f in fill_list}
    out = {
        "scores": layout(
            f"Weighted points per framework, of {numbers.points(rec['stake'])} at stake",
            [
                Bar(label(fw), v, numbers.points(v), colour(fw), _fill_of(ids, fw))
                for fw, v in rec["totals"].items()
            ],
            max_value=max(float(rec["stake"]), 1e-9),
            css_class="chart scores",
        )
    }
    if not trials:
        return out

    def note(t: dict[str, Any]) -> str:
        return f"{t['status']}: not measured"

    out["throughput"] = layout(
        "Training throughput per trial, samples per second",
        [
            Bar(
                t["name"],
                t["median"],
                (t["throughput"] + (" · not comparable" if t["not_comparable"] else ""))
                if t["median"] is not None
                else note(t),
                DIM if t["not_comparable"] else colour(t["framework"]),
                _fill_of(ids, t["framework"]),
                low=t["low"],
                high=t["high"],
                ci_low=t["ci"][0] if t["ci"] else None,
                ci_high=t["ci"][1] if t["ci"] else None,
                dim=bool(t["not_comparable"]),
            )
            for t in trials
        ],
        css_class="chart throughput",
    )
    out["accuracy"] = layout(
        "Held-out test accuracy per trial",
        [
            Bar(
                t["name"],
                None if t["accuracy"] is None else t["accuracy"] * 100,
                t["accuracy_text"] if t["accuracy"] is not None else note(t),
                colour(t["framework"]),
                _fill_of(ids, t["framework"]),
            )
            for t in trials
        ],
        max_value=100.0,
        css_class="chart accuracy",
    )
    return out
