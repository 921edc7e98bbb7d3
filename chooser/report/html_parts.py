"""The pieces the HTML report is built from: inline CSS, escaping, tables, the SVG charts
with their legend, and the criteria and knock-out sections."""

from __future__ import annotations

from html import escape
from typing import Any

from chooser.core.registry import colour
from chooser.decide.recommendation import LABELS
from chooser.report.model import Report
from chooser.report.summary import (
    criteria_rows,
    not_comparable,
    num,
    trial_rows,
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


def esc(value: object) -> str:
    return escape(str(value))


def table(
    headers: list[str],
    rows: list[list[str]],
    numeric: frozenset[int] = frozenset(),
    css_class: str = "",
) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
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


def charts(report: Report) -> str:
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
            + f'<p class="muted">No trials were run (suite: {esc(report.inputs.trials_suite)}).</p>'
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


def timing(row: dict[str, Any], text: str) -> str:
    """A timing cell: dimmed, with the reason, when the figure is not comparable."""
    why = not_comparable(row)
    if not why or text in ("—", "—–—"):
        return esc(text)
    return (
        f'<span class="dim" title="{esc(why)}">{esc(text)}</span><br>'
        f'<span class="muted">not comparable: {esc(why)}</span>'
    )


def criteria_table(rec: Any) -> str:
    frameworks = list(rec.totals)
    rows = [
        [
            esc(row["label"]),
            esc(f"{row['weight']:g}"),
            *[esc(f"{row['scores'][fw]:.2g}") for fw in frameworks],
            " ".join(f"<code>{esc(r)}</code>" for r in row["rules"]),
        ]
        for row in criteria_rows(rec)
    ]
    if not rows:
        return (
            '<p class="muted">No criterion carries weight: nothing you answered separates them.</p>'
        )
    return table(
        ["Criterion", "Weight", *[LABELS[fw] for fw in frameworks], "Rules"],
        rows,
        numeric=frozenset(range(1, len(frameworks) + 2)),
        css_class="criteria",
    )


def knockouts(rec: Any) -> str:
    if not rec.knockouts:
        return ""
    items = "".join(
        f"<li><code>{esc(k.rule_id)}</code> knocks out "
        f"{esc(', '.join(LABELS[fw] for fw in k.frameworks))}: {esc(k.reason)}</li>"
        for k in rec.knockouts
    )
    return f"<h2>Hard requirements (knock-outs)</h2><ul>{items}</ul>"
