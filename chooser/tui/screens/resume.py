"""A small modal asking which saved answers file to resume from."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class ResumeScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("[b]Resume from a saved answers file[/b] (Enter loads, Esc cancels)")
            yield Input(str(self.default), id="resume-path")

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = self.app.animations

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(Path(event.value).expanduser())
