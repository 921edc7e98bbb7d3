"""Geometry of the report's inline SVG bar charts; the markup is the template
``templates/chart.html.j2`` (Jinja2, autoescaped).

The chart has no viewBox: it is as wide as its box, text keeps its size from a phone to
a desktop, and horizontal positions are percentages of the width. Each row is the name,
the bar, then the value in words, so no text overlaps a bar or another text at any
width. A bar may carry two spreads: the 95 % interval of the median (a thick whisker)
and the slowest to fastest window (a thin line with end ticks). A value that was not
measured is a note, never a zero bar."""

from __future__ import annotations

from dataclasses import dataclass

LINE_H = 18  # one line of text
BAR_H = 14
ROW_GAP = 12
ROW_H = LINE_H + BAR_H + 4 + LINE_H + ROW_GAP
LEFT, RIGHT = 1.0, 99.0  # the plot spans 1 % to 99 % of the width


@dataclass
class Bar:
    label: str
    value: float | None  # None: not measured (drawn as a note, not a zero bar)
    text: str  # the value in words, under the bar
    colour: str
    pattern: str = ""  # id of a <pattern> in the page's defs: the cue besides colour
    low: float | None = None  # slowest..fastest window (thin whisker)
    high: float | None = None
    ci_low: float | None = None  # 95 % interval of the median (thick whisker)
    ci_high: float | None = None
    dim: bool = False  # not comparable: drawn grey, same pattern


@dataclass
class Row:
    bar: Bar
    label_y: float  # text baselines and the bar's top, in px
    bar_y: float
    text_y: float
    width: float  # of the bar, % of the chart's width
    spread: tuple[float, float] | None  # x1, x2 (%) of the min–max line
    ci: tuple[float, float] | None  # x1, x2 (%) of the interval whisker


@dataclass
class Chart:
    title: str
    css_class: str
    rows: list[Row]
    height: int
    left: float = LEFT
    plot_w: float = RIGHT - LEFT
    bar_h: int = BAR_H


def _x(value: float, top: float) -> float:
    return round(LEFT + max(0.0, min(1.0, value / top)) * (RIGHT - LEFT), 2)


def layout(
    title: str, bars: list[Bar], *, max_value: float | None = None, css_class: str = "chart"
) -> Chart:
    """Place ``bars`` on a common scale: 0 to ``max_value`` (else the largest value or
    upper end of a spread)."""
    values = [v for b in bars for v in (b.value, b.high, b.ci_high) if v is not None]
    top = max_value if max_value is not None else (max(values) if values else 1.0)
    top = top if top > 0 else 1.0
    rows = []
    for i, bar in enumerate(bars):
        y = 4 + i * ROW_H
        spread = ci = None
        if bar.low is not None and bar.high is not None:
            spread = (_x(bar.low, top), _x(bar.high, top))
        if bar.ci_low is not None and bar.ci_high is not None:
            ci = (_x(bar.ci_low, top), _x(bar.ci_high, top))
        width = 0.0 if bar.value is None else round(_x(bar.value, top) - LEFT, 2)
        bar_y = y + LINE_H + 2
        rows.append(Row(bar, y + 14, bar_y, bar_y + BAR_H + 16, width, spread, ci))
    height = 8 + max(len(bars), 1) * ROW_H - ROW_GAP
    return Chart(title, css_class, rows, height)
