"""Scoring rules (``questions/rules.yaml``): loading, validation and evaluation.

A rules file lists ``criteria`` and ``rules``. A rule that fires scores **every** framework
on one criterion (``scores``: 0..1 each, or a ``measure`` of one number per framework), with
a ``weight`` saying how much the answer behind it matters; or it is a hard requirement
(``only_met_by``) that knocks out the other frameworks; or a note. Every rule names its
``source`` and the month it was ``checked``. Aggregation is in chooser.decide.scoring;
see docs/rules.md.

Framework ids come from the registry (chooser.core.frameworks). A rule scores at least two
of them; a registered framework it does not list (one registered after the rule was
written, e.g. a plug-in) is *neutral* for that rule: it gets the mean of the listed
frameworks' scores, so the rule neither lifts nor sinks it against the field. A knock-out
(``only_met_by``) is different: a hard requirement nobody checked for a framework is not
assumed met, so it removes every registered framework it does not list.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from chooser.core.errors import UserError
from chooser.core.inputs import clip
from chooser.core.schema_errors import raise_validation
from chooser.core.yamlfile import YamlDoc, describe, load_yaml
from chooser.decide.criteria import ALTERNATIVES, MAX_WEIGHT, Criterion, framework_ids
from chooser.decide.expressions import Checked, ConditionError, check_expression
from chooser.decide.namespaces import specs_for
from chooser.decide.safe_format import spec_problem

TRIALS_BY_ID = "_trials_by_id"  # in the names: canonical trial id -> its record
PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::[^{}]*)?\}")


def placeholders() -> set[str]:
    return {*framework_ids(), "ratio", "difference", "best"}


def _known_frameworks(keys: Any, what: str) -> None:
    """Keys must be registered framework ids, at least two of them (a score is relative);
    registered frameworks left out are neutral (module docstring)."""
    ids = framework_ids()
    extra = [k for k in keys if k not in ids]
    if extra:
        raise ValueError(f"{what}: unknown framework {extra[0]!r}; known: {', '.join(ids)}")
    missing = [fw for fw in ids if fw not in keys]
    if len(keys) < 2 and missing:
        raise ValueError(
            f"{what}: no value for {missing[0]!r}; a criterion scores at least "
            f"two frameworks against each other ({', '.join(ids)})"
        )


class Measure(BaseModel):
    """One number per framework; the best scores 1, the others less: ``ratio`` loses 1/span
    per halving (log2), ``difference`` loses 1/span per unit behind the best."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    values: dict[str, str]
    compare: Literal["ratio", "difference"] = "ratio"
    span: float = Field(default=1.0, gt=0, strict=True)

    @model_validator(mode="after")
    def _every_framework(self) -> Measure:
        _known_frameworks(self.values, "measure values")
        return self


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", strict=True)
    criterion: str | None = Field(default=None, strict=True)
    condition: str = Field(default="True", strict=True)
    weight: float = Field(default=1.0, gt=0, le=MAX_WEIGHT)
    scores: dict[str, float] | None = None
    measure: Measure | None = None
    only_met_by: list[str] | None = None
    suggests: str | None = Field(default=None, strict=True)
    reason: str = Field(min_length=1, strict=True)
    source: str = Field(min_length=1, strict=True)
    checked: str = Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$", strict=True)
    _condition: Checked | None = PrivateAttr(default=None)
    _measure: dict[str, Checked] | None = PrivateAttr(default=None)
    _where: tuple[str, int] | None = PrivateAttr(default=None)  # file and line, for messages

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        kinds = [k for k in ("scores", "measure", "only_met_by") if getattr(self, k) is not None]
        if len(kinds) > 1:
            raise ValueError(
                f"give one of 'scores', 'measure' or 'only_met_by', not both "
                f"{kinds[0]!r} and {kinds[1]!r}"
            )
        if self.scores is not None:
            _known_frameworks(self.scores, "scores")
            bad = [k for k, v in self.scores.items() if not 0.0 <= v <= 1.0]
            if bad:
                raise ValueError(
                    f"scores: {bad[0]} is {self.scores[bad[0]]:g}; a score is "
                    "from 0 (does not meet it) to 1 (meets it best)"
                )
        if (self.scores is not None or self.measure is not None) and not self.criterion:
            raise ValueError("a rule with 'scores' or 'measure' needs a 'criterion'")
        if self.only_met_by is not None:
            if not self.only_met_by or set(self.only_met_by) >= set(framework_ids()):
                raise ValueError(
                    "only_met_by: list the frameworks that meet this hard "
                    "requirement (some, not none and not all)"
                )
            _same_frameworks_subset(self.only_met_by)
        if self.suggests is not None and self.suggests not in ALTERNATIVES:
            raise ValueError(
                f"suggests: unknown alternative {self.suggests!r}; known: {', '.join(ALTERNATIVES)}"
            )
        for match in PLACEHOLDER.finditer(self.reason):
            name = match.group(1)
            if name not in placeholders():
                raise ValueError(
                    f"unknown placeholder {{{clip(name, 40)}}} in reason; known: "
                    f"{', '.join(sorted(placeholders()))}"
                )
            problem = spec_problem(match.group(0)[len(name) + 2 : -1])
            if problem:
                raise ValueError(f"{{{name}}} in reason: {problem}")
        return self

    @property
    def kind(self) -> str:
        if self.only_met_by is not None:
            return "knockout"
        return "measure" if self.measure else ("score" if self.scores is not None else "note")

    @property
    def answer_ids(self) -> set[str]:
        return set().union(*(c.answer_ids for c in self.checked_exprs()))

    @property
    def trial_ids(self) -> set[str]:
        return set().union(*(c.trial_ids for c in self.checked_exprs()))

    def checked_exprs(self) -> list[Checked]:
        return [c for c in (self._condition, *(self._measure or {}).values()) if c is not None]


