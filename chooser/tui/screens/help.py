"""Help (F1 or ?): what the screen underneath is for and every key it and the app answer
to, read from the live bindings so the list cannot drift from what the keys do. Esc,
F1, ? or q closes it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

# What each step is for, in a sentence or two (keys the widgets themselves answer to).
ABOUT = {
    "questions": "One question per page. ↑/↓ move the answer (● marks it), space ticks a "
    "checklist entry, Enter accepts and goes on, Esc goes back. After the last question "
    "the answers are saved and the review page shows them all.",
    "review": "Every answer with where it came from: answered (by you or your answers "
    "file), probe (pre-filled from this machine) or default. Tab to the list, ↑/↓ and "
    "Enter (or a click) on a row changes that answer and comes back here.",
    "hardware": "What the probe found, card by card; problems come first with a fix.",
    "trials": "Real MNIST trials in child processes. c cancels the running trial, a "
    "row's Cancel button that one, x all of them; a trial that has finished training is "
    "kept (its row says so). q asks before stopping running trials.",
    "recommendation": "The verdict and everything behind it, in tabs (←/→ or a click).",
}


def key_rows(screen: Screen, app: App) -> list[tuple[str, str]]:
    """(keys, what they do) for the screen's and the app's own bindings, hidden ones too;
    keys doing the same thing share a row ("f1 / ?  Help")."""
    keys: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        if not isinstance(active.node, (Screen, App)) or not binding.description:
            continue
        shown = keys.setdefault(binding.description, [])
        key = app.get_key_display(binding)
        if key not in shown:
            shown.append(key)
    return [(" / ".join(k), what) for what, k in keys.items()]


def help_text(mode: str, rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    for key, what in rows:
        table.add_row(key, what)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("f1", "dismiss(None)", "Close", show=False),
        Binding("question_mark", "dismiss(None)", "Close", show=False),
        Binding("q", "dismiss(None)", "Close", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen #help { width: 72; max-width: 95%; height: auto; max-height: 90%;
                       border: thick $primary; padding: 0 1; background: $surface; }
    HelpScreen #help-about { margin-bottom: 1; }
    """

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.mode = under.app.current_mode
        self.rows = key_rows(under, under.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as box:
            box.border_title = f"Keys — {self.mode}"
            box.border_subtitle = "Esc closes"
            yield Static(Text(ABOUT.get(self.mode, "")), id="help-about")
            yield Static(help_text(self.mode, self.rows), id="help-keys")
            yield Static(
                Text(
                    "Everywhere: ctrl+p the command palette (run the probe or trials, "
                    "export, go to a step).",
                    style="dim",
                )
            )
