"""Variants (tuned / beginner / compiled): ids, specs, the out-of-the-box share, and where
it shows (suite JSON, report). The share is computed from real results recorded on the
development machine (fixtures/variant_results.json, made with the commands in its "how")."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from chooser.core import frameworks, numbers
from chooser.core.errors import UserError
from chooser.measure.scaling import add_scaling
from chooser.measure.suite import comparisons, suite_json
from chooser.measure.trials import TrialSpec, installed, suite_specs, trial_argv, validate
from chooser.measure.variants import out_of_box_share
from probes.result import split_id, split_variant, trial_id

FIXTURE = Path(__file__).parent / "fixtures" / "variant_results.json"


@pytest.fixture()
def recorded() -> list[dict]:
    return json.loads(FIXTURE.read_text())["results"]


def test_variant_ids_round_trip_and_old_ids_still_parse() -> None:
    assert trial_id("torch", "single") == "throughput/torch/single"
    assert trial_id("torch", "single", variant="beginner") == "throughput/torch/single+beginner"
    assert split_id("throughput/torch/single+beginner") == (
        "throughput",
        "torch",
        "single+beginner",
    )
    assert split_variant("single+beginner") == ("single", "beginner")
    assert split_variant("single") == ("single", "tuned")
    assert split_id("torch_single") == ("throughput", "torch", "single")
    spec = TrialSpec("tensorflow", variant="compiled", steps=5)
    assert spec.id == "throughput/tensorflow/single+compiled"
    assert numbers.trial_name(spec.id) == "TensorFlow · compiled · 1 process"
    assert numbers.trial_name({"id": "throughput/torch/single", "variant": "tuned"}) == (
        "PyTorch · 1 process"
    )


def test_variant_modules_and_flags() -> None:
    argv = trial_argv(TrialSpec("torch", variant="beginner", steps=5))
    assert argv[argv.index("-m") + 1] == "probes.trials.beginner_torch"
    assert argv[argv.index("--variant") + 1] == "beginner"
    argv = trial_argv(TrialSpec("tensorflow", variant="compiled", steps=5))
    assert argv[argv.index("-m") + 1] == "probes.trials.tensorflow_trial"
    assert "--variant" not in trial_argv(TrialSpec("torch", steps=5))


def test_variants_are_single_process_and_registered_only() -> None:
    with pytest.raises(UserError, match="variants are single-process"):
        validate(TrialSpec("torch", mode="distributed", workers=2, variant="beginner"))
    if frameworks.known("jax"):
        with pytest.raises(UserError, match="no 'beginner' variant of the jax single trial"):
            validate(TrialSpec("jax", variant="beginner"))


def test_full_suite_holds_beginner_and_compiled_per_installed_framework() -> None:
    full = {s.id for s in suite_specs("full")}
    quick = {s.id for s in suite_specs("quick")}
    for fw in frameworks.frameworks():
        for variant in fw.variant_modules:
            vid = trial_id(fw.id, "single", variant=variant)
            assert (vid in full) == installed(fw.id)
            assert vid not in quick


def test_out_of_box_share_from_recorded_results(recorded: list[dict]) -> None:
    shares = out_of_box_share(recorded)
    assert set(shares) == {"torch", "tensorflow"}
    for framework, share in shares.items():
        rates = {
            r["variant"]: r["samples_per_second"]["median"]
            for r in recorded
            if r["framework"] == framework
        }
        assert share["samples_per_second"] == rates
        best = max(rates, key=rates.get)
        assert share["beginner_id"] == f"throughput/{framework}/single+beginner"
        assert share["best_id"] == trial_id(framework, "single", variant=best)
        if best == "beginner":
            assert share["share"] == 1.0 and share["ci95"] is None
            assert share["reason"].startswith("the beginner variant was the fastest")
            apart = [r for r in recorded if r["framework"] == framework and not r["comparable"]]
            assert share["comparable"] is (not apart)
            assert all(r["id"] in share["reason"] for r in apart)
            continue
        # pooled window medians: close to, not equal to, the ratio of the results' medians
        assert share["share"] == pytest.approx(rates["beginner"] / rates[best], rel=0.05)
        low, high = share["ci95"]
        assert low <= share["share"] <= high
        assert "bootstrap" in share["interval_method"]
        beginner = next(r for r in recorded if r["id"] == share["beginner_id"])
        best_result = next(r for r in recorded if r["id"] == share["best_id"])
        assert share["comparable"] == (beginner["comparable"] and best_result["comparable"])


def test_share_is_not_comparable_when_an_input_is_not(recorded: list[dict]) -> None:
    results = copy.deepcopy(recorded)
    for r in results:
        r.update(comparable=True, comparable_reason=None)
    beginner = next(r for r in results if r["id"] == "throughput/torch/single+beginner")
    beginner.update(comparable=False, comparable_reason="other processes used 1.30 cores")
    torch = out_of_box_share(results)["torch"]
    assert torch["comparable"] is False
    assert "throughput/torch/single+beginner: other processes used 1.30 cores" in torch["reason"]


def test_failed_beginner_gives_no_share_and_says_why(recorded: list[dict]) -> None:
    results = copy.deepcopy(recorded)
    beginner = next(r for r in results if r["id"] == "throughput/tensorflow/single+beginner")
    beginner.update(status="timeout", message="timed out after 900 s", samples_per_second=None)
    share = out_of_box_share(results)["tensorflow"]
    assert share["share"] is None and share["comparable"] is False
    assert "did not measure a throughput (timeout: timed out after 900 s)" in share["reason"]


def test_variants_stay_out_of_framework_comparisons_and_scaling(recorded: list[dict]) -> None:
    results = copy.deepcopy(recorded)
    pairs = comparisons(results)
    assert pairs and all("+" not in i for p in pairs for i in p["ids"])
    dist = {
        **copy.deepcopy(next(r for r in results if r["id"] == "throughput/torch/single")),
        "id": "throughput/torch/distributed",
        "mode": "distributed",
        "world_size": 2,
    }
    add_scaling([*results, dist])
    assert dist["scaling"]["baseline_id"] == "throughput/torch/single"


def test_suite_json_carries_the_share(recorded: list[dict]) -> None:
    document = suite_json("full", False, 1.0, {"threads": 2}, [], recorded)
    assert document["out_of_box_share"] == out_of_box_share(recorded)
    assert document["results"] is recorded
    json.dumps(document)  # plain JSON


def test_a_variant_without_throughput_is_left_out_and_said(recorded: list[dict]) -> None:
    results = copy.deepcopy(recorded)
    for r in results:
        r.update(comparable=True, comparable_reason=None)
    compiled = next(r for r in results if r["id"] == "throughput/torch/single+compiled")
    compiled.update(status="error", message="torch.compile needs a C compiler (gcc/cc not found)")
    share = out_of_box_share(results)["torch"]
    assert share["left_out"] == [
        "throughput/torch/single+compiled (error: torch.compile needs a C compiler "
        "(gcc/cc not found))"
    ]
    assert share["comparable"] is True  # a compiler this machine lacks: the best of the rest
    assert set(share["samples_per_second"]) == {"tuned", "beginner"}
    # the full suite on the 4,000-image subset: interleaved rounds too short for a window
    tuned = next(r for r in results if r["id"] == "throughput/torch/single")
    tuned["samples_per_second"] = {"median": None, "method": "no complete window in any round"}
    share = out_of_box_share(results)["torch"]
    assert share["comparable"] is False
    assert share["reason"].startswith("the tuned trial measured no throughput")
    assert "throughput/torch/single (ok: no complete window in any round)" in share["left_out"]
