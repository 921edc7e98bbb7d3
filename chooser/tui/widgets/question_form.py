"""One question as keyboard-first input: arrows move, Enter accepts and goes on.

single / yes_no: a list where the highlighted option is the answer.
multi: a checklist (space toggles, Enter goes on). number: an input (Enter goes on).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, SelectionList
from textual.widgets.option_list import Option

from chooser.tui.widgets.marks import MarkedSelectionList


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def options_of(question: Any) -> list[tuple[Any, str]]:
    """(value, label) pairs; yes/no questions get Yes/No when they list none."""
    opts = [
        (_get(o, "value"), str(_get(o, "label") or _get(o, "value")))
        for o in (_get(question, "options") or [])
    ]
    if not opts and _get(question, "type") == "yes_no":
        opts = [(True, "Yes"), (False, "No")]
    return opts


class _Choices(OptionList):
    """Highlight = answer; Enter = accept (OptionList's own 'select')."""


class _Checklist(MarkedSelectionList):
    BINDINGS = [Binding("enter", "accept", "Next", show=False)]

    def action_accept(self) -> None:
        self.post_message(QuestionForm.Accepted())


class QuestionForm(Widget):
    """Posts Changed(qid, value) as the answer changes and Accepted() on Enter."""

    DEFAULT_CSS = """
    QuestionForm { height: auto; max-height: 100%; }
    QuestionForm OptionList, QuestionForm SelectionList { height: auto; max-height: 12; }
    """

    class Changed(Message):
        def __init__(self, qid: str, value: Any) -> None:
            super().__init__()
            self.qid, self.value = qid, value

    class Accepted(Message):
        pass

    def __init__(self, question: Any, value: Any, *, blink: bool = True) -> None:
        super().__init__()
        self.question, self.value, self.blink = question, value, blink
        self.qid = str(_get(question, "id"))
        self.kind = _get(question, "type", "single")
        self.choices = options_of(question)

    def compose(self) -> ComposeResult:
        if self.kind == "multi":
            chosen = set(self.value or [])
            yield _Checklist(*[(label, value, value in chosen) for value, label in self.choices])
        elif self.kind == "number":
            yield Input(
                "" if self.value is None else str(self.value),
                type="number",
                placeholder="a number",
                select_on_focus=False,
            )
        else:
            yield _Choices(*[Option(label) for _, label in self.choices])

    def on_mount(self) -> None:
        if self.kind == "number":
            self.query_one(Input).cursor_blink = self.blink
        elif self.kind != "multi":
            values = [v for v, _ in self.choices]
            choices = self.query_one(_Choices)
            choices.highlighted = values.index(self.value) if self.value in values else 0

    def focus_input(self) -> None:
        for target in self.query("OptionList, SelectionList, Input"):  # none once removed
            target.focus()

    def _changed(self, value: Any) -> None:
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(self.qid, value))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if isinstance(event.option_list, _Choices) and event.option_index is not None:
            self._changed(self.choices[event.option_index][0])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if isinstance(event.option_list, _Choices):
            self._changed(self.choices[event.option_index][0])
            self.post_message(self.Accepted())

    @on(SelectionList.SelectedChanged)
    def _toggled(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self._changed(list(event.selection_list.selected))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        number = self._number(event.value)
        if number is not None:  # else keep the last valid number until the text is one again
            self._changed(number)

    def _number(self, text: str) -> float | int | None:
        try:
            number = float(text)
        except ValueError:
            return None
        low, high = _get(self.question, "min"), _get(self.question, "max")
        if (low is not None and number < low) or (high is not None and number > high):
            return None
        return int(number) if number.is_integer() else number

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._number(event.value) is None:
            low, high = _get(self.question, "min"), _get(self.question, "max")
            span = f" between {low:g} and {high:g}" if low is not None and high is not None else ""
            self.notify(f"Please type a number{span}.", severity="warning")
            return
        self.post_message(self.Accepted())
