"""The first page: what chooser does, how long it takes, where results go — above the
first question, so a question is on screen the moment the app starts. ctrl+o resumes
from a saved answers file."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.tui.screens.questions import QuestionsScreen

INTRO = (
    "[b]{which}?[/b] A few questions, a probe of this machine, short real MNIST "
    "trials in each (quick: about a minute), then a verdict from rules you can read.\n"
    "Answers: [b]{answers}[/b]  Report: [b]{report}[/b]  Resume saved answers: [b]ctrl+o[/b]"
)


class WelcomeScreen(QuestionsScreen):
    BINDINGS = [Binding("ctrl+o", "resume", "Resume")]

    def compose_intro(self) -> ComposeResult:
        session = self.app.session
        intro = INTRO.format(
            which=frameworks.labels_text(),  # the registered frameworks: "A, B or C"
            answers=_short(session.answers_path),
            report=_short(session.report_path("md")),
        )
        if session.answers_path.exists():
            intro += "\n[b]Saved answers found[/b]: ctrl+o then Enter resumes from them."
        yield Static(intro, id="intro")

    def show_question(self) -> None:
        super().show_question()
        self.query_one("#intro").display = self.index == 0

    def action_resume(self) -> None:
        from chooser.tui.screens.resume import ResumeScreen

        self.app.push_screen(ResumeScreen(self.app.session.answers_path), self._resumed)

    def _resumed(self, path: Path | None) -> None:
        if path is None:
            return
        try:
            self.app.load_answers(path)
        except (UserError, OSError) as exc:
            self.notify(str(exc), title="Could not resume", severity="error", timeout=10)
            return
        self.index = 0
        self.show_question()
        self.app.goto("review")  # what was loaded, with an edit per answer


def _short(path: Path) -> str:
    """A path relative to the working folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
