"""The self-contained HTML report: inline CSS and inline SVG, no scripts, no network."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from chooser.core.frameworks import colour
from chooser.decide.recommendation import LABELS
from chooser.report.model import Report
from chooser.report.summary import (
    criteria_rows,
    fmt_scores,
    fmt_totals,
    fmt_value,
    knocked_out,
    not_comparable,
    num,
    title,
    trial_rows,
    verdict_line,
    what_if_groups,
)
from chooser.report.svg import Bar, bar_chart

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:980px;
padding:24px;color:#1b1f23;background:#fff}
h1{font-size:1.6em;margin:0 0 8px}h2{margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
.verdict{font-size:1.25em;font-weight:600;padding:12px 16px;border-radius:8px;background:#f3f6fa}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:.92em}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f8fa}table.rules td:nth-child(-n+2){white-space:nowrap}
table.rules td:nth-child(4){font-size:.9em}td.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88em}
pre{background:#f6f8fa;padding:12px;overflow:auto;max-height:400px}
svg text{font:13px system-ui,sans-serif;fill:#1b1f23}svg .note{fill:#777;font-style:italic}
svg .whisker{stroke:#1b1f23;stroke-width:2}.muted{color:#666}.dim{opacity:.45}.warn{color:#b00020}
@media (prefers-color-scheme:dark){body{background:#111;color:#e6e6e6}
th{background:#222}th,td{border-color:#444}pre,.verdict{background:#1c1f24}
svg text{fill:#e6e6e6}svg .whisker{stroke:#e6e6e6}}
"""


def _e(value: object) -> str:
    return escape(str(value))


def _table(
    headers: list[str],
    rows: list[list[str]],
    numeric: frozenset[int] = frozenset(),
    css_class: str = "",
) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _charts(report: Report) -> str:
    rec = report.recommendation
    scores = bar_chart(
        f"Weighted points (of {rec.stake:.3g} at stake)",
        [
            Bar(LABELS[fw], rec.totals[fw], f"{rec.totals[fw]:.3g} points", colour(fw))
            for fw in rec.totals
        ],
        max_value=max(rec.stake, 1e-9),
        css_class="chart scores",
    )
    rows = trial_rows(report.trials)
    if not rows:
        return (
            scores
            + f'<p class="muted">No trials were run (suite: {_e(report.inputs.trials_suite)}).</p>'
        )

    def color(row: dict[str, Any]) -> str:
        return colour(row["framework_id"])

    def note(row: dict[str, Any]) -> str:
        return f"{row['status']}: not measured"

    throughput = bar_chart(
        "Training throughput (samples/s, median; line: min–max)",
        [
            Bar(
                r["id"],
                r["sps_median"],
                (
                    f"{num(r['sps_median'], '.0f')} samples/s"
                    + (" (not comparable)" if not_comparable(r) else "")
                )
                if r["sps_median"] is not None
                else note(r),
                "#bbbbbb" if not_comparable(r) else color(r),
                r["sps_min"],
                r["sps_max"],
            )
            for r in rows
        ],
        css_class="chart throughput",
    )
    accuracy = bar_chart(
        "Held-out test accuracy",
        [
            Bar(
                r["id"],
                None if r["accuracy"] is None else r["accuracy"] * 100,
                f"{r['accuracy'] * 100:.2f} %" if r["accuracy"] is not None else note(r),
                color(r),
            )
            for r in rows
        ],
        max_value=100.0,
        css_class="chart accuracy",
    )
    return (
        scores
        + "<h3>Throughput per trial</h3>"
        + throughput
        + "<h3>Accuracy per trial</h3>"
        + accuracy
    )


def _timing(row: dict[str, Any], text: str) -> str:
    """A timing cell: dimmed, with the reason, when the figure is not comparable."""
    why = not_comparable(row)
    if not why or text in ("—", "—–—"):
        return _e(text)
    return (
        f'<span class="dim" title="{_e(why)}">{_e(text)}</span><br>'
        f'<span class="muted">not comparable: {_e(why)}</span>'
    )


