"""Terminal rendering of a recommendation and its trials (rich), for the CLI: the outcome,
the criteria that score every framework, knock-outs, confidence and what would change it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from chooser.core.registry import colour, known
from chooser.decide.recommendation import LABELS, Recommendation
from chooser.report.summary import (
    criteria_rows,
    fmt_scores,
    fmt_totals,
    fmt_value,
    knocked_out,
    not_comparable,
    num,
    trial_rows,
    verdict_line,
    what_if_groups,
)

SHOWN = 4  # what-would-change entries per group on the terminal; the reports list them all


def style(framework_id: str) -> str:
    """Bold in the framework's registry colour; an outcome (either, none) is plain bold."""
    return f"bold {colour(framework_id)}" if known(framework_id) else "bold"


def recommendation_panel(rec: Recommendation) -> Panel:
    scores = Table.grid(padding=(0, 2))
    top = max(rec.stake, 1e-9)
    out = knocked_out(rec)
    for fw, total in rec.totals.items():
        bar = "█" * round(30 * max(total, 0) / top)
        scores.add_row(
            LABELS[fw],
            Text(bar, style=style(fw)),
            f"{total:.3g} of {rec.stake:.3g}" + (" (knocked out)" if fw in out else ""),
        )
    conf = rec.confidence
    body = Group(
        Text(verdict_line(rec), style=style(rec.verdict)),
        scores,
        Text(f"Confidence {conf.level} ({conf.value:.2f}): {conf.explanation}", style="dim"),
    )
    return Panel(body, title="Recommendation", expand=False)


def criteria_table(rec: Recommendation) -> Table:
    """Every criterion that carries weight, with every framework's score on it."""
    table = Table(title="Criteria (weight × score per framework)")
    table.add_column("Criterion")
    table.add_column("Weight", justify="right")
    for fw in rec.totals:
        table.add_column(LABELS[fw], justify="right")
    for row in criteria_rows(rec):
        table.add_row(
            row["label"], f"{row['weight']:g}", *[f"{row['scores'][fw]:.2g}" for fw in rec.totals]
        )
    if not table.row_count:
        table.add_row("(none: nothing you answered separates them)", "", *["" for _ in rec.totals])
    return table


def fired_table(rec: Recommendation) -> Table:
    """Scores, then rule id, reason, evidence and the month the fact was checked, in one
    cell: readable in 80 columns. Sources are in the exported reports."""
    table = Table(title="Why (rules that fired)", show_lines=True, expand=True)
    table.add_column("Scores", ratio=1)
    table.add_column("Rule, reason and evidence", ratio=3)
    for r in rec.fired:
        cell = Text(r.id, style="bold")
        cell.append(f" ({r.criterion or 'note'}, checked {r.checked})", style="dim")
        cell.append(f"\n{r.reason}")
        for key, value in r.evidence.items():
            cell.append(f"\n{key} = {fmt_value(value)}", style="dim")
        table.add_row(Text(fmt_scores(r)), cell)
    return table


def trials_table(trials: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(title="Trials (measured on this machine)")
    table.add_column("Trial", no_wrap=True)
    for col in ("Status", "Ranks", "Samples/s", "Test acc.", "1st step", "Same params"):
        table.add_column(col, justify="left" if col in ("Status", "Same params") else "right")
    for t in trial_rows(trials):
        dim = "dim" if not_comparable(t) else ""  # reasons are printed under the table
        table.add_row(
            Text(t["id"]),
            Text(t["status"]),
            str(t["world_size"] or "—"),
            Text(num(t["sps_median"], ".0f") + (" (not comparable)" if dim else ""), style=dim),
            num(t["accuracy"] * 100 if t["accuracy"] is not None else None, ".2f", " %"),
            Text(num(t["first_step_s"], ".2f", " s"), style=dim),
            fmt_value(t["checksums_equal"]) if t["checksums_equal"] is not None else "—",
        )
    return table


def print_recommendation(
    console: Console, rec: Recommendation, trials: Sequence[Mapping[str, Any]]
) -> None:
    if trials:
        console.print(trials_table(trials))
        for t in trial_rows(trials):
            if not_comparable(t):
                console.print(
                    Text(f"  {t['id']} not comparable: {not_comparable(t)}", style="yellow")
                )
            elif t["message"] or t["busy_warning"]:
                console.print(
                    Text(f"  {t['id']}: {t['message'] or t['busy_warning']}", style="yellow")
                )
    console.print(fired_table(rec))
    if rec.not_weighed:
        console.print(
            Text(
                "Not weighed (answers left at their default): "
                + ", ".join(r.id for r in rec.not_weighed),
                style="dim",
            )
        )
    console.print(criteria_table(rec))
    for k in rec.knockouts:
        console.print(
            Text.assemble(
                ("knock-out ", "bold yellow"),
                (k.rule_id, "yellow"),
                f": {', '.join(LABELS[fw] for fw in k.frameworks)} out — {k.reason}",
            )
        )
    for n in rec.needs_trials:
        flip = "; could change the verdict" if n.could_flip else ""
        console.print(
            Text.assemble(
                ("rule ", "yellow"),
                (n.rule_id, "yellow"),
                f" {n.detail} (can move the totals by up to {n.max_points:g}{flip})",
            )
        )
    for r in rec.skipped:
        console.print(Text.assemble(("not evaluated ", "yellow"), f"{r.id}: {r.detail}"))
    console.print(Text("What would change the verdict", style="bold"))
    for heading, items in what_if_groups(rec):
        if not items:
            continue
        console.print(Text(f"  {heading}:", style="bold"))
        for w in items[:SHOWN]:
            console.print(
                Text(
                    f"  • {' and '.join(c.description for c in w.changes)} → "
                    f"{LABELS[w.verdict]} ({fmt_totals(w.totals)})"
                )
            )
        if len(items) > SHOWN:
            console.print(Text(f"  … {len(items) - SHOWN} more in the reports", style="dim"))
    if not rec.what_would_change:
        console.print("  • nothing found within the search")
    if rec.what_would_change_note:
        console.print(Text(f"  {rec.what_would_change_note}", style="dim"))
    console.print(recommendation_panel(rec))
