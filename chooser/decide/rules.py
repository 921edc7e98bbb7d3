"""Scoring rules (``questions/rules.yaml``): loading, validation and evaluation.

A rule gives fixed ``points`` to torch and/or tensorflow when its ``condition`` holds, or
``measure``s two numbers (one per framework, e.g. samples/s) and gives
``weight × log2(torch/tensorflow)`` (or ``weight × (torch − tensorflow)``) points, capped,
to the framework the measurement favours. See docs/rules.md.
"""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from chooser.core.errors import UserError
from chooser.decide.expressions import (Checked, ConditionError, MissingValue, check_expression,
                                 evaluate, make_evaluator, read_chain, unwrap)
from chooser.decide.expr_limits import ExpressionFault
from chooser.decide.namespaces import specs_for
from chooser.decide.safe_format import format_value, spec_problem
from chooser.core.inputs import clip
from chooser.core.schema_errors import raise_validation
from chooser.core.yamlfile import YamlDoc, describe, load_yaml

FRAMEWORKS = ("torch", "tensorflow")
MAX_POINTS = 1_000.0  # per rule; keeps every total finite (docs/rules.md)
_PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::[^{}]*)?\}")
PLACEHOLDERS = {"torch", "tensorflow", "ratio", "difference", "points"}


class Points(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
    torch: float = Field(default=0.0, ge=-MAX_POINTS, le=MAX_POINTS)
    tensorflow: float = Field(default=0.0, ge=-MAX_POINTS, le=MAX_POINTS)


class Measure(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    torch: str = Field(strict=True)
    tensorflow: str = Field(strict=True)
    compare: Literal["ratio", "difference"] = "ratio"
    weight: float = Field(gt=0, le=MAX_POINTS, strict=True)
    cap: float = Field(default=3.0, gt=0, le=MAX_POINTS, strict=True)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", strict=True)
    condition: str = Field(default="True", strict=True)
    points: Points | None = None
    measure: Measure | None = None
    reason: str = Field(min_length=1, strict=True)
    source: str = Field(min_length=1, strict=True)
    _condition: Checked | None = PrivateAttr(default=None)
    _measure: tuple[Checked, Checked] | None = PrivateAttr(default=None)
    _where: tuple[str, int] | None = PrivateAttr(default=None)  # file and line, for messages

    @model_validator(mode="after")
    def _one_kind(self) -> "Rule":
        if self.points is not None and self.measure is not None:
            raise ValueError("give either 'points' or 'measure', not both")
        for match in _PLACEHOLDER.finditer(self.reason):
            name = match.group(1)
            if name not in PLACEHOLDERS:
                raise ValueError(f"unknown placeholder {{{clip(name, 40)}}} in reason; known: "
                                 f"{', '.join(sorted(PLACEHOLDERS))}")
            problem = spec_problem(match.group(0)[len(name) + 2:-1])
            if problem:
                raise ValueError(f"{{{name}}} in reason: {problem}")
        return self

    @property
    def answer_ids(self) -> set[str]:
        return set().union(*(c.answer_ids for c in self.checked()))

    @property
    def trial_ids(self) -> set[str]:
        return set().union(*(c.trial_ids for c in self.checked()))

    def checked(self) -> list[Checked]:
        return [c for c in (self._condition, *(self._measure or ())) if c is not None]


class RuleSet(BaseModel):
    rules: list[Rule]
    source: str = ""


class RuleResult(BaseModel):
    """What one rule came to. ``status``: fired, not_fired, needs_trial (a trial it reads was
    not run or failed), missing (a probe value it reads is absent) or error."""

    id: str
    status: Literal["fired", "not_fired", "needs_trial", "missing", "error"]
    points: dict[str, float] = {"torch": 0.0, "tensorflow": 0.0}
    reason: str = ""
    source: str = ""
    evidence: dict[str, Any] = {}
    detail: str = ""
    needs: list[str] = []
    measured: dict[str, float] | None = None


def load_rules(path: str | Path | None = None, bank: Any = None) -> RuleSet:
    """Load and check a rules file against a question bank (default: the shipped one):
    every answers.* name must be a question id and every option compared must exist."""
    from chooser.decide.questionnaire import load_questions, shipped_questions_dir

    path = Path(path) if path is not None else shipped_questions_dir() / "rules.yaml"
    bank = bank if bank is not None else load_questions()
    doc = load_yaml(path, "rules file", expect="a mapping with a 'rules:' list")
    extra = sorted(set(doc.data) - {"rules"})
    if extra:
        raise doc.error(f"unknown top-level key {extra[0]!r}; a rules file has one key, "
                        "'rules:', holding a list", (extra[0],), key=True)
    items = doc.data.get("rules")
    if not isinstance(items, list) or not items:
        raise doc.error(f"'rules' must be a non-empty list of rules, got {describe(items)}",
                        ("rules",))
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        rule = _parse_rule(doc, index, item)
        if rule.id in seen:
            first = doc.mark(("rules", seen[rule.id]))[0]
            raise doc.error(f"duplicate rule id {rule.id!r} (first defined on line {first})",
                            ("rules", index, "id"))
        seen[rule.id] = index
        _compile(rule, doc, index, bank)
        rules.append(rule)
    return RuleSet(rules=rules, source=str(path))


def _parse_rule(doc: YamlDoc, index: int, item: Any) -> Rule:
    if not isinstance(item, dict):
        raise doc.error(f"rules[{index}] must be a mapping with id, condition, points, reason, "
                        f"source; got {describe(item)}", ("rules", index))
    label = f"rule {item.get('id')!r}" if isinstance(item.get("id"), str) else ""
    try:
        return Rule.model_validate(item)
    except ValidationError as exc:
        raise_validation(doc, exc, Rule, ("rules", index), label)


def _compile(rule: Rule, doc: YamlDoc, index: int, bank: Any) -> None:
    question_ids = [q.id for q in bank.questions]
    specs = specs_for(question_ids)
    options = bank.options_map()
    targets = [("condition", rule.condition)]
    if rule.measure:
        targets += [(("measure", "torch"), rule.measure.torch),
                    (("measure", "tensorflow"), rule.measure.tensorflow)]
    compiled = []
    for key, text in targets:
        loc = ("rules", index, *((key,) if isinstance(key, str) else key))
        try:
            compiled.append(check_expression(text, specs, options))
        except ConditionError as exc:
            line, column = doc.mark(loc)
            near = ""
            match = re.search(r"unknown name (\S+?)[;\s]", str(exc) + " ")
            if match and match.group(1).startswith("answers."):
                guess = difflib.get_close_matches(match.group(1)[8:], question_ids, n=1)
                near = f" (did you mean answers.{guess[0]}?)" if guess else ""
            raise UserError(f"rule {rule.id!r} {'.'.join(loc[2:])}: {exc}{near} in {clip(repr(text))}",
                            path=doc.path, line=line, column=column) from None
    rule._where = (doc.path, doc.mark(("rules", index))[0])
    rule._condition = compiled[0]
    rule._measure = (compiled[1], compiled[2]) if rule.measure else None


def evaluate_rule(rule: Rule, names: dict[str, Any], *, evaluator: Any = None,
                  evidence: bool = True) -> RuleResult:
    """What ``rule`` gives for these namespaces. ``evaluator`` (make_evaluator(names)) may be
    shared across rules; ``evidence=False`` skips collecting evidence (the what-if search)."""
    base = {"id": rule.id, "source": rule.source,
            "evidence": _evidence(rule, names) if evidence else {}}
    evaluator = evaluator or make_evaluator(names)
    try:
        if not evaluate(rule._condition, evaluator):
            return RuleResult(status="not_fired", **base)
        measured = None
        if rule._measure is not None:
            points, measured = _measure_points(rule, evaluator)
        else:
            p = rule.points or Points()
            points = {"torch": p.torch, "tensorflow": p.tensorflow}
    except MissingValue as exc:
        return _missing(rule, exc, base, names)
    except ExpressionFault as exc:  # the rule's own fault: one line naming it, file and line
        path, line = rule._where or (None, None)
        raise UserError(f"rule {rule.id!r}: {exc}", path=path, line=line) from None
    except (ArithmeticError, TypeError, ValueError) as exc:
        return RuleResult(status="error", detail=f"could not evaluate: {exc}", **base)
    return RuleResult(status="fired", points=points, measured=measured,
                      reason=_format_reason(rule.reason, points, measured), **base)


def _measure_points(rule: Rule, evaluator: Any) -> tuple[dict[str, float], dict[str, float]]:
    m = rule.measure
    t = float(evaluate(rule._measure[0], evaluator))
    f = float(evaluate(rule._measure[1], evaluator))
    if not (math.isfinite(t) and math.isfinite(f)):
        raise ValueError(f"a measure needs two finite numbers, got {t:g} and {f:g}")
    if m.compare == "ratio":
        if t <= 0 or f <= 0:
            raise ValueError(f"a ratio needs two positive numbers, got {t:g} and {f:g}")
        value = math.log2(t / f)
    else:
        value = t - f
    score = max(-m.cap, min(m.cap, m.weight * value))
    points = {"torch": round(max(score, 0.0), 3), "tensorflow": round(max(-score, 0.0), 3)}
    measured = {"torch": t, "tensorflow": f, "difference": t - f}
    if f:
        measured["ratio"] = t / f
    return points, measured


def _missing(rule: Rule, exc: MissingValue, base: dict, names: dict[str, Any]) -> RuleResult:
    parts = exc.path.split(".")
    if parts[0] == "trials" and len(parts) > 1:
        trials = names["trials"]
        lacking = sorted(t for t in rule.trial_ids | {parts[1]}
                         if t not in trials or not getattr(trials, t).ok)

        def why(tid: str) -> str:
            return getattr(trials, tid)._blocked if tid in trials else "was not run"

        if len(lacking) == 1:
            detail = f"needs trial {lacking[0]}, which {why(lacking[0])}"
        elif not any(t in trials for t in lacking):
            detail = f"needs trials {', '.join(lacking)}, which were not run"
        else:
            detail = "needs trials " + "; ".join(f"{t}, which {why(t)}" for t in lacking)
        return RuleResult(status="needs_trial", needs=lacking, detail=detail, **base)
    return RuleResult(status="missing", detail=f"not evaluated: {exc.path} is not known "
                      "(the probe did not report it)", **base)


def _evidence(rule: Rule, names: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for chain in sorted({c for checked in rule.checked() for c in checked.chains}):
        try:
            out[chain] = unwrap(read_chain(chain, names))
        except MissingValue as exc:
            out[chain] = f"(missing{': ' + exc.why if exc.why else ''})"
    return out


def _format_reason(reason: str, points: dict[str, float], measured: dict[str, float] | None) -> str:
    values = {"points": max(points.values()), **(measured or {})}

    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return format_value(values[name], match.group(0)[len(name) + 2:-1])

    return _PLACEHOLDER.sub(fill, reason)
