"""Nothing in the decision model assumes two frameworks: with a third framework registered
(chooser.core.frameworks, the one place ids come from), rules score it, knock-outs and
verdicts work, a rule that does not list it is neutral for it, and the reports render
every framework."""

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
def three_frameworks():
    """JAX is the registry's third framework (chooser/core/frameworks.py)."""
    from chooser.core import frameworks

    assert tuple(frameworks.ids()) == THREE
    return THREE


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


def test_a_rule_that_does_not_list_the_third_framework_is_neutral_for_it(three_frameworks, write):
    """Neutral: the unlisted framework gets the mean of the listed ones (docs/rules.md), so
    the rule neither lifts nor sinks it against the field; a knock-out still removes it."""
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.recommendation import recommend
    from chooser.decide.rules import load_rules
    from tests.recommend.conftest import MINI_QUESTIONS

    bank = load_questions(write("q.yaml", MINI_QUESTIONS))
    two = RULES.replace(
        "scores: {torch: 0.9, tensorflow: 0.3, jax: 1.0}", "scores: {torch: 0.9, tensorflow: 0.3}"
    )
    rules = load_rules(write("r.yaml", two), bank=bank)
    rec = recommend(bank, rules, {"goal": "research"}, None, [])
    assert rec.fired[0].scores == {"torch": 0.9, "tensorflow": 0.3, "jax": 0.6}
    assert rec.totals == {"torch": 1.8, "tensorflow": 0.6, "jax": 1.2}
    assert rec.verdict == "torch"
    one = RULES.replace("scores: {torch: 0.9, tensorflow: 0.3, jax: 1.0}", "scores: {jax: 1.0}")
    with pytest.raises(UserError, match="no value for 'torch'; a criterion scores at least two"):
        load_rules(write("r.yaml", one), bank=bank)


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


MEASURED = """\
criteria:
  - {id: speed, label: Speed}
rules:
  - id: speed_three
    criterion: speed
    measure:
      values: {torch: "400.0", tensorflow: "200.0", jax: "100.0"}
    weight: 2
    reason: Measured.
    source: test
    checked: 2026-12
  - id: speed_two
    criterion: speed
    measure:
      values: {torch: "400.0", tensorflow: "400.0"}
    weight: 1
    reason: Measured two.
    source: test
    checked: 2026-12
"""


def test_measured_rules_three_ways_and_a_neutral_third(three_frameworks, write):
    """A measure over three frameworks scores each against the best; one that lists two is
    neutral for the third (the mean of the two); the what-if offers a clear measurement
    for each listed framework still standing, never for one the rule does not measure."""
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.recommendation import recommend
    from chooser.decide.rules import load_rules
    from tests.recommend.conftest import MINI_QUESTIONS

    bank = load_questions(write("q.yaml", MINI_QUESTIONS))
    rules = load_rules(write("r.yaml", MEASURED), bank=bank)
    rec = recommend(bank, rules, {}, None, [])
    fired = {r.id: r.scores for r in rec.fired}
    assert fired["speed_three"] == {"torch": 1.0, "tensorflow": 0.0, "jax": 0.0}  # span 1
    assert fired["speed_two"] == {"torch": 1.0, "tensorflow": 1.0, "jax": 1.0}  # neutral jax
    assert rec.verdict == "torch"
    measured = {
        (w.changes[0].path, w.verdict) for w in rec.what_would_change if w.group == "measurement"
    }
    assert ("rule speed_three", "jax") in measured
    assert ("rule speed_three", "tensorflow") in measured
    assert not any(path == "rule speed_two" and verdict == "jax" for path, verdict in measured)
