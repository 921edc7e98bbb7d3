"""Scoring rules (``questions/rules.yaml``): loading, validation and evaluation.

A rule gives fixed ``points`` to one or more frameworks (a mapping: framework id → points)
when its ``condition`` holds, or ``measure``s two numbers (one for each of two frameworks,
e.g. samples/s) and gives ``weight × log2(a/b)`` (or ``weight × (a − b)``) points, capped,
to the framework the measurement favours. Framework ids come from the registry
(``chooser.core.frameworks``). See docs/rules.md.
"""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.core.schema_errors import raise_validation
from chooser.core.yamlfile import YamlDoc, describe, load_yaml
from chooser.decide.expressions import (
    Checked,
    ConditionError,
    MissingValue,
    check_expression,
    evaluate,
    make_evaluator,
    read_chain,
    unwrap,
)
from chooser.decide.namespaces import specs_for

TRIALS_BY_ID = "_trials_by_id"  # in the names: canonical trial id -> its record
_PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::[^{}]*)?\}")


def placeholders() -> set[str]:
    return {*frameworks.ids(), "ratio", "difference", "points"}


def zero_points() -> dict[str, float]:
    return dict.fromkeys(frameworks.ids(), 0.0)


def _only_frameworks(data: Any, fixed: set[str]) -> Any:
    """Keys of a points/measure mapping other than ``fixed`` must be framework ids."""
    if isinstance(data, dict):
        for key in data:
            if key not in fixed and not frameworks.known(str(key)):
                raise ValueError(f"unknown key {key!r}; expected a framework id "
                                 f"({frameworks.choices_text()})"
                                 + (f" or {', '.join(sorted(fixed))}" if fixed else ""))
    return data


class Points(BaseModel):
    """Points per framework id: ``{<id>: 3}``."""

    model_config = ConfigDict(extra="allow", strict=True)
    __pydantic_extra__: dict[str, float] = Field(init=False)

    @model_validator(mode="before")
    @classmethod
    def _known(cls, data: Any) -> Any:
        return _only_frameworks(data, set())

    def given(self) -> dict[str, float]:
        """Points for every registered framework (0 where the rule gives none)."""
        return {**zero_points(), **(self.model_extra or {})}


class Measure(BaseModel):
    """Two framework ids, each with the expression measuring it, compared by ratio or
    difference: ``{<id a>: <expr>, <id b>: <expr>, compare: ratio, weight: 2}``."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, str] = Field(init=False)
    compare: Literal["ratio", "difference"] = "ratio"
    weight: float = Field(gt=0, strict=True)
    cap: float = Field(default=3.0, gt=0, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _known(cls, data: Any) -> Any:
        return _only_frameworks(data, {"compare", "weight", "cap"})

    @model_validator(mode="after")
    def _a_pair(self) -> Measure:
        if len(self.model_extra or {}) != 2:
            raise ValueError("a measure compares exactly two frameworks (each with an "
                             f"expression), got {len(self.model_extra or {})}")
        return self

    @property
    def pair(self) -> tuple[str, str]:
        first, second = (self.model_extra or {})
        return first, second

    def expression(self, framework_id: str) -> str:
        return str((self.model_extra or {})[framework_id])


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

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        if self.points is not None and self.measure is not None:
            raise ValueError("give either 'points' or 'measure', not both")
        for name in _PLACEHOLDER.findall(self.reason):
            if name not in placeholders():
                raise ValueError(f"unknown placeholder {{{name}}} in reason; known: "
                                 f"{', '.join(sorted(placeholders()))}")
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
    points: dict[str, float] = Field(default_factory=zero_points)
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
    targets: list[tuple[tuple[str, ...], str]] = [(("condition",), rule.condition)]
    if rule.measure:
        targets += [(("measure", fw), rule.measure.expression(fw)) for fw in rule.measure.pair]
    compiled = []
    for key, text in targets:
        loc: tuple[str | int, ...] = ("rules", index, *key)
        try:
            compiled.append(check_expression(text, specs, options))
        except ConditionError as exc:
            line, column = doc.mark(loc)
            near = ""
            match = re.search(r"unknown name (\S+?)[;\s]", str(exc) + " ")
            if match and match.group(1).startswith("answers."):
                guess = difflib.get_close_matches(match.group(1)[8:], question_ids, n=1)
                near = f" (did you mean answers.{guess[0]}?)" if guess else ""
            raise UserError(f"rule {rule.id!r} {'.'.join(key)}: {exc}{near} in {text!r}",
                            path=doc.path, line=line, column=column) from None
    rule._condition = compiled[0]
    rule._measure = (compiled[1], compiled[2]) if rule.measure else None


def evaluate_rule(rule: Rule, names: dict[str, Any], *, evaluator: Any = None,
                  evidence: bool = True) -> RuleResult:
    """What ``rule`` gives for these namespaces. ``evaluator`` (make_evaluator(names)) may be
    shared across rules; ``evidence=False`` skips collecting evidence (the what-if search)."""
    base: dict[str, Any] = {"id": rule.id, "source": rule.source,
                            "evidence": _evidence(rule, names) if evidence else {}}
    evaluator = evaluator or make_evaluator(names)
    assert rule._condition is not None, "load_rules compiles every rule"
    try:
        if not evaluate(rule._condition, evaluator):
            return RuleResult(status="not_fired", **base)
        measured = None
        if rule._measure is not None:
            points, measured = _measure_points(rule, evaluator)
        else:
            points = rule.points.given() if rule.points else zero_points()
    except MissingValue as exc:
        return _missing(rule, exc, base, names)
    except (ArithmeticError, TypeError, ValueError) as exc:
        return RuleResult(status="error", detail=f"could not evaluate: {exc}", **base)
    return RuleResult(status="fired", points=points, measured=measured,
                      reason=_format_reason(rule.reason, points, measured), **base)


def _measure_points(rule: Rule, evaluator: Any) -> tuple[dict[str, float], dict[str, float]]:
    m, compiled = rule.measure, rule._measure
    assert m is not None and compiled is not None, "called for measured rules only"
    t = float(evaluate(compiled[0], evaluator))
    f = float(evaluate(compiled[1], evaluator))
    if m.compare == "ratio":
        if t <= 0 or f <= 0:
            raise ValueError(f"a ratio needs two positive numbers, got {t:g} and {f:g}")
        value = math.log2(t / f)
    else:
        value = t - f
    score = max(-m.cap, min(m.cap, m.weight * value))
    first, second = m.pair
    points = {**zero_points(), first: round(max(score, 0.0), 3),
              second: round(max(-score, 0.0), 3)}
    measured = {first: t, second: f, "difference": t - f}
    if f:
        measured["ratio"] = t / f
    return points, measured


def _missing(rule: Rule, exc: MissingValue, base: dict[str, Any],
             names: dict[str, Any]) -> RuleResult:
    parts = exc.path.split(".")
    if parts[0] == "trials" and len(parts) > 1:
        trials = names.get(TRIALS_BY_ID, {})
        lacking = sorted(t for t in rule.trial_ids if t not in trials or not trials[t].ok)

        def why(tid: str) -> str:
            return str(trials[tid]._blocked) if tid in trials else "was not run"

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

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        try:
            return format(values[name], match.group(0)[len(name) + 2:-1] or "g")
        except ValueError:
            return str(values[name])

    return _PLACEHOLDER.sub(fill, reason)
