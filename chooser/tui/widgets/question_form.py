"""One question as keyboard-first input: arrows move, Enter accepts and goes on.

single / yes_no: a list where the highlighted option is the answer, marked ● (the others
○, so the answer never rests on colour alone); the arrows stop at the first and the last
option (a wrap-around turned Down on "No" into "Yes").
multi: a checklist (space toggles, Enter goes on). number: an input (Enter goes on; a
number out of range is explained under it, and the note goes with the question).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from chooser.core import numbers
from chooser.tui.widgets.marks import MarkedSelectionList


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def _bound(value: float) -> str:
    return numbers.count(value) if float(value).is_integer() else numbers.decimal(value, 2)


def options_of(question: Any) -> list[tuple[Any, str]]:
    """(value, label) pairs; yes/no questions get Yes/No when they list none."""
    opts = [
        (_get(o, "value"), str(_get(o, "label") or _get(o, "value")))
        for o in (_get(question, "options") or [])
    ]
    if not opts and _get(question, "type") == "yes_no":
        opts = [(True, "Yes"), (False, "No")]
    return opts


CHOSEN, OTHER = "●", "○"


class _Choices(OptionList):
    """Highlight = answer, marked ●; Enter = accept (OptionList's own 'select'). The
    cursor stops at either end instead of wrapping round."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__(*[Option(f"{OTHER} {label}") for label in labels])
        self.labels = labels

    def mark(self, chosen: int | None) -> None:
        for index, label in enumerate(self.labels):
            self.replace_option_prompt_at_index(
                index, f"{CHOSEN if index == chosen else OTHER} {label}"
            )

    def action_cursor_down(self) -> None:
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.highlighted is None or self.highlighted > 0:
            super().action_cursor_up()


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
            yield Static(id="q-invalid")
        else:
            yield _Choices([label for _, label in self.choices])

    def on_mount(self) -> None:
        if self.kind == "number":
            self.query_one(Input).cursor_blink = self.blink
        elif self.kind != "multi":
            values = [v for v, _ in self.choices]
            choices = self.query_one(_Choices)
            choices.highlighted = values.index(self.value) if self.value in values else 0
            choices.mark(choices.highlighted)
        self.focus_input()  # here, once its input exists: a resumed screen refocuses too

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
            event.option_list.mark(event.option_index)
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
            self.query_one("#q-invalid", Static).update("")
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
            span = (
                f" between {_bound(low)} and {_bound(high)}"
                if low is not None and high is not None
                else ""
            )
            # under the field, not a toast: it must not outlive this question
            self.query_one("#q-invalid", Static).update(f"Please type a number{span}.")
            return
        self.post_message(self.Accepted())
