"""Toggles whose state shows in the glyph, not only in its colour.

Textual draws every checkbox, radio button and selection-list entry with the same inner
glyph (X or ●) and tells on from off by colour alone, which a monochrome terminal, a
screen reader or `tmux capture-pane` cannot see. These draw the glyph only when on."""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton


class _MarkedToggle:
    ON_MARK = "X"

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = self.ON_MARK if self.value else " "  # instance attribute
        return super()._button  # type: ignore[misc,no-any-return]


class MarkedCheckbox(_MarkedToggle, Checkbox):
    ON_MARK = "✓"


class MarkedRadioButton(_MarkedToggle, RadioButton):
    ON_MARK = "●"


class MarkedSelectionList(SelectionList):
    """A SelectionList whose selected entries show ✓ and the others a blank."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        style = segments[1].style
        index = (style.meta or {}).get("option") if style else None
        if index is None:
            return strip
        selected = self.get_option_at_index(index).value in self._selected
        segments[1] = Segment("✓" if selected else " ", style)
        return Strip(segments, strip.cell_length)