def render_html(report: Report) -> str:
    rec = report.recommendation
    fired = [
        [
            f"<code>{_e(r.id)}</code>",
            _e(r.criterion or "—"),
            _e(fmt_scores(r)),
            _e(r.reason),
            "<br>".join(
                f"<code>{_e(k)}</code> = {_e(fmt_value(v))}" for k, v in r.evidence.items()
            ),
            f'<span class="muted">{_e(r.source)}</span>',
            _e(r.checked),
        ]
        for r in rec.fired
    ]
    changes = (
        "".join(
            f"<h3>{_e(heading)}</h3><ul>"
            + "".join(
                f"<li>{' <b>and</b> '.join(_e(c.description) for c in w.changes)} → "
                f"{_e(LABELS[w.verdict])} ({_e(fmt_totals(w.totals))})</li>"
                for w in items
            )
            + "</ul>"
            for heading, items in what_if_groups(rec)
            if items
        )
        or "<ul><li>Nothing found within the search.</li></ul>"
    )
    needs = "".join(
        f"<li><code>{_e(n.rule_id)}</code>: {_e(n.detail)} (can move the totals by "
        f"up to {n.max_points:g}{'; could change the verdict' if n.could_flip else ''})"
        "</li>"
        for n in rec.needs_trials
    )
    skipped = "".join(f"<li><code>{_e(r.id)}</code>: {_e(r.detail)}</li>" for r in rec.skipped)
    trial_table = (
        _table(
            [
                "Trial",
                "Status",
                "Ranks",
                "Device",
                "Samples/s median",
                "min–max",
                "Test accuracy",
                "First step",
                "Wall",
                "Peak RSS",
                "Checksums equal",
                "Data",
                "Command",
            ],
            [
                [
                    f"<code>{_e(t['id'])}</code>",
                    _e(t["status"] + (f": {t['message']}" if t["message"] else ""))
                    + (
                        f'<br><span class="warn">{_e(t["busy_warning"])}</span>'
                        if t["busy_warning"] and not not_comparable(t)
                        else ""
                    ),
                    _e(t["world_size"] or "—"),
                    _e(t["device"] or "—"),
                    _timing(t, num(t["sps_median"], ".0f")),
                    _timing(t, f"{num(t['sps_min'], '.0f')}–{num(t['sps_max'], '.0f')}"),
                    _e(
                        num(t["accuracy"] * 100 if t["accuracy"] is not None else None, ".2f", " %")
                    ),
                    _timing(t, num(t["first_step_s"], ".2f", " s")),
                    _e(num(t["wall_s"], ".1f", " s")),
                    _e(num(t["peak_rss_mb"], ".0f", " MB")),
                    _e(
                        fmt_value(t["checksums_equal"]) if t["checksums_equal"] is not None else "—"
                    ),
                    _e(t["data_source"] or "—"),
                    f"<code>{_e(t['command'])}</code>",
                ]
                for t in trial_rows(report.trials)
            ],
            numeric=frozenset({2, 4, 6, 7, 8, 9}),
        )
        if report.trials
        else ""
    )
    answers = _table(
        ["Question", "Answer", "From"],
        [
            [_e(a.text), _e(a.shown), _e(a.origin)]
            for a in report.inputs.answers
            if a.origin != "hidden"
        ],
    )
    versions = _table(
        ["", ""], [[_e(k), _e(v if v is not None else "—")] for k, v in report.versions.items()]
    )
    provenance = _table(
        ["", ""],
        [
            ["command", f"<code>{_e(' '.join(report.command_line))}</code>"],
            ["answers", _e(report.inputs.answers_source)],
            ["questions", _e(", ".join(report.inputs.questions_sources))],
            ["rules", _e(report.inputs.rules_source)],
            ["schema_version", _e(report.schema_version)],
            *[[_e(k), _e(v)] for k, v in report.timestamps.items()],
        ],
    )
    return "".join(
        [
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width,initial-scale=1">',
            "<title>chooser report: ",
            _e(LABELS[rec.verdict]),
            "</title><style>",
            CSS,
            "</style></head><body>",
            f"<h1>{_e(title(rec))}</h1>",
            f'<p class="verdict {_e(rec.verdict)}" id="verdict" style="border-left:6px solid '
            f'{colour(rec.verdict)}">{_e(verdict_line(rec))}</p>',
            f'<p>Confidence: <b id="confidence">{_e(rec.confidence.level)}</b> '
            f"({rec.confidence.value:.2f}) — {_e(rec.confidence.explanation)}. Sensitivity: "
            f"{_e(rec.confidence.sensitivity.method)}.</p>",
            f'<table id="scores"><thead><tr><th>Framework</th><th>Weighted points (of '
            f"{rec.stake:.3g})</th><th>Status</th></tr></thead><tbody>",
            *[
                f'<tr><td>{_e(LABELS[fw])}</td><td class="num" id="score-{_e(fw)}">{v:.3g}</td><td>'
                f"{'knocked out' if fw in knocked_out(rec) else 'standing'}</td></tr>"
                for fw, v in rec.totals.items()
            ],
            "</tbody></table>",
            "<h2>Criteria</h2>",
            _criteria_table(rec),
            _knockouts(rec),
            "<h2>Charts</h2>",
            _charts(report),
            "<h2>Why</h2>",
            _table(
                ["Rule", "Criterion", "Scores", "Reason", "Evidence", "Source", "Checked"],
                fired,
                css_class="rules",
            ),
            (
                f'<p class="muted">Not weighed (every answer they read was left at its default): '
                f"{_e(', '.join(r.id for r in rec.not_weighed))}</p>"
            )
            if rec.not_weighed
            else "",
            f"<h2>Needs trials</h2><ul>{needs}</ul>" if needs else "",
            f"<h2>Rules not evaluated</h2><ul>{skipped}</ul>" if skipped else "",
            f"<h2>What would change the verdict</h2>{changes}",
            f'<p class="muted">{_e(rec.what_would_change_note)}</p>',
            "<h2>Trials</h2>",
            trial_table
            or f'<p class="muted">No trials were run (suite: '
            f"{_e(report.inputs.trials_suite)}).</p>",
            "<h2>Answers</h2>",
            answers,
            "<h2>Versions</h2>",
            versions,
            "<h2>Provenance</h2>",
            provenance,
            "<details><summary>Probe JSON</summary><pre>",
            _e(json.dumps(report.probe, indent=2, sort_keys=True)),
            "</pre></details>",
            "</body></html>\n",
        ]
    )


def _criteria_table(rec: Any) -> str:
    frameworks = list(rec.totals)
    rows = [
        [
            _e(row["label"]),
            _e(f"{row['weight']:g}"),
            *[_e(f"{row['scores'][fw]:.2g}") for fw in frameworks],
            " ".join(f"<code>{_e(r)}</code>" for r in row["rules"]),
        ]
        for row in criteria_rows(rec)
    ]
    if not rows:
        return (
            '<p class="muted">No criterion carries weight: nothing you answered separates them.</p>'
        )
    return _table(
        ["Criterion", "Weight", *[LABELS[fw] for fw in frameworks], "Rules"],
        rows,
        numeric=frozenset(range(1, len(frameworks) + 2)),
        css_class="criteria",
    )


def _knockouts(rec: Any) -> str:
    if not rec.knockouts:
        return ""
    items = "".join(
        f"<li><code>{_e(k.rule_id)}</code> knocks out "
        f"{_e(', '.join(LABELS[fw] for fw in k.frameworks))}: {_e(k.reason)}</li>"
        for k in rec.knockouts
    )
    return f"<h2>Hard requirements (knock-outs)</h2><ul>{items}</ul>"
