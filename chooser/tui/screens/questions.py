"""The questions, one per page: progress, help, defaults, conditional questions.

The visible list is asked of QuestionBank.visible(answers) after every answer, so a
question that depends on an earlier answer appears or disappears as you go. After
the last one the answers are saved as YAML and the review page follows (every answer
with its source, an edit per answer, then the hardware step). An edit from the review
opens here at that question; Enter (or Esc) goes back to the review.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static

from chooser.tui.answer_review import source_of
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
        self.shown: tuple[str | None, Any, str] = (None, None, "default")  # qid, value, source

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
        yield Static("Enter: next   Esc: back   F1 or ?: keys   ctrl+p: commands", id="q-keys")
        yield Footer()

    def compose_intro(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.open_edit()
        self.show_question()

    def on_screen_resume(self) -> None:
        if self.open_edit():
            self.show_question()

    def open_edit(self) -> bool:
        """An edit asked from the review page: show that question (True when one was)."""
        qid = self.app.editing
        ids = [str(_get(q, "id")) for q in self.visible_questions()]
        if qid is None or qid not in ids:
            return False
        self.index = ids.index(qid)
        return True

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
        self.shown = (qid, self.value_for(question), source_of(session, qid))
        form = QuestionForm(question, self.shown[1], blink=self.app.animations)
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
            self.accept(forms.first())
        if self.app.editing is None and self.index + 1 < len(self.visible_questions()):
            self.index += 1
            self.show_question()
            return
        self.to_review()

    def accept(self, form: QuestionForm) -> None:
        """Record the form's answer. One left as the page showed it keeps its source
        (probe, default, or answered before); a changed one is answered."""
        session = self.app.session
        qid, value, source = self.shown
        session.accepted_from.pop(form.qid, None)
        if form.qid == qid and _same(form.value, value) and source != "answered":
            session.accepted_from[qid] = source
        session.answers[form.qid] = form.value

    def to_review(self) -> None:
        """Save the answers (the review page says where) and show the review."""
        self.app.editing = None
        path = self.app.save_answers()
        if path is not None:
            from chooser.report.export_set import where  # local: one hunk in a shared file

            self.app.session.answers_note = f"Saved to {where(path)}"
        self.app.goto("review")

    def action_back(self) -> None:
        if self.app.editing is not None:  # back to the review, with the answer as it is now
            self.to_review()
            return
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


def _same(a: Any, b: Any) -> bool:
    """Equal answers (a checklist's order does not matter)."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b) and type(a) is type(b)
