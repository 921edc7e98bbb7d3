"""From rule results to criteria, knock-outs, totals and a verdict (docs/rules.md).

* A rule counts only when it is *weighed*: at least one answer it reads was given (or
  pre-filled by the probe), not left at its default.
* A criterion's weight is the largest weight among its weighed rules, capped; its score per
  framework is the weight-averaged score of those rules. One fact repeated by several rules
  therefore counts once.
* A framework's total is Σ weight × score over criteria; the stake is Σ weight.
* A knock-out rule removes every framework that does not meet its hard requirement.
* The verdict is the leading framework still standing, or "either" when the lead is under
  EITHER_BELOW of the stake (or nothing is at stake), or "none" when all are knocked out.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from chooser.decide.criteria import EITHER, NONE, framework_ids
from chooser.decide.rule_results import RuleResult
from chooser.decide.rules import RuleSet

EITHER_BELOW = 0.10  # a lead under 10 % of the weight at stake is within the uncertainty
WEIGHING_ORIGINS = {"answered", "probe"}


class CriterionResult(BaseModel):
    id: str
    label: str
    weight: float  # 0 when no weighed rule fired
    scores: dict[str, float]  # 0..1 per framework
    rules: list[str]  # the weighed rules behind it


class Knockout(BaseModel):
    rule_id: str
    frameworks: list[str]  # knocked out
    reason: str


class Tally(BaseModel):
    verdict: str  # a framework id, "either" or "none"
    leader: str | None  # the best-scoring framework still standing
    runner_up: str | None
    totals: dict[str, float]
    margin: float  # leader − runner-up, in weighted points
    stake: float  # Σ criterion weights
    criteria: list[CriterionResult]
    knockouts: list[Knockout]
    standing: list[str]
    keras3_bridged: bool = False  # the lead rests only on criteria Keras 3 bridges


def weigh(rules: RuleSet, results: list[RuleResult], origin: dict[str, str]) -> list[RuleResult]:
    """Mark rules whose answers were all left at their defaults (or hidden) as not weighed."""
    by_id = {r.id: r for r in rules.rules}
    out = []
    for result in results:
        ids = by_id[result.id].answer_ids
        weighed = not ids or any(origin.get(q) in WEIGHING_ORIGINS for q in ids)
        out.append(
            result if result.weighed == weighed else result.model_copy(update={"weighed": weighed})
        )
    return out


def criteria_of(
    rules: RuleSet, results: list[RuleResult], weights: dict[str, float] | None = None
) -> list[CriterionResult]:
    fired = [r for r in results if r.status == "fired" and r.weighed and r.criterion]
    out = []
    for criterion in rules.criteria:
        mine = [r for r in fired if r.criterion == criterion.id]
        weight = min(criterion.cap, max((r.weight for r in mine), default=0.0))
        if weights and criterion.id in weights:
            weight = weights[criterion.id]
        total = sum(r.weight for r in mine)
        scores = {
            # .get: a rule the evidence gate made a note has no scores (and weight 0)
            fw: round(sum(r.weight * r.scores.get(fw, 0.0) for r in mine) / total, 3)
            if total
            else 0.0
            for fw in framework_ids()
        }
        out.append(
            CriterionResult(
                id=criterion.id,
                label=criterion.label,
                weight=weight,
                scores=scores,
                rules=[r.id for r in mine],
            )
        )
    return out


def knockouts_of(results: list[RuleResult]) -> list[Knockout]:
    return [
        Knockout(rule_id=r.id, frameworks=r.knocks_out, reason=r.reason)
        for r in results
        if r.status == "fired" and r.weighed and r.knocks_out
    ]


def decide(criteria: list[CriterionResult], standing: list[str]) -> dict[str, Any]:
    """Totals, leader, runner-up, margin, stake and verdict for these criteria."""
    ids = framework_ids()
    totals = {fw: round(sum(c.weight * c.scores[fw] for c in criteria), 3) for fw in ids}
    stake = round(sum(c.weight for c in criteria), 3)
    ranked = sorted(standing, key=lambda fw: (-totals[fw], ids.index(fw)))
    leader = ranked[0] if ranked else None
    runner = ranked[1] if len(ranked) > 1 else None
    margin = round(totals[leader] - totals[runner], 3) if leader and runner else 0.0
    if leader is None:
        verdict = NONE
    elif runner is None:
        verdict = leader  # every other framework is knocked out
    elif stake <= 0 or margin < EITHER_BELOW * stake or margin <= 1e-9:
        verdict = EITHER
    else:
        verdict = leader
    return {
        "verdict": verdict,
        "leader": leader,
        "runner_up": runner,
        "totals": totals,
        "margin": margin,
        "stake": stake,
    }


def tally(rules: RuleSet, results: list[RuleResult]) -> Tally:
    """Aggregate already-weighed results. A lead that rests only on criteria whose rules all
    point to Keras 3 (one model code, several backends) is no lead: the verdict is
    "either — write Keras 3", because that criterion does not depend on the backend."""
    criteria = criteria_of(rules, results)
    knockouts = knockouts_of(results)
    out = {fw for k in knockouts for fw in k.frameworks}
    standing = [fw for fw in framework_ids() if fw not in out]
    decided = decide(criteria, standing)
    suggests = {r.id: r.suggests for r in results}
    bridged = {
        c.id for c in criteria if c.rules and all(suggests.get(rid) == "keras3" for rid in c.rules)
    }
    keras3 = False
    if bridged and len(standing) > 1 and decided["verdict"] not in (EITHER, NONE):
        without = [c.model_copy(update={"weight": 0.0}) if c.id in bridged else c for c in criteria]
        if decide(without, standing)["verdict"] == EITHER:
            decided["verdict"], keras3 = EITHER, True
    return Tally(
        criteria=criteria, knockouts=knockouts, standing=standing, keras3_bridged=keras3, **decided
    )
