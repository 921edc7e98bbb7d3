"""Rule and question expressions within budgets (chooser/decide/expr_limits.py): refused
when loaded where possible, and otherwise one line naming the rule or question, the file
and the line, never a traceback, a hang or gigabytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_cli import (
    CONDITION_LINE,
    HOSTILE_LINE,
    NUMBER_PLACEHOLDER,
    RULE_BODY,
    assert_one_line_error,
    run_cli,
    write_rules,
)

BAD_AT_RUN = {  # pass the up-front check; the evaluator refuses them
    "list of 10^8": "len([1]*100000000) > 0",
    "list of lists": "len([[1]*99999]*99999) > 0",
    "attribute of a text": "probe.os.system.foo == 1",
}
BAD_AT_LOAD = {
    "500k-character literal": ('"' + "a" * 500_000 + '" == "a"', "characters long"),
    "not x 20000": ("not " * 20_000 + "True", "characters long"),
    "1+1+... x 100000": ("+".join(["1"] * 100_000), "characters long"),
    "not x 40": ("not " * 40 + "True", "nested more than 30 levels"),
    "1+1+... x 400": ("+".join(["1"] * 400), "nested more than 30 levels"),
    "dunder below probe.os": ("probe.os.system.__class__ == 1", "names starting with '_'"),
    "dunder below a gpu": ("probe.gpus[0].__class__ == 1", "names starting with '_'"),
    "dunder below versions": (
        "trials.torch_single.versions.__class__ == 1",
        "names starting with '_'",
    ),
    "subscripted dunder": ('probe.os["__class__"] == 1', "names starting with '_'"),
    "infinite literal": ("1e999 > 0", "is not finite"),
}
BAD_REASONS = {
    f"{{{NUMBER_PLACEHOLDER}:.999999999f}}": "more than 12 digits",
    f"{{{NUMBER_PLACEHOLDER}:>500000000}}": "wider than 40 characters",
    f"{{{NUMBER_PLACEHOLDER}:!r}}": "not a number format",
}
BAD_POINTS = {  # the scores line of the rule -> what the one line must name
    ".inf scores": ("scores: {torch: .inf, tensorflow: .inf, jax: .inf}", "scores"),
    ".nan scores": ("scores: {torch: .nan, tensorflow: 1.0, jax: 1.0}", "scores"),
    "1.0e+308 weight": (
        "scores: {torch: 1.0, tensorflow: 0.5, jax: 0.5}\n    weight: 1.0e+308",
        "weight",
    ),
    ".inf span": ("measure: {values: {torch: '1', tensorflow: '2', jax: '2'}, span: .inf}", "span"),
}


def _rules(
    tmp_path: Path, condition: str = "True", reason: str = "because", points: str | None = None
) -> Path:
    body = RULE_BODY
    if points is not None:  # the numbers under test in place of the scores line
        body = "\n    ".join(
            points if line.startswith("scores:") else line for line in RULE_BODY.split("\n    ")
        )
    return write_rules(tmp_path / "rules.yaml", condition, reason, body)


@pytest.mark.parametrize("case", list(BAD_AT_RUN))
def test_rule_conditions_the_evaluator_refuses(case, tmp_path):
    rules = _rules(tmp_path, BAD_AT_RUN[case])
    run = run_cli("recommend", "--rules", str(rules), memory=2 << 30)
    assert_one_line_error(run, f"{rules}:{HOSTILE_LINE}: rule 'hostile': cannot be evaluated")
    assert run.wall_s < 20


@pytest.mark.parametrize("case", list(BAD_AT_LOAD))
def test_rule_conditions_refused_when_loaded(case, tmp_path):
    text, cause = BAD_AT_LOAD[case]
    rules = _rules(tmp_path, text)
    run = run_cli("recommend", "--rules", str(rules))
    line = assert_one_line_error(
        run, f"{rules}:{CONDITION_LINE}:", "rule 'hostile' condition", cause
    )
    assert len(line) < 600 and run.wall_s < 15


@pytest.mark.parametrize("reason", list(BAD_REASONS))
def test_reason_format_specs_are_bounded(reason, tmp_path):
    rules = _rules(tmp_path, reason=f"Ahead by {reason} points")
    assert_one_line_error(
        run_cli("recommend", "--rules", str(rules)), f"{rules}:", BAD_REASONS[reason]
    )


@pytest.mark.parametrize("value", list(BAD_POINTS))
def test_points_must_be_finite_and_bounded(value, tmp_path):
    text, needle = BAD_POINTS[value]
    rules = _rules(tmp_path, points=text)
    assert_one_line_error(run_cli("recommend", "--rules", str(rules)), f"{rules}:", needle)


QUESTIONS = """\
questions:
  - id: first
    text: First?
    type: yes_no
    default: true
  - id: second
    text: Second?
    type: number
    default: 1
    {key}: {expression}
"""


@pytest.mark.parametrize(
    "key, expression",
    [
        ("prefill", "len([1]*100000000)"),
        ("condition", "len([1]*100000000) > 0"),
        ("prefill", "probe.os.system.foo"),
        ("condition", "len([[1]*99999]*99999) > 0"),
    ],
)
def test_question_expressions_the_evaluator_refuses(key, expression, tmp_path):
    questions = tmp_path / "q.yaml"
    questions.write_text(QUESTIONS.format(key=key, expression=json.dumps(expression)))
    rules = _rules(tmp_path)
    run = run_cli("recommend", "--questions", str(questions), "--rules", str(rules), memory=2 << 30)
    assert_one_line_error(run, f"{questions}:6: question 'second' {key}: cannot be evaluated")


@pytest.mark.parametrize(
    "key, expression, cause",
    [
        ("prefill", '"' + "b" * 500_000 + '"', "characters long"),
        ("condition", "not " * 20_000 + "answers.first", "characters long"),
        ("prefill", "probe.os.__class__", "names starting with '_'"),
    ],
    ids=["500k-character literal", "not x 20000", "dunder below probe.os"],
)
def test_question_expressions_refused_when_loaded(key, expression, cause, tmp_path):
    questions = tmp_path / "q.yaml"
    questions.write_text(QUESTIONS.format(key=key, expression=json.dumps(expression)))
    run = run_cli("recommend", "--questions", str(questions), "--rules", str(_rules(tmp_path)))
    assert_one_line_error(run, f"{questions}:10:", f"question 'second' {key}", cause)
