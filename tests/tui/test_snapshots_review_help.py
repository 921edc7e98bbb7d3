"""Snapshots of the review page, the help panel and the quit question (issue 12) at 80×24
and 160×45, with the same deterministic data as test_snapshots.py (frozen bank, replayed
probe, no timers). Update after an intended change with --snapshot-update, then look."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fakes import Replay, answer_all_defaults, fake_services, settle

from chooser.tui.app import create_app

SIZES = [(80, 24), (160, 45)]


def snapshot_app(replay: Replay | None = None):
    services = fake_services(replay, frozen_bank=True)
    return create_app(services, out_dir=Path("/nonexistent/chooser-snapshot"), animations=False)


async def _review(pilot) -> None:
    await settle(pilot)
    pilot.app.save_answers = lambda: None  # /nonexistent: nothing is written, nothing said
    await answer_all_defaults(pilot, through_review=False)
    await pilot.pause()


async def _help_on_trials(pilot) -> None:
    await settle(pilot)
    pilot.app.goto("trials")
    await pilot.pause()
    await pilot.press("f1")
    await pilot.pause()


async def _quit_asks(pilot) -> None:
    await settle(pilot)
    pilot.app.goto("trials")
    await pilot.pause()
    pilot.app.screen.start("quick")
    await pilot.pause()
    await pilot.press("q")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review(snap_compare, size):
    assert snap_compare(snapshot_app(), terminal_size=size, run_before=_review)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, size):
    assert snap_compare(snapshot_app(), terminal_size=size, run_before=_help_on_trials)


def test_quit_asks_while_trials_run(snap_compare):
    replay = Replay(hold={"throughput/torch/single"})
    assert snap_compare(snapshot_app(replay), terminal_size=(80, 24), run_before=_quit_asks)
