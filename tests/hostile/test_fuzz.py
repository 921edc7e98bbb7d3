"""Hypothesis throws generated YAML and expressions at the loaders and the evaluator: every
outcome is a value or a UserError (one line), never another exception, never a hang."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hostile_cli import NUMBER_PLACEHOLDER, write_rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chooser.core.errors import UserError
from chooser.decide.answers import load_answers
from chooser.decide.evaluation import evaluate
from chooser.decide.expr_limits import ExpressionFault
from chooser.decide.expressions import ConditionError, MissingValue, check_expression
from chooser.decide.namespaces import specs_for
from chooser.decide.questionnaire import load_questions
from chooser.decide.recommendation import build_names, recommend
from chooser.decide.rule_results import evaluate_rule
from chooser.decide.rules import load_rules

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "tui" / "fixtures"
FUZZ = settings(
    max_examples=200,
    deadline=timedelta(seconds=5),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

BANK = load_questions()
RULES_TEXT = (REPO / "questions" / "rules.yaml").read_text(encoding="utf-8")
QUESTIONS_TEXT = (REPO / "questions" / "30-scale-hardware.yaml").read_text(encoding="utf-8")
PROBE = json.loads((FIXTURES / "probe.json").read_text())["probe"]  # a real probe's output
TRIALS = [
    v
    for k, v in json.loads((FIXTURES / "trials.json").read_text()).items()
    if not k.startswith("_")
]
NAMES = build_names({q.id: q.default for q in BANK.questions}, PROBE, TRIALS)
SPECS = specs_for([q.id for q in BANK.questions])
OPTIONS = BANK.options_map()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from([q.id for q in BANK.questions]),
)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(
            st.text(max_size=12)
            | st.sampled_from(
                [
                    "questions",
                    "rules",
                    "id",
                    "condition",
                    "points",
                    "reason",
                    "source",
                    "type",
                    "options",
                    "default",
                    "prefill",
                    "measure",
                    "torch",
                    "tensorflow",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


@st.composite
def mutated(draw, text: str) -> str:
    """``text`` with a few random insertions, deletions and replacements."""
    chars = list(text)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(chars)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(
            st.text(min_size=1, max_size=8)
            | st.sampled_from(
                [
                    "\t",
                    ": ",
                    "- ",
                    "[",
                    "{",
                    "&a ",
                    "*a",
                    "\x00",
                    "'",
                    '"',
                    "\n  ",
                    ".inf",
                    "{points:.9999f}",
                    "__class__",
                    "[1]*99999*99999",
                    "not not not not",
                ]
            )
        )
        if kind == "insert":
            chars[at:at] = list(piece)
        elif kind == "delete":
            del chars[at : at + len(piece)]
        else:
            chars[at : at + len(piece)] = list(piece)
    return "".join(chars)


yaml_texts = st.deferred(
    lambda: st.one_of(
        st.text(max_size=300),
        data.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
        mutated(RULES_TEXT),
        mutated(QUESTIONS_TEXT),
    )
)


def _load_all(path: Path) -> None:
    for load in (
        lambda: load_answers(path, BANK),
        lambda: load_rules(path, BANK),
        lambda: load_questions(path),
    ):
        try:
            load()
        except UserError as exc:
            assert "\n" not in str(exc)


@FUZZ
@given(text=yaml_texts)
def test_yaml_loaders_answer_with_a_value_or_one_user_error(text, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "input.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _load_all(path)


@FUZZ
@given(blob=st.binary(max_size=400))
def test_yaml_loaders_on_arbitrary_bytes(blob, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "input.yaml"
    path.write_bytes(blob)
    _load_all(path)


@settings(FUZZ, max_examples=150)  # each example scores and searches what-ifs: ~0.1 s
@given(text=st.deferred(lambda: mutated(RULES_TEXT)))
def test_a_mutated_rules_file_scores_or_fails_in_one_line(text, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "rules.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        rules = load_rules(path, BANK)
        recommend(BANK, rules, {}, PROBE, TRIALS)
    except UserError as exc:
        assert "\n" not in str(exc)


NAME_CHAINS = [
    "answers.goals",
    "answers.gpus_per_machine",
    "answers.style",
    "probe.cpu.usable_cores",
    "probe.os.system",
    "probe.gpus",
    "probe.gpus[0].name",
    "machine.nvidia_gpus",
    "trials.torch_single.samples_per_second.median",
    "trials.torch_single.versions",
    "trials.tensorflow_single.test_accuracy",
    "probe.memory.total_bytes",
]
ATOMS = st.one_of(
    st.sampled_from(NAME_CHAINS),
    st.integers(-(10**6), 10**30).map(str),
    st.sampled_from(
        [
            "1e308",
            "1e999",
            "0",
            "-0.0",
            "True",
            "None",
            "[]",
            "[1, 2]",
            "'x'",
            "'research'",
            "[1]*99999",
            "'a'*100000",
        ]
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.", min_size=1, max_size=12),
)


def _combine(inner):
    return st.one_of(
        st.tuples(
            inner,
            st.sampled_from(
                [
                    "+",
                    "-",
                    "*",
                    "/",
                    "//",
                    "%",
                    "==",
                    "!=",
                    "<",
                    ">=",
                    " in ",
                    " not in ",
                    " and ",
                    " or ",
                    "**",
                    "<<",
                ]
            ),
            inner,
        ).map(lambda t: f"({t[0]}{t[1]}{t[2]})"),
        inner.map(lambda e: f"not {e}"),
        st.tuples(
            st.sampled_from(
                [
                    "len",
                    "min",
                    "max",
                    "abs",
                    "round",
                    "float",
                    "int",
                    "log2",
                    "any",
                    "all",
                    "eval",
                    "getattr",
                ]
            ),
            st.lists(inner, min_size=1, max_size=3),
        ).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.lists(inner, max_size=4).map(lambda items: f"[{', '.join(items)}]"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(
            inner,
            st.sampled_from([".__class__", ".foo", "[0]", "['__dict__']", ".median", ".upper"]),
        ).map(lambda t: f"({t[0]}){t[1]}"),
    )


# deferred: the recursive strategy's repr is megabytes, and Hypothesis builds it otherwise
expressions = st.deferred(
    lambda: st.one_of(st.recursive(ATOMS, _combine, max_leaves=25), st.text(max_size=80))
)
EVAL_OUTCOMES = (MissingValue, ArithmeticError, TypeError, ValueError, ExpressionFault)


@FUZZ
@given(text=expressions)
def test_expressions_are_checked_and_evaluated_without_surprises(text):
    try:
        checked = check_expression(text, SPECS, OPTIONS)
    except ConditionError:
        return
    try:
        evaluate(checked, NAMES)
    except EVAL_OUTCOMES:
        pass


@FUZZ
@given(text=expressions)
def test_expressions_as_rule_conditions(text, tmp_path_factory):
    path = write_rules(
        tmp_path_factory.mktemp("fuzz") / "rules.yaml", text, f"r {{{NUMBER_PLACEHOLDER}:.1f}}"
    )
    try:
        rule = load_rules(path, BANK).rules[1]
        evaluate_rule(rule, NAMES)
    except UserError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))


def test_the_generators_reach_the_evaluator():
    """Guard against a fuzz test that only ever hits parse errors."""
    checked = check_expression("(probe.cpu.usable_cores + 1) > 0", SPECS, OPTIONS)
    assert evaluate(checked, NAMES) is True
    with pytest.raises(ExpressionFault):
        evaluate(check_expression("len([1]*99999*99999) > 0", SPECS, OPTIONS), NAMES)
