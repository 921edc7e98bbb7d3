"""The two frameworks' trial networks side by side, syntax-highlighted.

Read from disk as text: the UI process never imports a framework module.
"""

from __future__ import annotations

from pathlib import Path

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static


def code_panel(path: Path) -> tuple[str, Text | Syntax]:
    """(title with the line count, renderable); a missing file says so."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        return f"{path.name}: not readable", Text(f"{path}: {exc.strerror}", style="red")
    lines = source.count("\n") + (0 if source.endswith("\n") else 1)
    return (
        f"{path.parent.name}/{path.name} — {lines} lines",
        Syntax(
            source,
            "python",
            line_numbers=True,
            word_wrap=False,
            theme="ansi_dark",
            background_color="default",
        ),
    )


class CodePair(Horizontal):
    def __init__(self, paths: tuple[Path, Path], id: str | None = None) -> None:
        super().__init__(id=id)
        self.paths = paths

    def compose(self) -> ComposeResult:
        for path in self.paths:
            title, body = code_panel(path)
            box = VerticalScroll(Static(body, expand=False), classes="code")
            box.border_title = title
            yield box
