"""The look before measuring (busy countdown, run anyway) and loading saved results."""

from __future__ import annotations

import json

from tui_fakes import Replay, fake_services, fixed_look, screen_text, settle

from chooser.tui.screens.busy import BusyScreen


async def _start(app, pilot) -> None:
    app.goto("trials")
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    await pilot.pause()


async def test_busy_machine_counts_down_and_runs_anyway(make_app):
    replay, looks = Replay(), []
    app = make_app(services=fake_services(replay, look=fixed_look(quiet=False, looks=looks)))
    async with app.run_test(size=(100, 32)) as pilot:
        await _start(app, pilot)
        assert isinstance(app.screen, BusyScreen)
        text = screen_text(app)
        assert "This machine is busy" in text
        assert "Other processes use 1.0 of 2 cores" in text
        assert "stress (pid 4242): 1.0 cores" in text
        assert "s left, then the trials run anyway" in text
        assert replay.started == []  # nothing measured while we wait
        await pilot.click("#run-anyway")
        await settle(pilot)
        assert replay.started == ["throughput/torch/single", "throughput/tensorflow/single"]
        budget = app.session.trials["throughput/torch/single"].result["thread_budget"]
        assert budget["busy"] is True and budget["threads"] == 1
    assert looks  # the trials asked before measuring


async def test_busy_machine_cancel_runs_nothing(make_app):
    replay = Replay()
    app = make_app(services=fake_services(replay, look=fixed_look(quiet=False)))
    async with app.run_test(size=(100, 32)) as pilot:
        await _start(app, pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, BusyScreen)
        assert replay.started == [] and app.session.suite_status == "idle"


async def test_countdown_ends_when_the_machine_quietens(make_app):
    replay = Replay()
    busy, quiet = fixed_look(quiet=False), fixed_look(quiet=True)
    calls = []

    async def look():
        calls.append(1)
        return await (busy() if len(calls) == 1 else quiet())

    app = make_app(services=fake_services(replay, look=look))
    async with app.run_test(size=(100, 32)) as pilot:
        await _start(app, pilot)
        await settle(pilot)
        assert replay.started == ["throughput/torch/single", "throughput/tensorflow/single"]
        assert app.session.trials["throughput/torch/single"].result["thread_budget"]["threads"] == 2


async def test_saved_results_load_and_show_non_comparable_figures_dimmed(make_app, tmp_path):
    replay = Replay()
    results = []
    for spec_id in ("torch_single", "tensorflow_single"):  # old ids: read as the new ones
        recorded = replay.trials[spec_id.replace("_", "/").join(("throughput/", ""))]
        result = json.loads(json.dumps(recorded["result"]))
        result.update(
            id=spec_id,
            comparable=spec_id != "torch_single",
            comparable_reason=None
            if spec_id != "torch_single"
            else "other processes used 1.02 cores on average while it ran",
        )
        results.append(result)
    saved = tmp_path / "suite.json"
    saved.write_text(json.dumps({"suite": "quick", "results": results}))
    app = make_app(replay)
    async with app.run_test(size=(120, 36)) as pilot:
        app.goto("trials")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        for ch in str(saved):
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "/s (not comparable)" in text
        assert "PyTorch · 1 process not comparable: other processes used 1.02" in text
        assert replay.started == []  # loaded, not run
        assert app.session.suite_name == f"saved: {saved}"
        assert {r["id"] for r in app.session.results()} == {
            "throughput/torch/single",
            "throughput/tensorflow/single",
        }
