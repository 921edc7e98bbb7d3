"""One trial in one line: include it, its progress bar and live numbers, cancel it.

The bar and numbers are one rendered line (``TrialLine``) that only repaints itself:
updating a Label or ProgressBar widget would re-lay out the screen on every event.
"""

from __future__ import annotations

from rich.progress_bar import ProgressBar as BarRenderable
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Checkbox

from chooser.core import numbers
from chooser.tui.state import TrialLive
from chooser.tui.widgets.marks import MarkedCheckbox

STATUS_STYLE = {"ok": "green", "running": "cyan", "queued": "dim", "cancelled": "yellow"}
BAR_WIDTH = 12
MIN_BAR = 4


def stats_text(live: TrialLive | None, room: int | None = None) -> Text:
    """Status, accuracy and speed; with ``room`` (cells) the accuracy gives way first, so
    the speed and its "not comparable" are never cut."""
    if live is None:
        return Text("not started", style="dim")
    text = Text(live.status, style=f"bold {STATUS_STYLE.get(live.status, 'red')}")
    if live.status == "running" and live.phase:
        text.append(f" ({live.phase})")
    if live.note:  # e.g. a cancel that came after training: "finished before cancel — kept"
        text.append(f" · {live.note}", style="yellow")
    speed = Text()
    if live.samples_per_second:
        apart = live.status == "ok" and (live.result or {}).get("comparable") is False
        # a figure that is not comparable is never shown as a plain number (reasons: above)
        speed.append(
            f" · {numbers.rate(live.samples_per_second, short=True)}"
            + (" (not comparable)" if apart else ""),
            style="dim" if apart else "",
        )
    acc = f" · {numbers.percent(live.accuracy)} acc." if live.accuracy is not None else ""
    if room is None or text.cell_len + len(acc) + speed.cell_len <= room:
        text.append(acc)
    text.append_text(speed)
    return text


def fraction(live: TrialLive | None) -> float:
    if live is None:
        return 0.0
    if live.of:
        return min(live.step, live.of) / live.of
    return 1.0 if live.status == "ok" else 0.0


class TrialLine(Widget):
    """Progress bar, percentage and live numbers of one trial, drawn as one line."""

    DEFAULT_CSS = "TrialLine { height: 1; width: 1fr; }"

    def __init__(self) -> None:
        super().__init__(classes="line")
        self.live: TrialLive | None = None

    def render(self) -> RenderResult:
        done = fraction(self.live)
        width = self.size.width
        if self.live is not None and self.live.done:  # the status says it; numbers get the line
            return stats_text(self.live, room=width)
        stats = stats_text(self.live, room=width - MIN_BAR - 6)
        # the numbers keep their room; the bar gives way on a narrow terminal
        bar = max(MIN_BAR, min(BAR_WIDTH, width - stats.cell_len - 6))
        grid = Table.grid(padding=(0, 1))
        grid.add_row(
            BarRenderable(total=1.0, completed=done, width=bar), Text(f"{done:4.0%}"), stats
        )
        return grid


def row_dom_id(spec_id: str) -> str:
    """A widget id for a trial id (``throughput/<framework>/single+beginner``): Textual ids
    take letters, digits, ``_`` and ``-`` only, so "/" becomes "--" and "+" becomes "__"."""
    return "row-" + spec_id.replace("/", "--").replace("+", "__")


def row_label(spec_id: str) -> str:
    """The trial as people say it (``PyTorch · 1 process``), never its internal id."""
    return numbers.trial_name(spec_id)


class TrialRow(Horizontal):
    """Identified by the trial's spec id; the Session holds the data it shows."""

    def __init__(self, spec_id: str, label: str) -> None:
        super().__init__(id=row_dom_id(spec_id), classes="trial-row")
        self.spec_id, self.label = spec_id, label

    def compose(self) -> ComposeResult:
        yield MarkedCheckbox(self.label, True, compact=True, classes="include")
        yield TrialLine()
        yield Button("Cancel", compact=True, classes="cancel", disabled=True)

    @property
    def included(self) -> bool:
        return self.query_one(Checkbox).value

    def show(self, live: TrialLive | None) -> None:
        self.query_one(Checkbox).disabled = live is not None and not live.done
        cancel = self.query_one(".cancel", Button)
        cancel.disabled = live is None or live.done
        if cancel.visible == cancel.disabled:  # hide what cannot act; keep the layout
            cancel.visible = not cancel.disabled
        line = self.query_one(TrialLine)
        line.live = live
        line.refresh()
        self.set_class(live is not None and live.status == "running", "-running")
        self.set_class(live is not None and live.done and live.status != "ok", "-failed")
