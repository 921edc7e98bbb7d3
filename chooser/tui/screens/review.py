"""Review: every answer before the hardware step, with where it came from (answered /
probe / default) and an edit per answer that opens its question and comes back here.

``chooser --answers FILE`` (and ctrl+o) open at this page: resuming shows what was
loaded instead of starting again at question 1. The rows are an OptionList of two-line-
at-most rich grids, so a long question wraps between words at 80 columns and the source
and "edit" columns never do."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from chooser.tui.answer_review import ReviewRow, review_rows
from chooser.tui.messages import ProbeUpdated

SOURCE_STYLE = {"answered": "bold", "probe": "cyan", "default": "dim"}
SOURCE_WIDTH = 9  # "answered" and the gap after it (a grid's width includes padding)
EDIT_TEXT = "edit ▸"


def row_grid(row: ReviewRow | None) -> Table:
    """One review row (None: the column titles), laid out the same way for every row."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=3)  # the question: wraps between words
    grid.add_column(ratio=2)  # the answer
    grid.add_column(width=SOURCE_WIDTH, no_wrap=True)
    grid.add_column(width=len(EDIT_TEXT) + 1, no_wrap=True)
    if row is None:
        grid.add_row(*(Text(t, style="bold") for t in ("Question", "Answer", "Source")), "")
    else:
        grid.add_row(
            Text(row.question),
            Text(row.answer, style="bold"),
            Text(row.source, style=SOURCE_STYLE.get(row.source, "")),
            Text.assemble(("edit", "underline"), " ▸"),
        )
    return grid


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("n", "next", "Next: hardware"),
        Binding("e", "edit_highlighted", "Edit", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-intro")
        yield OptionList(id="review-list")
        with Horizontal(classes="nav"):
            yield Button("Next: hardware ▸", id="review-next", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.show_rows()
        self.query_one("#review-next").focus()

    def on_screen_resume(self) -> None:
        self.show_rows()

    def on_probe_updated(self, message: ProbeUpdated) -> None:
        self.show_rows()  # a pre-fill arrived for an answer not given yet

    def rows(self) -> list[ReviewRow]:
        return review_rows(self.app.bank, self.app.session)

    def show_rows(self) -> None:
        rows = self.rows()
        counts = {s: sum(r.source == s for r in rows) for s in ("answered", "probe", "default")}
        intro = Text("Your answers", style="bold")
        intro.append(
            f": {counts['answered']} answered, {counts['probe']} from the probe, "
            f"{counts['default']} left at their default. "
        )
        intro.append("Enter on a row (or a click) changes that answer; n goes on.", style="dim")
        note = self.app.session.answers_note
        if note:
            intro.append("\n" + note)
        self.query_one("#review-intro", Static).update(intro)
        listing = self.query_one("#review-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(
            [Option(row_grid(None), disabled=True)]
            + [Option(row_grid(row), id=row.qid) for row in rows]
        )
        if highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted

    # -- actions -------------------------------------------------------------------------
    def edit(self, qid: str) -> None:
        self.app.edit_answer(qid)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.edit(event.option.id)

    def action_edit_highlighted(self) -> None:
        listing = self.query_one("#review-list", OptionList)
        if listing.highlighted is not None:
            option = listing.get_option_at_index(listing.highlighted)
            if option.id:
                self.edit(option.id)

    def action_next(self) -> None:
        self.app.goto("hardware")

    def action_back(self) -> None:
        self.app.goto("questions")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "review-next":
            self.action_next()
