"""The decision model on hand-built answers, probe and trial results (docs/rules.md):
criteria that score every framework, weighing, one fact counted once, knock-outs,
outcomes, confidence and sensitivity, needs-trials and what would change the verdict."""

from __future__ import annotations

import math

import pytest

from chooser.decide.recommendation import recommend


def test_defaults_weigh_nothing(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {}, None, [])
    assert rec.verdict == "either" and rec.stake == 0.0
    assert rec.totals == {"torch": 0.0, "tensorflow": 0.0}
    assert rec.confidence.level == "none"
    assert [r.id for r in rec.not_weighed] == ["research"]  # goal left at its default
    assert rec.fired == []
    assert rec.answer_origin["runtime"] == "hidden" and rec.answers["runtime"] is None


def test_an_answer_scores_every_framework(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {"goal": "research"}, None, [])
    assert rec.verdict == "torch"
    assert rec.totals == {"torch": 2.0, "tensorflow": 0.0} and rec.stake == 2.0
    assert rec.margin == 2.0
    fired = rec.fired[0]
    assert fired.id == "research" and fired.scores == {"torch": 1.0, "tensorflow": 0.0}
    assert fired.evidence == {"answers.goal": "research"} and fired.checked == "2026-12"
    research = next(c for c in rec.criteria if c.id == "research")
    assert research.weight == 2.0 and research.rules == ["research"]


def test_mobile_answers_exact_totals(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {"goal": "mobile", "runtime": "litert"}, None, [])
    assert rec.verdict == "tensorflow"
    assert rec.totals == {"torch": 1.5, "tensorflow": 3.0}
    assert rec.margin == 1.5 and rec.confidence.relative_margin == 0.5


def test_a_default_answer_weighs_nothing(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {"goal": "mobile"}, None, [])  # runtime shown, not answered
    assert rec.answer_origin["runtime"] == "default"
    assert [r.id for r in rec.not_weighed] == ["litert"]
    assert rec.verdict == "either" and rec.stake == 0.0


def test_one_fact_counts_once(mini):
    bank, rules = mini
    rec = recommend(
        bank,
        rules,
        {"goal": "mobile", "runtime": "litert", "libs": ["keras"], "team": True},
        None,
        [],
    )
    api = next(c for c in rec.criteria if c.id == "api")
    assert api.rules == ["keras", "keras_again"]
    assert api.weight == 2.0  # the heaviest rule, not 2 + 1
    assert api.scores == {"torch": 0.8, "tensorflow": 1.0}
    assert rec.totals == {"torch": 3.1, "tensorflow": 8.0} and rec.stake == 8.0


def test_a_lead_only_keras_3_bridges_is_either(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {"libs": ["keras"]}, None, [])
    assert rec.totals == {"torch": 1.6, "tensorflow": 2.0}  # 20 % of the stake …
    assert rec.verdict == "either"  # … but Keras 3 runs on both backends
    assert "Keras 3" in rec.outcome and rec.suggestions == ["keras3"]


def test_hard_requirement_knocks_out(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {"goal": "mobile", "runtime": "litert", "libs": ["hf"]}, None, [])
    assert rec.totals == {"torch": 1.5, "tensorflow": 3.0}  # TensorFlow scores higher …
    assert rec.verdict == "torch"  # … but cannot meet the requirement
    assert [(k.rule_id, k.frameworks) for k in rec.knockouts] == [("hf_only", ["tensorflow"])]
    assert "hard requirements" in rec.outcome


def test_measured_scores(mini, make_trial):
    bank, rules = mini
    trials = [
        make_trial("torch", sps=2000.0, acc=0.96),
        make_trial("tensorflow", sps=1000.0, acc=0.95),
    ]
    rec = recommend(bank, rules, {}, None, trials)
    fired = {r.id: r for r in rec.fired}
    assert fired["speed"].scores == {"torch": 1.0, "tensorflow": 0.5}  # one halving of span 2
    assert fired["speed"].reason == "PyTorch ran at 2.00x TensorFlow's speed."
    assert fired["accuracy"].scores == {"torch": 1.0, "tensorflow": 0.5}  # 1 point of span 2
    assert fired["accuracy"].reason == "Accuracy 96.0 vs 95.0."
    assert rec.totals == {"torch": 1.0, "tensorflow": 0.5}
    assert rec.verdict == "torch"
    assert rec.confidence.level == "low"  # every answer is a default: tentative at best
    assert fired["speed"].evidence["trials.torch_single.samples_per_second.median"] == 2000.0


def test_measured_ratio_has_a_floor(mini, make_trial):
    bank, rules = mini
    trials = [make_trial("torch", sps=100.0), make_trial("tensorflow", sps=1600.0)]
    fired = {r.id: r for r in recommend(bank, rules, {}, None, trials).fired}
    assert fired["speed"].scores == {"torch": 0.0, "tensorflow": 1.0}  # 4 halvings ≥ span 2
    assert math.isclose(fired["speed"].measured["ratio"], 1 / 16)


def test_trial_not_run_is_reported_not_zero(mini, make_trial):
    bank, rules = mini
    rec = recommend(bank, rules, {}, None, [make_trial("torch")])
    needs = {n.rule_id: n for n in rec.needs_trials}
    assert set(needs) == {"speed", "accuracy"}
    assert needs["speed"].trials == ["throughput/tensorflow/single"]
    assert needs["speed"].max_points == 1.0
    assert needs["speed"].detail.startswith(
        "needs the trial TensorFlow · 1 process, which was not run; run it from"
    )
    assert "speed" not in [r.id for r in rec.fired]


