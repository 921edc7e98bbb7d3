"""Properties of the shipped rules and questions that the decision model relies on:
every fact dated and sourced, no dead question, "undecided" weighs nothing, no fact paid
in two criteria, knock-outs and suggestions valid, nothing assumes two frameworks."""

from __future__ import annotations

import ast
import collections
import re

import pytest

from chooser.decide.criteria import UNDECIDED, framework_ids
from chooser.decide.questionnaire import load_questions
from chooser.decide.recommendation import recommend
from chooser.decide.rules import load_rules

# Pages that document several distinct facts, each paid in its own criterion.
SHARED_PAGES = {
    "https://ai.google.dev/edge/litert": "lists LiteRT's platforms (on_device) and, separately, "
    "where each framework's models come from (pretrained_models)",
    "https://developers.google.com/edge/litert/migration": "LiteRT's NPU / Interpreter status "
    "(on_device) and its end-to-end guides",
    "https://github.com/pytorch/executorch/tree/800efda490b77efa9864a37929d63beb205b5915": "torch.export as an export stack (compile_export) and torch.compile as a style that "
    "pays TensorFlow less (api_style): opposite directions, not one fact paid twice",
    "https://docs.jax.dev/en/latest/installation.html": "JAX's platform table: one row per "
    "accelerator, TPUs (xla_tpu) and each GPU vendor and OS (hardware), distinct facts",
    "https://github.com/AI-Hypercomputer/maxtext": "one README, four facts: TPU focus "
    "(xla_tpu), reference model code (research_ecosystem), sharding at scale (scale) and "
    "who started it (governance)",
    "https://docs.cloud.google.com/tpu/docs/reference": "Cloud TPU's framework list: PyTorch's "
    "TorchTPU backend (xla_tpu) and Google's JAX AI stack (governance)",
    "https://docs.pytorch.org/docs/stable/func.whirlwind_tour.html": "how far torch.func goes: "
    "for a programming style you prefer (api_style) and for capabilities your workload "
    "needs (transforms), two different answers",
}


@pytest.fixture(scope="module")
def shipped():
    bank = load_questions()
    return bank, load_rules(bank=bank)


def test_every_rule_is_dated_and_sourced(shipped):
    _, rules = shipped
    for rule in rules.rules:
        assert re.fullmatch(r"20\d\d-\d\d", rule.checked), rule.id
        assert rule.checked == "2026-12", rule.id
        assert len(rule.source) > 10 and len(rule.reason) > 20, rule.id
        unverified = "not verified" in rule.source
        assert not (unverified and rule.kind in ("score", "knockout")), (
            f"{rule.id}: an unverified fact may only be a note"
        )


def test_no_question_is_dead(shipped):
    bank, rules = shipped
    read = set().union(*(r.answer_ids for r in rules.rules))
    dead = [q.id for q in bank.questions if q.id not in read]
    assert dead == [], f"questions no rule reads: {dead}"


def test_undecided_options_score_nothing(shipped):
    bank, rules = shipped
    for rule in rules.rules:
        for checked in rule.checked_exprs():
            constants = {n.value for n in ast.walk(checked.tree) if isinstance(n, ast.Constant)}
            assert not constants & UNDECIDED, f"{rule.id} reads an undecided option"
    for q in bank.questions:
        for value in set(q.option_values) & UNDECIDED:
            answer = [value] if q.type == "multi" else value
            base = recommend(bank, rules, {}, None, [], search_budget=0)
            said = recommend(bank, rules, {q.id: answer}, None, [], search_budget=0)
            assert said.stake == base.stake == 0.0, f"{q.id}={value} carries weight"


def test_no_fact_is_paid_in_two_criteria(shipped):
    _, rules = shipped
    where = collections.defaultdict(set)
    for rule in rules.rules:
        if rule.criterion:
            for url in re.findall(r"https?://[^\s;)'\"]+", rule.source):
                where[url].add(rule.criterion)
    twice = {u: c for u, c in where.items() if len(c) > 1 and u not in SHARED_PAGES}
    assert twice == {}


def test_every_scored_rule_scores_every_framework(shipped):
    """The shipped rules list every built-in framework (none is left neutral)."""
    _, rules = shipped
    for rule in rules.rules:
        if rule.scores is not None:
            assert set(rule.scores) == set(framework_ids()), rule.id
        if rule.measure is not None:
            assert set(rule.measure.values) == set(framework_ids()), rule.id


def test_machines_and_tooling_are_read(shipped):
    _, rules = shipped
    read = set().union(*(r.answer_ids for r in rules.rules))
    assert {
        "machines",
        "tooling",
        "workload",
        "model_source",
        "os",
        "deploy_targets",
        "compile_export",
        "sharding",
    } <= read


def test_unmaintained_tools_are_never_proposed(shipped):
    bank, rules = shipped
    unmaintained = {(q.id, o.value) for q in bank.questions for o in q.options if o.unmaintained}
    assert ("serving_stack", "torchserve") in unmaintained
    answers = {
        "goals": ["production_serving"],
        "serving_stack": "tf_serving",
        "team_experience": "pytorch",
    }
    rec = recommend(bank, rules, answers, None, [])
    flipped = recommend(bank, rules, {**answers, "serving_stack": "torchserve"}, None, [])
    assert rec.verdict == "tensorflow" and flipped.verdict == "torch"  # it would flip …
    proposed = {
        (c.path.removeprefix("answers."), str(c.new))
        for w in rec.what_would_change
        for c in w.changes
    }
    assert proposed and not proposed & unmaintained  # … but is never proposed
