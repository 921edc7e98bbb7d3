"""Evaluating one rule against the answers, the probe and the trials: a RuleResult that says
what fired, what it scored (measured rules compare the frameworks whose trials ran), what
it is waiting for, and the evidence."""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from pydantic import BaseModel

from chooser.core.errors import UserError
from chooser.decide.criteria import framework_ids
from chooser.decide.evaluation import evaluate, make_evaluator, read_chain, unwrap
from chooser.decide.expr_limits import ExpressionFault
from chooser.decide.expressions import MissingValue
from chooser.decide.rules import PLACEHOLDER, TRIALS_BY_ID, Rule
from chooser.decide.safe_format import format_value
from chooser.decide.waiting import lacking_trials, waiting_sentence
from probes.result import alias


def with_neutral(scores: dict[str, float]) -> dict[str, float]:
    """Every registered framework's score: the listed ones as given, the others neutral
    (the mean of the listed ones), in registry order."""
    neutral = round(sum(scores.values()) / len(scores), 3) if scores else 0.0
    return {fw: scores.get(fw, neutral) for fw in framework_ids()}


class RuleResult(BaseModel):
    """What one rule came to. ``status``: fired, not_fired, needs_trial (a trial it reads was
    not run or failed), missing (a probe value it reads is absent) or error. ``weighed`` is
    False when every answer the rule reads was left at its default: it then counts nothing."""

    id: str
    status: Literal["fired", "not_fired", "needs_trial", "missing", "error"]
    kind: Literal["score", "measure", "knockout", "note"] = "note"
    criterion: str | None = None
    weight: float = 0.0
    scores: dict[str, float] = {}
    knocks_out: list[str] = []
    suggests: str | None = None
    weighed: bool = True
    reason: str = ""
    source: str = ""
    checked: str = ""
    evidence: dict[str, Any] = {}
    detail: str = ""
    needs: list[str] = []
    measured: dict[str, float] | None = None


def evaluate_rule(
    rule: Rule, names: dict[str, Any], *, evaluator: Any = None, evidence: bool = True
) -> RuleResult:
    """What ``rule`` gives for these namespaces. ``evaluator`` (make_evaluator(names)) may be
    shared across rules; ``evidence=False`` skips collecting evidence (the what-if search)."""
    base: dict[str, Any] = {
        "id": rule.id,
        "kind": rule.kind,
        "criterion": rule.criterion,
        "source": rule.source,
        "checked": rule.checked,
        "suggests": rule.suggests,
        "evidence": _evidence(rule, names) if evidence else {},
    }
    evaluator = evaluator or make_evaluator(names)
    assert rule._condition is not None, "load_rules compiles every rule"
    try:
        if not evaluate(rule._condition, evaluator):
            return RuleResult(status="not_fired", **base)
        measured = None
        if rule._measure is not None:
            scores, measured = _measure_scores(rule, evaluator, names)
        else:
            scores = with_neutral(rule.scores) if rule.scores else {}
    except MissingValue as exc:
        return _missing(rule, exc, base, names)
    except ExpressionFault as exc:  # the rule's own fault: one line naming it, file and line
        path, line = rule._where or (None, None)
        raise UserError(f"rule {rule.id!r}: {exc}", path=path, line=line) from None
    except (ArithmeticError, TypeError, ValueError) as exc:
        return RuleResult(status="error", detail=f"could not evaluate: {exc}", **base)
    knocks = (
        [fw for fw in framework_ids() if fw not in rule.only_met_by] if rule.only_met_by else []
    )
    return RuleResult(
        status="fired",
        scores=scores,
        measured=measured,
        knocks_out=knocks,
        weight=rule.weight if scores else 0.0,
        reason=_format_reason(rule.reason, measured),
        **base,
    )


def _not_measured(exc: MissingValue, names: dict[str, Any]) -> bool:
    """True when ``exc`` is a trial that did not run here at all: absent from the trials
    given, or skipped because its framework is not installed (status ``missing``). A trial
    that ran and failed is not this: the rule then says which trial it needs."""
    parts = exc.path.split(".")
    if parts[0] != "trials" or len(parts) < 2:
        return False
    trials = names.get(TRIALS_BY_ID, {})
    tid = "/".join(parts[1:4]) if len(parts) >= 4 else ""
    if tid not in trials:
        tid = next((t for t in trials if alias(t) == parts[1]), tid)
    record = trials.get(tid)
    return record is None or record._data.get("status") == "missing"


def _measure_scores(
    rule: Rule, evaluator: Any, names: dict[str, Any]
) -> tuple[dict[str, float], dict[str, float]]:
    """Scores for the frameworks whose trials ran; a framework whose trial did not run (not
    installed, or not asked for) is neutral, like one the rule does not list. Fewer than
    two measured: the rule needs trials (the first missing one is raised)."""
    m, compiled = rule.measure, rule._measure
    assert m is not None and compiled is not None, "called for measured rules only"
    values: dict[str, float] = {}
    absent: list[MissingValue] = []
    for fw, checked in compiled.items():
        try:
            values[fw] = float(evaluate(checked, evaluator))
        except MissingValue as exc:
            if not _not_measured(exc, names):
                raise
            absent.append(exc)
    if len(values) < 2 and absent:
        raise absent[0]
    if not all(math.isfinite(v) for v in values.values()):
        raise ValueError(f"a measure needs finite numbers, got {values}")
    best = max(values.values())
    if m.compare == "ratio":
        if min(values.values()) <= 0:
            raise ValueError(f"a ratio needs positive numbers, got {values}")
        scores = {fw: max(0.0, 1 - math.log2(best / v) / m.span) for fw, v in values.items()}
    else:
        scores = {fw: max(0.0, 1 - (best - v) / m.span) for fw, v in values.items()}
    measured = {**values, "best": best}
    if len(values) == 2:  # the familiar pairwise figures, first framework over second
        first, second = values.values()
        measured["difference"] = first - second
        if second:
            measured["ratio"] = first / second
    return with_neutral({fw: round(s, 3) for fw, s in scores.items()}), measured


def _missing(
    rule: Rule, exc: MissingValue, base: dict[str, Any], names: dict[str, Any]
) -> RuleResult:
    parts = exc.path.split(".")
    if parts[0] == "trials" and len(parts) > 1:
        trials = names.get(TRIALS_BY_ID, {})
        lacking = lacking_trials(rule.trial_ids, exc.path, trials)
        detail = waiting_sentence(lacking, exc.path, trials)
        return RuleResult(
            status="needs_trial", needs=lacking, detail=detail, weight=rule.weight, **base
        )
    return RuleResult(
        status="missing",
        detail=f"not evaluated: {exc.path} is not known (the probe did not report it)",
        **base,
    )


def _evidence(rule: Rule, names: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for chain in sorted({c for checked in rule.checked_exprs() for c in checked.chains}):
        try:
            out[chain] = unwrap(read_chain(chain, names))
        except MissingValue as exc:
            out[chain] = f"(missing{': ' + exc.why if exc.why else ''})"
    return out


def _format_reason(reason: str, measured: dict[str, float] | None) -> str:
    values = measured or {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return "not measured" if name in framework_ids() else match.group(0)
        return format_value(values[name], match.group(0)[len(name) + 2 : -1])

    return PLACEHOLDER.sub(fill, reason)
