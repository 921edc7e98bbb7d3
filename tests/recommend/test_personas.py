"""The persona answers files in questions/examples/: each says, in a comment, the verdict a
seasoned practitioner gives (`expect: torch|tensorflow|jax|either`). The model must agree.
"either" means an honest close call: the verdict is "either", or it is one framework with
low confidence. The model was built from principles (docs/rules.md), not tuned to these."""

from __future__ import annotations

import re

import pytest

from chooser.decide.answers import load_answers
from chooser.decide.questionnaire import load_questions, shipped_questions_dir
from chooser.decide.recommendation import recommend
from chooser.decide.rules import load_rules

EXAMPLES = sorted((shipped_questions_dir() / "examples").glob("*.yaml"))
EXPECT = re.compile(
    r"^# Practitioner's verdict \(expect: (torch|tensorflow|jax|either)\): \S", re.MULTILINE
)


@pytest.fixture(scope="module")
def model():
    bank = load_questions()
    return bank, load_rules(bank=bank)


def _expected(path) -> str:
    match = EXPECT.search(path.read_text())
    assert match, f"{path.name}: no '# Practitioner's verdict (expect: …): why' comment"
    return match.group(1)


def test_enough_personas_of_every_kind():
    expected = [_expected(p) for p in EXAMPLES]
    assert len(expected) >= 12
    assert expected.count("tensorflow") >= 3 and expected.count("either") >= 3
    assert expected.count("torch") >= 3 and expected.count("jax") >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_persona_gets_the_practitioners_verdict(model, path):
    bank, rules = model
    expected = _expected(path)
    rec = recommend(bank, rules, load_answers(path, bank), None, [], search_budget=500)
    if expected == "either":
        assert rec.verdict == "either" or rec.confidence.level == "low", rec.outcome
        assert rec.confidence.level != "high"
    else:
        assert rec.verdict == expected, (rec.outcome, rec.confidence.explanation)


def test_tpu_team_gets_jax_and_why(model):
    """JAX is a registered framework now: the TPU-first team gets it as the verdict (not as a
    suggestion outside the registry), with the TPU rule among the reasons."""
    bank, rules = model
    rec = recommend(
        bank,
        rules,
        load_answers(shipped_questions_dir() / "examples" / "tpu-first-team.yaml", bank),
        None,
        [],
        search_budget=0,
    )
    assert rec.verdict == "jax" and "JAX" in rec.outcome
    assert "jax" not in rec.suggestions
    assert {"cloud_tpu", "tpu_research_code"} <= {r.id for r in rec.fired}


def test_default_answers_are_not_a_confident_verdict(model):
    bank, rules = model
    rec = recommend(bank, rules, {}, None, [])
    assert rec.verdict == "either" or rec.confidence.level == "low"
    assert rec.confidence.level in ("none", "low")


def test_a_close_call_names_the_two_it_is_between(model):
    """With three frameworks, "either" says which two when the third is clearly behind, and
    names none when nothing is at stake (all three level)."""
    bank, rules = model
    rec = recommend(
        bank,
        rules,
        load_answers(shipped_questions_dir() / "examples" / "android-undecided.yaml", bank),
        None,
        [],
        search_budget=0,
    )
    assert rec.verdict == "either" and rec.totals["jax"] < rec.totals["tensorflow"]
    assert rec.outcome.startswith("Either PyTorch or TensorFlow")
    assert recommend(bank, rules, {}, None, [], search_budget=0).outcome.startswith("Either:")
