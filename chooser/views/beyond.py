"""The "Beyond speed" section in the terminal (rich): the rows of chooser/report/beyond.py
as tables, each with its notes (the scaling figures say "estimate" in every cell)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from rich.console import Console, Group
from rich.text import Text

from chooser.report import beyond
from chooser.views.fit import ByWidth, Column, fitted

PROSE = ("status", "note", "why", "message", "reason")  # headers of columns that may wrap


def section_table(section: beyond.Section, width: int = 200) -> Group:
    """The section's table fitted to ``width`` (chooser/views/fit.py): the trial's name and
    prose columns always, figures (never wrapped) while they fit, the rest under the table."""
    columns = []
    for i, header in enumerate(section.headers):
        if header == "Variant":  # the trial's name says it already ("PyTorch · beginner · …")
            continue
        cells = [Text(row[i]) if i < len(row) else Text("") for row in section.rows]
        prose = header.lower().split(" ")[0] in PROSE  # plain text: no markup from the data
        header = "Speed" if header.startswith("Samples/s") else header  # fits 80 columns
        columns.append(
            Column(
                header,
                cells,
                numeric=i > 0 and not prose,
                nowrap=i == 0,
                prose=prose,
                keep=i == 0 or prose,
            )
        )
    table, left_out = fitted(columns, width, title=section.title, title_justify="left")
    lines: list[Any] = [table]
    for r, row in enumerate(section.rows):
        extra = [f"{c.header} {c.cells[r].plain}" for c in left_out if c.cells[r].plain]
        if extra:
            lines.append(Text(f"  {row[0]}: " + " · ".join(extra), style="dim"))
    return Group(*lines)


def renderable(sections: Sequence[beyond.Section]) -> Group:
    parts: list[Any] = []
    for section in sections:
        parts.append(ByWidth(partial(section_table, section)))
        parts += [Text(f"  {note}", style="dim") for note in section.notes]
        parts.append(Text(""))
    return Group(*parts)


def print_beyond(
    trials: Sequence[dict[str, Any]],
    out_of_box_share: dict[str, Any] | None = None,
    scaling_estimate: dict[str, Any] | None = None,
    console: Console | None = None,
    **_other: Any,  # further suite-level objects this view does not show
) -> None:
    """Print the section when there is something to show (nothing otherwise)."""
    sections = beyond.sections(trials, out_of_box_share, scaling_estimate)
    if sections:
        (console or Console()).print(renderable(sections))
