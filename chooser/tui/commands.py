"""The command palette's main actions (ctrl+p): probe, trials, export, theme, go to a step."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ChooserCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.app
        return [
            ("Run probe", "Probe CPU, memory, GPUs and both frameworks again", app.run_probe),
            (
                "Run quick trials",
                "Short real MNIST trials: every framework, single and distributed (100 steps each)",
                partial(app.action_start_trials, "quick"),
            ),
            (
                "Run full trials",
                "Longer trials, time to accuracy, beginner and compiled variants, scaling estimate",
                partial(app.action_start_trials, "full"),
            ),
            (
                "Cancel all trials",
                "Stop every trial; finished results are kept",
                app.cancel_all_trials,
            ),
            ("Export report", "Write Markdown, JSON or HTML", app.action_export),
            (
                "Switch theme (light/dark)",
                "Toggle between the light and dark theme",
                app.action_toggle_dark,
            ),
            *[
                (f"Go to {step}", f"Show the {step} step", partial(app.goto, step))
                for step in ("questions", "review", "hardware", "trials", "recommendation")
            ],
        ]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
