"""The training loss of every trial on one plot (textual-plotext), redrawn at most
a few times a second however fast the points arrive."""

from __future__ import annotations

from textual.timer import Timer
from textual_plotext import PlotextPlot

from chooser.core import numbers

MIN_REDRAW_S = 0.5  # ≤ 2 redraws a second: a plot build is the UI's largest cost
# one glyph per trial, so the legend reads without colour (a monochrome terminal, tmux)
MARKERS = ("•", "+", "x", "*", "o", "#", "%", "@")


def whole_ticks(last_step: int, most: int = 6) -> list[int]:
    """Tick positions in whole steps, on a round stride (1, 2, 5, 10, 20, 50, …), from 0
    to at least ``last_step``: never "25.8" steps."""
    stride = 1
    while last_step / stride > most - 1:
        for factor in (2, 2.5, 2):  # 1 → 2 → 5 → 10 → 20 → 50 …
            stride = int(stride * factor)
            if last_step / stride <= most - 1:
                break
    return list(range(0, last_step + stride, stride))


class LossPlot(PlotextPlot):
    def __init__(self, *, throttle: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.throttle = throttle
        self._series: dict[str, list[tuple[int, float]]] = {}
        self._drawn: object = None  # what the last drawing showed: skip identical redraws
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self._draw()

    def show(self, series: dict[str, list[tuple[int, float]]]) -> None:
        """New data; drawn now, or at the end of the current throttle window."""
        self._series = series
        if not self.throttle:
            self._draw()
        elif self._timer is None:  # one pending redraw coalesces every update meanwhile
            self._timer = self.set_timer(MIN_REDRAW_S, self._draw)

    def _draw(self) -> None:
        self._timer = None
        shown = tuple(
            (name, len(points), points[-1] if points else None)
            for name, points in self._series.items()
        )
        if shown == self._drawn and self._drawn is not None:
            return
        self._drawn = shown
        plt = self.plt
        plt.clear_data()
        plt.title("training loss by step")
        drawn = False
        last = 0
        for i, (name, points) in enumerate(self._series.items()):
            if len(points) >= 1:
                xs, ys = zip(*points)
                marker = MARKERS[i % len(MARKERS)]
                plt.plot(list(xs), list(ys), label=numbers.trial_name(name), marker=marker)
                last = max(last, int(max(xs)))
                drawn = True
        if drawn:
            ticks = whole_ticks(max(last, 1))
            plt.xticks([float(t) for t in ticks], [numbers.count(t) for t in ticks])
            plt.xlim(0, ticks[-1])
            plt.xlabel("step")
        else:
            plt.title("training loss by step (waiting for the first steps)")
        self.refresh()
