"""The recommendation: totals per framework, the rules behind them, margin, confidence,
the trials that are still needed and what would change the verdict. Deterministic: the
same bank, rules, answers, probe and trial results always give the same object."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from chooser.decide.evidence import HARDWARE_ANSWERS, gate
from chooser.decide.expressions import Record, make_evaluator, wrap
from chooser.decide.machine import machine_facts
from chooser.decide.questionnaire import QuestionBank, prefill_from_probe, resolve_answers
from chooser.decide.rules import FRAMEWORKS, RuleResult, RuleSet, evaluate_rule

Verdict = Literal["torch", "tensorflow", "tie"]
LABELS = {"torch": "PyTorch", "tensorflow": "TensorFlow", "tie": "either (a tie)"}


class Confidence(BaseModel):
    level: Literal["high", "medium", "low", "none"]
    value: float  # margin ÷ all points given, 0..1
    explanation: str


class NeedsTrial(BaseModel):
    rule_id: str
    trials: list[str]
    detail: str
    max_points: float | None = None  # the most this rule could give, when known
    could_flip: bool = False


class Change(BaseModel):
    kind: Literal["answer", "measurement"]
    path: str  # answers.<id> or the measured quantity
    current: Any
    new: Any
    description: str


class WhatIf(BaseModel):
    changes: list[Change]
    verdict: Verdict
    totals: dict[str, float]
    margin: float


class Recommendation(BaseModel):
    verdict: Verdict
    totals: dict[str, float]
    margin: float
    confidence: Confidence
    fired: list[RuleResult]
    needs_trials: list[NeedsTrial]
    skipped: list[RuleResult]  # rules not evaluated: a probe value missing, or an error
    what_would_change: list[WhatIf]
    what_would_change_note: str = ""
    answers: dict[str, Any]
    answer_origin: dict[str, str]  # answered / probe / default / hidden


def build_names(answers: dict[str, Any], probe: dict[str, Any] | None,
                trials: list[dict[str, Any]] | None) -> dict[str, Any]:
    """The four namespaces a condition reads."""
    by_id: dict[str, Any] = {}
    for result in trials or []:
        tid = result.get("id") or f"{result.get('framework')}_{result.get('mode')}"
        data = {**result, "ok": result.get("status") == "ok"}
        blocked = "" if data["ok"] else (f"did not succeed ({result.get('status')}: "
                                         f"{result.get('message') or 'no message'})")
        by_id[str(tid)] = Record(data, f"trials.{tid}", blocked)
    return {
        "answers": wrap(answers, "answers"),
        "probe": wrap(probe or {}, "probe"),
        "machine": wrap(machine_facts(probe), "machine"),
        "trials": Record(by_id, "trials"),
    }


def score(results: list[RuleResult]) -> tuple[Verdict, dict[str, float], float]:
    totals = {fw: round(sum(r.points[fw] for r in results if r.status == "fired"), 3)
              for fw in FRAMEWORKS}
    margin = round(abs(totals["torch"] - totals["tensorflow"]), 3)
    if margin < 1e-9:
        return "tie", totals, 0.0
    return ("torch" if totals["torch"] > totals["tensorflow"] else "tensorflow"), totals, margin


def confidence_for(verdict: Verdict, totals: dict[str, float], margin: float) -> Confidence:
    """High only when the lead is both large in points and a large share of all points."""
    given = sum(abs(v) for v in totals.values())
    share = round(margin / given, 3) if given else 0.0
    if verdict == "tie":
        return Confidence(level="none", value=0.0, explanation="the scores are tied")
    if margin >= 4 and share >= 0.25:
        level = "high"
    elif margin >= 2 and share >= 0.1:
        level = "medium"
    else:
        level = "low"
    return Confidence(level=level, value=share, explanation=(
        f"{LABELS[verdict]} leads by {margin:g} of {given:g} points ({share:.0%}); high needs "
        "a lead of ≥ 4 points and ≥ 25 %, medium ≥ 2 points and ≥ 10 %"))


def recommend(bank: QuestionBank, rules: RuleSet, answers: dict[str, Any],
              probe: dict[str, Any] | None, trials: list[dict[str, Any]] | None,
              *, search_budget: int = 4000) -> Recommendation:
    """Score every rule. ``answers`` may be partial: unanswered questions take the probe's
    pre-fill (hardware questions), else their default."""
    from chooser.decide.what_if import what_would_change

    values, origin = resolve_answers(bank, answers, prefill_from_probe(bank, probe))
    names = build_names(values, probe, trials)
    evaluator = make_evaluator(names)
    facts = machine_facts(probe)

    def supported(rule, result, answer_values):  # chooser.decide.evidence: no score from noise
        return gate(rule, result, trials or [], answer_values, facts)

    supported.answer_ids = HARDWARE_ANSWERS  # type: ignore[attr-defined]

    results = [supported(rule, evaluate_rule(rule, names, evaluator=evaluator), values)
               for rule in rules.rules]
    verdict, totals, margin = score(results)
    needs = _needs_trials(rules, results, margin)
    changes, note = what_would_change(bank, rules, values, origin, names, results, verdict,
                                      budget=search_budget, adjust=supported)
    return Recommendation(
        verdict=verdict, totals=totals, margin=margin,
        confidence=confidence_for(verdict, totals, margin),
        fired=[r for r in results if r.status == "fired"],
        needs_trials=needs,
        skipped=[r for r in results if r.status in ("missing", "error")],
        what_would_change=changes, what_would_change_note=note,
        answers=values, answer_origin=origin)


def _needs_trials(rules: RuleSet, results: list[RuleResult], margin: float) -> list[NeedsTrial]:
    by_id = {rule.id: rule for rule in rules.rules}
    out = []
    for r in results:
        if r.status != "needs_trial":
            continue
        rule = by_id[r.id]
        if rule.measure is not None:
            top = rule.measure.cap
        elif rule.points is not None:
            top = max(abs(rule.points.torch), abs(rule.points.tensorflow))
        else:
            top = 0.0
        out.append(NeedsTrial(rule_id=r.id, trials=r.needs, detail=r.detail, max_points=top,
                              could_flip=top >= margin))
    return out
