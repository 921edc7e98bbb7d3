"""The "Beyond speed" section in the terminal (rich): the rows of chooser/report/beyond.py
as tables, each with its notes (the scaling figures say "estimate" in every cell)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from chooser.report import beyond


def section_table(section: beyond.Section) -> Table:
    table = Table(title=section.title, title_justify="left", show_lines=False)
    for i, header in enumerate(section.headers):
        table.add_column(header, overflow="fold", justify="left" if i == 0 else "right")
    for row in section.rows:
        table.add_row(*(Text(cell) for cell in row))  # plain text: no markup from the data
    return table


def renderable(sections: Sequence[beyond.Section]) -> Group:
    parts: list[Any] = []
    for section in sections:
        parts.append(section_table(section))
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
