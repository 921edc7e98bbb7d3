"""Render a rich table at a width and find words broken across lines (issue 12): every
token a rendered line shows inside a table must be a whole word of some cell, header or
title (or a word cut short with "…"). "cancell" + "ed", "sample" + "s/s" fail."""

from __future__ import annotations

import io
import re

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

BOX = re.compile(r"[│┃║┆┊|╎]")


def _plain(cell: object) -> str:
    if isinstance(cell, Text):
        return cell.plain
    return Text.from_markup(str(cell)).plain if isinstance(cell, str) else ""


def _texts(renderable: object) -> list[str]:
    if isinstance(renderable, Table):
        texts = [_plain(renderable.title or "")]
        for column in renderable.columns:
            texts.append(_plain(column.header))
            for cell in column._cells:
                texts += _texts(cell) if isinstance(cell, (Table, Group)) else [_plain(cell)]
        return texts
    if isinstance(renderable, Group):
        return [t for r in renderable.renderables for t in _texts(r)]
    return [_plain(renderable)]


def words_of(renderable: object) -> set[str]:
    """Every whole word a renderable (a Table, a Group of tables and lines) holds."""
    return {w for t in _texts(renderable) for w in t.split()}


def render(renderable: object, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()


def broken_words(table: object, width: int) -> list[str]:
    """Tokens of the rendered table that are not whole words: each a broken word."""
    if callable(getattr(table, "build", None)):  # chooser.views.fit.ByWidth
        table = table.build(width)
    words = words_of(table)
    bad = []
    for line in render(table, width).splitlines():
        for segment in BOX.split(line):
            for token in segment.split():
                if token in words or not any(ch.isalnum() for ch in token):
                    continue
                if token.endswith("…") and any(w.startswith(token[:-1]) for w in words):
                    continue
                bad.append(token)
    return bad


def assert_unbroken(table: object, *widths: int) -> None:
    for width in widths or (80, 100, 160):
        bad = broken_words(table, width)
        assert not bad, f"at {width} columns these words are broken: {bad}\n{render(table, width)}"
