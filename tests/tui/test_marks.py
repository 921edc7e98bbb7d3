"""On/off shows in the glyph itself, not only in colour (monochrome terminals, capture-pane)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from chooser.tui.widgets.marks import MarkedCheckbox, MarkedRadioButton, MarkedSelectionList


class MarksApp(App):
    def compose(self) -> ComposeResult:
        yield MarkedSelectionList(("on", "a", True), ("off", "b", False), id="list")
        yield MarkedCheckbox("tick", True, id="box")
        yield MarkedRadioButton("dot", False, id="radio")


async def test_glyphs_follow_the_value() -> None:
    app = MarksApp()
    async with app.run_test(size=(40, 12)) as pilot:
        selection = app.query_one("#list", MarkedSelectionList)
        assert selection.render_line(0).text.startswith("▐✓▌ on")
        assert selection.render_line(1).text.startswith("▐ ▌ off")
        box, radio = (
            app.query_one("#box", MarkedCheckbox),
            app.query_one("#radio", MarkedRadioButton),
        )
        assert "✓" in box.render().plain and "●" not in radio.render().plain
        box.value, radio.value = False, True
        selection.deselect("a")
        await pilot.pause()
        assert "✓" not in box.render().plain and "●" in radio.render().plain
        assert selection.render_line(0).text.startswith("▐ ▌ on")
