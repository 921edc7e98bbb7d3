"""Choose trials and a budget, run them, watch each one live, cancel any of them.

The runs belong to the App (see jobs.py): this screen only starts, cancels and
shows them, so it may be left and re-entered while trials go on.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Header, Input, RadioButton, RadioSet, Static

from chooser.measure.busy import load_warning
from chooser.tui.messages import TrialsChanged, TrialUpdated
from chooser.tui.widgets.busy_banner import banner_lines
from chooser.tui.widgets.loss_plot import LossPlot
from chooser.tui.widgets.marks import MarkedRadioButton
from chooser.tui.widgets.trial_row import TrialRow, row_dom_id, row_label

BUDGETS = ("quick", "full", "custom")
REFRESH_S = 0.25  # rows and plot repaint at most 4 times a second


class TrialsScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.goto('hardware')", "Back"),
        Binding("s", "start", "Start"),
        Binding("c", "cancel_current", "Cancel trial"),
        Binding("x", "cancel_all", "Cancel all"),
        Binding("n", "app.goto('recommendation')", "Recommendation"),
        Binding("l", "load_saved", "Load results"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.budget = "quick"
        self._dirty: set[str] = set()
        self._timer: Timer | None = None
        self._row_ids: list[str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="budget-row"):
            with RadioSet(id="budget"):
                for name in BUDGETS:
                    yield MarkedRadioButton(name, value=name == self.budget, id=f"budget-{name}")
            yield Input(placeholder="steps", type="integer", id="custom-steps")
            yield Button("Start ▸", id="start", variant="primary", compact=True)
        yield Static(id="busy")
        yield Vertical(id="trial-rows")
        yield LossPlot(id="loss", throttle=self.app.animations)
        with Horizontal(classes="nav"):
            yield Button("Recommendation ▸", id="to-verdict", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#custom-steps", Input).cursor_blink = self.app.animations
        self.query_one("#custom-steps").display = False
        self.build_rows()
        self.query_one("#start").focus()
        if self.app.animations:  # a live reading; snapshots keep the screen deterministic
            self.show_busy(load_warning() or "")

    def on_screen_resume(self) -> None:
        self.refresh_trials()

    def show_busy(self, text: str) -> None:
        if text != getattr(self, "_busy_text", None):  # an update re-lays out the screen
            self._busy_text = text
            self.query_one("#busy", Static).update(Text(text))

    # -- which trials --------------------------------------------------------------------
    def specs(self) -> list[Any]:
        suites = self.app.services.suites()
        if self.budget != "custom":
            return list(suites[self.budget])
        steps = self.query_one("#custom-steps", Input).value
        base = suites.get("full") or suites["quick"]
        if not steps.isdigit() or int(steps) < 1:
            return list(base)
        return [dataclasses.replace(s, steps=int(steps), epochs=None) for s in base]

    def build_rows(self) -> None:
        """One row per trial of the chosen budget, plus any trial of the last run."""
        self._row_ids = None
        self.run_worker(self._rebuild_rows(), group="rows", exclusive=True)

    async def _rebuild_rows(self) -> None:
        rows = self.query_one("#trial-rows", Vertical)
        await rows.remove_children()
        ids = self.row_ids()
        await rows.mount_all(TrialRow(spec_id, row_label(spec_id)) for spec_id in ids)
        self._row_ids = ids
        self.refresh_trials()

    def row_ids(self) -> list[str]:
        ids = list(self.app.session.trials)
        return ids + [s.id for s in self.specs() if s.id not in ids]

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.budget = BUDGETS[event.index]
        self.query_one("#custom-steps").display = self.budget == "custom"
        if not self.app.trials_running:
            self.build_rows()

    # -- actions -------------------------------------------------------------------------
    def start(self, budget: str | None = None) -> None:
        if budget in BUDGETS and budget != self.budget:
            self.query_one(f"#budget-{budget}", RadioButton).value = True
            self.budget = budget
        if self.app.trials_running:
            self.notify("Trials are already running; cancel them first (x).")
            return
        steps = self.query_one("#custom-steps", Input).value
        if self.budget == "custom" and not (steps.isdigit() and int(steps) > 0):
            self.notify(
                "Custom budget: type the number of training steps first.", severity="warning"
            )
            self.query_one("#custom-steps").focus()
            return
        rows = {row.spec_id: row.included for row in self.query(TrialRow)}
        specs = [s for s in self.specs() if rows.get(s.id, True)]  # new rows start ticked
        if not specs:
            self.notify("No trial chosen: tick at least one.", severity="warning")
            return
        self.app.run_trials(specs, self.budget)
        self.query_one("#to-verdict").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.start()  # Enter in the custom steps field

    def action_start(self) -> None:
        self.start()

    def action_load_saved(self) -> None:
        if self.app.trials_running:
            self.notify("Trials are running; cancel them before loading others (x).")
            return
        from chooser.tui.screens.load_trials import LoadTrialsScreen

        def loaded(path: str | None) -> None:
            if path:
                self.app.load_trials(path)

        self.app.push_screen(LoadTrialsScreen(), loaded)

    def action_cancel_current(self) -> None:
        running = [t for t in self.app.session.trials.values() if t.status == "running"]
        if running:
            self.app.cancel_trial(running[0].spec_id)
            self.notify(self.app.cancel_outcome(running[0].spec_id))

    def action_cancel_all(self) -> None:
        if self.app.trials_running:
            self.app.cancel_all_trials()
            self.notify("Cancelling the trials still training; finished results are kept.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.start()
        elif event.button.id == "to-verdict":
            self.app.goto("recommendation")
        elif event.button.has_class("cancel"):
            row = next(a for a in event.button.ancestors if isinstance(a, TrialRow))
            self.app.cancel_trial(row.spec_id)
            self.notify(self.app.cancel_outcome(row.spec_id))

    # -- live updates (called by the App) ------------------------------------------------
    def on_trial_updated(self, message: TrialUpdated) -> None:
        self.refresh_trial(message.spec_id)

    def on_trials_changed(self, message: TrialsChanged) -> None:
        self.refresh_trials()

    def refresh_trial(self, spec_id: str) -> None:
        self._dirty.add(spec_id)
        if not self.app.animations:
            self._repaint()
        elif self._timer is None:
            self._timer = self.set_timer(REFRESH_S, self._repaint)

    def refresh_trials(self) -> None:
        session = self.app.session
        if self._row_ids is None:
            return  # rows are being rebuilt; they repaint when done
        if self.row_ids() != self._row_ids:
            self.build_rows()
            return
        self._dirty.update(session.trials)
        self._repaint()
        running = self.app.trials_running
        self.query_one("#start", Button).disabled = running
        self.query_one("#budget", RadioSet).disabled = running

    def _repaint(self) -> None:
        self._timer = None
        trials = self.app.session.trials
        for spec_id in self._dirty:
            rows = self.query(f"#{row_dom_id(spec_id)}")
            if rows:
                rows.first(TrialRow).show(trials.get(spec_id))
        self._dirty.clear()
        lines = banner_lines(trials)  # short: it must fit above the rows at 80×24
        if lines:
            self.show_busy("\n".join(lines))
        self.query_one(LossPlot).show({i: t.losses for i, t in trials.items() if t.losses})
