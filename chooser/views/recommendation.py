"""Terminal rendering of a recommendation and its trials (rich), for the CLI."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from chooser.decide.recommendation import LABELS, Recommendation
from chooser.report.summary import (fmt_points, fmt_value, not_comparable, num, trial_rows,
                                    verdict_line)

SHOWN = 4  # what-would-change entries on the terminal; the reports list them all
STYLE = {"torch": "bold red", "tensorflow": "bold dark_orange", "tie": "bold"}


def recommendation_panel(rec: Recommendation) -> Panel:
    scores = Table.grid(padding=(0, 2))
    top = max(max(rec.totals.values()), 1.0)
    for fw in ("torch", "tensorflow"):
        bar = "█" * round(30 * max(rec.totals[fw], 0) / top)
        scores.add_row(LABELS[fw], Text(bar, style=STYLE[fw]), f"{rec.totals[fw]:g}")
    body = Group(Text(verdict_line(rec), style=STYLE[rec.verdict]), scores,
                 Text(f"Confidence {rec.confidence.level}: {rec.confidence.explanation}",
                      style="dim"))
    return Panel(body, title="Recommendation", expand=False)


def fired_table(rec: Recommendation) -> Table:
    """Points, then rule id, reason and evidence in one cell: readable in 80 columns.
    Sources are in the exported reports."""
    table = Table(title="Why (rules that fired)", show_lines=True, expand=True)
    table.add_column("Points", no_wrap=True)
    table.add_column("Rule, reason and evidence", ratio=1)
    for r in rec.fired:
        cell = Text(r.id, style="bold")
        cell.append(f"\n{r.reason}")
        for key, value in r.evidence.items():
            cell.append(f"\n{key} = {fmt_value(value)}", style="dim")
        table.add_row(Text(fmt_points(r.points)), cell)
    return table


def trials_table(trials: list[dict]) -> Table:
    table = Table(title="Trials (measured on this machine)")
    table.add_column("Trial", no_wrap=True)
    for col, justify in (("Status", "left"), ("Ranks", "right"), ("Samples/s", "right"),
                         ("Test acc.", "right"), ("1st step", "right"), ("Same params", "left")):
        table.add_column(col, justify=justify)
    for t in trial_rows(trials):
        dim = "dim" if not_comparable(t) else ""  # reasons are printed under the table
        table.add_row(Text(t["id"]), Text(t["status"]), str(t["world_size"] or "—"),
                      Text(num(t["sps_median"], ".0f") + (" (not comparable)" if dim else ""),
                           style=dim),
                      num(t["accuracy"] * 100 if t["accuracy"] is not None else None, ".2f", " %"),
                      Text(num(t["first_step_s"], ".2f", " s"), style=dim),
                      fmt_value(t["checksums_equal"]) if t["checksums_equal"] is not None else "—")
    return table


def print_recommendation(console: Console, rec: Recommendation, trials: list[dict]) -> None:
    if trials:
        console.print(trials_table(trials))
        for t in trial_rows(trials):
            if not_comparable(t):
                console.print(Text(f"  {t['id']} not comparable: {not_comparable(t)}",
                                   style="yellow"))
            elif t["message"] or t["busy_warning"]:
                console.print(Text(f"  {t['id']}: {t['message'] or t['busy_warning']}",
                                   style="yellow"))
    console.print(fired_table(rec))
    for n in rec.needs_trials:
        flip = "; could change the verdict" if n.could_flip else ""
        console.print(Text.assemble(("rule ", "yellow"), (n.rule_id, "yellow"),
                                    f" {n.detail} (up to {n.max_points:g} points{flip})"))
    for r in rec.skipped:
        console.print(Text.assemble(("not evaluated ", "yellow"), f"{r.id}: {r.detail}"))
    console.print(Text("What would change the verdict", style="bold"))
    for w in rec.what_would_change[:SHOWN]:
        console.print(Text(f"  • {' and '.join(c.description for c in w.changes)} → "
                           f"{LABELS[w.verdict]} ({w.totals['torch']:g} vs "
                           f"{w.totals['tensorflow']:g})"))
    if len(rec.what_would_change) > SHOWN:
        console.print(Text(f"  … {len(rec.what_would_change) - SHOWN} more in the reports",
                           style="dim"))
    if not rec.what_would_change:
        console.print("  • nothing found within the search")
    if rec.what_would_change_note:
        console.print(Text(f"  {rec.what_would_change_note}", style="dim"))
    console.print(recommendation_panel(rec))
