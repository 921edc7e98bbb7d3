"""The chooser side of time-to-accuracy trials: validation, the child command, the full
suite, and results kept out of the throughput-only steps (rounds, scaling, ratios)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from chooser.core.errors import UserError
from chooser.measure import to_target
from chooser.measure.scaling import add_scaling
from chooser.measure.suite import comparisons
from chooser.measure.trials import TrialSpec, installed, suite_specs, trial_argv, validate
from chooser.pipeline.suite_run import SuiteRun
from chooser.views.to_target import time_to_target_text

TTA = "time_to_accuracy"


@pytest.mark.parametrize(
    "spec, words",
    [
        (TrialSpec("torch", kind=TTA, target=1.5), "--target must be an accuracy between 0 and 1"),
        (TrialSpec("torch", kind=TTA, target=0.0), "--target must be an accuracy between 0 and 1"),
        (TrialSpec("torch", kind=TTA, eval_every=0), "--eval-every must be 1 to"),
        (TrialSpec("torch", target=0.9), "--target and --eval-every need --kind time_to_accuracy"),
        (TrialSpec("torch", kind="speed"), "unknown trial kind 'speed'"),
    ],
)
def test_bad_values_are_user_errors(spec, words) -> None:
    with pytest.raises(UserError, match=words):
        validate(spec)


def test_child_command_carries_kind_target_cadence_and_cap() -> None:
    spec = TrialSpec("tensorflow", kind=TTA, target=0.8, eval_every=10, timeout_s=100)
    validate(spec)
    argv = trial_argv(spec)
    tail = argv[argv.index("--kind") :]
    assert tail == ["--kind", TTA, "--max-train-s", "60.0", "--target", "0.8", "--eval-every", "10"]
    assert spec.id == "time_to_accuracy/tensorflow/single"
    assert "--kind" not in trial_argv(TrialSpec("tensorflow"))


def test_full_suite_has_a_single_tta_trial_per_installed_framework() -> None:
    full = [s for s in suite_specs("full") if s.kind == TTA]
    expected = [fw for fw in ("torch", "tensorflow", "jax") if installed(fw)]
    assert [s.framework for s in full] == expected
    assert all(s.mode == "single" and s.timeout_s == 900 for s in full)
    assert not [s for s in suite_specs("quick") if s.kind == TTA]
    run = SuiteRun(suite_specs("full"), rounds=8)
    grouped = [s for step in run._steps() if len(step) > 1 for s in step]
    assert grouped and all(s.kind == "throughput" for s in grouped)  # rounds time throughput


def result(framework: str, mode: str, kind: str, sps: float) -> dict:
    return {
        "id": f"{kind}/{framework}/{mode}",
        "kind": kind,
        "framework": framework,
        "mode": mode,
        "world_size": 1 if mode == "single" else 2,
        "status": "ok",
        "device": "cpu",
        "comparable": True,
        "samples_per_second": {"median": sps, "min": sps, "max": sps, "window_rates": [sps] * 4},
    }


def test_scaling_and_ratios_read_throughput_trials_only() -> None:
    results = [
        result("torch", "single", "throughput", 1000.0),
        result("torch", "single", TTA, 10.0),  # would make scaling 50x if it were read
        result("torch", "distributed", "throughput", 500.0),
        result("tensorflow", "single", TTA, 900.0),
    ]
    add_scaling(results)
    assert results[2]["scaling"]["baseline_id"] == "throughput/torch/single"
    assert results[2]["scaling_efficiency"] == 0.5
    assert comparisons(results) == []  # one throughput result per mode: nothing to compare


def test_cli_row_says_what_was_measured() -> None:
    base = {
        "kind": TTA,
        "status": "ok",
        "target_accuracy": 0.95,
        "eval_every_steps": 20,
        "validation_samples": 400,
        "eval_time_excluded_s": 1.5,
    }
    hit = {**base, "reached_target": True, "time_to_target_s": 3.25, "steps_to_target": 700}
    assert time_to_target_text({**hit, "epochs_to_target": 12.5}) == (
        "reached 95.0 % validation accuracy in 3.2 s of training (700 steps, 12.5 epochs; "
        "validated every 20 steps on 400 held-out train images; 1.5 s of evaluation excluded)"
    )
    miss = {**base, "reached_target": False, "message": "did not reach 0.95 in 60 s"}
    assert time_to_target_text(miss).startswith("did not reach 0.95 in 60 s (validated every")
    assert time_to_target_text({"kind": "throughput", "status": "ok"}) is None


def test_cli_bad_target_is_one_line_exit_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "chooser", "trial", "--kind", TTA, "--target", "97"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "chooser: error: --target must be an accuracy between 0 and 1 (e.g. 0.95), got 97.0"
    ]


def test_cap_leaves_time_for_start_and_test_evaluation() -> None:
    assert to_target.max_train_s(300) == 180.0 and to_target.max_train_s(900) == 540.0
