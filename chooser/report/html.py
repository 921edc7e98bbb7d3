"""The self-contained HTML report, rendered from Jinja2 templates (autoescaped) in
``chooser/report/templates``: inline CSS and SVG, no scripts, nothing loaded from
anywhere (a Content-Security-Policy says so to the browser); sources are plain links.

The templates get the JSON report dict as ``report`` (what the JSON export writes), a few
prepared pieces as ``view`` (sentences shared with the Markdown report, trial rows, the
machine, the charts) and the number style of chooser.core.numbers as filters."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jinja2 import BaseLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from chooser.core import numbers
from chooser.core.registry import colour
from chooser.decide.criteria import label
from chooser.report import beyond
from chooser.report.html_machine import framework_builds, machine_rows
from chooser.report.html_parts import charts, fills, linkify, trial_view
from chooser.report.model import Report
from chooser.report.summary import (
    criteria_rows,
    fmt_scores,
    fmt_totals,
    fmt_value,
    knocked_out,
    title,
    verdict_line,
    what_if_groups,
)

FILTERS = {
    "points": numbers.points,
    "count": numbers.count,
    "decimal": numbers.decimal,
    "rate": numbers.rate,
    "interval": numbers.interval,
    "seconds": numbers.seconds,
    "size": numbers.size,
    "percent": numbers.percent,
    "ratio": numbers.ratio,
    "trial_name": numbers.trial_name,
    "label": label,
    "colour": colour,
    "linkify": linkify,
}


def make_environment(loader: BaseLoader | None = None) -> Environment:
    """The report's Jinja2 environment: autoescaped, with the number filters; ``loader``
    defaults to the templates shipped in the package (``chooser/report/templates``)."""
    env = Environment(
        loader=loader or PackageLoader("chooser.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,  # a misspelt name fails the tests, not the reader
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    beyond.register(env)  # what templates/beyond.html.j2 calls
    return env


@cache
def environment() -> Environment:
    return make_environment()


def _view(report: Report, data: dict[str, Any]) -> dict[str, Any]:
    """What the templates cannot read straight from ``report``: sentences shared with the
    Markdown report (chooser.report.summary) and rows computed from the trials and probe."""
    rec = report.recommendation
    trials = [trial_view(t) for t in data["trials"]]
    ids = list(rec.totals) + sorted({t["framework"] for t in trials} - set(rec.totals))
    fill_list = fills(ids)
    criteria_labels = {c.id: c.label for c in rec.criteria}
    return {
        "title": title(rec),
        "verdict_line": verdict_line(rec),
        "knocked_out": knocked_out(rec),
        "criteria": criteria_rows(rec),
        "fired": [
            {
                "rule": r,
                "criterion": criteria_labels.get(r.criterion or "", r.criterion or "—"),
                "scores": fmt_scores(r),
                "evidence": [(k, fmt_value(v)) for k, v in r.evidence.items()],
            }
            for r in rec.fired
        ],
        "what_if": [
            (heading, [(w, fmt_totals(w.totals)) for w in items])
            for heading, items in what_if_groups(rec)
            if items
        ],
        "trials": trials,
        "fills": fill_list,
        "charts": charts(data, trials, fill_list),
        "machine": machine_rows(report.probe),
        "builds": framework_builds(report.probe),
        "probe_json": json.dumps(report.probe, indent=2, sort_keys=True),
    }


def context(report: Report) -> dict[str, Any]:
    """The templates' context: ``report`` (the JSON export's dict) and ``view``."""
    data = report.model_dump(mode="json")
    return {"report": data, "view": _view(report, data)}


def render_html(report: Report, env: Environment | None = None) -> str:
    return (env or environment()).get_template("report.html.j2").render(context(report))
