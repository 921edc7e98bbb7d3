"""Issue 12: answers that cannot slip (● marker, no wrap-around, a validation note that goes
with its question, a review page with sources and edit), cancel that keeps a trained
trial, q that asks while trials run, help on F1 / ?. The fake runner replays recorded
events (the UI is under test); the real-child cancel test is in test_real_runner.py."""

from __future__ import annotations

import pytest
from tui_fakes import Replay, answer_all_defaults, screen_text, settle


async def _go_to(pilot, qid: str) -> None:
    for _ in range(40):
        if pilot.app.current_mode == "questions" and pilot.app.screen.current_qid() == qid:
            return
        await pilot.press("enter")
        await pilot.pause()
    raise AssertionError(f"never reached question {qid!r}")


# -- answers that cannot slip ----------------------------------------------------------
async def test_down_on_the_last_option_stays_there(make_app):
    """The bug: Down on "No" wrapped to "Yes" and `onnx_export: true` was recorded."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _go_to(pilot, "onnx_export")  # its default is No, the last option
        await pilot.press("down")  # on the last option: stays on No
        await pilot.pause()
        assert app.session.answers["onnx_export"] is False
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.answers["onnx_export"] is False
        await pilot.press("escape")  # back to it: Up, then Up on the first option stays
        await pilot.pause()
        await pilot.press("up", "up", "up")
        await pilot.pause()
        assert app.session.answers["onnx_export"] is True


async def test_the_chosen_option_is_marked_not_only_coloured(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _go_to(pilot, "onnx_export")
        text = screen_text(app)
        assert "○ Yes" in text and "● No" in text  # default false
        await pilot.press("up")
        await pilot.pause()
        text = screen_text(app)
        assert "● Yes" in text and "○ No" in text


async def test_a_validation_note_does_not_outlive_its_question(make_app):
    app = make_app(frozen_bank=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _go_to(pilot, "scale")
        await pilot.press("down", "down", "enter")  # "Several machines": `machines` appears
        await pilot.pause()
        assert app.screen.current_qid() == "machines"
        app.screen.query_one("QuestionForm Input").value = "1"  # below its minimum of 2
        await pilot.press("enter")
        await pilot.pause()
        assert "Please type a number between 2 and 100,000." in screen_text(app)
        assert not app._notifications  # not a toast that stays behind
        await pilot.press("escape")  # another question: the note went with its form
        await pilot.pause()
        assert app.screen.current_qid() != "machines"
        assert "Please type a number" not in screen_text(app)


# -- the review page -------------------------------------------------------------------
async def test_review_lists_every_answer_with_its_source_and_edits_one(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _go_to(pilot, "onnx_export")
        await pilot.press("up")  # Yes: answered (the default is No)
        await pilot.pause()
        while app.current_mode == "questions":
            await pilot.press("enter")
            await pilot.pause()
        assert app.current_mode == "review"
        assert (tmp_path / "chooser-answers.yaml").exists()
        screen = app.screen
        rows = screen.rows()
        visible = [q.id for q in app.bank.visible(app.session.effective_answers())]
        assert [r.qid for r in rows] == visible  # every answer, in order
        sources = {r.qid: r.source for r in rows}
        assert sources["onnx_export"] == "answered"
        assert sources["train_hardware"] == "probe"  # accepted the probe's pre-fill
        assert "default" in sources.values()
        text = screen_text(app)
        assert "Saved to" in text and "edit" in text and "answered" in text
        assert not app._notifications  # said on the page: no toast over the next screen
        # edit: jump to the question, change it, come back to the review
        screen.edit("onnx_export")
        await pilot.pause()
        await pilot.pause()  # the question's list takes the focus after a refresh
        assert app.current_mode == "questions" and app.screen.current_qid() == "onnx_export"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.current_mode == "review"
        assert app.session.answers["onnx_export"] is False
        assert "onnx_export: false" in (tmp_path / "chooser-answers.yaml").read_text()
        await pilot.press("n")
        await pilot.pause()
        assert app.current_mode == "hardware"
        await pilot.press("escape")  # back from hardware is the review
        await pilot.pause()
        assert app.current_mode == "review"


async def test_enter_on_a_review_row_edits_that_answer(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await answer_all_defaults(pilot, through_review=False)
        assert app.current_mode == "review"
        rows = app.screen.rows()
        listing = app.screen.query_one("#review-list")
        listing.focus()
        await pilot.press("down", "down")
        await pilot.pause()
        chosen = listing.get_option_at_index(listing.highlighted).id
        assert chosen == rows[1].qid  # the column titles cannot be chosen
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "questions"
        assert app.screen.current_qid() == chosen
        await pilot.press("escape")  # Esc while editing: back to the review, unchanged
        await pilot.pause()
        assert app.current_mode == "review"


async def test_answers_file_opens_at_the_review(make_app, tmp_path):
    saved = tmp_path / "mine.yaml"
    saved.write_text("goals: [production_serving]\nonnx_export: true\n")
    app = make_app(answers_path=saved, probe_on_start=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.current_mode == "review"
        assert "Question 1 of" not in screen_text(app)
        sources = {r.qid: r.source for r in app.screen.rows()}
        assert sources["onnx_export"] == "answered" and sources["goals"] == "answered"
        assert str(saved) in screen_text(app).replace("\n", "")  # says where they came from


# -- cancel means cancel (UI: replayed events; the real child: test_real_runner.py) ----
async def _start(app, pilot) -> None:
    app.goto("trials")
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()


async def _until(pilot, check, tries: int = 50) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause()
    raise AssertionError("never happened")


async def test_c_during_evaluation_keeps_the_result(make_app):
    """The bug: `c` while the trial evaluated threw its result away ("cancelled at step
    600 of 600"). The trial here holds in its eval phase until let go."""
    replay = Replay(hold={"throughput/torch/single"}, hold_phase="eval")
    app = make_app(replay)
    async with app.run_test(size=(100, 30)) as pilot:
        await _start(app, pilot)
        live = app.session.trials["throughput/torch/single"]
        await _until(pilot, lambda: live.phase == "eval")
        await pilot.press("c")
        await pilot.pause()
        assert replay.cancelled == []  # nothing was killed
        assert "kept" in live.note and "finished before cancel — kept" in screen_text(app)
        replay.release("throughput/torch/single")
        await settle(pilot)
        assert live.status == "ok" and live.result["status"] == "ok"
        assert "finished before cancel — kept" in screen_text(app)
        assert "cancelled" not in str(live.result.get("message"))


async def test_c_while_training_cancels_and_says_where(make_app):
    replay = Replay(hold={"throughput/torch/single"})  # holds before its last step
    app = make_app(replay)
    async with app.run_test(size=(100, 30)) as pilot:
        await _start(app, pilot)
        live = app.session.trials["throughput/torch/single"]
        await _until(pilot, lambda: live.step == 586)
        await pilot.press("c")
        await settle(pilot)
        assert replay.cancelled == ["throughput/torch/single"]
        assert live.status == "cancelled" and "at step 586 of 600" in live.message


async def test_x_cancels_what_trains_and_keeps_what_trained(make_app):
    replay = Replay(hold={"throughput/torch/single"}, hold_phase="eval")
    app = make_app(replay)
    async with app.run_test(size=(100, 30)) as pilot:
        await _start(app, pilot)
        torch = app.session.trials["throughput/torch/single"]
        await _until(pilot, lambda: torch.phase == "eval")
        await pilot.press("x")
        await pilot.pause()
        tf = app.session.trials["throughput/tensorflow/single"]
        assert tf.status == "cancelled" and "before it started" in tf.message  # queued
        replay.release("throughput/torch/single")
        await settle(pilot)
        assert torch.status == "ok" and torch.note == "finished before cancel — kept"
        assert replay.started == ["throughput/torch/single"]


# -- q asks while trials run ---------------------------------------------------------------
async def test_q_during_trials_asks_and_keep_going_keeps_them(make_app):
    replay = Replay(hold={"throughput/torch/single"})
    app = make_app(replay)
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert "Trials are running" in screen_text(app)
        await pilot.press("escape")  # Keep going
        await pilot.pause()
        assert app.is_running and replay.cancelled == [] and app.trials_running
        await pilot.press("q")
        await pilot.pause()
        await pilot.click("#quit-stop")
        await pilot.pause()
    assert replay.cancelled == ["throughput/torch/single"] and app.return_code == 0


async def test_q_without_trials_quits_at_once(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


# -- help ------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["f1", "question_mark"])
async def test_help_opens_on_f1_and_question_mark_and_esc_closes_it(make_app, key):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.goto("trials")
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        from chooser.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keys — trials" in text and "Cancel all" in text  # this screen's keys
        assert "finished training is kept" in text.replace("\n", " ")
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "trials" and not isinstance(app.screen, HelpScreen)


# -- smaller items ---------------------------------------------------------------------------
async def test_busy_banner_is_whole_at_80x24(make_app):
    replay = Replay()
    for spec_id in ("throughput/torch/single", "throughput/tensorflow/single"):
        replay.trials[spec_id]["result"]["busy_warning"] = (
            "machine busy: other processes used 1.2 of 2 cores on average during this trial "
            "(top: stress (pid 4242) 1.0); its timings are not comparable with runs on an "
            "idle machine"
        )
    app = make_app(replay)
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(app, pilot)
        await settle(pilot)
        banner = " ".join(screen_text(app).split())
        # the recorded TensorFlow trial is not comparable (its windows spread): its reason
        # comes first, and its busy warning is not repeated in the busy line
        assert "TensorFlow · 1 process: not comparable, throughput windows spread" in banner
        assert (
            "Machine busy during PyTorch · 1 process: timings not comparable with an idle "
            "machine (details in each result)." in banner
        )


async def test_footer_and_button_name_the_next_step_alike(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.goto("trials")
        await pilot.pause()
        text = screen_text(app)
        assert "Recommendation ▸" in text and "n Recommendation" in text
        assert "Verdict" not in text and "Next: recommendation" not in text


async def test_question_mark_on_a_question_page_opens_help(make_app):
    from chooser.tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _go_to(pilot, "onnx_export")  # the answer list has the focus
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "● marks it" in screen_text(app)
        await pilot.press("question_mark")  # ? again closes it
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.session.answers.get("onnx_export", False) is False  # nothing moved


def _both_installed() -> bool:
    from chooser.measure.trials import installed

    return installed("torch") and installed("tensorflow")


@pytest.mark.skipif(not _both_installed(), reason="interleaved rounds need both frameworks")
async def test_cancel_spares_an_interleaved_partner_that_has_trained(make_app):
    """Interleaved rounds stop together: cancelling TensorFlow in its last round would
    throw away PyTorch's finished training, so it is refused and both finish."""
    import asyncio

    from tui_fakes import fake_services

    replay, gate, cancelled = Replay(), asyncio.Event(), []

    async def interleave(specs, rounds, on_event=None, wait_quiet_s=0.0):
        for spec in specs:  # torch: every training step; tensorflow: not its last one
            for event in replay.trials[spec.id]["events"]:
                if event.get("phase") == "eval" or (
                    spec.framework == "tensorflow" and event.get("step", 0) >= 300
                ):
                    break
                on_event(spec.id, dict(event))
        try:
            await gate.wait()
        except asyncio.CancelledError:
            cancelled.extend(s.id for s in specs)
            raise
        return [replay.trials[s.id]["result"] for s in specs]

    app = make_app(services=fake_services(replay, run_interleaved=interleave))
    async with app.run_test(size=(100, 30)) as pilot:
        await _start(app, pilot)
        torch = app.session.trials["throughput/torch/single"]
        tf = app.session.trials["throughput/tensorflow/single"]
        await _until(pilot, lambda: torch.trained and tf.step == 270)
        assert not app.cancel_trial(tf.spec_id)  # its row's Cancel button
        assert "finished training; stopping one stops both" in app.cancel_outcome(tf.spec_id)
        await pilot.press("c")  # the first running trial is torch: trained, kept
        await pilot.pause()
        assert torch.note == "finished before cancel — kept" and cancelled == []
        gate.set()
        await settle(pilot)
        assert torch.status == tf.status == "ok" and cancelled == []
