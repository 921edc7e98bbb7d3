"""The shipped question bank and rules: complete, sourced, and loadable from the package."""

from __future__ import annotations

from collections import Counter

from chooser.decide.answers import load_answers, prefill_from_probe
from chooser.decide.questionnaire import load_questions, shipped_questions_dir
from chooser.decide.recommendation import recommend
from chooser.decide.rules import load_rules


def test_bank_covers_the_brief():
    bank = load_questions()
    assert len(bank.questions) >= 12
    types = Counter(q.type for q in bank.questions)
    assert set(types) == {"single", "multi", "number", "yes_no"}
    assert any(q.condition for q in bank.questions)
    assert any(q.prefill for q in bank.questions)
    for q in bank.questions:
        assert q.text and q.help, q.id
    ids = {q.id for q in bank.questions}
    for needed in (
        "goals",
        "python_experience",
        "dl_experience",
        "style",
        "serving_stack",
        "mobile_runtime",
        "browser_runtime",
        "scale",
        "comm_stack",
        "train_hardware",
        "tooling",
        "team_experience",
        "existing_code",
        "ecosystem",
        "docs_preference",
    ):
        assert needed in ids
    hardware = set(bank.get("train_hardware").option_values)
    assert hardware == {"nvidia", "amd", "apple", "intel", "tpu", "trainium", "cpu"}
    assert {"mpi", "nccl", "grpc_tcp"} <= set(bank.get("comm_stack").option_values)


def test_every_rule_is_sourced_and_reasoned():
    rules = load_rules()
    assert len(rules.rules) >= 20
    for rule in rules.rules:
        assert len(rule.reason) > 20 and rule.source, rule.id
    measured = [r for r in rules.rules if r.measure]
    assert {"single_process_throughput", "single_process_accuracy"} <= {r.id for r in measured}


def test_shipped_dir_is_the_checkout_questions(repo_root):
    assert shipped_questions_dir().resolve() == (repo_root / "questions").resolve()


def test_prefill_from_a_probe_shaped_like_the_contract():
    bank = load_questions()
    nvidia = {
        "gpus": [{"name": "NVIDIA H100"}] * 8,
        "frameworks": {"torch": {"status": "ok", "devices": {"cuda_available": True}}},
    }
    assert prefill_from_probe(bank, nvidia) == {"train_hardware": ["nvidia"], "gpus_per_machine": 8}
    mac = {
        "gpus": [],
        "frameworks": {"torch": {"status": "ok", "devices": {"mps_available": True}}},
    }
    assert prefill_from_probe(bank, mac)["train_hardware"] == ["apple"]
    assert prefill_from_probe(bank, {})["train_hardware"] == ["cpu"]


def test_examples_flip_the_verdict(repo_root):
    bank, rules = load_questions(), load_rules()
    verdicts = {}
    for name in ("researcher", "mobile-production"):
        answers = load_answers(repo_root / "questions" / "examples" / f"{name}.yaml", bank)
        verdicts[name] = recommend(bank, rules, answers, None, []).verdict
    assert verdicts == {"researcher": "torch", "mobile-production": "tensorflow"}


def _scaled_trials(make_trial) -> list[dict]:
    from chooser.measure.scaling import add_scaling

    trials = [
        make_trial("torch", sps=1000.0),
        make_trial("tensorflow", sps=1000.0),
        make_trial("torch", "distributed", sps=800.0),
        make_trial("tensorflow", "distributed", sps=600.0),
    ]
    add_scaling(trials)  # efficiencies 0.8 and 0.6, intervals from the recorded windows
    return trials


TWO_GPUS = {"gpus": [{"name": "GPU 0"}, {"name": "GPU 1"}]}


def test_distributed_trial_rules_only_for_multi_device_users(make_trial):
    """On a machine with the GPUs the user trains on (so the evidence gate lets the
    trials weigh), the distributed rules fire only for several devices."""
    bank, rules = load_questions(), load_rules()
    trials = _scaled_trials(make_trial)
    single = recommend(bank, rules, {"scale": "one_device"}, TWO_GPUS, trials)
    assert "scaling_efficiency" not in [r.id for r in single.fired]
    answers = {"scale": "multi_gpu", "train_hardware": ["nvidia"]}
    multi = recommend(bank, rules, answers, TWO_GPUS, trials)
    fired = {r.id: r for r in multi.fired}
    # distributed_works_here also reads JAX's distributed trial, which did not run here
    waiting = {n.rule_id for n in multi.needs_trials}
    assert "distributed_works_here" in fired or "distributed_works_here" in waiting
    # JAX ran no trial here: neutral on the measured rule (the mean of the measured two)
    # 0.2 behind on a span of 0.5 → 0.6; the interval of the difference clears ±0.1
    assert fired["scaling_efficiency"].scores == {"torch": 1.0, "tensorflow": 0.6, "jax": 0.8}
    assert fired["scaling_efficiency"].weight > 0


def test_trial_rules_weigh_nothing_when_training_hardware_is_elsewhere(make_trial):
    """Several GPUs wanted, trials ran on this CPU-only machine: no trial rule weighs."""
    trials = _scaled_trials(make_trial)
    bank, rules = load_questions(), load_rules()
    answers = {"scale": "multi_gpu", "train_hardware": ["nvidia"]}
    rec = recommend(bank, rules, answers, None, trials)
    trial_rules = [r for r in rec.fired if any(k.startswith("trials.") for k in r.evidence)]
    assert "scaling_efficiency" in {r.id for r in trial_rules}
    for r in trial_rules:
        assert r.weight == 0.0
        assert r.reason.startswith("measured on this CPU, not on your training hardware")
        assert "NVIDIA GPUs" in r.evidence["your training hardware"]
    assert all("scaling_efficiency" not in c.rules or c.weight == 0 for c in rec.criteria)


def test_a_framework_without_a_trial_is_neutral_on_measured_rules(make_trial):
    """JAX not installed (its trial "missing") or not run: the measured rules compare the
    frameworks that ran, exactly as the two-way model did, and JAX is neutral (the mean),
    never a made-up number nor a "needs trial" for everyone."""
    bank, rules = load_questions(), load_rules()
    pair = [make_trial("torch", sps=1000.0), make_trial("tensorflow", sps=500.0)]
    missing_jax = make_trial("jax", status="missing")
    for trials in (pair, [*pair, missing_jax]):
        rec = recommend(bank, rules, {}, None, trials)
        assert "single_process_throughput" not in {n.rule_id for n in rec.needs_trials}
        fired = {r.id: r for r in rec.fired}
        # half the speed on a span of 2 halvings: 1 - 1/2; JAX the mean of the two
        assert fired["single_process_throughput"].scores == {
            "torch": 1.0,
            "tensorflow": 0.5,
            "jax": 0.75,
        }
        assert "JAX not measured" in fired["single_process_throughput"].reason


def test_a_jax_trial_that_failed_is_still_waited_for(make_trial):
    """A trial that ran and failed is not "not installed": the rule names it."""
    bank, rules = load_questions(), load_rules()
    trials = [make_trial("torch"), make_trial("tensorflow"), make_trial("jax", status="error")]
    rec = recommend(bank, rules, {}, None, trials)
    waiting = {n.rule_id: n for n in rec.needs_trials}
    assert waiting["single_process_throughput"].trials == ["throughput/jax/single"]
    assert "single_process_throughput" not in [r.id for r in rec.fired]
