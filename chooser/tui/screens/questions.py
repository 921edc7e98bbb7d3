"""The questions, one per page: progress, help, defaults, conditional questions.

The visible list is asked of QuestionBank.visible(answers) after every answer, so a
question that depends on an earlier answer appears or disappears as you go. After
the last one the answers are saved as YAML and the hardware step follows.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static

from chooser.tui.messages import ProbeUpdated
from chooser.tui.widgets.question_form import QuestionForm, _get


class QuestionsScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
        Binding("enter", "next", "Next", show=False),  # when Enter beats the answer's focus
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_intro()
        with Horizontal(id="q-progress"):
            yield Static(id="q-count")
            yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="q-bar")
        with VerticalScroll(id="q-body"):
            yield Static(id="q-text")
            yield Static(id="q-help")
            yield Static(id="q-form-slot")
        yield Static("Enter: next   Esc: back   ctrl+p: commands", id="q-keys")
        yield Footer()

    def compose_intro(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.show_question()

    def visible_questions(self) -> list[Any]:
        return list(self.app.bank.visible(self.app.session.effective_answers()))

    def value_for(self, question: Any) -> Any:
        """The user's answer, else the probe's pre-fill, else the question's default."""
        qid = str(_get(question, "id"))
        return self.app.session.effective_answers().get(qid, _get(question, "default"))

    def show_question(self) -> None:
        questions = self.visible_questions()
        self.index = max(0, min(self.index, len(questions) - 1))
        if not questions:
            return
        question = questions[self.index]
        qid = str(_get(question, "id"))
        self.query_one("#q-count", Static).update(f"Question {self.index + 1} of {len(questions)}")
        self.query_one("#q-bar", ProgressBar).update(total=len(questions), progress=self.index + 1)
        self.query_one("#q-text", Static).update(Text(str(_get(question, "text", qid))))
        session = self.app.session
        note = ""
        if _get(question, "prefill") and qid not in session.answers:
            note = (
                "\n(pre-filled from the hardware probe)"
                if qid in session.prefill
                else "\n(the hardware probe is still running; it will pre-fill this)"
                if session.probe_status == "running"
                else ""
            )
        help_text = str(_get(question, "help") or "")
        self.query_one("#q-help", Static).update(Text(help_text + note))
        slot = self.query_one("#q-body", VerticalScroll)
        for old in slot.query(QuestionForm):
            old.remove()
        form = QuestionForm(question, self.value_for(question), blink=self.app.animations)
        slot.mount(form, after="#q-help")
        self.call_after_refresh(form.focus_input)

    def current_qid(self) -> str | None:
        forms = self.query(QuestionForm)
        return forms.first().qid if forms else None

    # -- answers and paging --------------------------------------------------------------
    def on_question_form_changed(self, event: QuestionForm.Changed) -> None:
        self.app.session.answers[event.qid] = event.value
        count = len(self.visible_questions())  # a conditional question may have appeared or gone
        self.query_one("#q-count", Static).update(f"Question {self.index + 1} of {count}")
        self.query_one("#q-bar", ProgressBar).update(total=count, progress=self.index + 1)

    def on_question_form_accepted(self, event: QuestionForm.Accepted) -> None:
        self.action_next()

    def action_next(self) -> None:
        forms = self.query(QuestionForm)
        if forms:  # accepting a default or a pre-fill is an answer too
            self.app.session.answers[forms.first().qid] = forms.first().value
        if self.index + 1 < len(self.visible_questions()):
            self.index += 1
            self.show_question()
            return
        path = self.app.save_answers()
        if path is not None:
            from chooser.report.export_set import where  # local: one hunk in a shared file

            self.notify(f"Answers saved to {where(path)}", title="Saved", timeout=4)
        self.app.goto("hardware")

    def action_back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show_question()

    def on_probe_updated(self, message: ProbeUpdated) -> None:
        self.refresh_probe(message.part)

    def refresh_probe(self, part: str | None) -> None:
        """Prefilled answers arrived: redraw the page if its answer was not chosen yet."""
        qid = self.current_qid()
        if qid is not None and qid not in self.app.session.answers:
            self.show_question()
