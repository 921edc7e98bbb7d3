"""Rules engine and recommendation on hand-built answers, probe and trial results."""

from __future__ import annotations

import math

import pytest

from chooser.decide.recommendation import recommend


def test_defaults_exact_totals(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {}, None, [])
    assert rec.verdict == "torch"
    assert rec.totals == {"torch": 3.0, "tensorflow": 0.0}
    assert [r.id for r in rec.fired] == ["research"]
    assert rec.fired[0].evidence == {"answers.goal": "research"}
    assert rec.answer_origin["runtime"] == "hidden"
    assert rec.answers["runtime"] is None


def test_mobile_answers_exact_totals(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {"goal": "mobile", "libs": ["keras"], "team": True}, None, [])
    assert rec.verdict == "tensorflow"
    assert rec.totals == {"torch": 0.0, "tensorflow": 7.5}
    assert [r.id for r in rec.fired] == ["litert", "keras", "team"]
    assert rec.margin == 7.5
    assert rec.confidence.level == "high"
    assert rec.answer_origin["runtime"] == "default"  # visible now, not answered


def test_measured_ratio_points(mini, make_trial):
    bank, rules = mini
    trials = [make_trial("torch", sps=2000.0, acc=0.96), make_trial("tensorflow", sps=1000.0,
                                                                    acc=0.95)]
    rec = recommend(bank, rules, {}, None, trials)
    fired = {r.id: r for r in rec.fired}
    assert fired["speed"].points == {"torch": 2.0, "tensorflow": 0.0}  # log2(2) × 2
    assert fired["speed"].reason == "PyTorch ran at 2.00x TensorFlow's speed."
    assert fired["accuracy"].points["torch"] == pytest.approx(0.5)  # 1 point × 0.5
    assert fired["accuracy"].reason == "Accuracy 96.0 vs 95.0."
    assert rec.totals["torch"] == pytest.approx(5.5)
    assert fired["speed"].evidence["trials.torch_single.samples_per_second.median"] == 2000.0


def test_measured_ratio_is_capped_and_signed(mini, make_trial):
    bank, rules = mini
    trials = [make_trial("torch", sps=100.0), make_trial("tensorflow", sps=1600.0)]
    fired = {r.id: r for r in recommend(bank, rules, {}, None, trials).fired}
    assert fired["speed"].points == {"torch": 0.0, "tensorflow": 2.0}  # 2×log2(16)=8 → cap 2
    assert math.isclose(fired["speed"].measured["ratio"], 1 / 16)


def test_trial_not_run_is_reported_not_zero(mini, make_trial):
    bank, rules = mini
    rec = recommend(bank, rules, {}, None, [make_trial("torch")])
    needs = {n.rule_id: n for n in rec.needs_trials}
    assert set(needs) == {"speed", "accuracy"}
    assert needs["speed"].trials == ["throughput/tensorflow/single"]
    assert "needs trial throughput/tensorflow/single" in needs["speed"].detail
    assert "speed" not in [r.id for r in rec.fired]


def test_failed_trial_is_reported_with_its_cause(mini, make_trial):
    bank, rules = mini
    trials = [make_trial("torch"), make_trial("tensorflow", status="error")]
    needs = {n.rule_id: n for n in recommend(bank, rules, {}, None, trials).needs_trials}
    assert "throughput/tensorflow/single, which did not succeed (error: the child crashed)" in needs["speed"].detail


def test_prefill_from_probe(mini):
    from chooser.decide.questionnaire import prefill_from_probe

    bank, rules = mini
    probe = {"gpus": [{"name": "H100"}, {"name": "H100"}, {"name": "H100"}]}
    assert prefill_from_probe(bank, probe) == {"gpus": 3}
    rec = recommend(bank, rules, {}, probe, [])
    assert rec.answer_origin["gpus"] == "probe"
    assert "many_gpus" in [r.id for r in rec.fired]
    assert rec.totals == {"torch": 4.0, "tensorflow": 0.5}


def test_one_answer_flip_is_in_what_would_change(mini):
    bank, rules = mini
    rec = recommend(bank, rules, {}, None, [])
    singles = [w for w in rec.what_would_change if len(w.changes) == 1
               and w.changes[0].kind == "answer"]
    flips = {(w.changes[0].path, str(w.changes[0].new)) for w in singles}
    assert ("answers.goal", "mobile") in flips  # research 3 → LiteRT 4
    goal = next(w for w in singles if w.changes[0].path == "answers.goal")
    assert goal.verdict == "tensorflow" and goal.totals == {"torch": 0.0, "tensorflow": 4.0}
    assert "single answer" in rec.what_would_change_note


def test_pairs_searched_when_no_single_change_flips(write):
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.rules import load_rules

    bank = load_questions(write("q.yaml", """\
        questions:
          - {id: a, text: A, type: yes_no, default: false}
          - {id: b, text: B, type: yes_no, default: false}
        """))
    rules = load_rules(write("r.yaml", """\
        rules:
          - {id: base, points: {torch: 3}, reason: base, source: t}
          - {id: a, condition: answers.a, points: {tensorflow: 2}, reason: a, source: t}
          - {id: b, condition: answers.b, points: {tensorflow: 2}, reason: b, source: t}
        """), bank=bank)
    rec = recommend(bank, rules, {}, None, [])
    assert rec.verdict == "torch"
    assert len(rec.what_would_change) == 1
    change = rec.what_would_change[0]
    assert [c.path for c in change.changes] == ["answers.a", "answers.b"]
    assert change.totals == {"torch": 3.0, "tensorflow": 4.0}
    assert "pairs were searched" in rec.what_would_change_note


