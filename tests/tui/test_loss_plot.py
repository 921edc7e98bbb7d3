"""The loss chart: x axis in whole steps, and a legend that reads without colour (issue 12:
"25.8 / 50.5" steps, identical glyphs)."""

from __future__ import annotations

import re

import pytest
from tui_fakes import screen_text, settle

from chooser.tui.widgets.loss_plot import MARKERS, whole_ticks


@pytest.mark.parametrize(
    ("last", "ticks"),
    [(1, [0, 1]), (7, [0, 2, 4, 6, 8]), (100, [0, 20, 40, 60, 80, 100]), (528, [0, 200, 400, 600])],
)
def test_ticks_are_whole_steps_on_a_round_stride(last, ticks):
    assert whole_ticks(last) == ticks


def test_markers_differ():
    assert len(set(MARKERS)) == len(MARKERS) and "braille" not in MARKERS


async def test_chart_reads_without_colour(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.goto("trials")
        await pilot.pause()
        app.screen.start("quick")
        await settle(pilot)
        text = screen_text(app)
        legend = re.findall(r"(\S)\1 (PyTorch|TensorFlow) · 1 process", text)
        assert {name for _, name in legend} == {"PyTorch", "TensorFlow"}
        assert len({glyph for glyph, _ in legend}) == 2  # one glyph per trial
        axis = next(
            line for line in text.splitlines() if re.fullmatch(r"[\s\d,]+", line) and "0" in line
        )
        assert not re.search(r"\d\.\d", axis)  # whole steps: never "25.8"
        assert "step" in text
