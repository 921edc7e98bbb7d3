"""Cancel means cancel, with a real child: `c` pressed while a real torch trial evaluates
(its training is over) keeps its result, and the report never calls it cancelled. Marked
slow: one real 20-step trial on real MNIST, about 5-15 s on 2 busy cores."""

from __future__ import annotations

import asyncio
from importlib.util import find_spec

import pytest
from tui_fakes import settle

from chooser.measure import runner
from chooser.tui.app import create_app
from chooser.tui.services import Services
from chooser.tui.state import KEPT_NOTE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_spec("torch") is None,
        reason="torch is not installed here: pip install 'chooser[torch]'",
    ),
]
TORCH = "throughput/torch/single"


async def test_c_while_a_real_trial_evaluates_keeps_it(tmp_path):
    services = Services(run_interleaved=None)  # the trial alone, as `chooser trial` runs it
    real_run = services.run_trial
    seen: dict[str, object] = {}

    async def run_trial(spec, on_event=None):
        def on_event_then_c(spec_id, event):
            on_event(spec_id, event)
            if event.get("phase") == "eval" and "pressed" not in seen:
                # exactly what `c` does, at the moment the real child starts evaluating
                seen["groups"] = set(runner._live_groups)
                seen["pressed"] = app.screen.action_cancel_current()
                seen["note"] = app.session.trials[spec_id].note

        return await real_run(spec, on_event_then_c)

    services.run_trial = run_trial
    app = create_app(services, out_dir=tmp_path, animations=False, probe_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.goto("trials")
        await pilot.pause()
        await pilot.click("#budget-custom")
        await pilot.pause()
        app.screen.query_one("#custom-steps").value = "20"
        await pilot.pause()
        for row in app.screen.query("TrialRow"):
            row.query_one("Checkbox").value = row.spec_id == TORCH
        await pilot.pause()
        await _start(pilot)
        await settle(pilot)
        assert seen.get("groups"), "the real child was alive when c was pressed"
        assert seen["note"] == KEPT_NOTE
        live = app.session.trials[TORCH]
        assert live.status == "ok" and live.note == KEPT_NOTE
        assert live.result["steps"] == 20 and 0.0 <= live.result["test_accuracy"] <= 1.0
        app.goto("recommendation")
        await pilot.pause()
        report = app.export_report(tmp_path / "report.md").read_text()
        assert "cancelled by you" not in report


async def _start(pilot) -> None:
    """Press s; on a busy machine the countdown appears: run anyway."""
    from chooser.tui.screens.busy import BusyScreen

    await pilot.press("s")
    for _ in range(100):
        await asyncio.sleep(0.1)
        if isinstance(pilot.app.screen, BusyScreen):
            await pilot.press("r")
            return
        if pilot.app.session.suite_status == "running":
            return
