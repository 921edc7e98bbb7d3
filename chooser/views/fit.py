"""Tables that fit the width they are drawn at (issue 12): a column is shown only when the
longest word of every cell still fits whole, numbers never wrap, and what does not fit
goes to a line under the table. The same builders serve the CLI (rich Console width) and
the app (a Static's width), because the layout is chosen when the table is drawn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

NARROW = 100  # below this many columns a table drops its least needed columns


class ByWidth:
    """A renderable built for the width it is drawn at: ``build(width)``."""

    def __init__(self, build: Callable[[int], RenderableType]) -> None:
        self.build = build

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.build(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


def as_text(cell: Any) -> Text:
    if isinstance(cell, Text):
        return cell
    return Text.from_markup(str(cell)) if cell is not None else Text("")


@dataclass
class Column:
    """One column: its header, its cells, and how it may be laid out. ``numeric`` cells
    never wrap (right-aligned); ``prose`` takes the room left and wraps between words;
    ``keep`` columns are always shown, the others while they fit, in the order given."""

    header: str
    cells: list[Any] = field(default_factory=list)
    numeric: bool = False
    nowrap: bool = False  # a short name that reads badly wrapped ("PyTorch · 1 process")
    prose: bool = False
    keep: bool = False
    justify: str | None = None

    def min_width(self) -> int:
        """The narrowest this column can be without breaking a word or a number."""
        texts = [as_text(c) for c in self.cells] + [Text(self.header)]
        if self.numeric or self.nowrap:
            return max(max((len(line) for line in t.plain.split("\n")), default=0) for t in texts)
        return max((len(w) for t in texts for w in t.plain.split()), default=1)


def fitted(columns: Sequence[Column], width: int, **table_args: Any) -> tuple[Table, list[Column]]:
    """A Table of the columns that fit ``width`` (the kept ones always) and the columns left
    out, for the caller to show under the table."""
    used = sum(c.min_width() + 3 for c in columns if c.keep) + 1  # padding 2, border 1
    shown: list[Column] = []
    for column in columns:
        need = column.min_width() + 3
        if column.keep:
            shown.append(column)
        elif used + need <= width and len(shown) == columns.index(column):
            shown.append(column)  # a prefix of the columns: never one skipped in between
            used += need
    table = Table(**table_args)
    for column in shown:
        table.add_column(
            column.header,
            justify=column.justify or ("right" if column.numeric else "left"),  # type: ignore[arg-type]
            no_wrap=column.numeric or column.nowrap,
            overflow="ellipsis" if column.numeric or column.nowrap else "fold",
            min_width=column.min_width(),
            ratio=1 if column.prose else None,
        )
    rows = max((len(c.cells) for c in shown), default=0)
    for i in range(rows):
        table.add_row(*(as_text(c.cells[i]) if i < len(c.cells) else "" for c in shown))
    return table, [c for c in columns if c not in shown]
