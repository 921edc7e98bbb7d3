"""Resume, the command palette, themes and the coalescing of progress messages."""

from __future__ import annotations

import pytest
from tui_fakes import Replay, screen_text, settle

from chooser.tui.commands import ChooserCommands
from chooser.tui.messages import TrialUpdated


async def test_resume_from_saved_answers(make_app, tmp_path):
    saved = tmp_path / "mine.yaml"
    saved.write_text("goals: [production_serving]\nonnx_export: true\n")
    app = make_app(frozen_bank=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        field = app.screen.query_one("#resume-path")
        assert field.value == str(tmp_path / "chooser-answers.yaml")  # the default place
        field.value = str(saved)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "review"  # what was loaded, before the hardware step
        assert app.session.answers == {"goals": ["production_serving"], "onnx_export": True}


async def test_resume_from_a_bad_file_names_file_and_line(make_app, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("goals: [research]\nno_such_question: 3\n")
    app = make_app(frozen_bank=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#resume-path").value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "questions" and app.session.answers == {}
        toasts = [n.message for n in app._notifications]
        assert any(f"{bad}:2" in m and "no_such_question" in m for m in toasts), toasts


async def test_conditional_question_appears_after_its_answer(make_app):
    app = make_app(frozen_bank=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = [q.id for q in app.screen.visible_questions()]
        bank = {q.id: q for q in app.bank.questions}
        conditional = [q for q in app.bank.questions if q.condition]
        assert conditional, "the shipped bank has conditional questions"
        hidden = [q for q in conditional if q.id not in before]
        assert hidden, "some conditional question starts hidden with the defaults"
        # find an answer that shows one: try each option of earlier questions
        for q in app.bank.questions:
            for value in [o.value for o in q.options] if q.options else [True, False]:
                answer = [value] if q.type == "multi" else value
                app.session.answers = {q.id: answer}
                if set(q2.id for q2 in app.screen.visible_questions()) - set(before):
                    assert bank[q.id]
                    return
        pytest.fail("no single answer makes a hidden question visible")


async def test_palette_offers_the_main_actions(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        provider = ChooserCommands(app.screen)
        titles = [hit.text for hit in [h async for h in provider.discover()]]
        for wanted in (
            "Run probe",
            "Run quick trials",
            "Export report",
            "Switch theme (light/dark)",
        ):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert "CommandPalette" in type(app.screen).__name__


async def test_theme_toggles_light_and_dark(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"


async def test_probe_parts_show_as_they_arrive(make_app):
    gate = Replay()
    shown = []
    original = gate.run_probe

    async def probe(on_part=None, timeout=60.0):
        def spy(name, part):
            on_part(name, part)
            shown.append((name, "probing…" in screen_text(app)))

        return await original(spy, timeout)

    gate.run_probe = probe
    app = make_app(gate)
    async with app.run_test(size=(100, 30)) as pilot:
        app.goto("hardware")
        await settle(pilot)
        assert [name for name, _ in shown] == ["hardware", "jax", "tensorflow", "torch"]
        assert "probing…" not in screen_text(app)
        assert "2.13.0+cpu" in screen_text(app)


def test_progress_messages_merge():
    first, second, other = TrialUpdated("a"), TrialUpdated("a"), TrialUpdated("b")
    assert second.can_replace(first) and not other.can_replace(first)


async def _go_to(pilot, qid: str) -> None:
    for _ in range(30):
        if pilot.app.screen.current_qid() == qid:
            return
        await pilot.press("enter")
        await pilot.pause()
    raise AssertionError(f"never reached question {qid!r}")


async def test_choice_then_number_question_with_bounds(make_app):
    app = make_app(frozen_bank=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _go_to(pilot, "train_hardware")
        assert "pre-filled from the hardware probe" in screen_text(app)
        assert app.session.prefill["train_hardware"] == ["cpu"]  # the probe found no GPU
        await _go_to(pilot, "scale")
        await pilot.press("down", "down", "enter")  # "Several machines"
        await pilot.pause()
        assert app.session.answers["scale"] == "multi_node"
        assert app.screen.current_qid() == "machines"  # the conditional question appeared
        field = app.screen.query_one("QuestionForm Input")
        field.value = "1"  # below its minimum of 2
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.current_qid() == "machines" and "machines" not in app.session.answers
        field.value = "8"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.answers["machines"] == 8 and app.screen.current_qid() != "machines"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.current_qid() == "machines"  # back keeps the answer
        assert app.screen.query_one("QuestionForm Input").value == "8"


async def test_a_flood_of_progress_events_is_merged(make_app):
    replay = Replay(delay=None)
    flood = [
        {"event": "progress", "phase": "train", "step": i, "of": 5000, "loss": 1 / i}
        for i in range(1, 5001)
    ]
    replay.trials["throughput/torch/single"]["events"] = flood  # 5,000 events with no pause between
    app = make_app(replay)
    handled = []
    original = app.on_trial_updated
    app.on_trial_updated = lambda message: (handled.append(message), original(message))
    async with app.run_test(size=(100, 30)) as pilot:
        app.goto("trials")
        await pilot.pause()
        await pilot.press("s")
        await settle(pilot)
        live = app.session.trials["throughput/torch/single"]
        assert live.losses[-1] == (5000, 1 / 5000)  # every event was folded in
        assert len(handled) < 10  # but the screen was asked to repaint only a few times
