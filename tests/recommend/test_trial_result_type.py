"""One typed trial result (probes/result.py): ids with kind, old ids as aliases, the rules'
trials.* names and the report schema derived from it, schema 1 reports still read."""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace

from chooser.decide.namespaces import TRIAL_SPEC
from chooser.decide.recommendation import recommend
from chooser.decide.rules import load_rules
from chooser.report import load_report, render, write_report
from chooser.report.model import build_report, report_json_schema
from probes.result import FIELDS, IDENTITY, Throughput, alias, split_id, trial_id
from probes.trials import common


def test_ids_carry_kind_framework_and_mode():
    assert trial_id("torch", "single") == "throughput/torch/single"
    assert split_id("throughput/tensorflow/distributed") == (
        "throughput",
        "tensorflow",
        "distributed",
    )
    assert split_id("tensorflow_distributed") == ("throughput", "tensorflow", "distributed")
    assert alias("throughput/torch/single") == "torch_single"


def test_what_the_children_write_is_declared():
    """Every key the shared child code writes is a TrialResult field (no silent drift)."""
    args = argparse.Namespace(
        mode="single",
        shuffle_labels=False,
        epochs=None,
        batch_size=64,
        optimizer="adam",
        lr=1e-3,
        momentum=0.9,
        seed=0,
    )
    data = SimpleNamespace(
        source="test", source_kind="embedded", train_labels=[0] * 10, test_labels=[0] * 5
    )
    base = common.base_result(
        args, framework="torch", versions={}, data=data, world_size=1, device="cpu", steps=3
    )
    measured = common.measured_fields(
        speed={"median": 1.0, "min": 1.0, "max": 1.0, "windows": 1, "method": "m"},
        accuracy=0.5,
        final_loss=0.1,
        first_step_s=0.1,
        train_time=1.0,
        rss_per_rank=[1],
        checksums=[{"sha256": "x", "sum": 1.0, "count": 1}],
        tensorboard_dir=None,
    )
    assert set(base) | set(measured) <= set(FIELDS)


def test_rules_names_derive_from_the_type():
    assert set(FIELDS) <= set(TRIAL_SPEC)
    assert "final_loss" in TRIAL_SPEC and "peak_gpu_memory_bytes" in TRIAL_SPEC  # were rejected
    assert "workers" not in TRIAL_SPEC  # no result has it
    assert set(TRIAL_SPEC["samples_per_second"]) == set(Throughput.__annotations__)
    assert set(IDENTITY) >= {"id", "kind", "status", "framework", "mode"}


def test_report_schema_lists_every_trial_field():
    schema = report_json_schema()
    trial = schema["$defs"]["TrialResult"]["properties"]
    assert set(FIELDS) == set(trial)


def test_canonical_and_old_names_read_the_same_trial(mini, write, make_trial):
    bank, _ = mini
    rules = load_rules(
        write(
            "both.yaml",
            """\
criteria:
  - {id: c, label: C}
rules:
  - id: new_name
    criterion: c
    condition: trials.throughput.torch.single.test_accuracy > 0.9
    scores: {torch: 1, tensorflow: 0}
    reason: R.
    source: s
    checked: 2026-12
  - id: old_name
    criterion: c
    condition: trials.torch_single.test_accuracy > 0.9
    scores: {torch: 1, tensorflow: 0}
    reason: R.
    source: s
    checked: 2026-12
  - id: missing
    criterion: c
    condition: trials.throughput.tensorflow.single.ok
    scores: {torch: 0, tensorflow: 1}
    reason: R.
    source: s
    checked: 2026-12
""",
        ),
        bank,
    )
    rec = recommend(bank, rules, {}, None, [make_trial("torch", acc=0.95)])
    assert {r.id for r in rec.fired} == {"new_name", "old_name"}
    assert [n.trials for n in rec.needs_trials] == [["throughput/tensorflow/single"]]


def test_schema_1_and_2_reports_are_read_and_upgraded(mini, make_trial, tmp_path):
    bank, rules = mini
    trials = [make_trial("torch")]
    rec = recommend(bank, rules, {}, None, trials)
    path = write_report(
        build_report(bank, rules, rec, None, trials, command_line=["t"]), tmp_path / "r.json"
    )
    data = json.loads(path.read_text())
    assert data["schema_version"] == "3" and data["trials"][0]["id"] == "throughput/torch/single"
    data["schema_version"] = "2"  # issue 10's schema: today's decision model, old trial ids
    data["trials"][0]["id"] = "torch_single"
    del data["trials"][0]["kind"]
    path.write_text(json.dumps(data))
    report = load_report(path)
    assert report.schema_version == "3"
    assert report.trials[0]["id"] == "throughput/torch/single"
    assert report.trials[0]["kind"] == "throughput"
    assert render(report, "md")  # renders


def test_schema_1_points_reports_are_read(mini, make_trial, tmp_path):
    """Schema 1 scored with flat points: the verdict, totals, margin and rules are kept; the
    recommendation says it predates criteria (none listed, nothing recomputed)."""
    bank, rules = mini
    trials = [make_trial("torch")]
    rec = recommend(bank, rules, {}, None, trials)
    path = write_report(
        build_report(bank, rules, rec, None, trials, command_line=["t"]), tmp_path / "r.json"
    )
    data = json.loads(path.read_text())
    data["schema_version"] = "1"
    data["trials"][0]["id"] = "torch_single"
    data["recommendation"] = {
        "verdict": "torch",
        "totals": {"torch": 5.0, "tensorflow": 3.0},
        "margin": 2.0,
        "confidence": {"level": "medium", "value": 0.25, "explanation": "leads by 2 of 8"},
        "fired": [
            {
                "id": "r",
                "status": "fired",
                "points": {"torch": 5.0, "tensorflow": 0.0},
                "reason": "R.",
                "source": "s",
            }
        ],
        "needs_trials": [],
        "skipped": [],
        "what_would_change": [],
        "answers": {},
        "answer_origin": {},
    }
    path.write_text(json.dumps(data))
    report = load_report(path)
    old = report.recommendation
    assert report.schema_version == "3" and report.trials[0]["id"] == "throughput/torch/single"
    assert (old.verdict, old.totals, old.margin, old.stake) == (
        "torch",
        {"torch": 5.0, "tensorflow": 3.0},
        2.0,
        8.0,
    )
    assert old.confidence.level == "medium" and old.criteria == []
    assert "schema 1" in old.outcome and [r.id for r in old.fired] == ["r"]
    assert "PyTorch" in render(report, "md")
