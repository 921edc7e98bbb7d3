"""Malformed question, rules and answers files, written the way a new user gets them wrong.
Each runs through the real CLI: exit status 2, one line naming file and line, no traceback."""

from __future__ import annotations

import pytest

OK_RULES = (
    "criteria:\n  - {id: c, label: C}\nrules:\n  - {id: base, criterion: c, scores: "
    "{torch: 1, tensorflow: 0}, reason: A reason., source: a test, checked: 2026-12}\n"
)
Q_HEAD = "questions:\n  - id: goal\n    text: What do you build?\n"
Q_OPTIONS = (
    "    type: single\n    options:\n      - {value: research, label: Research}\n"
    "      - {value: mobile, label: Mobile}\n"
)

# (case id, file text, line the message must name, words it must contain)
QUESTIONS = [
    ("tab-indent", Q_HEAD + "\ttype: yes_no\n    default: false\n", 4, "tab"),
    ("missing-colon", Q_HEAD + "    type yes_no\n    default: false\n", 4, "':' missing"),
    (
        "wrong-type",
        Q_HEAD + "    type: choice\n    default: false\n",
        4,
        "'single', 'multi', 'number' or 'yes_no'",
    ),
    (
        "misspelt-key",
        Q_HEAD + Q_OPTIONS.replace("options:", "optons:") + "    default: research\n",
        5,
        "unknown key 'optons'",
    ),
    (
        "default-not-an-option",
        Q_HEAD + Q_OPTIONS + "    default: reserch\n",
        8,
        "did you mean 'research'",
    ),
    (
        "yes-no-default-quoted",
        Q_HEAD + "    type: yes_no\n    default: 'yes'\n",
        5,
        "expected yes or no",
    ),
    ("no-default", Q_HEAD + "    type: yes_no\n", 2, "missing 'default'"),
    (
        "missing-text",
        "questions:\n  - id: goal\n    type: yes_no\n    default: false\n",
        2,
        "missing required key 'text'",
    ),
    (
        "one-option",
        Q_HEAD + "    type: single\n    options:\n      - {value: a, label: A}\n    default: a\n",
        6,
        "at least 2",
    ),
    (
        "duplicate-id",
        Q_HEAD
        + "    type: yes_no\n    default: false\n"
        + "  - id: goal\n    text: Again?\n    type: yes_no\n    default: true\n",
        6,
        "duplicate question id 'goal'",
    ),
    (
        "duplicate-key",
        Q_HEAD + "    text: Twice\n    type: yes_no\n    default: false\n",
        4,
        "duplicate key 'text'",
    ),
    (
        "condition-typo",
        Q_HEAD + Q_OPTIONS + "    default: research\n  - id: runtime\n"
        "    text: Runtime?\n    type: yes_no\n    default: false\n"
        "    condition: answers.gaol == 'mobile'\n",
        13,
        "unknown name answers.gaol",
    ),
    (
        "condition-unparsable",
        Q_HEAD + "    type: yes_no\n    default: false\n    condition: answers.goal ==\n",
        6,
        "does not parse",
    ),
    (
        "condition-unknown-option",
        Q_HEAD + Q_OPTIONS + "    default: research\n  - id: x\n"
        "    text: X?\n    type: yes_no\n    default: false\n"
        "    condition: answers.goal == 'mobil'\n",
        13,
        "'mobil' is not an option",
    ),
    (
        "bad-id",
        "questions:\n  - id: My Goal\n    text: Hi\n    type: yes_no\n    default: false\n",
        2,
        "should match pattern",
    ),
    (
        "top-level-list",
        "- id: goal\n  text: Hi\n  type: yes_no\n  default: false\n",
        1,
        "top level is a list",
    ),
    ("questions-not-a-list", "questions: goal\n", 1, "non-empty list"),
    ("empty", "", 1, "empty"),
    ("comments-only", "# nothing here yet\n", 1, "empty"),
]

# Rules in the v2 format: criteria + rules that score every framework (docs/rules.md).
HEAD = "criteria:\n  - {id: c, label: C}\nrules:\n"  # a rule starts on line 4
R = "  - id: r\n    criterion: c\n"  # lines 4-5
TAIL = "    reason: R.\n    source: s\n    checked: 2026-12\n"
SCORES = "    scores: {torch: 1, tensorflow: 0, jax: 0.5}\n"


