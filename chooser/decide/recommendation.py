"""The recommendation: criteria that score every framework, knock-outs, the verdict and the
sentence behind it, confidence with its sensitivity check, the trials still needed and what
would change the verdict. Deterministic: the same bank, rules, answers, probe and trial
results always give the same object. The model is in scoring.py and confidence.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel

from chooser.decide.answers import prefill_from_probe, resolve_answers
from chooser.decide.confidence import Confidence, confidence, outcome_sentence
from chooser.decide.criteria import EITHER, OUTCOME_LABELS, label
from chooser.decide.evaluation import Record, make_evaluator, wrap
from chooser.decide.evidence import HARDWARE_ANSWERS, gate
from chooser.decide.machine import machine_facts
from chooser.decide.questionnaire import QuestionBank
from chooser.decide.rule_results import RuleResult, evaluate_rule
from chooser.decide.rules import TRIALS_BY_ID, RuleSet
from chooser.decide.scoring import CriterionResult, Knockout, tally, weigh
from probes.result import alias, split_id, trial_id

# A verdict is a framework id, "either" (within the uncertainty) or "none" (all knocked out).
Verdict = str


class _Labels(dict[str, str]):
    """Display names: outcomes, then the registry's labels (chooser.decide.criteria.label),
    asked when read, so a framework registered later (a plug-in, a test) is named too."""

    def __missing__(self, key: str) -> str:
        return label(key)


LABELS = _Labels({**OUTCOME_LABELS, EITHER: "either"})


class NeedsTrial(BaseModel):
    rule_id: str
    trials: list[str]
    detail: str
    max_points: float | None = None  # the most this rule could move the totals
    could_flip: bool = False  # max_points strictly greater than the margin


class Change(BaseModel):
    kind: Literal["answer", "measurement"]
    path: str  # answers.<id> or the measured quantity
    current: Any
    new: Any
    description: str


class WhatIf(BaseModel):
    changes: list[Change]
    group: Literal["choice", "fact", "measurement"] = "choice"
    verdict: Verdict
    totals: dict[str, float]
    margin: float


class Recommendation(BaseModel):
    verdict: Verdict
    outcome: str  # the verdict in a practitioner's words
    totals: dict[str, float]  # Σ weight × score per framework
    stake: float  # Σ criterion weights: the most any framework could have
    margin: float
    confidence: Confidence
    criteria: list[CriterionResult]
    knockouts: list[Knockout]
    suggestions: list[str]  # alternatives answers point to (keras3, jax)
    fired: list[RuleResult]
    not_weighed: list[RuleResult]  # fired, but every answer they read was a default
    needs_trials: list[NeedsTrial]
    skipped: list[RuleResult]  # rules not evaluated: a probe value missing, or an error
    what_would_change: list[WhatIf]
    what_would_change_note: str = ""
    answers: dict[str, Any]
    answer_origin: dict[str, str]  # answered / probe / default / hidden


def build_names(
    answers: dict[str, Any], probe: dict[str, Any] | None, trials: list[dict[str, Any]] | None
) -> dict[str, Any]:
    """The four namespaces a condition reads (and, under ``TRIALS_BY_ID``, each trial's
    record by canonical id, for explaining what is missing). A trial is reachable as
    ``trials.<kind>.<framework>.<mode>`` and by its old name ``trials.<framework>_<mode>``."""
    by_id: dict[str, Any] = {}
    tree: dict[str, dict[str, dict[str, Any]]] = {}
    for result in trials or []:
        tid = canonical_id(result)
        data = {**result, "id": tid, "ok": result.get("status") == "ok"}
        blocked = (
            ""
            if data["ok"]
            else (
                f"did not succeed ({result.get('status')}: {result.get('message') or 'no message'})"
            )
        )
        kind, framework, mode = tid.split("/")
        record = Record(data, f"trials.{kind}.{framework}.{mode}", blocked)
        by_id[tid] = record
        tree.setdefault(kind, {}).setdefault(framework, {})[mode] = record
    top: dict[str, Any] = {alias(tid): record for tid, record in by_id.items()}
    for kind, per_framework in tree.items():
        top[kind] = Record(
            {fw: Record(modes, f"trials.{kind}.{fw}") for fw, modes in per_framework.items()},
            f"trials.{kind}",
        )
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
        split = (
            str(result.get("kind") or "throughput"),
            str(result.get("framework")),
            str(result.get("mode")),
        )
    return trial_id(split[1], split[2], split[0])


def recommend(
    bank: QuestionBank,
    rules: RuleSet,
    answers: dict[str, Any],
    probe: dict[str, Any] | None,
    trials: list[dict[str, Any]] | None,
    *,
    search_budget: int = 4000,
) -> Recommendation:
    """Score every rule. ``answers`` may be partial: unanswered questions take the probe's
    pre-fill (hardware questions), else their default (and then weigh nothing)."""
    from chooser.decide.what_if import what_would_change

    values, origin = resolve_answers(bank, answers, prefill_from_probe(bank, probe))
    names = build_names(values, probe, trials)
    evaluator = make_evaluator(names)
    facts = machine_facts(probe)
    by_rule = {rule.id: rule for rule in rules.rules}

    def supported(result: RuleResult, answer_values: dict[str, Any]) -> RuleResult:
        """chooser.decide.evidence: no weight from noise, from a figure that is not
        comparable, or from this CPU when the user trains elsewhere."""
        return gate(by_rule[result.id], result, trials or [], answer_values, facts)

    weighed = weigh(
        rules, [evaluate_rule(rule, names, evaluator=evaluator) for rule in rules.rules], origin
    )
    results = [supported(r, values) for r in weighed]
    t = tally(rules, results)
    fired = [r for r in results if r.status == "fired"]
    suggestions = sorted({r.suggests for r in fired if r.weighed and r.suggests})
    changes, note = what_would_change(
        bank,
        rules,
        values,
        origin,
        names,
        results,
        t.verdict,
        budget=search_budget,
        adjust=supported,
        adjust_reads=HARDWARE_ANSWERS,
    )
    return Recommendation(
        verdict=t.verdict,
        outcome=outcome_sentence(t, suggestions),
        totals=t.totals,
        stake=t.stake,
        margin=t.margin,
        confidence=confidence(t, values, origin),
        criteria=t.criteria,
        knockouts=t.knockouts,
        suggestions=suggestions,
        fired=[r for r in fired if r.weighed],
        not_weighed=[r for r in fired if not r.weighed],
        needs_trials=_needs_trials(rules, results, t.margin),
        skipped=[r for r in results if r.status in ("missing", "error")],
        what_would_change=changes,
        what_would_change_note=note,
        answers=values,
        answer_origin=origin,
    )


def _needs_trials(rules: RuleSet, results: list[RuleResult], margin: float) -> list[NeedsTrial]:
    """A rule waiting for a trial can move the totals by at most its weight (capped by its
    criterion); it "could flip" the verdict only when that is strictly more than the margin."""
    out = []
    for r in results:
        if r.status != "needs_trial" or not r.weighed:
            continue
        top = min(r.weight, rules.criterion(r.criterion).cap) if r.criterion else 0.0
        out.append(
            NeedsTrial(
                rule_id=r.id,
                trials=r.needs,
                detail=r.detail,
                max_points=top,
                could_flip=top > margin,
            )
        )
    return out