def _same_frameworks_subset(names: list[str]) -> None:
    extra = [n for n in names if n not in framework_ids()]
    if extra:
        raise ValueError(
            f"only_met_by: unknown framework {extra[0]!r}; known: {', '.join(framework_ids())}"
        )


class RuleSet(BaseModel):
    criteria: list[Criterion] = []
    rules: list[Rule]
    source: str = ""

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)


def load_rules(path: str | Path | None = None, bank: Any = None) -> RuleSet:
    """Load and check a rules file against a question bank (default: the shipped one):
    every answers.* name must be a question id, every option compared must exist and every
    criterion a rule names must be listed under ``criteria``."""
    from chooser.decide.questionnaire import load_questions, shipped_questions_dir

    path = Path(path) if path is not None else shipped_questions_dir() / "rules.yaml"
    bank = bank if bank is not None else load_questions()
    doc = load_yaml(path, "rules file", expect="a mapping with 'criteria:' and 'rules:' lists")
    extra = sorted(set(doc.data) - {"rules", "criteria"})
    if extra:
        raise doc.error(
            f"unknown top-level key {extra[0]!r}; a rules file has two keys, "
            "'criteria:' and 'rules:', each holding a list",
            (extra[0],),
            key=True,
        )
    criteria = _parse_criteria(doc)
    items = doc.data.get("rules")
    if not isinstance(items, list) or not items:
        raise doc.error(
            f"'rules' must be a non-empty list of rules, got {describe(items)}", ("rules",)
        )
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    known = {c.id for c in criteria}
    for index, item in enumerate(items):
        rule = _parse_rule(doc, index, item)
        if rule.id in seen:
            first = doc.mark(("rules", seen[rule.id]))[0]
            raise doc.error(
                f"duplicate rule id {rule.id!r} (first defined on line {first})",
                ("rules", index, "id"),
            )
        if rule.criterion is not None and rule.criterion not in known:
            near = difflib.get_close_matches(rule.criterion, sorted(known), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise doc.error(
                f"rule {rule.id!r}: unknown criterion {rule.criterion!r}{hint}; "
                f"known: {', '.join(sorted(known)) or 'none (add a criteria: list)'}",
                ("rules", index, "criterion"),
            )
        seen[rule.id] = index
        _compile(rule, doc, index, bank)
        rules.append(rule)
    return RuleSet(criteria=criteria, rules=rules, source=str(path))


def _parse_criteria(doc: YamlDoc) -> list[Criterion]:
    items = doc.data.get("criteria", [])
    if not isinstance(items, list):
        raise doc.error(
            f"'criteria' must be a list of {{id, label}}, got {describe(items)}", ("criteria",)
        )
    out: list[Criterion] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise doc.error(
                f"criteria[{index}] must be a mapping with id and label; got {describe(item)}",
                ("criteria", index),
            )
        try:
            criterion = Criterion.model_validate(item)
        except ValidationError as exc:
            raise_validation(doc, exc, Criterion, ("criteria", index))
        if criterion.id in {c.id for c in out}:
            raise doc.error(f"duplicate criterion id {criterion.id!r}", ("criteria", index, "id"))
        out.append(criterion)
    return out


def _parse_rule(doc: YamlDoc, index: int, item: Any) -> Rule:
    if not isinstance(item, dict):
        raise doc.error(
            f"rules[{index}] must be a mapping with id, criterion, condition, "
            f"scores, reason, source, checked; got {describe(item)}",
            ("rules", index),
        )
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
        targets += [(("measure", "values", fw), text) for fw, text in rule.measure.values.items()]
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
            raise UserError(
                f"rule {rule.id!r} {'.'.join(map(str, key))}: {exc}{near} in {clip(repr(text))}",
                path=doc.path,
                line=line,
                column=column,
            ) from None
    rule._where = (doc.path, doc.mark(("rules", index))[0])
    rule._condition = compiled[0]
    rule._measure = dict(zip(rule.measure.values, compiled[1:])) if rule.measure else None