def test_measurement_break_even(mini, make_trial):
    bank, rules = mini
    trials = [make_trial("torch", sps=1000.0), make_trial("tensorflow", sps=1000.0, acc=0.95)]
    rec = recommend(bank, rules, {}, None, trials)  # research 3 pts; speed 0; accuracy 0
    measured = [w for w in rec.what_would_change if w.changes[0].kind == "measurement"]
    assert measured == []  # caps 2 and 1 cannot overturn a 3-point lead
    rec = recommend(bank, rules, {"libs": ["keras"]}, None, trials)  # 3 vs 1.5
    speed = next(w for w in rec.what_would_change if "rule speed" in w.changes[0].path)
    # speed must give TensorFlow 1.5 points: 2×log2(r) = −1.5 → r = 2^−0.75 ≈ 0.595
    assert speed.changes[0].new == "below 0.595"
    assert speed.verdict == "tensorflow"


def test_tie_and_confidence_levels(mini):
    from chooser.decide.recommendation import confidence_for

    assert confidence_for("tie", {"torch": 2, "tensorflow": 2}, 0).level == "none"
    assert confidence_for("torch", {"torch": 10, "tensorflow": 5}, 5).level == "high"
    assert confidence_for("torch", {"torch": 10, "tensorflow": 7}, 3).level == "medium"
    assert confidence_for("torch", {"torch": 20, "tensorflow": 19}, 1).level == "low"
    bank, rules = mini
    rec = recommend(bank, rules, {"goal": "mobile", "runtime": "executorch", "libs": ["keras"],
                                  "team": True, "gpus": 0}, None, [])
    assert rec.totals == {"torch": 0.0, "tensorflow": 3.5}


def test_deterministic(mini, make_trial):
    bank, rules = mini
    trials = [make_trial("torch", sps=1234.5), make_trial("tensorflow", sps=987.6)]
    answers = {"goal": "mobile", "libs": ["hf", "keras"], "gpus": 4}
    first = recommend(bank, rules, answers, {"gpus": []}, trials).model_dump_json()
    for _ in range(3):
        assert recommend(bank, rules, answers, {"gpus": []}, trials).model_dump_json() == first


def test_missing_probe_value_is_reported(write):
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.rules import load_rules

    bank = load_questions(write("q.yaml", "questions:\n  - {id: a, text: A, type: yes_no, "
                                          "default: true}\n"))
    rules = load_rules(write("r.yaml", """\
        rules:
          - id: cores
            condition: probe.cpu.usable_cores >= 4
            points: {torch: 1}
            reason: cores
            source: t
        """), bank=bank)
    rec = recommend(bank, rules, {}, {"cpu": {}}, [])
    assert rec.fired == []
    assert rec.skipped[0].status == "missing"
    assert "probe.cpu.usable_cores" in rec.skipped[0].detail
    rec = recommend(bank, rules, {}, {"cpu": {"usable_cores": 8}}, [])
    assert [r.id for r in rec.fired] == ["cores"]


def test_visible_follows_conditions(mini):
    bank, _ = mini
    assert [q.id for q in bank.visible({})] == ["goal", "libs", "gpus", "team"]
    assert [q.id for q in bank.visible({"goal": "mobile"})] == ["goal", "runtime", "libs",
                                                                 "gpus", "team"]


def test_answers_round_trip(mini, tmp_path):
    from chooser.decide.questionnaire import default_answers, load_answers, save_answers

    bank, _ = mini
    answers = {**default_answers(bank), "libs": ["keras", "hf"], "team": True}
    save_answers(tmp_path / "a.yaml", answers)
    loaded = load_answers(tmp_path / "a.yaml", bank)
    assert loaded == {**answers, "libs": ["hf", "keras"]}  # canonical option order


def test_measured_break_even_with_three_frameworks():
    """N-way: the winner of a measured pair can lose to a third framework before the other
    side of the pair gains anything; a pair of two others must reach the winner."""
    from chooser.decide.what_if import _break_even

    rest = {"torch": 2.0, "tensorflow": 0.0, "third": 3.0}
    # torch wins only thanks to this rule: below 1 point from it, "third" leads
    assert _break_even("torch", ("torch", "tensorflow"), rest) == [(1.0, "third")]
    # two-way as before: the other side must make up the whole difference
    assert _break_even("torch", ("torch", "tensorflow"),
                       {"torch": 2.0, "tensorflow": 0.0}) == [(-2.0, "tensorflow")]
    # "third" wins; a torch-vs-tensorflow measurement flips it if either side gets there
    assert _break_even("third", ("torch", "tensorflow"), rest) == [(1.0, "torch"),
                                                                    (-3.0, "tensorflow")]
