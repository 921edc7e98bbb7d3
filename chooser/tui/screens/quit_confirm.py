"""q while trials run: quit and stop them, or keep going. Dismisses with True to quit
(the app then kills every trial's process group on the usual path), False to stay."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class QuitConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "dismiss(False)", "Keep going"),
        Binding("k", "dismiss(False)", "Keep going", show=False),
        Binding("q", "dismiss(True)", "Quit", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="quit-confirm"):
            yield Static("[b]Trials are running[/b]")
            yield Static(
                "Quitting stops them: their process groups are killed, and trial "
                "results not exported in a report are lost."
            )
            with Horizontal(classes="nav"):
                yield Button(
                    "Quit and stop the trials", id="quit-stop", variant="error", compact=True
                )
                yield Button("Keep going", id="quit-keep", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#quit-keep").focus()  # the safe choice under Enter

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit-stop")
