"""What the probe found, card by card as each part arrives, with problems and fixes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from chooser.core import frameworks
from chooser.tui.messages import ProbeUpdated
from chooser.tui.widgets import probe_cards as cards


def card_titles() -> dict[str, str]:
    """card id -> title: the machine's two cards, then one per registered framework."""
    return {
        "cpu": "CPU and memory",
        "gpu": "GPUs",
        **{fw.id: fw.label for fw in frameworks.frameworks()},
    }


class HardwareScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.goto('review')", "Back"),
        Binding("n", "app.goto('trials')", "Next: trials"),
        Binding("p", "app.run_probe", "Probe again"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="probe-status")
        with VerticalScroll(id="hw-body"):
            yield Static(id="hw-problems")
            with Grid(id="hw-cards"):
                for card_id, title in card_titles().items():
                    card = Static(id=f"card-{card_id}", classes="card")
                    card.border_title = title
                    yield card
        with Horizontal(classes="nav"):
            yield Button("Next: trials ▸", id="hw-next", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_probe(None)
        self.query_one("#hw-next").focus()

    def on_screen_resume(self) -> None:
        self.refresh_probe(None)

    def on_probe_updated(self, message: ProbeUpdated) -> None:
        self.refresh_probe(message.part)

    def refresh_probe(self, part: str | None) -> None:
        session = self.app.session
        parts = session.probe_parts
        hw = parts.get("hardware")
        self.query_one("#card-cpu", Static).update(cards.cpu_card(hw))
        self.query_one("#card-gpu", Static).update(cards.gpu_card(hw))
        for name in frameworks.ids():
            self.query_one(f"#card-{name}", Static).update(
                cards.framework_card(name, parts.get(name))
            )
        status = {
            "idle": "The probe has not run yet: press p.",
            "running": f"Probing… {len(parts)} of {len(frameworks.ids()) + 1} parts in (each is a child process).",
            "done": "Probe finished. These facts pre-fill the hardware questions and feed "
            "the rules.",
            "cancelled": "The probe was cancelled: press p to run it again.",
            "error": f"The probe failed: {session.probe_error}. Press p to retry.",
        }[session.probe_status]
        self.query_one("#probe-status", Static).update(status)
        found = cards.problems(parts)
        box = self.query_one("#hw-problems", Static)
        box.display = bool(found)
        text = Text("Problems and fixes", style="bold")
        for problem in found:
            text.append("\n• " + problem, style="")
        box.update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "hw-next":
            self.app.goto("trials")
