"""Nothing in the decision model assumes two frameworks: with a third framework id in the
one place the ids come from, rules must score all three, knock-outs and verdicts work,
and the reports render every framework."""

from __future__ import annotations

import pytest

from chooser.core.errors import UserError

THREE = ("torch", "tensorflow", "jax")

RULES = """\
criteria:
  - {id: research, label: Research}
  - {id: device, label: On device}
rules:
  - id: research
    criterion: research
    condition: answers.goal == "research"
    weight: 2
    scores: {torch: 0.9, tensorflow: 0.3, jax: 1.0}
    reason: Research.
    source: test
    checked: 2026-12
  - id: litert
    criterion: device
    condition: answers.runtime == "litert"
    weight: 3
    scores: {torch: 0.6, tensorflow: 1.0, jax: 0.6}
    reason: LiteRT.
    source: test
    checked: 2026-12
  - id: executorch_only
    condition: answers.runtime == "executorch"
    only_met_by: [torch]
    reason: ExecuTorch takes PyTorch models.
    source: test
    checked: 2026-12
"""


@pytest.fixture
def three_frameworks(monkeypatch):
    import chooser.decide.criteria as criteria
    import chooser.decide.rules as rules
    import chooser.decide.scoring as scoring

    for module in (criteria, rules, scoring):
        monkeypatch.setattr(module, "FRAMEWORKS", THREE)
    monkeypatch.setitem(criteria.FRAMEWORK_LABELS, "jax", "JAX")


def test_three_frameworks_scored_and_decided(three_frameworks, write):
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.recommendation import recommend
    from chooser.decide.rules import load_rules
    from tests.recommend.conftest import MINI_QUESTIONS

    bank = load_questions(write("q.yaml", MINI_QUESTIONS))
    rules = load_rules(write("r.yaml", RULES), bank=bank)
    rec = recommend(bank, rules, {"goal": "research"}, None, [])
    assert rec.totals == {"torch": 1.8, "tensorflow": 0.6, "jax": 2.0}
    assert rec.verdict == "jax"  # 0.2 ahead of torch on a stake of 2: exactly 10 %
    rec = recommend(bank, rules, {"goal": "mobile", "runtime": "executorch"}, None, [])
    assert rec.verdict == "torch"
    assert rec.knockouts[0].frameworks == ["tensorflow", "jax"]
    rec = recommend(bank, rules, {"goal": "mobile", "runtime": "litert"}, None, [])
    assert rec.verdict == "tensorflow" and set(rec.totals) == set(THREE)


def test_a_rule_must_score_the_third_framework(three_frameworks, write):
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.rules import load_rules
    from tests.recommend.conftest import MINI_QUESTIONS

    bank = load_questions(write("q.yaml", MINI_QUESTIONS))
    two = RULES.replace("scores: {torch: 0.9, tensorflow: 0.3, jax: 1.0}",
                        "scores: {torch: 0.9, tensorflow: 0.3}")
    with pytest.raises(UserError, match="no value for 'jax'"):
        load_rules(write("r.yaml", two), bank=bank)


def test_reports_render_three_frameworks(three_frameworks, write):
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.recommendation import recommend
    from chooser.decide.rules import load_rules
    from chooser.report import build_report, render
    from tests.recommend.conftest import MINI_QUESTIONS

    bank = load_questions(write("q.yaml", MINI_QUESTIONS))
    rules = load_rules(write("r.yaml", RULES), bank=bank)
    rec = recommend(bank, rules, {"goal": "research"}, None, [])
    report = build_report(bank, rules, rec, None, [], command_line=["chooser"])
    md = render(report, "md")
    assert "| JAX | 2 | standing |" in md and "| Research | 2 | 0.9 | 0.3 | 1 |" in md
    assert 'id="score-jax"' in render(report, "html")
