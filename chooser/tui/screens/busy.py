"""The machine is busy: wait for it to quieten, or run anyway.

Shown before trials when the look before measuring (chooser.measure.budget) found other
processes using the CPUs. It counts down ``WAIT_S`` seconds, looks again every few
seconds, lists the busiest processes, and closes by itself with a fresh budget as soon
as the machine is quiet. "Run anyway" measures now (the results will say they are not
comparable); "Cancel" runs nothing. Dismisses with the budget to use, or None.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

WAIT_S = 60.0
LOOK_EVERY_S = 2.0  # between looks (each look itself samples for about a second)


def load_text(budget: Any) -> Text:
    load = budget.load
    text = Text(
        f"Other processes use {load.other_cores:.1f} of {load.cores} cores "
        f"(quiet means under {0.3:g} of a core).\n",
        style="bold",
    )
    text.append(
        f"Trials now would run with {budget.threads} thread(s), and their timings "
        "would not be comparable.\n"
    )
    for name, pid, cores in load.top[:5]:
        text.append(f"  {name} (pid {pid}): {cores:.1f} cores\n", style="dim")
    return text


class BusyScreen(ModalScreen):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("r", "run_anyway", "Run anyway")]
    DEFAULT_CSS = """
    BusyScreen { align: center middle; }
    BusyScreen > Vertical { width: 76; height: auto; border: thick $warning; padding: 1 2;
                            background: $surface; }
    BusyScreen #busy-countdown { margin-top: 1; }
    BusyScreen Horizontal { height: auto; margin-top: 1; }
    """

    def __init__(
        self, budget: Any, look: Callable[[], Awaitable[Any]], wait_s: float = WAIT_S
    ) -> None:
        super().__init__()
        self.budget, self.look, self.wait_s = budget, look, wait_s

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("This machine is busy", style="bold"), id="busy-title")
            yield Static(load_text(self.budget), id="busy-load")
            yield Static(id="busy-countdown")
            with Horizontal():
                yield Button("Run anyway", id="run-anyway", variant="warning", compact=True)
                yield Button("Cancel", id="busy-cancel", compact=True)

    def on_mount(self) -> None:
        self.deadline = time.monotonic() + self.wait_s
        self.tick()
        self.set_interval(1.0, self.tick)
        self.run_worker(self.follow_load(), exclusive=True)
        self.query_one("#run-anyway").focus()

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def tick(self) -> None:
        left = self.left()
        self.query_one("#busy-countdown", Static).update(
            f"Waiting for it to quieten: {left:.0f} s left, then the trials run anyway."
        )
        if left <= 0:
            self.finish(self.budget)

    async def follow_load(self) -> None:
        while self.left() > 0:
            await asyncio.sleep(LOOK_EVERY_S)
            self.budget = await self.look()
            if not self.budget.busy:
                self.notify("The machine is quiet now: starting the trials.")
                self.finish(self.budget)
                return
            self.query_one("#busy-load", Static).update(load_text(self.budget))

    def finish(self, budget: Any) -> None:
        if not getattr(self, "_finished", False):  # the countdown and the watcher may race
            self._finished = True
            self.dismiss(budget)

    def action_run_anyway(self) -> None:
        self.finish(self.budget)

    def action_cancel(self) -> None:
        self.finish(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "run-anyway":
            self.action_run_anyway()
        else:
            self.action_cancel()
