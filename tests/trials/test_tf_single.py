"""The TensorFlow single-process trial, for real on the real MNIST test set (small budget)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.util import find_spec

import pytest

from chooser.measure.runner import child_env
from chooser.measure.trials import RESULT_KEYS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_spec("tensorflow") is None,
        reason="tensorflow is not installed here: pip install 'chooser[tensorflow]'",
    ),
]

# The fields the trial itself reports; run_trial adds id, kind, status, message, busy_warning.
TRIAL_KEYS = set(RESULT_KEYS) - {"id", "kind", "status", "message", "busy_warning"}


def test_single_trial_result_is_complete_and_stdout_is_only_json(shared_mnist_dir, tmp_path):
    argv = [
        sys.executable,
        "-m",
        "probes.trials.tensorflow_trial",
        "--data",
        str(shared_mnist_dir),
        "--steps",
        "40",
        "--max-eval",
        "500",
        "--tensorboard",
        str(tmp_path / "tb"),
    ]
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=180, env=child_env(), stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr[-3000:]
    events = [json.loads(line) for line in done.stdout.splitlines()]  # every line is JSON
    assert [e["event"] for e in events].count("result") == 1 and events[-1]["event"] == "result"
    train = [e for e in events if e.get("phase") == "train"]
    assert train and train[-1]["step"] == 40 and train[-1]["of"] == 40
    result = events[-1]

    assert TRIAL_KEYS <= result.keys(), TRIAL_KEYS - result.keys()
    assert result["framework"] == "tensorflow" and result["mode"] == "single"
    assert result["world_size"] == 1 and result["device"] == "cpu"
    assert result["steps"] == 40 and result["batch_size"] == 64 and result["optimizer"] == "adam"
    assert result["train_samples"] == 8000 and result["test_samples"] == 500
    assert "t10k" in result["data_source"] and "8,000 train" in result["data_source"]
    speed = result["samples_per_second"]
    assert {"median", "min", "max", "windows"} <= speed.keys()
    assert speed["windows"] >= 2 and 0 < speed["min"] <= speed["median"] <= speed["max"]
    assert 0.0 <= result["test_accuracy"] <= 1.0
    assert result["gflops_per_second"] > 0
    assert 0 < result["time_to_first_step_s"] < result["wall_time_s"]
    assert result["peak_rss_bytes"] > 100 * 2**20  # TensorFlow alone takes more than this
    assert len(result["param_checksums"]) == 1 and len(result["param_checksums"][0]) == 64
    assert result["checksums_equal"] is True
    assert result["versions"]["tensorflow"] and result["versions"]["keras"]
    assert result["versions"]["python"]
    assert (
        "probes.trials.tensorflow_trial" in result["command"] and "--steps 40" in result["command"]
    )
    assert list((tmp_path / "tb" / "tensorflow_single").glob("events.out.tfevents.*"))


def test_checksum_follows_the_weights(shared_mnist_dir):
    """Two seeds, two different sets of trained weights: the checksum is not a constant
    (the distributed test relies on it to prove the replicas stayed in sync)."""

    def checksum(seed: int) -> str:
        argv = [
            sys.executable,
            "-m",
            "probes.trials.tensorflow_trial",
            "--data",
            str(shared_mnist_dir),
            "--steps",
            "3",
            "--max-eval",
            "10",
            "--seed",
            str(seed),
        ]
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=180,
            env=child_env(),
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.splitlines()[-1])["param_checksums"][0]

    assert checksum(1) != checksum(2)
