"""The time_to_accuracy rule on recorded results: it scores the faster framework only when
every measured one reached the target, the results are comparable, and the difference is
beyond 1.2x even against the evaluation cadence (chooser.decide.to_target)."""

from __future__ import annotations

import pytest

from chooser.decide.questionnaire import load_questions
from chooser.decide.recommendation import recommend
from chooser.decide.rules import load_rules
from chooser.decide.to_target import lower_bound_s


@pytest.fixture(scope="module")
def shipped():
    bank = load_questions()
    return bank, load_rules(bank=bank)


def tta(make_trial, framework: str, seconds: float | None, before: float, **extra) -> dict:
    """A time-to-accuracy result reaching 0.95 at step 600 after ``seconds`` of training;
    the evaluation before it (step 580) at ``before`` seconds."""
    reached = seconds is not None
    return make_trial(
        framework,
        id=f"time_to_accuracy/{framework}/single",
        kind="time_to_accuracy",
        target_accuracy=0.95,
        reached_target=reached,
        time_to_target_s=seconds,
        steps_to_target=600 if reached else None,
        eval_every_steps=20,
        evaluations=[
            {"step": 580, "accuracy": 0.94, "train_s": before},
            {"step": 600, "accuracy": 0.95 if reached else 0.94, "train_s": seconds or before},
        ],
        message=None if reached else "did not reach 0.95 in 60 s (the --max-train-s cap)",
        **extra,
    )


def rule(shipped, trials):
    bank, rules = shipped
    rec = recommend(bank, rules, {}, None, trials)
    fired = {r.id: r for r in rec.fired}
    return fired.get("time_to_accuracy"), rec


def missing_jax(make_trial):
    return make_trial(
        "jax", id="time_to_accuracy/jax/single", kind="time_to_accuracy", status="missing"
    )


def test_clearly_faster_scores(shipped, make_trial):
    trials = [
        tta(make_trial, "torch", 5.0, 4.8),
        tta(make_trial, "tensorflow", 20.0, 19.0),
        missing_jax(make_trial),
    ]
    result, _ = rule(shipped, trials)
    assert result is not None and result.weight > 0
    assert result.scores["torch"] == 1.0
    assert result.scores["tensorflow"] == pytest.approx(0.0)  # 4x slower: two halvings
    assert "time-to-target ratio 4.00" in result.evidence["measurement"]


def test_within_band_is_noise(shipped, make_trial):
    trials = [tta(make_trial, "torch", 5.0, 4.8), tta(make_trial, "tensorflow", 5.8, 5.6)]
    result, _ = rule(shipped, [*trials, missing_jax(make_trial)])
    assert result.weight == 0.0 and result.reason.startswith("equal within measurement noise")


def test_cadence_bracket_can_make_it_noise(shipped, make_trial):
    """1.4x apart as reported, but the slower run's evaluation before the hit was at
    5.5 s: the target may have been crossed within 1.1x of the faster one."""
    slow = tta(make_trial, "tensorflow", 7.0, 5.5)
    assert lower_bound_s(slow) == 5.5
    trials = [tta(make_trial, "torch", 5.0, 4.8), slow, missing_jax(make_trial)]
    result, _ = rule(shipped, trials)
    assert result.weight == 0.0
    assert (
        "at least 1.10 with the slower run taken at its evaluation before the hit"
        in (result.evidence["measurement test"])
    )


def test_not_reached_scores_nothing(shipped, make_trial):
    trials = [
        tta(make_trial, "torch", 5.0, 4.8),
        tta(make_trial, "tensorflow", None, 50.0),
        missing_jax(make_trial),
    ]
    result, _ = rule(shipped, trials)
    assert result.weight == 0.0 and result.scores == {}
    assert result.reason.startswith(
        "not measurable on this machine now: time_to_accuracy/tensorflow/single did not "
        "reach its target (did not reach 0.95 in 60 s"
    )


def test_not_comparable_is_a_note(shipped, make_trial):
    busy = tta(make_trial, "torch", 5.0, 4.8, comparable=False, comparable_reason="other processes")
    trials = [busy, tta(make_trial, "tensorflow", 20.0, 19.0), missing_jax(make_trial)]
    result, _ = rule(shipped, trials)
    assert result.weight == 0.0 and result.reason.startswith("not measurable on this machine now")
