"""The whole flow through the Pilot, with the replaying fake runner (the UI is under test)."""

from __future__ import annotations

import pytest
from tui_fakes import Replay, answer_all_defaults, screen_text, settle


async def start_trials(app, pilot) -> None:
    """Open the trials screen and press `s` (start the selected budget)."""
    app.goto("trials")
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (140, 45)])
async def test_defaults_to_an_exported_report(make_app, tmp_path, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "Question 1 of" in screen_text(app)
        await answer_all_defaults(pilot)
        assert app.current_mode == "hardware"
        saved = (tmp_path / "chooser-answers.yaml").read_text()
        assert "goals:" in saved  # every question the user passed is saved, defaults too
        await settle(pilot)
        text = screen_text(app)
        assert "AMD EPYC" in text  # the replayed probe's CPU model, on its card
        assert "No NVIDIA GPU was found" in text  # the recorded probe has no GPU: explained
        await pilot.press("enter")  # "Next: trials" is focused
        assert app.current_mode == "trials"
        await pilot.press("enter")  # "Start" is focused: the quick budget
        await settle(pilot)
        trials = app.session.trials
        assert {t: v.status for t, v in trials.items()} == {
            "throughput/torch/single": "ok",
            "throughput/tensorflow/single": "ok",
        }
        assert trials["throughput/torch/single"].losses[0] == (1, 2.33621)  # replayed, in order
        text = screen_text(app)
        assert "96.3 % acc." in text and "training loss" in text
        await pilot.press("enter")  # focus moved to "Next: recommendation"
        assert app.current_mode == "recommendation"
        text = screen_text(app)
        assert "Recommendation:" in text and "What would change the verdict" in text
        assert "points" in text  # the score bars
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # "Write" is focused; Markdown is the default
        await pilot.pause()
        report = tmp_path / "chooser-report.md"
        assert report.exists() and "throughput/torch/single" in report.read_text()
        status = str(app.screen.query_one("#export-status").content)
        assert status.startswith("[green]Wrote[/green] " + str(report))  # says where


async def test_cancel_one_trial_keeps_the_rest_running(make_app):
    replay = Replay(hold={"throughput/torch/single"})
    app = make_app(replay)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_trials(app, pilot)
        for _ in range(20):
            await pilot.pause()
            if app.session.trials["throughput/torch/single"].step == 586:  # still training
                break
        assert app.session.trials["throughput/torch/single"].status == "running"
        await pilot.press("c")
        await settle(pilot)
        torch, tf = (
            app.session.trials["throughput/torch/single"],
            app.session.trials["throughput/tensorflow/single"],
        )
        assert replay.cancelled == ["throughput/torch/single"]
        assert torch.status == "cancelled" and "step 586 of 600" in torch.message
        assert tf.status == "ok"  # the next trial still ran
        assert [r["id"] for r in app.session.results()] == [
            "throughput/torch/single",
            "throughput/tensorflow/single",
        ]
        assert "cancelled" in screen_text(app)


async def test_cancel_all_stops_the_suite(make_app):
    replay = Replay(hold={"throughput/torch/single"})
    app = make_app(replay)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_trials(app, pilot)
        await pilot.press("x")
        await settle(pilot)
        assert replay.started == ["throughput/torch/single"]  # the queued trial never started
        assert {t.status for t in app.session.trials.values()} == {"cancelled"}
        assert not app.trials_running


async def test_failed_trial_is_shown_with_its_cause(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto("trials")
        await pilot.pause()
        await pilot.click("#budget-full")
        await pilot.pause()
        await pilot.press("s")
        await settle(pilot)
        failed = app.session.trials["throughput/torch/distributed"]
        assert failed.status == "error"
        assert "error" in screen_text(app)
        app.goto("recommendation")
        await pilot.pause()
        app.screen.query_one("#rec-tabs").active = "tab-trials"
        await pilot.pause()
        assert "MnistDataError: /nonexistent: no such directory" in screen_text(app)


async def test_leaving_the_screen_does_not_stop_a_run(make_app):
    replay = Replay(hold={"throughput/torch/single"})
    app = make_app(replay)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_trials(app, pilot)
        app.goto("hardware")
        await pilot.pause()
        app.goto("questions")
        await pilot.pause()
        assert app.session.trials["throughput/torch/single"].status == "running"
        assert replay.cancelled == []
        app.goto("trials")
        await pilot.pause()
        assert "running" in screen_text(app)
        app.cancel_all_trials()
        await settle(pilot)


async def test_quit_cancels_running_children(make_app):
    replay = Replay(hold={"throughput/torch/single"})
    app = make_app(replay)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_trials(app, pilot)
        await pilot.press("q")  # trials run: it asks first (test_answers_and_cancel.py)
        await pilot.pause()
        await pilot.press("q")  # q again: quit and stop them
        await pilot.pause()
    assert replay.cancelled == ["throughput/torch/single"]
    assert app.return_code == 0


async def test_missing_framework_and_busy_machine_are_explained(make_app):
    replay = Replay()
    parts = dict(replay.probe["parts"])
    parts["tensorflow"] = {
        "status": "missing",
        "version": None,
        "message": "No module named 'tensorflow'",
        "hint": "pip install tensorflow",
    }
    replay.probe["parts"] = list(parts.items())
    replay.trials["throughput/torch/single"]["result"]["busy_warning"] = (
        "machine busy: other processes used 1.2 of 2 cores"
    )
    app = make_app(replay)
    async with app.run_test(size=(120, 40)) as pilot:
        app.goto("hardware")
        await settle(pilot)
        text = screen_text(app)
        assert "tensorflow missing: No module named 'tensorflow'" in text
        assert "Fix: pip install tensorflow" in text
        await start_trials(app, pilot)
        await settle(pilot)
        assert "Machine busy during PyTorch · 1 process" in screen_text(app)  # short banner


async def test_ctrl_c_quits_cleanly_too(make_app):
    replay = Replay(hold={"throughput/torch/single"})
    app = make_app(replay)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_trials(app, pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert replay.cancelled == ["throughput/torch/single"] and app.return_code == 0
