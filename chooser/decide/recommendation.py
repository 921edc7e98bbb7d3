"""The recommendation: totals per framework, the rules behind them, margin (the winner's lead
over the runner-up), confidence,
the trials that are still needed and what would change the verdict. Deterministic: the
same bank, rules, answers, probe and trial results always give the same object.
(``Change``, ``WhatIf``, ``ranked`` and ``score`` live in chooser.decide.totals, which
what_if also uses: no import cycle.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel

from chooser.core import frameworks
from chooser.decide.expressions import Record, make_evaluator, wrap
from chooser.decide.machine import machine_facts
from chooser.decide.questionnaire import QuestionBank, prefill_from_probe, resolve_answers
from chooser.decide.rules import TRIALS_BY_ID, RuleResult, RuleSet, evaluate_rule
from chooser.decide.totals import Change, Verdict, WhatIf, ranked, score
from chooser.decide.what_if import what_would_change
from probes.result import alias, split_id, trial_id


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
    """The four namespaces a condition reads (and, under ``TRIALS_BY_ID``, each trial's
    record by canonical id, for explaining what is missing). A trial is reachable as
    ``trials.<kind>.<framework>.<mode>`` and by its old name ``trials.<framework>_<mode>``."""
    by_id: dict[str, Any] = {}
    tree: dict[str, dict[str, dict[str, Any]]] = {}
    for result in trials or []:
        tid = canonical_id(result)
        data = {**result, "id": tid, "ok": result.get("status") == "ok"}
        blocked = "" if data["ok"] else (f"did not succeed ({result.get('status')}: "
                                         f"{result.get('message') or 'no message'})")
        kind, framework, mode = tid.split("/")
        record = Record(data, f"trials.{kind}.{framework}.{mode}", blocked)
        by_id[tid] = record
        tree.setdefault(kind, {}).setdefault(framework, {})[mode] = record
    top: dict[str, Any] = {alias(tid): record for tid, record in by_id.items()}
    for kind, per_framework in tree.items():
        top[kind] = Record({fw: Record(modes, f"trials.{kind}.{fw}")
                            for fw, modes in per_framework.items()}, f"trials.{kind}")
    return {
        "answers": wrap(answers, "answers"),
        "probe": wrap(probe or {}, "probe"),
        "machine": wrap(machine_facts(probe), "machine"),
        "trials": Record(top, "trials"),
        TRIALS_BY_ID: by_id,
    }


def canonical_id(result: Mapping[str, Any]) -> str:
    """``throughput/<framework>/single`` for a result, whether it carries that id, an old
    ``<framework>_single`` id (schema 1 reports, recorded fixtures) or none."""
    split = split_id(str(result.get("id") or ""))
    if split is None:
        split = (str(result.get("kind") or "throughput"), str(result.get("framework")),
                 str(result.get("mode")))
    return trial_id(split[1], split[2], split[0])


def confidence_for(verdict: Verdict, totals: dict[str, float], margin: float) -> Confidence:
    """High only when the lead (winner over runner-up) is both large in points and a large
    share of all points given."""
    given = sum(abs(v) for v in totals.values())
    share = round(margin / given, 3) if given else 0.0
    if verdict == "tie":
        return Confidence(level="none", value=0.0, explanation="the scores are tied")
    level: Literal["high", "medium", "low"]
    if margin >= 4 and share >= 0.25:
        level = "high"
    elif margin >= 2 and share >= 0.1:
        level = "medium"
    else:
        level = "low"
    return Confidence(level=level, value=share, explanation=(
        f"{frameworks.label(verdict)} leads the runner-up by {margin:g} of {given:g} points "
        f"({share:.0%}); high needs a lead of ≥ 4 points and ≥ 25 %, medium ≥ 2 points and ≥ 10 %"))


def recommend(bank: QuestionBank, rules: RuleSet, answers: dict[str, Any],
              probe: dict[str, Any] | None, trials: list[dict[str, Any]] | None,
              *, search_budget: int = 4000) -> Recommendation:
    """Score every rule. ``answers`` may be partial: unanswered questions take the probe's
    pre-fill (hardware questions), else their default."""
    values, origin = resolve_answers(bank, answers, prefill_from_probe(bank, probe))
    names = build_names(values, probe, trials)
    evaluator = make_evaluator(names)
    results = [evaluate_rule(rule, names, evaluator=evaluator) for rule in rules.rules]
    verdict, totals, margin = score(results)
    needs = _needs_trials(rules, results, margin)
    changes, note = what_would_change(bank, rules, values, origin, names, results, verdict,
                                      budget=search_budget)
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
            top = max((abs(v) for v in rule.points.given().values()), default=0.0)
        else:
            top = 0.0
        out.append(NeedsTrial(rule_id=r.id, trials=r.needs, detail=r.detail, max_points=top,
                              could_flip=top >= margin))
    return out


__all__ = ["Change", "Confidence", "NeedsTrial", "Recommendation", "Verdict", "WhatIf",
           "build_names", "canonical_id", "confidence_for", "ranked", "recommend", "score"]
