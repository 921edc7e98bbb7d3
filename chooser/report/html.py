"""The self-contained HTML report: inline CSS and inline SVG, no scripts, no network."""

from __future__ import annotations

import json

from chooser.core.registry import colour
from chooser.decide.recommendation import LABELS
from chooser.report.html_parts import CSS, charts, criteria_table, esc, knockouts, table, timing
from chooser.report.model import Report
from chooser.report.summary import (
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


def render_html(report: Report) -> str:
    rec = report.recommendation
    fired = [
        [
            f"<code>{esc(r.id)}</code>",
            esc(r.criterion or "—"),
            esc(fmt_scores(r)),
            esc(r.reason),
            "<br>".join(
                f"<code>{esc(k)}</code> = {esc(fmt_value(v))}" for k, v in r.evidence.items()
            ),
            f'<span class="muted">{esc(r.source)}</span>',
            esc(r.checked),
        ]
        for r in rec.fired
    ]
    changes = (
        "".join(
            f"<h3>{esc(heading)}</h3><ul>"
            + "".join(
                f"<li>{' <b>and</b> '.join(esc(c.description) for c in w.changes)} → "
                f"{esc(LABELS[w.verdict])} ({esc(fmt_totals(w.totals))})</li>"
                for w in items
            )
            + "</ul>"
            for heading, items in what_if_groups(rec)
            if items
        )
        or "<ul><li>Nothing found within the search.</li></ul>"
    )
    needs = "".join(
        f"<li><code>{esc(n.rule_id)}</code>: {esc(n.detail)} (can move the totals by "
        f"up to {n.max_points:g}{'; could change the verdict' if n.could_flip else ''})"
        "</li>"
        for n in rec.needs_trials
    )
    skipped = "".join(f"<li><code>{esc(r.id)}</code>: {esc(r.detail)}</li>" for r in rec.skipped)
    trial_table = (
        table(
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
                    f"<code>{esc(t['id'])}</code>",
                    esc(t["status"] + (f": {t['message']}" if t["message"] else ""))
                    + (
                        f'<br><span class="warn">{esc(t["busy_warning"])}</span>'
                        if t["busy_warning"] and not not_comparable(t)
                        else ""
                    ),
                    esc(t["world_size"] or "—"),
                    esc(t["device"] or "—"),
                    timing(t, num(t["sps_median"], ".0f")),
                    timing(t, f"{num(t['sps_min'], '.0f')}–{num(t['sps_max'], '.0f')}"),
                    esc(
                        num(t["accuracy"] * 100 if t["accuracy"] is not None else None, ".2f", " %")
                    ),
                    timing(t, num(t["first_step_s"], ".2f", " s")),
                    esc(num(t["wall_s"], ".1f", " s")),
                    esc(num(t["peak_rss_mb"], ".0f", " MB")),
                    esc(
                        fmt_value(t["checksums_equal"]) if t["checksums_equal"] is not None else "—"
                    ),
                    esc(t["data_source"] or "—"),
                    f"<code>{esc(t['command'])}</code>",
                ]
                for t in trial_rows(report.trials)
            ],
            numeric=frozenset({2, 4, 6, 7, 8, 9}),
        )
        if report.trials
        else ""
    )
    answers = table(
        ["Question", "Answer", "From"],
        [
            [esc(a.text), esc(a.shown), esc(a.origin)]
            for a in report.inputs.answers
            if a.origin != "hidden"
        ],
    )
    versions = table(
        ["", ""], [[esc(k), esc(v if v is not None else "—")] for k, v in report.versions.items()]
    )
    provenance = table(
        ["", ""],
        [
            ["command", f"<code>{esc(' '.join(report.command_line))}</code>"],
            ["answers", esc(report.inputs.answers_source)],
            ["questions", esc(", ".join(report.inputs.questions_sources))],
            ["rules", esc(report.inputs.rules_source)],
            ["schema_version", esc(report.schema_version)],
            *[[esc(k), esc(v)] for k, v in report.timestamps.items()],
        ],
    )
    return "".join(
        [
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width,initial-scale=1">',
            "<title>chooser report: ",
            esc(LABELS[rec.verdict]),
            "</title><style>",
            CSS,
            "</style></head><body>",
            f"<h1>{esc(title(rec))}</h1>",
            f'<p class="verdict {esc(rec.verdict)}" id="verdict" style="border-left:6px solid '
            f'{colour(rec.verdict)}">{esc(verdict_line(rec))}</p>',
            f'<p>Confidence: <b id="confidence">{esc(rec.confidence.level)}</b> '
            f"({rec.confidence.value:.2f}) — {esc(rec.confidence.explanation)}. Sensitivity: "
            f"{esc(rec.confidence.sensitivity.method)}.</p>",
            f'<table id="scores"><thead><tr><th>Framework</th><th>Weighted points (of '
            f"{rec.stake:.3g})</th><th>Status</th></tr></thead><tbody>",
            *[
                f'<tr><td>{esc(LABELS[fw])}</td><td class="num" id="score-{esc(fw)}">{v:.3g}</td><td>'
                f"{'knocked out' if fw in knocked_out(rec) else 'standing'}</td></tr>"
                for fw, v in rec.totals.items()
            ],
            "</tbody></table>",
            "<h2>Criteria</h2>",
            criteria_table(rec),
            knockouts(rec),
            "<h2>Charts</h2>",
            charts(report),
            "<h2>Why</h2>",
            table(
                ["Rule", "Criterion", "Scores", "Reason", "Evidence", "Source", "Checked"],
                fired,
                css_class="rules",
            ),
            (
                f'<p class="muted">Not weighed (every answer they read was left at its default): '
                f"{esc(', '.join(r.id for r in rec.not_weighed))}</p>"
            )
            if rec.not_weighed
            else "",
            f"<h2>Needs trials</h2><ul>{needs}</ul>" if needs else "",
            f"<h2>Rules not evaluated</h2><ul>{skipped}</ul>" if skipped else "",
            f"<h2>What would change the verdict</h2>{changes}",
            f'<p class="muted">{esc(rec.what_would_change_note)}</p>',
            "<h2>Trials</h2>",
            trial_table
            or f'<p class="muted">No trials were run (suite: '
            f"{esc(report.inputs.trials_suite)}).</p>",
            "<h2>Answers</h2>",
            answers,
            "<h2>Versions</h2>",
            versions,
            "<h2>Provenance</h2>",
            provenance,
            "<details><summary>Probe JSON</summary><pre>",
            esc(json.dumps(report.probe, indent=2, sort_keys=True)),
            "</pre></details>",
            "</body></html>\n",
        ]
    )
