"""Real time-to-accuracy trials on the shipped data (the embedded 5,000-image subset),
started the way chooser starts them, to a low target (0.80) so they end in seconds."""

from __future__ import annotations

import asyncio
from importlib.util import find_spec

import pytest

from chooser.measure.trials import TrialSpec, run_trial

pytestmark = pytest.mark.slow

CONTRACT = (
    "target_accuracy",
    "reached_target",
    "time_to_target_s",
    "steps_to_target",
    "epochs_to_target",
    "eval_every_steps",
    "eval_time_excluded_s",
    "validation_samples",
    "split",
)


def needs(module: str):
    return pytest.mark.skipif(find_spec(module) is None, reason=f"{module} is not installed")


def run(framework: str, mode: str = "single", **extra) -> dict:
    spec = TrialSpec(
        framework,
        mode,
        workers=2 if mode == "distributed" else 1,
        kind="time_to_accuracy",
        target=0.8,
        eval_every=10,
        timeout_s=180,
        **extra,
    )
    return asyncio.run(run_trial(spec))


def assert_reached(result: dict, framework: str, mode: str) -> None:
    assert result["status"] == "ok", (result.get("message"), result.get("stderr_tail"))
    assert result["id"] == f"time_to_accuracy/{framework}/{mode}"
    assert result["kind"] == "time_to_accuracy"
    assert set(CONTRACT) <= set(result)
    assert result["target_accuracy"] == 0.8 and result["reached_target"] is True
    assert result["message"] is None
    assert result["eval_every_steps"] == 10
    assert result["steps_to_target"] % 10 == 0 and result["steps"] == result["steps_to_target"]
    hit = result["evaluations"][-1]
    assert hit["step"] == result["steps_to_target"] and hit["accuracy"] >= 0.8
    assert all(e["accuracy"] < 0.8 for e in result["evaluations"][:-1])  # the first hit
    assert 0 < result["time_to_target_s"] <= result["wall_time_s"]
    assert result["eval_time_excluded_s"] > 0
    assert result["epochs_to_target"] == pytest.approx(
        result["steps_to_target"] * result["global_batch_size"] / result["train_samples"], 0.05
    )
    assert result["validation_samples"] == 400 and result["train_samples"] == 3600
    assert "held out of the 4,000 train images" in result["split"]
    assert result["test_samples"] == 1000 and 0.7 < result["test_accuracy"] <= 1.0
    assert "--kind time_to_accuracy" in result["command"]
    assert result["comparable"] is not None


@needs("torch")
def test_torch_single_reaches_target() -> None:
    assert_reached(run("torch"), "torch", "single")


@needs("tensorflow")
def test_tensorflow_single_reaches_target() -> None:
    assert_reached(run("tensorflow"), "tensorflow", "single")


@needs("torch")
def test_torch_ddp_ranks_stop_on_the_same_step() -> None:
    result = run("torch", "distributed")
    assert_reached(result, "torch", "distributed")
    assert result["world_size"] == 2 and result["backend"] == "gloo"
    assert result["stop_step_per_rank"] == [result["steps_to_target"]] * 2
    assert result["checksums_equal"] is True  # the same number of identical steps


@needs("torch")
def test_time_cap_is_ok_with_a_clear_message() -> None:
    spec = TrialSpec(
        "torch",
        kind="time_to_accuracy",
        target=0.999,
        steps=1_000_000,  # so the time cap, not the step cap, ends it
        timeout_s=120,
        extra_args=("--max-train-s", "2"),  # after the flags from the timeout: it wins
    )
    result = asyncio.run(run_trial(spec))
    assert result["status"] == "ok", result.get("message")
    assert result["reached_target"] is False and result["time_to_target_s"] is None
    assert result["max_train_s"] == 2.0 and result["train_time_s"] >= 2.0
    assert result["message"].startswith("did not reach 0.999 in ")
    assert "s (the --max-train-s cap); best validation accuracy 0." in result["message"]


@needs("tensorflow")
def test_tensorflow_multiworker_stops_together() -> None:
    """Both MultiWorkerMirrored workers stop on the same step: a worker that went on would
    hang in the next collective (the trial would time out) or end with other weights."""
    result = run("tensorflow", "distributed")
    assert_reached(result, "tensorflow", "distributed")
    assert result["world_size"] == 2 and result["checksums_equal"] is True


@needs("jax")
def test_jax_single_reaches_target() -> None:
    assert_reached(run("jax"), "jax", "single")
