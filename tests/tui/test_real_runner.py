"""End to end with the real services: real probe, real torch trial children on real MNIST
(tiny budget), real rules and report. Marked slow: about 15-30 s on 2 busy cores."""

from __future__ import annotations

import asyncio
import os
from importlib.util import find_spec

import pytest
from tui_fakes import screen_text, settle

from chooser.measure import runner
from chooser.tui.app import create_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_spec("torch") is None,
        reason="torch is not installed here: pip install 'chooser[torch]'",
    ),
]


async def _only(pilot, keep: str) -> None:
    """Custom budget of 20 steps, with only ``keep`` ticked."""
    await pilot.click("#budget-custom")
    await pilot.pause()
    app = pilot.app
    app.screen.query_one("#custom-steps").value = "20"
    await pilot.pause()
    for row in app.screen.query("TrialRow"):
        row.query_one("Checkbox").value = row.spec_id == keep
    await pilot.pause()


async def _start(pilot) -> None:
    """Press s; the real look before measuring takes about a second, and on a busy machine
    (this one often is) the countdown appears: run anyway."""
    from chooser.tui.screens.busy import BusyScreen

    await pilot.press("s")
    for _ in range(100):
        await asyncio.sleep(0.1)
        if isinstance(pilot.app.screen, BusyScreen):
            await pilot.press("r")
            return
        if pilot.app.session.suite_status == "running":
            return


async def test_real_probe_trial_recommendation_export(tmp_path):
    app = create_app(out_dir=tmp_path, animations=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)  # the real probe: three child processes
        assert app.session.probe_status == "done"
        assert app.session.probe["frameworks"]["torch"]["status"] == "ok"
        app.goto("trials")
        await pilot.pause()
        await _only(pilot, "throughput/torch/single")
        await _start(pilot)
        await settle(pilot)
        result = app.session.trials["throughput/torch/single"].result
        assert result["status"] == "ok", result.get("message")
        assert result["steps"] == 20 and result["samples_per_second"]["median"] > 0
        assert 0.0 <= result["test_accuracy"] <= 1.0 and result["checksums_equal"]
        assert result["comparable"] in (True, False) and "thread_budget" in result
        assert app.session.trials["throughput/torch/single"].losses  # live progress arrived
        assert "ok" in screen_text(app)
        app.goto("recommendation")
        await pilot.pause()
        path = app.export_report(tmp_path / "report.html")
        html = path.read_text()
        assert html.startswith("<!") and "throughput/torch/single" in html


async def test_cancel_kills_the_real_process_group(tmp_path):
    app = create_app(out_dir=tmp_path, animations=False, probe_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.goto("trials")
        await pilot.pause()
        await _only(pilot, "throughput/torch/single")
        app.screen.query_one("#custom-steps").value = "100000"
        await _start(pilot)
        live = None
        for _ in range(600):  # until the child reports training steps (≤ 60 s)
            await asyncio.sleep(0.1)
            live = app.session.trials.get("throughput/torch/single")
            if live is not None and live.step > 0:
                break
        assert live is not None and live.status == "running"
        groups = set(runner._live_groups)
        assert groups, "a child process group is running"
        await pilot.press("c")
        await settle(pilot)
        assert live.status == "cancelled" and live.result["status"] == "cancelled"
        for pgid in groups:
            with pytest.raises(ProcessLookupError):
                os.killpg(pgid, 0)
