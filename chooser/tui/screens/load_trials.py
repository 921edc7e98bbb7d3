"""Load saved trial results (a `chooser trial --suite … --json` output or a JSON report)
to score them without running the trials again. Dismisses with the path, or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class LoadTrialsScreen(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    LoadTrialsScreen { align: center middle; }
    LoadTrialsScreen > Vertical { width: 76; height: auto; border: thick $primary;
                                  padding: 1 2; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Load saved trial results (Enter to load, Escape to cancel):")
            yield Input(placeholder="trials.json or chooser-report.json", id="trials-path")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
