"""Snapshots of every screen at a fixed size with deterministic data: the replayed probe
and trials, a frozen copy of the question bank and rules, no timers, no cursor blink.
Update after an intended change with: pytest tests/tui --snapshot-update"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fakes import fake_services, settle

from chooser.tui.app import create_app

SIZE = (100, 30)


def snapshot_app():
    # The real model files (the default): a change to the net changes that screen.
    services = fake_services(frozen_bank=True)
    return create_app(services, out_dir=Path("/nonexistent/chooser-snapshot"), animations=False)


def at(step: str | None = None, *, trials: bool = False, then=None):
    """A run_before that lets the probe finish, optionally runs the trials, then shows a step."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        if trials:
            pilot.app.goto("trials")
            await pilot.pause()
            pilot.app.screen.start("quick")
            await settle(pilot)
            pilot.app.clear_notifications()  # the "Trials finished" toast
        if step:
            pilot.app.goto(step)
            await pilot.pause()
        if then is not None:
            await then(pilot)
        await pilot.pause()

    return run_before


async def _second_page(pilot) -> None:
    pilot.app.screen.action_next()  # what Enter does (a key may race the first focus)
    await pilot.pause()
    await pilot.pause()


async def _code_tab(pilot) -> None:
    pilot.app.screen.query_one("#rec-tabs").active = "tab-code"
    await pilot.pause()


async def _rules_tab(pilot) -> None:
    pilot.app.screen.query_one("#rec-tabs").active = "tab-rules"
    await pilot.pause()


async def _light(pilot) -> None:
    pilot.app.action_toggle_dark()
    await pilot.pause()


async def _export(pilot) -> None:
    pilot.app.action_export()
    await pilot.pause()


@pytest.mark.parametrize(
    "name, run_before",
    [
        ("welcome", at()),
        ("question_2", at(then=_second_page)),
        ("hardware", at("hardware")),
        ("trials", at("trials", trials=True)),
        ("trials_light", at("trials", trials=True, then=_light)),
        ("recommendation", at("recommendation", trials=True)),
        ("rules", at("recommendation", trials=True, then=_rules_tab)),
        ("model_code", at("recommendation", then=_code_tab)),
        ("export", at("recommendation", then=_export)),
    ],
)
def test_screen(snap_compare, name, run_before):
    assert snap_compare(snapshot_app(), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize(
    "name, run_before",
    [
        ("welcome", at()),
        ("trials", at("trials", trials=True)),
        ("recommendation", at("recommendation", trials=True)),
    ],
)
def test_screen_at_80x24(snap_compare, name, run_before):
    assert snap_compare(snapshot_app(), terminal_size=(80, 24), run_before=run_before)
