"""Walk the recommendation's tabs at 80×24 and the trials screen: no table cell's text is
wrapped mid-word, judged on what each widget really draws at its width and on the
screen itself (issue 12: "sample / s/s", "cancell / ed", "tensorflow_s / ingle")."""

from __future__ import annotations

import re

import pytest
from rich.table import Table
from textual.widgets import Static
from tui_fakes import screen_text, settle

from tests.unbroken import broken_words, words_of

TABS = ("tab-verdict", "tab-rules", "tab-trials")
CELL = re.compile(r"[│┃]")


def _contents(pane) -> list[tuple[object, int]]:
    return [(s.content, s.content_region.width) for s in pane.query(Static) if s.content]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_recommendation_tables_keep_words_whole(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.goto("trials")
        await pilot.pause()
        app.screen.start("quick")
        await settle(pilot)
        app.goto("recommendation")
        await pilot.pause()
        tables_seen = 0
        for tab in TABS:
            app.screen.query_one("#rec-tabs").active = tab
            await pilot.pause()
            await pilot.pause()
            pane = app.screen.query_one(f"#{tab}")
            words: set[str] = set()
            for content, width in _contents(pane):
                assert width > 0
                assert broken_words(content, width) == [], (tab, width)
                built = content.build(width) if hasattr(content, "build") else content
                tables_seen += isinstance(built, Table) or any(
                    isinstance(r, Table) for r in getattr(built, "renderables", [])
                )
                words |= words_of(built)
            # and on the screen: every token inside a table's borders is a whole word
            for line in screen_text(app).splitlines():
                if not CELL.search(line):
                    continue
                for segment in CELL.split(line)[1:-1]:
                    for token in segment.split():
                        assert (
                            token in words
                            or not any(c.isalnum() for c in token)
                            or (token.endswith("…"))
                        ), (tab, token, line)
        assert tables_seen >= 2  # the rules and the trial results were drawn as tables


async def test_trial_rows_use_names_for_people(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.goto("trials")
        await pilot.pause()
        app.screen.start("quick")
        await settle(pilot)
        text = screen_text(app)
        assert "PyTorch · 1 process" in text and "TensorFlow · 1 process" in text
        assert "throughput/" not in text and "torch_single" not in text
        assert re.search(r"\d+(\.\d)?k samples/s", text)  # a unit on every rate
