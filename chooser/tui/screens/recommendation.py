"""The verdict and everything behind it, in tabs that fit an 80×24 terminal:
verdict and scores, the rules that fired, trial results, and each framework's model code."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from chooser.tui.messages import TrialsChanged
from chooser.tui.widgets import verdict_view as view
from chooser.tui.widgets.beyond_view import BeyondView
from chooser.tui.widgets.code_pair import CodePair


class RecommendationScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.goto('trials')", "Back"),
        Binding("e", "app.export", "Export"),
        Binding("r", "rescore", "Rescore", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="rec-tabs"):
            with TabPane("Verdict", id="tab-verdict"):
                with VerticalScroll():
                    yield Static(id="verdict")
                    yield Static(id="scores")
                    yield Static(id="changes")
            with TabPane("Rules", id="tab-rules"):
                with VerticalScroll():
                    yield Static(id="rules")
            with TabPane("Trials", id="tab-trials"):
                with VerticalScroll():
                    yield Static(id="trial-results")
            with TabPane("Beyond speed", id="tab-beyond"):
                yield BeyondView(id="beyond")
            with TabPane("Model code", id="tab-code"):
                yield CodePair(id="code")
        yield Footer()

    def on_mount(self) -> None:
        self.action_rescore()

    def on_screen_resume(self) -> None:
        self.action_rescore()

    def on_trials_changed(self, message: TrialsChanged) -> None:
        self.refresh_trials()

    def refresh_trials(self) -> None:
        if not self.app.trials_running:  # a trial ended: its result may move the scores
            self.action_rescore()

    def action_rescore(self) -> None:
        rec = self.app.recommend_now()
        session = self.app.session
        self.query_one("#trial-results", Static).update(view.trials_table(session.results()))
        self.query_one(BeyondView).show(session.results(), session.suite_extras)
        if rec is None:
            self.query_one("#verdict", Static).update(
                Text(
                    "No recommendation: the rules could not be scored (see the message).",
                    style="red",
                )
            )
            return
        running = (
            Text(
                "\nTrials are still running; the scores update when each one ends.", style="yellow"
            )
            if self.app.trials_running
            else Text("")
        )
        self.query_one("#verdict", Static).update(Group(view.verdict_text(rec), running))
        self.query_one("#scores", Static).update(view.score_bars(rec.totals))
        self.query_one("#changes", Static).update(view.needs_and_changes(rec))
        self.query_one("#rules", Static).update(view.rules_table(rec))
