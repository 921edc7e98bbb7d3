"""The review rows and the 'has it trained?' state, without Textual."""

from __future__ import annotations

from tui_fakes import BANK, FakeSpec

from chooser.decide.questionnaire import load_questions
from chooser.tui.answer_review import answer_text, review_rows
from chooser.tui.state import Session, TrialLive, cancelled_result


def test_trained_once_the_last_step_or_the_eval_phase_is_reported():
    live = TrialLive("throughput/torch/single")
    live.apply({"phase": "startup", "step": 0, "of": 0})
    assert not live.trained
    live.apply({"phase": "train", "step": 99, "of": 100, "loss": 0.3})
    assert not live.trained
    live.apply({"phase": "train", "step": 100, "of": 100, "loss": 0.3})
    assert live.trained  # e.g. waiting for the go-ahead to evaluate after its last round
    live.apply({"phase": "eval", "step": 100, "of": 100})
    assert live.trained
    live.finish({"id": live.spec_id, "status": "ok", "steps": 100})
    assert not live.trained and live.done  # finished: nothing left to cancel


def test_a_round_event_does_not_pass_for_the_end_of_training():
    """A ``round`` event's "of" counts rounds (5): step 20 'of 5' is not trained."""
    live = TrialLive("throughput/torch/single")
    live.apply({"event": "progress", "phase": "train", "step": 20, "of": 100, "loss": 1.0})
    live.apply({"event": "round", "round": 1, "of": 5, "steps": 20, "windows": []})
    assert live.of == 100 and not live.trained


def test_cancelled_result_never_says_step_n_of_n():
    live = TrialLive("throughput/torch/single", status="running", phase="train", step=100, of=100)
    message = cancelled_result(live, FakeSpec("torch"))["message"]
    assert "step 100 of 100" not in message and "after its last training step" in message
    live = TrialLive("t", step=1200, of=6000)
    assert "at step 1,200 of 6,000" in cancelled_result(live, FakeSpec("torch"))["message"]


def test_review_rows_say_where_each_answer_came_from(tmp_path):
    bank = load_questions(BANK)
    session = Session(out_dir=tmp_path)
    session.prefill = {"train_hardware": ["cpu"]}
    session.answers = {"onnx_export": True, "goals": ["research"]}
    session.accepted_from = {"goals": "default"}  # accepted unchanged on its page
    rows = {r.qid: r for r in review_rows(bank, session)}
    assert [r.qid for r in review_rows(bank, session)] == [
        q.id for q in bank.visible(session.effective_answers())
    ]
    assert rows["onnx_export"].source == "answered" and rows["onnx_export"].answer == "Yes"
    assert rows["goals"].source == "default"
    assert rows["train_hardware"].source == "probe"
    assert rows["train_hardware"].answer == "CPU only"  # the option's label, not its value
    assert rows["scale"].source == "default"


def test_answer_text_uses_labels_and_the_number_style():
    bank = {q.id: q for q in load_questions(BANK).questions}
    assert answer_text(bank["machines"], 100000) == "100,000"
    assert answer_text(bank["onnx_export"], False) == "No"
    assert answer_text(bank["goals"], []) == "none"
