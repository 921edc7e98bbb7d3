"""One trial in one line: include it, its progress, its live numbers, cancel it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, ProgressBar, Static

from chooser.tui.state import TrialLive

STATUS_STYLE = {"ok": "green", "running": "cyan", "queued": "dim", "cancelled": "yellow"}


def stats_text(live: TrialLive | None) -> Text:
    if live is None:
        return Text("not started", style="dim")
    parts = [f"acc {live.accuracy:.1%}" if live.accuracy is not None else "",
             f"{live.samples_per_second:,.0f}/s" if live.samples_per_second else ""]
    text = Text(live.status, style=f"bold {STATUS_STYLE.get(live.status, 'red')}")
    if live.status == "running" and live.phase:
        text.append(f" ({live.phase})")
    body = "  ".join(p for p in parts if p)
    if body:
        text.append("  " + body)
    return text


class TrialRow(Horizontal):
    """Identified by the trial's spec id; the Session holds the data it shows."""

    def __init__(self, spec_id: str, label: str) -> None:
        super().__init__(id=f"row-{spec_id}", classes="trial-row")
        self.spec_id, self.label = spec_id, label

    def compose(self) -> ComposeResult:
        yield Checkbox(self.label, True, compact=True, classes="include")
        yield ProgressBar(total=1, show_eta=False, classes="bar")
        yield Static(stats_text(None), classes="stats")
        yield Button("Cancel", compact=True, classes="cancel", disabled=True)

    @property
    def included(self) -> bool:
        return self.query_one(Checkbox).value

    def show(self, live: TrialLive | None) -> None:
        running = live is not None and live.status == "running"
        self.query_one(Checkbox).disabled = live is not None and not live.done
        cancel = self.query_one(".cancel", Button)
        cancel.disabled = live is None or live.done
        cancel.visible = not cancel.disabled  # keeps the row's layout, hides what can't act
        bar = self.query_one(ProgressBar)
        if live is not None and live.of:
            bar.update(total=live.of, progress=min(live.step, live.of))
        elif live is not None and live.done:
            bar.update(total=1, progress=1 if live.status == "ok" else 0)
        self.query_one(".stats", Static).update(stats_text(live))
        self.set_class(running, "-running")
        self.set_class(live is not None and live.done and live.status != "ok", "-failed")
