"""Two reports side by side: verdicts, machines, trials, rules that differ."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from chooser.core import numbers
from chooser.decide.criteria import label
from chooser.decide.machine import machine_facts
from chooser.report.model import Report
from chooser.report.summary import fmt_scores, trial_label, trial_rows


def _machine_rows(report: Report) -> dict[str, str]:
    facts = machine_facts(report.probe)
    cpu = (report.probe or {}).get("cpu") or {}
    return {
        "CPU": str(cpu.get("model") or "—"),
        "usable cores": str(facts["usable_cores"] or numbers.MISSING),
        "memory": numbers.size(_memory_bytes(report.probe)),
        "NVIDIA GPUs": f"{facts['nvidia_gpus']} {', '.join(facts['gpu_names'])}".strip(),
        **{
            fw: str(report.versions.get(fw) or "not available")
            for fw in report.recommendation.totals
        },
        **{
            f"{fw} distributed back-ends": ", ".join(facts.get(f"{fw}_{name}") or []) or "—"
            for fw, name in _backend_facts(report)
        },
        "created": report.timestamps.get("report_created", "—"),
    }


def comparison_tables(reports: tuple[Report, Report], names: tuple[str, str]) -> list[Table]:
    """Four tables with a column per report headed by ``names`` (the CLI passes ``A`` and
    ``B``: a path as a column header would be cut to fit; ``legend`` gives it whole)."""
    a, b = reports
    summary = Table(title="Verdicts")
    summary.add_column("")
    for name in names:
        summary.add_column(name)
    ra, rb = a.recommendation, b.recommendation
    summary.add_row("verdict", ra.outcome, rb.outcome)
    for fw in dict.fromkeys([*ra.totals, *rb.totals]):
        summary.add_row(
            label(fw),
            numbers.points(ra.totals.get(fw, 0)),
            numbers.points(rb.totals.get(fw, 0)),
        )
    summary.add_row(
        "margin",
        f"{numbers.points(ra.margin)} of {numbers.points(ra.stake, unit=False)}",
        f"{numbers.points(rb.margin)} of {numbers.points(rb.stake, unit=False)}",
    )
    summary.add_row("confidence", ra.confidence.level, rb.confidence.level)
    summary.add_row("answers from", a.inputs.answers_source, b.inputs.answers_source)
    summary.add_row("trials suite", a.inputs.trials_suite, b.inputs.trials_suite)

    machines = Table(title="Machines")
    machines.add_column("")
    for name in names:
        machines.add_column(name)
    ma, mb = _machine_rows(a), _machine_rows(b)
    for key in ma:
        machines.add_row(key, ma[key], mb[key])

    trials = Table(title="Trials (speed · test accuracy · status)")
    trials.add_column("trial", no_wrap=True)
    for name in names:
        trials.add_column(name)
    rows_a = {t["id"]: t for t in trial_rows(a.trials)}
    rows_b = {t["id"]: t for t in trial_rows(b.trials)}
    for tid in sorted(set(rows_a) | set(rows_b)):
        row = rows_a.get(tid) or rows_b[tid]
        trials.add_row(trial_label(row), _trial_cell(rows_a.get(tid)), _trial_cell(rows_b.get(tid)))

    rules = Table(title="Rules that fired in one report but not the other, or with other scores")
    rules.add_column("rule")
    for name in names:
        rules.add_column(name)
    fa = {r.id: r for r in ra.fired}
    fb = {r.id: r for r in rb.fired}
    for rid in sorted(set(fa) | set(fb)):
        pa = fmt_scores(fa[rid]) if rid in fa else "—"
        pb = fmt_scores(fb[rid]) if rid in fb else "—"
        if pa != pb:
            rules.add_row(rid, pa, pb)
    if not rules.row_count:
        rules.add_row("(none: the same rules fired with the same points)", "", "")
    return [summary, machines, trials, rules]


def legend(paths: tuple[str, str]) -> list[str]:
    """``A: <path>`` and ``B: <path>``, whole, printed before the tables."""
    return [f"{name}: {path}" for name, path in zip(("A", "B"), paths)]


def _memory_bytes(probe: dict[str, Any] | None) -> Any:
    memory = (probe or {}).get("memory") or {}
    return memory.get("usable_bytes") or memory.get("total_bytes")


def _backend_facts(report: Report) -> list[tuple[str, str]]:
    """(framework id, fact name) of each reported framework's distributed back-ends."""
    from chooser.core import frameworks

    return [
        (fw, name)
        for fw in report.recommendation.totals
        if frameworks.known(fw)
        for name, fact in frameworks.get(fw).facts.items()
        if fact.kind == "names" and fact.paths[0] == frameworks.get(fw).backends
    ]


def _trial_cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "not run"
    acc = numbers.percent(row["accuracy"], 2)
    return f"{numbers.rate(row['sps_median'])} · {acc} · {row['status']}"