def test_failed_trial_is_reported_with_its_cause(mini, make_trial):
    bank, rules = mini
    trials = [make_trial("torch"), make_trial("tensorflow", status="error")]
    needs = {n.rule_id: n for n in recommend(bank, rules, {}, None, trials).needs_trials}
    assert (
        "needs TensorFlow · 1 process, which did not succeed (error: the child crashed); run it"
        in needs["speed"].detail
    )


def test_could_flip_only_when_strictly_above_the_margin(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {"goal": "research", "team": True}, None, [])
    assert rec.verdict == "tensorflow" and rec.margin == 1.0
    assert all(n.max_points == 1.0 and not n.could_flip for n in rec.needs_trials)  # a tie
    rec = recommend(bank, rules, {"libs": ["keras"], "gpus": 2}, None, [])
    assert rec.margin == pytest.approx(0.1)
    assert all(n.could_flip for n in rec.needs_trials)


def test_prefill_from_probe_weighs(mini):
    from chooser.decide.answers import prefill_from_probe

    bank, rules = mini
    probe = {"gpus": [{"name": "H100"}, {"name": "H100"}, {"name": "H100"}]}
    assert prefill_from_probe(bank, probe) == {"gpus": 3}
    rec = recommend(bank, rules, {}, probe, [])
    assert rec.answer_origin["gpus"] == "probe"
    assert [r.id for r in rec.fired] == ["many_gpus"]
    assert rec.totals == {"torch": 1.0, "tensorflow": 0.5}


def test_what_if_separates_facts_from_choices(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {"goal": "research"}, None, [])
    flips = [(w.group, [c.path for c in w.changes], w.verdict) for w in rec.what_would_change]
    assert ("fact", ["answers.team"], "tensorflow") in flips  # team: kind fact
    team = next(w for w in rec.what_would_change if w.changes[0].path == "answers.team")
    assert team.totals == {"torch": 2.0, "tensorflow": 3.0}
    assert "single answer" in rec.what_would_change_note


def test_pairs_searched_when_no_single_change_flips(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {"goal": "research", "libs": ["hf"]}, None, [])
    assert rec.verdict == "torch"
    pairs = [[c.path for c in w.changes] for w in rec.what_would_change]
    assert ["answers.libs", "answers.team"] in pairs
    assert all(len(p) == 2 for p in pairs)
    assert "pairs were searched" in rec.what_would_change_note


def test_sensitivity_counts_perturbations(mini):
    from chooser.decide.confidence import sensitivity
    from chooser.decide.scoring import CriterionResult

    a = CriterionResult(
        id="a", label="A", weight=3.0, scores={"torch": 1.0, "tensorflow": 0.0}, rules=["x"]
    )
    b = CriterionResult(
        id="b", label="B", weight=2.5, scores={"torch": 0.0, "tensorflow": 1.0}, rules=["y"]
    )
    sens = sensitivity([a, b], ["torch", "tensorflow"], "torch")
    assert sens.tried == 4  # every ×0.7 / ×1.3 combination of two weights
    assert sens.holds == 0.75  # only 3 × 0.7 < 2.5 × 1.3 flips it


def test_deterministic(mini, make_trial):
    bank, rules = mini
    trials = [make_trial("torch", sps=1234.5), make_trial("tensorflow", sps=987.6)]
    answers = {"goal": "mobile", "libs": ["hf", "keras"], "gpus": 4}
    first = recommend(bank, rules, answers, {"gpus": []}, trials).model_dump_json()
    for _ in range(3):
        assert recommend(bank, rules, answers, {"gpus": []}, trials).model_dump_json() == first


def test_missing_probe_value_is_reported(write, two_frameworks):
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.rules import load_rules

    bank = load_questions(
        write("q.yaml", "questions:\n  - {id: a, text: A, type: yes_no, default: true}\n")
    )
    rules = load_rules(
        write(
            "r.yaml",
            """\
        criteria:
          - {id: machine, label: Machine}
        rules:
          - id: cores
            criterion: machine
            condition: probe.cpu.usable_cores >= 4
            scores: {torch: 1, tensorflow: 0.5}
            reason: cores
            source: t
            checked: 2026-12
        """,
        ),
        bank=bank,
    )
    rec = recommend(bank, rules, {}, {"cpu": {}}, [])
    assert rec.fired == []
    assert rec.skipped[0].status == "missing"
    assert "probe.cpu.usable_cores" in rec.skipped[0].detail
    rec = recommend(bank, rules, {}, {"cpu": {"usable_cores": 8}}, [])
    assert [r.id for r in rec.fired] == ["cores"]  # reads no answer: always weighed


def test_visible_follows_conditions(mini):
    bank, _ = mini
    assert [q.id for q in bank.visible({})] == ["goal", "libs", "gpus", "team"]
    assert [q.id for q in bank.visible({"goal": "mobile"})] == [
        "goal",
        "runtime",
        "libs",
        "gpus",
        "team",
    ]


def test_answers_round_trip(mini, tmp_path):
    from chooser.decide.answers import default_answers, load_answers, save_answers

    bank, _ = mini
    answers = {**default_answers(bank), "libs": ["keras", "hf"], "team": True}
    save_answers(tmp_path / "a.yaml", answers)
    loaded = load_answers(tmp_path / "a.yaml", bank)
    assert loaded == {**answers, "libs": ["hf", "keras"]}  # canonical option order
