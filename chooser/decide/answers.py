"""Answers: resolving every question's value and where it came from (answered, probe,
default, hidden), pre-filling hardware answers from the probe, and loading and saving a
user's answers file."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from chooser.core.atomic import write_text_atomic
from chooser.core.errors import UserError
from chooser.core.inputs import clip
from chooser.core.yamlfile import load_yaml
from chooser.decide.evaluation import evaluate, wrap
from chooser.decide.expr_limits import ExpressionFault
from chooser.decide.expressions import MissingValue
from chooser.decide.machine import machine_facts
from chooser.decide.questionnaire import Question, QuestionBank, check_answer


def resolve_answers(
    bank: QuestionBank, given: dict[str, Any], prefill: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Every question's value and where it came from ("answered", "probe", "default" or
    "hidden"). Hidden questions contribute [] (multi) or None to conditions."""
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for q in bank.questions:
        if q._condition is not None and not _truthy(q, values):
            values[q.id], origin[q.id] = q.empty_value(), "hidden"
        elif q.id in given:
            values[q.id], origin[q.id] = given[q.id], "answered"
        elif prefill and q.id in prefill:
            values[q.id], origin[q.id] = prefill[q.id], "probe"
        else:
            values[q.id], origin[q.id] = q.default, "default"
    return values, origin


def _truthy(question: Question, answers: dict[str, Any]) -> bool:
    assert question._condition is not None, "load_questions compiles every condition"
    try:
        return bool(evaluate(question._condition, {"answers": wrap(answers, "answers")}))
    except (MissingValue, ArithmeticError, TypeError, ValueError):
        return False
    except ExpressionFault as exc:
        raise _fault(question, "condition", exc) from None


def _fault(question: Question, what: str, exc: ExpressionFault) -> UserError:
    """An expression that cannot be evaluated: one line naming the question, file and line."""
    path, line = question._where or (None, None)
    return UserError(f"question {question.id!r} {what}: {exc}", path=path, line=line)


def default_answers(bank: QuestionBank) -> dict[str, Any]:
    return {q.id: q.default for q in bank.questions}


def prefill_from_probe(bank: QuestionBank, probe: dict[str, Any] | None) -> dict[str, Any]:
    """Answers the probe can give (hardware questions); a value the probe lacks is left out."""
    names = {"probe": wrap(probe or {}, "probe"), "machine": wrap(machine_facts(probe), "machine")}
    out: dict[str, Any] = {}
    for q in bank.questions:
        if q._prefill is None:
            continue
        try:
            out[q.id] = check_answer(q, _plain(evaluate(q._prefill, names)))
        except (MissingValue, ArithmeticError, TypeError, ValueError):
            continue
        except ExpressionFault as exc:
            raise _fault(q, "prefill", exc) from None
    return out


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def load_answers(path: str | Path, bank: QuestionBank) -> dict[str, Any]:
    """The answers a YAML file gives (a mapping of question id → answer), validated.
    Questions it leaves out are not in the result (they take their default later)."""
    doc = load_yaml(path, "answers file", expect="a mapping of question id to answer")
    questions = bank.by_id()
    out: dict[str, Any] = {}
    for key, value in doc.data.items():
        if key not in questions:
            near = difflib.get_close_matches(str(key)[:100], list(questions), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise doc.error(
                f"unknown question id {clip(repr(key))}{hint}; known ids: {', '.join(questions)}",
                (key,),
                key=True,
            )
        try:
            out[key] = check_answer(questions[key], value)
        except ValueError as exc:
            raise doc.error(f"answer to {key!r}: {exc}", (key,)) from None
    return out


def save_answers(path: str | Path, answers: dict[str, Any]) -> None:
    header = "# chooser answers: question id → answer (see `chooser recommend --answers`)\n"
    write_text_atomic(
        Path(path), header + yaml.safe_dump(answers, sort_keys=False, allow_unicode=True)
    )