def _rule(middle: str, tail: str = TAIL, head: str = R) -> str:
    return HEAD + head + middle + tail


RULES = [
    (
        "answer-name-typo",
        _rule("    condition: '\"research\" in answers.gaols'\n" + SCORES),
        6,
        "did you mean answers.goals",
    ),
    (
        "option-typo",
        _rule('    condition: answers.style == "eager"\n' + SCORES),
        6,
        "'eager' is not an option",
    ),
    (
        "unparsable",
        _rule("    condition: '\"research\" in answers.goals and'\n" + SCORES),
        6,
        "does not parse",
    ),
    (
        "function-not-allowed",
        _rule("    condition: __import__('os').system('true')\n" + SCORES),
        6,
        "unknown function",
    ),
    (
        "unknown-trial",
        _rule("    condition: trials.torch_singel.ok\n" + SCORES),
        6,
        "unknown name trials.torch_singel",
    ),
    ("score-not-a-number", _rule("    scores: {torch: lots, tensorflow: 0}\n"), 6, "valid number"),
    (
        "score-missing-a-framework",
        _rule("    scores: {torch: 1}\n"),
        4,
        "no value for 'tensorflow'; a criterion scores at least two frameworks",
    ),
    (
        "score-unknown-framework",
        _rule("    scores: {pytorch: 1, torch: 1, tensorflow: 0}\n"),
        4,
        "unknown framework 'pytorch'",
    ),
    (
        "score-out-of-range",
        _rule("    scores: {torch: 3, tensorflow: 0}\n"),
        4,
        "a score is from 0",
    ),
    ("old-points-format", _rule("    points: {torch: 1}\n"), 6, "unknown key 'points'"),
    (
        "missing-checked",
        _rule(SCORES, "    reason: R.\n    source: s\n"),
        4,
        "missing required key 'checked'",
    ),
    (
        "checked-not-a-month",
        _rule(SCORES, "    reason: R.\n    source: s\n    checked: Dec 2026\n"),
        9,
        "should match pattern",
    ),
    (
        "unknown-criterion",
        _rule(SCORES, head="  - id: r\n    criterion: reserch\n"),
        5,
        "unknown criterion 'reserch'; known: c",
    ),
    ("scores-without-criterion", _rule(SCORES, head="  - id: r\n"), 4, "needs a 'criterion'"),
    ("weight-too-heavy", _rule("    weight: 5\n" + SCORES), 6, "less than or equal to 3"),
    (
        "knockout-of-everyone",
        _rule("    only_met_by: [torch, tensorflow, jax]\n", head="  - id: r\n"),
        4,
        "some, not none and not all",
    ),
    (
        "knockout-unknown-framework",
        _rule("    only_met_by: [mxnet]\n", head="  - id: r\n"),
        4,
        "only_met_by: unknown framework 'mxnet'",
    ),
    ("scores-and-knockout", _rule(SCORES + "    only_met_by: [torch]\n"), 4, "not both"),
    (
        "measure-missing-a-framework",
        _rule("    measure:\n      values: {torch: '1'}\n"),
        7,
        "no value for 'tensorflow'",
    ),
    (
        "unknown-alternative",
        _rule(SCORES + "    suggests: pytorch\n"),
        4,
        "unknown alternative 'pytorch'",
    ),
    (
        "duplicate-id",
        HEAD + "  - {id: r, criterion: c, scores: {torch: 1, tensorflow: 0}, reason: R., "
        "source: s, checked: 2026-12}\n  - {id: r, criterion: c, scores: {torch: 0, tensorflow: 1}, "
        "reason: R., source: s, checked: 2026-12}\n",
        5,
        "duplicate rule id 'r'",
    ),
    (
        "missing-reason",
        _rule(SCORES, "    source: s\n    checked: 2026-12\n"),
        4,
        "missing required key 'reason'",
    ),
    (
        "unknown-placeholder",
        _rule(SCORES, "    reason: 'fast {speed}'\n    source: s\n    checked: 2026-12\n"),
        4,
        "unknown placeholder {speed}",
    ),
    (
        "duplicate-criterion",
        "criteria:\n  - {id: c, label: C}\n  - {id: c, label: Again}\n"
        "rules:\n  - {id: r, reason: R., source: s, checked: 2026-12}\n",
        3,
        "duplicate criterion id 'c'",
    ),
    (
        "unknown-top-level-key",
        HEAD + R + SCORES + TAIL + "rule: []\n",
        10,
        "unknown top-level key 'rule'",
    ),
    (
        "list-without-rules-key",
        "- id: r\n  scores: {torch: 1}\n  reason: R.\n  source: s\n",
        1,
        "top level is a list",
    ),
    ("tab", "rules:\n  - id: r\n\tscores: {torch: 1}\n", 3, "tab"),
    ("missing-colon", "rules:\n  - id r\n    scores: {torch: 1}\n", 2, "colon missing"),
    ("empty", "\n", 1, "empty"),
]

