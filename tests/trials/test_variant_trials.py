"""Real beginner and compiled trials, started the way chooser starts them, on the shipped
data with small budgets: each result carries its variant, a measured throughput, an
accuracy and an energy figure or the honest reason there is none."""

from __future__ import annotations

from importlib.util import find_spec

import pytest

from chooser.measure.trials import RESULT_KEYS, TrialSpec, run_trial

pytestmark = pytest.mark.slow

needs_torch = pytest.mark.skipif(find_spec("torch") is None, reason="torch is not installed")
needs_tf = pytest.mark.skipif(find_spec("tensorflow") is None, reason="tensorflow not installed")


def assert_variant_result(result: dict, variant: str, framework: str) -> None:
    assert result["status"] == "ok", (result.get("message"), result.get("stderr_tail"))
    assert set(RESULT_KEYS) <= set(result)
    assert result["variant"] == variant
    assert result["id"] == f"throughput/{framework}/single+{variant}"
    sps = result["samples_per_second"]
    assert sps["median"] > 0 and sps["windows"] >= 2 and len(sps["window_rates"]) >= 2
    assert "windows of 10 steps after 5 warm-up steps" in sps["method"]
    assert 0.0 <= result["test_accuracy"] <= 1.0
    assert result["steps"] == 30
    assert f"--variant {variant}" in result["command"]
    # energy: a figure with its source, or null with the reason (this container has neither)
    if result["energy_joules"] is None:
        assert result["energy_note"].startswith("not available on this machine: ")
    else:
        assert result["energy_joules"] > 0 and "read before and after" in result["energy_note"]
    assert "comparable" in result


@needs_torch
async def test_torch_beginner_trial() -> None:
    result = await run_trial(TrialSpec("torch", variant="beginner", steps=30, timeout_s=180))
    assert_variant_result(result, "beginner", "torch")
    assert result["channels_last"] is False
    assert result["train_samples"] > 0 and result["data_source"]


@needs_tf
async def test_tensorflow_beginner_trial() -> None:
    result = await run_trial(TrialSpec("tensorflow", variant="beginner", steps=30, timeout_s=180))
    assert_variant_result(result, "beginner", "tensorflow")
    assert result["versions"]["keras"]


@needs_tf
async def test_tensorflow_compiled_trial() -> None:
    result = await run_trial(TrialSpec("tensorflow", variant="compiled", steps=30, timeout_s=180))
    assert_variant_result(result, "compiled", "tensorflow")


@needs_torch
async def test_torch_compiled_measures_or_names_the_missing_compiler() -> None:
    result = await run_trial(TrialSpec("torch", variant="compiled", steps=30, timeout_s=300))
    if result["status"] == "ok":
        assert_variant_result(result, "compiled", "torch")
    else:
        assert result["status"] == "error"
        assert "torch.compile" in result["message"], result["message"]
        assert result["energy_joules"] is None


@needs_torch
async def test_torch_compiled_without_a_compiler_says_so(tmp_path, monkeypatch) -> None:
    """A PATH with no compiler on it (the interpreter is started by its full path)."""
    monkeypatch.setenv("PATH", str(tmp_path))
    result = await run_trial(TrialSpec("torch", variant="compiled", steps=30, timeout_s=120))
    assert result["status"] == "error"
    assert "torch.compile needs a C compiler (gcc/cc not found on PATH)" in result["message"]
    assert result["variant"] == "compiled"
    assert result["energy_joules"] is None
    assert result["energy_note"] == "not measured: the trial did not report energy"
