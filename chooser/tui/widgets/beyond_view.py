"""The "Beyond speed" tab (issue 13): the same rows as the reports and the CLI
(chooser/report/beyond.py, drawn by chooser/views/beyond.py) in a scrolling pane; until
there is something to show, it says what would fill it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from chooser.report import beyond
from chooser.views.beyond import renderable

EMPTY = (
    "Nothing beyond speed yet. The full suite adds time to accuracy, the beginner / tuned / "
    "compiled variants with the out-of-the-box share, energy per trial where the hardware "
    "tells, and a cluster scaling estimate (an estimate, checked against a distributed "
    "trial here). Run it from the Trials screen, or `chooser trial --scaling-estimate`."
)


class BeyondView(VerticalScroll):
    """``show(results, extras)``: extras are the suite-level objects (scaling_estimate, …)."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Text(EMPTY, style="dim"), id="beyond-body")

    def show(self, results: list[dict[str, Any]], extras: dict[str, Any] | None = None) -> None:
        extras = extras or {}
        sections = beyond.sections(
            results, extras.get("out_of_box_share"), extras.get("scaling_estimate")
        )
        body = self.query_one("#beyond-body", Static)
        body.update(renderable(sections) if sections else Text(EMPTY, style="dim"))
