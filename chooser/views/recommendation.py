"""Terminal rendering of a recommendation and its trials (rich), for the CLI: the outcome,
the criteria that score every framework, knock-outs, confidence and what would change it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from chooser.core import numbers
from chooser.core.registry import colour, known
from chooser.decide.recommendation import LABELS, Recommendation
from chooser.report.summary import (
    criteria_rows,
    fmt_totals,
    knocked_out,
    verdict_line,
    what_if_groups,
)
from chooser.views.fit import ByWidth, Column, fitted
from chooser.views.results import results_table
from chooser.views.rules import rules_table

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
            f"{numbers.points(total)} of {numbers.points(rec.stake, unit=False)}"
            + (" (knocked out)" if fw in out else ""),
        )
    conf = rec.confidence
    body = Group(
        Text(verdict_line(rec), style=style(rec.verdict)),
        scores,
        Text(
            f"Confidence {conf.level} ({numbers.score(conf.value)}): {conf.explanation}",
            style="dim",
        ),
    )
    return Panel(body, title="Recommendation", expand=False)


def criteria_table(rec: Recommendation) -> Any:
    """Every criterion that carries weight, with every framework's score on it."""
    rows = criteria_rows(rec)

    def build(width: int) -> Any:
        columns = [
            Column(
                "Criterion",
                [r["label"] for r in rows] or ["(none: nothing you answered separates them)"],
                keep=True,
                prose=True,
            ),
            Column("Weight", [numbers.figure(r["weight"]) for r in rows], numeric=True, keep=True),
            *[
                Column(
                    LABELS[fw],
                    [numbers.score(r["scores"][fw]) for r in rows],
                    numeric=True,
                    keep=True,
                )
                for fw in rec.totals
            ],
        ]
        table, _ = fitted(columns, width, title="Criteria (weight × score per framework)")
        return table

    return ByWidth(build)


def fired_table(rec: Recommendation) -> Any:
    """Rule, scores, then reason, evidence and the month the fact was checked: the rule
    names whole at any width. Sources are in the exported reports."""
    return rules_table(rec, title="Why (rules that fired)")


def trials_table(trials: Sequence[Mapping[str, Any]]) -> Any:
    return results_table(trials, title="Trials (measured on this machine)", provenance=False)


def print_recommendation(
    console: Console, rec: Recommendation, trials: Sequence[Mapping[str, Any]]
) -> None:
    if trials:
        console.print(trials_table(trials))  # reasons and messages are under the table
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
                f": {n.detail} (can move the totals by up to {numbers.points(n.max_points)}{flip})",
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
