"""The Markdown report."""

from __future__ import annotations

import json
from typing import Any

from chooser.core import numbers
from chooser.decide.recommendation import LABELS
from chooser.report import beyond
from chooser.report.model import Report
from chooser.report.summary import (
    criteria_rows,
    fmt_scores,
    fmt_totals,
    fmt_value,
    knocked_out,
    not_comparable,
    title,
    trial_label,
    trial_rows,
    verdict_line,
    what_if_groups,
)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    rec = report.recommendation
    conf = rec.confidence
    out = [
        f"# {title(rec)}",
        "",
        f"**{verdict_line(rec)}**",
        "",
        f"Confidence: **{conf.level}** ({numbers.score(conf.value)}) — {conf.explanation}. "
        f"Sensitivity: {conf.sensitivity.method}.",
        "",
        f"| Framework | Weighted points (of {numbers.points(rec.stake, unit=False)}) | Status |",
        "|---|---:|---|",
    ]
    out_fw = knocked_out(rec)
    out += [
        f"| {LABELS[fw]} | {numbers.points(v, unit=False)} | "
        f"{'knocked out' if fw in out_fw else 'standing'} |"
        for fw, v in rec.totals.items()
    ]
    out += _decision_sections(rec)
    out += [
        "",
        "## Why",
        "",
        "| Rule | Criterion | Scores | Reason | Evidence | Source | Checked |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rec.fired:
        evidence = "; ".join(f"`{k}` = {fmt_value(v)}" for k, v in r.evidence.items())
        out.append(
            f"| `{r.id}` | {r.criterion or '—'} | {fmt_scores(r)} | {_cell(r.reason)} | "
            f"{_cell(evidence)} | {_cell(r.source)} | {r.checked} |"
        )
    if rec.not_weighed:
        out += [
            "",
            "Not weighed (every answer they read was left at its default): "
            + ", ".join(f"`{r.id}`" for r in rec.not_weighed),
        ]
    if rec.needs_trials:
        out += ["", "## Needs trials", ""]
        out += [
            f"- `{n.rule_id}`: {n.detail} (can move the totals by up to "
            f"{numbers.points(n.max_points)}"
            f"{'; could change the verdict' if n.could_flip else ''})"
            for n in rec.needs_trials
        ]
    if rec.skipped:
        out += ["", "## Rules not evaluated", ""]
        out += [f"- `{r.id}`: {r.detail}" for r in rec.skipped]
    out += ["", "## What would change the verdict", ""]
    for heading, items in what_if_groups(rec):
        if items:
            out += [f"**{heading}:**", ""]
            out += [
                f"- {' **and** '.join(c.description for c in w.changes)} → "
                f"{LABELS[w.verdict]} ({fmt_totals(w.totals)})"
                for w in items
            ]
            out.append("")
    if not rec.what_would_change:
        out.append("- Nothing found within the search.")
    out += ["", f"_{rec.what_would_change_note}_" if rec.what_would_change_note else ""]
    out += ["", "## Trials", ""]
    rows = trial_rows(report.trials)
    if rows:
        out += [
            "| Trial | Status | Ranks | Device | Speed (median, min–max) | Test accuracy "
            "| First step | Wall | Peak RSS | Checksums equal |",
            "|---|---|---:|---|---|---:|---:|---:|---:|---|",
        ]
        for t in rows:
            sps = numbers.rate(t["sps_median"])
            if t["sps_min"] is not None and t["sps_max"] is not None:
                sps += f" ({numbers.count(t['sps_min'])}–{numbers.count(t['sps_max'])})"
            first = numbers.seconds(t["first_step_s"])
            if not_comparable(t):  # never a plain number: dimmed (italic) with the reason
                sps, first = f"_{sps}, not comparable_", f"_{first}, not comparable_"
            acc = numbers.percent(t["accuracy"], 2)
            status = t["status"] + (f": {t['message']}" if t["message"] else "")
            out.append(
                f"| {trial_label(t)} | {_cell(status)} | {t['world_size'] or '–'} | "
                f"{t['device'] or '–'} | {sps} | {acc} | {first}"
                f" | {numbers.seconds(t['wall_s'])} | {numbers.size(t['peak_rss_bytes'])} | "
                f"{fmt_value(t['checksums_equal']) if t['checksums_equal'] is not None else '—'} |"
            )
        out.append("")
        for t in rows:
            out.append(
                f"- {trial_label(t)} (`{t['id']}`): data {t['data_source'] or '–'}; steps "
                f"{numbers.count(t['steps'])}, batch "
                f"{t['batch_size']}, seed {t['seed']}; reproduce with `{t['command']}`"
                + (
                    f"; **not comparable: {_cell(not_comparable(t))}**"
                    if not_comparable(t)
                    else f"; **{t['busy_warning']}**"
                    if t["busy_warning"]
                    else ""
                )
            )
    else:
        out.append(f"No trials were run (suite: {report.inputs.trials_suite}).")
    out += beyond.markdown(beyond.from_report(report))  # issue 13: variants … scaling estimate
    out += [
        "",
        "## Answers",
        "",
        f"From: {report.inputs.answers_source}",
        "",
        "| Question | Answer | From |",
        "|---|---|---|",
    ]
    out += [
        f"| {_cell(a.text)} | {_cell(a.shown)} | {a.origin} |"
        for a in report.inputs.answers
        if a.origin != "hidden"
    ]
    out += ["", "## Machine and versions", ""]
    out += [f"- {k}: {v if v is not None else '—'}" for k, v in report.versions.items()]
    if report.probe:
        cpu = report.probe.get("cpu") or {}
        mem = report.probe.get("memory") or {}
        out.append(f"- CPU: {cpu.get('model', '—')}, usable cores {cpu.get('usable_cores', '—')}")
        if mem.get("total_bytes"):
            out.append(f"- memory: {numbers.size(mem['total_bytes'])}")
        out.append(f"- GPUs: {len(report.probe.get('gpus') or [])}")
    else:
        out.append("- probe: not run")
    out += [
        "",
        "## Provenance",
        "",
        f"- command: `{' '.join(report.command_line)}`",
        f"- questions: {', '.join(report.inputs.questions_sources)}",
        f"- rules: {report.inputs.rules_source}",
        *[f"- {k}: {v}" for k, v in report.timestamps.items()],
        f"- schema_version: {report.schema_version}",
        "",
        "<details><summary>Probe JSON</summary>",
        "",
        "```json",
        json.dumps(report.probe, indent=2, sort_keys=True),
        "```",
        "",
        "</details>",
        "",
    ]
    return "\n".join(out)


def _decision_sections(rec: Any) -> list[str]:
    """Criteria (every framework scored on each), knock-outs and suggestions."""
    frameworks = list(rec.totals)
    out = [
        "",
        "## Criteria",
        "",
        "| Criterion | Weight | " + " | ".join(LABELS[fw] for fw in frameworks) + " | Rules |",
        "|---|---:|" + "---:|" * len(frameworks) + "---|",
    ]
    rows = criteria_rows(rec)
    out += [
        f"| {row['label']} | {numbers.figure(row['weight'])} | "
        + " | ".join(numbers.score(row["scores"][fw]) for fw in frameworks)
        + f" | {', '.join(f'`{r}`' for r in row['rules'])} |"
        for row in rows
    ]
    if not rows:
        out.append(
            "| (no criterion carries weight: nothing you answered separates them) |"
            + " |" * (len(frameworks) + 2)
        )
    if rec.knockouts:
        out += ["", "## Hard requirements (knock-outs)", ""]
        out += [
            f"- `{k.rule_id}` knocks out {', '.join(LABELS[fw] for fw in k.frameworks)}: "
            f"{_cell(k.reason)}"
            for k in rec.knockouts
        ]
    return out
