"""Trial results as a table that fits its width, for the app's Trials tab and the CLI:
trials named for people, one number style (chooser.core.numbers), numbers that never
wrap; the columns that do not fit are a line under the table (issue 12)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group
from rich.text import Text

from chooser.core import numbers
from chooser.report.summary import not_comparable, trial_label, trial_rows
from chooser.views.fit import ByWidth, Column, fitted


def speed(row: Mapping[str, Any]) -> Text:
    """``12.9k samples/s (±0.6k)``; dimmed with "not comparable" under it when it is not."""
    ci = row.get("sps_ci") or [None, None]
    text = Text(numbers.interval(row["sps_median"], ci[0], ci[1]))
    if not_comparable(dict(row)):
        text.stylize("dim")
        text.append("\nnot comparable", style="dim")
    return text


def _in_sync(row: Mapping[str, Any]) -> str:
    return {True: "yes", False: "NO"}.get(row["checksums_equal"], numbers.MISSING)


def _columns(rows: list[dict[str, Any]]) -> list[Column]:
    first = [Text(numbers.seconds(r["first_step_s"])) for r in rows]
    for r, cell in zip(rows, first):
        if not_comparable(r):
            cell.stylize("dim")
    return [
        Column("Trial", [trial_label(r) for r in rows], nowrap=True, keep=True),
        Column("Status", [r["status"] for r in rows], keep=True),
        Column("Speed", [speed(r) for r in rows], numeric=True, keep=True),
        Column("Test acc.", [numbers.percent(r["accuracy"], 2) for r in rows], numeric=True),
        Column("First step", first, numeric=True),
        Column("Wall", [numbers.seconds(r["wall_s"]) for r in rows], numeric=True),
        Column("Peak RSS", [numbers.size(r["peak_rss_bytes"]) for r in rows], numeric=True),
        Column("In sync", [_in_sync(r) for r in rows]),
    ]


def _notes(rows: list[dict[str, Any]], left_out: list[Column], provenance: bool) -> list[Text]:
    notes = []
    for i, r in enumerate(rows):
        name = trial_label(r)
        details = []
        if left_out and r["status"] == "ok":
            shown = [(c.header, as_plain(c.cells[i])) for c in left_out]
            figures = " · ".join(f"{h} {v}" for h, v in shown if v != numbers.MISSING)
            details += [figures] if figures else []
        if provenance and r["status"] == "ok" and r["data_source"]:
            details.append(
                f"{numbers.count(r['steps'])} steps × batch {r['batch_size']}, "
                f"seed {r['seed']}, {r['data_source']}"
                + (f"; {r['command']}" if r["command"] else "")
            )
        if details:
            notes.append(Text(f"• {name}: " + "; ".join(details), style="dim"))
        if r["status"] != "ok":
            notes.append(Text(f"• {name}: {r['message'] or r['status']}", style="red"))
        elif not_comparable(r):
            notes.append(Text(f"• {name} not comparable: {not_comparable(r)}", style="yellow"))
        elif r["busy_warning"]:
            notes.append(Text(f"• {name}: {r['busy_warning']}", style="yellow"))
    return notes


def as_plain(cell: Any) -> str:
    return cell.plain.replace("\n", " ") if isinstance(cell, Text) else str(cell)


def results_table(
    trials: Sequence[Mapping[str, Any]],
    title: str = "Trial results (measured in this session)",
    provenance: bool = True,
) -> ByWidth:
    """The table for whatever width it is drawn at, with its notes under it."""
    rows = trial_rows(trials)

    def build(width: int) -> Group:
        table, left_out = fitted(_columns(rows), width, title=title)
        return Group(table, *_notes(rows, left_out, provenance))

    return ByWidth(build)
