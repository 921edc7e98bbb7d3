"""Every screen with a table at 80×24, 100×30 and 160×45 (issue 12): the trials screen,
the verdict, the rules and trial-results tabs, and the hardware cards. Look at the SVGs
after `pytest tests/tui/test_snapshots_tables.py --snapshot-update`: no word may be
broken across lines at any size."""

from __future__ import annotations

import pytest
from test_snapshots import at, snapshot_app

SIZES = [(80, 24), (100, 30), (160, 45)]


def _tab(name: str):
    async def show(pilot) -> None:
        pilot.app.screen.query_one("#rec-tabs").active = name
        await pilot.pause()

    return show


SCREENS = {
    "trials": at("trials", trials=True),
    "verdict": at("recommendation", trials=True),
    "rules_tab": at("recommendation", trials=True, then=_tab("tab-rules")),
    "results_tab": at("recommendation", trials=True, then=_tab("tab-trials")),
    "hardware": at("hardware"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_table_screens_at_three_sizes(snap_compare, name, size):
    assert snap_compare(snapshot_app(), terminal_size=size, run_before=SCREENS[name])
