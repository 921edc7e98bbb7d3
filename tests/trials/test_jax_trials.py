"""Real JAX trials on real MNIST: single process, two processes over jax.distributed, the
shuffled-labels honesty check, and the probe. Skipped, with the reason, without jax."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("jax", reason="JAX is optional: pip install 'chooser[jax]'")
pytest.importorskip("flax", reason="the JAX trial needs flax: pip install 'chooser[jax]'")
pytest.importorskip("optax", reason="the JAX trial needs optax: pip install 'chooser[jax]'")

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def run_module(module: str, *args: str, timeout: float = 180, env: dict | None = None) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert events, proc.stderr[-2000:]
    return events[-1]


def trial(data_dir: Path, *extra: str, launcher: bool = False) -> dict:
    if launcher:
        return run_module(
            "probes.frameworks.jax.launch",
            "--workers",
            "2",
            "--steps",
            "120",
            "--data",
            str(data_dir),
            *extra,
        )
    return run_module(
        "probes.frameworks.jax.trial", "--steps", "120", "--data", str(data_dir), *extra
    )


def test_single_trains_for_real_and_says_how(shared_mnist_dir):
    result = trial(shared_mnist_dir)
    assert result["event"] == "result", result
    assert result["framework"] == "jax" and result["mode"] == "single"
    assert result["world_size"] == 1 and result["steps"] == 120
    assert result["train_samples"] == 8000 and result["test_samples"] == 2000
    assert 0.80 < result["test_accuracy"] <= 1.0  # 120 steps of batch 64 on real digits
    assert result["samples_per_second"]["median"] > 0
    assert set(result["versions"]) >= {"jax", "jaxlib", "flax", "optax", "python", "numpy"}
    assert result["threads_per_rank"] >= 1 and result["cpus_pinned"]


def test_shuffled_labels_fall_to_chance(shared_mnist_dir):
    result = trial(shared_mnist_dir, "--shuffle-labels")
    assert result["labels_shuffled"] is True and "SHUFFLED" in result["data_source"]
    assert result["test_accuracy"] < 0.2  # ten classes: chance is 0.1


def test_two_processes_stay_in_sync(shared_mnist_dir):
    result = trial(shared_mnist_dir, launcher=True)
    assert result["event"] == "result", result
    assert result["mode"] == "distributed" and result["world_size"] == 2
    assert result["global_batch_size"] == 128
    assert len(result["param_checksums"]) == 2 and result["checksums_equal"] is True
    assert "gloo" in result["backend"]
    assert result["threads_per_rank"] == max(1, len(os.sched_getaffinity(0)) // 2)
    assert result["test_accuracy"] > 0.8
    assert "probes.frameworks.jax.launch" in result["command"]


def test_a_failing_process_is_named_with_its_cause(tmp_path):
    result = run_module(
        "probes.frameworks.jax.launch",
        "--workers",
        "2",
        "--steps",
        "5",
        "--data",
        str(tmp_path / "absent"),
    )
    assert result["event"] == "error"
    assert "JAX process" in result["message"] and "absent" in result["message"]


def test_probe_reports_the_build():
    result = run_module("probes.frameworks.jax.probe", timeout=60)
    assert result["status"] == "ok" and result["version"]
    assert result["devices"]["count"] >= 1 and result["devices"]["backend"]
    assert "gloo" in result["distributed"]["cpu_collectives"]


def test_probe_without_jax_says_how_to_install(tmp_path):
    blocker = tmp_path / "jax.py"
    blocker.write_text("raise ModuleNotFoundError(\"No module named 'jax'\", name='jax')\n")
    result = run_module(
        "probes.frameworks.jax.probe",
        timeout=60,
        env={"PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}"},
    )
    assert result["status"] == "missing"
    assert result["hint"] == "pip install 'chooser[jax]'"


def test_tensorboard_events_without_tensorflow(shared_mnist_dir, tmp_path):
    result = run_module(
        "probes.frameworks.jax.trial",
        "--steps",
        "30",
        "--data",
        str(shared_mnist_dir),
        "--tensorboard",
        str(tmp_path / "tb"),
    )
    assert result["event"] == "result" and result["tensorboard_dir"] == str(tmp_path / "tb")
    files = list((tmp_path / "tb" / "jax_single").glob("events.out.tfevents.*"))
    assert files
    import types

    sys.modules.setdefault("tensorboard.compat.notf", types.ModuleType("notf"))  # no TF import
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(files[0]))
    events.Reload()
    assert {"train/loss", "train/samples_per_second", "test/accuracy"} <= set(
        events.Tags()["scalars"]
    )
    assert events.Scalars("test/accuracy")[-1].value == pytest.approx(result["test_accuracy"])