ANSWERS = [
    ("option-typo", "goals: [reserch]\n", 1, "did you mean 'research'"),
    ("unknown-id", "style: eager_pythonic\ngaols: [research]\n", 2, "did you mean 'goals'"),
    ("number-as-text", "gpus_per_machine: 'four'\n", 1, "expected a number"),
    ("number-out-of-range", "gpus_per_machine: -1\n", 1, "≥ 0"),
    ("yes-no-word", "onnx_export: maybe\n", 1, "expected yes or no"),
    ("single-given-list", "scale: [one_device, multi_gpu]\n", 1, "not an option"),
    ("multi-given-mapping", "goals: {research: true}\n", 1, "expected a list"),
    ("yaml-boolean-option", "onnx_export: false\nscale: no\n", 2, "quote it"),
    ("tab", "goals:\n\t- research\n", 2, "tab"),
    ("missing-colon", "goals [research]\nstyle: eager_pythonic\n", 1, "colon"),
    ("duplicate-key", "scale: one_device\nscale: multi_gpu\n", 2, "duplicate key 'scale'"),
    ("top-level-list", "- goals: [research]\n", 1, "top level is a list"),
    ("plain-text", "research\n", 1, "top level is a single text value"),
    ("empty", "", 1, "empty"),
]


def _check(result, name: str, line: int, words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    err = result.stderr.strip()
    assert "Traceback" not in result.stderr + result.stdout
    assert err.count("\n") == 0, f"expected one line, got:\n{err}"
    assert err.startswith("chooser: error: ")
    assert f"{name}:{line}" in err, err
    assert words in err, err


@pytest.mark.parametrize("case,text,line,words", QUESTIONS, ids=[c[0] for c in QUESTIONS])
def test_bad_questions_file(write, cli, case, text, line, words):
    questions = write("my-questions.yaml", text)
    rules = write("ok-rules.yaml", OK_RULES)
    result = cli("recommend", "--questions", questions, "--rules", rules, "--trials", "none")
    _check(result, "my-questions.yaml", line, words)


@pytest.mark.parametrize("case,text,line,words", RULES, ids=[c[0] for c in RULES])
def test_bad_rules_file(write, cli, case, text, line, words):
    rules = write("my-rules.yaml", text)
    result = cli("recommend", "--rules", rules, "--trials", "none")
    _check(result, "my-rules.yaml", line, words)


@pytest.mark.parametrize("case,text,line,words", ANSWERS, ids=[c[0] for c in ANSWERS])
def test_bad_answers_file(write, cli, case, text, line, words):
    answers = write("my-answers.yaml", text)
    result = cli("recommend", "--answers", answers, "--trials", "none")
    _check(result, "my-answers.yaml", line, words)


def test_huge_file_is_refused(tmp_path, cli):
    answers = tmp_path / "huge.yaml"
    answers.write_text("# padding\n" * 120_000)
    result = cli("recommend", "--answers", answers, "--trials", "none")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "huge.yaml" in result.stderr and "limit" in result.stderr


def test_binary_file_is_refused(tmp_path, cli):
    answers = tmp_path / "photo.yaml"
    answers.write_bytes(b"goals: [research]\n\xff\xd8\xff\xe0 JFIF")
    result = cli("recommend", "--answers", answers, "--trials", "none")
    _check(result, "photo.yaml", 2, "not UTF-8")


def test_missing_file(tmp_path, cli):
    result = cli("recommend", "--answers", tmp_path / "nope.yaml", "--trials", "none")
    assert result.returncode == 2 and "nope.yaml" in result.stderr and "not found" in result.stderr
    assert "Traceback" not in result.stderr
