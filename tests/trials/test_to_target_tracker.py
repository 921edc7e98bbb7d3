"""TargetTracker (probes/trials/to_target.py): cadence, evaluation time left out of training
time, the stop decision and the result fields, on a fake clock; the validation split."""

from __future__ import annotations

import argparse
import types

import numpy as np
import pytest

from probes.trials import common, to_target
from probes.trials.to_target import TargetTracker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run(tracker: TargetTracker, clock: Clock, accuracies: list[float], max_steps: int = 1000):
    """Train 1 s per 10 steps; each evaluation takes 0.5 s and returns the next accuracy."""
    queue = list(accuracies)

    def evaluate() -> float:
        clock.now += 0.5
        return queue.pop(0)

    tracker.start()
    evaluated = []
    for step in range(1, max_steps + 1):
        clock.now += 0.1
        if tracker.due(step, last=step == max_steps):
            evaluated.append(step)
            if tracker.check(step, evaluate):
                return step, evaluated
    return max_steps, evaluated


def test_cadence_exclusion_and_stop_on_target() -> None:
    clock = Clock()
    tracker = TargetTracker(0.9, 10, 60.0, 50, clock=clock, samples_per_step=64)
    stopped, evaluated = run(tracker, clock, [0.5, 0.8, 0.91, 0.99])
    assert evaluated == [10, 20, 30] and stopped == 30  # every 10 steps; stops at the hit
    fields = tracker.fields(validation_samples=400, split="val", max_steps=1000)
    assert fields["reached_target"] is True and fields["steps_to_target"] == 30
    assert fields["time_to_target_s"] == pytest.approx(3.0)  # 30 steps × 0.1 s, no eval time
    assert fields["eval_time_excluded_s"] == pytest.approx(1.5)  # three evaluations × 0.5 s
    assert fields["epochs_to_target"] == pytest.approx(30 / 50)
    assert fields["eval_every_steps"] == 10 and fields["message"] is None
    assert [e["step"] for e in fields["evaluations"]] == [10, 20, 30]
    assert tracker.train_seconds() == pytest.approx(3.0)
    speed = tracker.speed()  # stretches after the first: 10 steps × 64 samples in 1 s
    assert speed["windows"] == 2 and speed["median"] == pytest.approx(640.0)


def test_time_cap_stops_and_says_so() -> None:
    clock = Clock()
    tracker = TargetTracker(0.99, 10, 2.5, 50, clock=clock)
    stopped, _ = run(tracker, clock, [0.5] * 10)
    assert stopped == 30  # 3.0 s of training >= the 2.5 s cap at the third evaluation
    fields = tracker.fields(validation_samples=400, split="val", max_steps=1000)
    assert fields["reached_target"] is False and fields["time_to_target_s"] is None
    assert fields["steps_to_target"] is None and fields["epochs_to_target"] is None
    assert fields["message"] == (
        "did not reach 0.99 in 3 s (the --max-train-s cap); best validation accuracy 0.5000"
    )


def test_step_cap_evaluates_the_last_step() -> None:
    clock = Clock()
    tracker = TargetTracker(0.99, 10, 600.0, 50, clock=clock)
    stopped, evaluated = run(tracker, clock, [0.5, 0.6, 0.7], max_steps=25)
    assert evaluated == [10, 20, 25] and stopped == 25
    assert tracker.message(25) == "did not reach 0.99 in 25 steps (the step cap); best " + (
        "validation accuracy 0.7000"
    )


def test_distributed_agreement_decides() -> None:
    """A rank that does not evaluate still stops when a peer says so (all-reduced flag)."""
    clock = Clock()
    votes = []

    def agree(stop: bool) -> bool:
        votes.append(stop)
        return True  # rank 0 reached the target

    tracker = TargetTracker(0.9, 10, 60.0, 50, agree=agree, clock=clock)
    tracker.start()
    clock.now += 1.0
    assert tracker.check(10, lambda: None) is True
    assert votes == [False]  # this rank's own vote
    assert tracker.reached_at is None and tracker.history == []


def test_validation_is_held_out_of_train_never_test() -> None:
    rng = np.random.default_rng(0)
    data = types.SimpleNamespace(
        train_images=np.arange(1000)[:, None, None] * np.ones((1, 28, 28), np.int64),
        train_labels=rng.integers(0, 10, 1000),
        test_images=np.zeros((200, 28, 28)),
        test_labels=np.zeros(200),
    )
    images, labels, text = to_target.hold_out_validation(data, 0, seed=3)
    assert len(labels) == 100 and len(data.train_labels) == 900  # a tenth by default
    val_ids, train_ids = set(images[:, 0, 0]), set(data.train_images[:, 0, 0])
    assert not val_ids & train_ids and len(val_ids | train_ids) == 1000
    assert len(data.test_labels) == 200 and "200 test images" in text
    with pytest.raises(ValueError, match="must leave train images"):
        to_target.hold_out_validation(data, 900, seed=3)


def flags(*argv: str) -> argparse.Namespace:
    args = common.build_parser("t", "t").parse_args(list(argv))
    common.positive(args)
    return args


def test_flags_defaults_and_refusals() -> None:
    args = flags("--kind", "time_to_accuracy")
    assert to_target.target_for(args, "embedded") == 0.95
    assert to_target.target_for(args, "idx") == 0.97
    assert (
        to_target.target_for(flags("--kind", "time_to_accuracy", "--target", "0.8"), "idx") == 0.8
    )
    assert to_target.eval_every_for(args, 56) == 20 and to_target.eval_every_for(args, 859) == 107
    assert to_target.max_steps_for(args, 56) == 56 * to_target.DEFAULT_MAX_EPOCHS
    for bad in (("--target", "1.2"), ("--max-train-s", "0"), ("--eval-every", "-1")):
        with pytest.raises(ValueError):
            flags("--kind", "time_to_accuracy", *bad)
