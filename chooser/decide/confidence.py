"""How sure the verdict is, and the sentence a practitioner would say (docs/rules.md).

Confidence combines three things: the lead relative to the weight at stake, the share of
answers that were left at their default or are "undecided", and a sensitivity check that
multiplies every criterion weight by 0.7 or 1.3 (every combination, or a fixed sample of
them when there are many criteria) and counts how often the same framework stays ahead.
"""

from __future__ import annotations

import itertools
import random
from typing import Any, Literal

from pydantic import BaseModel

from chooser.core import numbers
from chooser.decide.criteria import ALTERNATIVES, EITHER, NONE, UNDECIDED, label
from chooser.decide.scoring import EITHER_BELOW, CriterionResult, Tally, decide

PERTURB = (0.7, 1.3)
MOSTLY_DEFAULTS = 0.75  # at least this share of default / undecided answers caps confidence
EITHER_VALUE = 0.25  # the most confidence in one framework an "either" outcome reports
MAX_COMBINATIONS = 1024


class Sensitivity(BaseModel):
    tried: int  # weight perturbations tried
    holds: float  # share of them with the same leader, 0..1
    method: str


class Confidence(BaseModel):
    level: Literal["high", "medium", "low", "none"]
    value: float  # 0..1: how sure of one framework (at most 0.25 for "either")
    relative_margin: float  # margin ÷ stake
    unanswered_share: float  # share of shown questions left at default or undecided
    sensitivity: Sensitivity
    explanation: str


def sensitivity(
    criteria: list[CriterionResult], standing: list[str], leader: str | None
) -> Sensitivity:
    weighted = [c for c in criteria if c.weight > 0]
    if leader is None or len(standing) < 2 or not weighted:
        return Sensitivity(
            tried=0,
            holds=1.0 if leader and len(standing) == 1 else 0.0,
            method="nothing to perturb",
        )
    if 2 ** len(weighted) <= MAX_COMBINATIONS:
        combos = list(itertools.product(PERTURB, repeat=len(weighted)))
        method = f"every combination of ×0.7 / ×1.3 on {len(weighted)} criterion weights"
    else:
        rng = random.Random(0)  # fixed seed: the same answers always give the same figure
        combos = [tuple(rng.choice(PERTURB) for _ in weighted) for _ in range(MAX_COMBINATIONS)]
        method = (
            f"{MAX_COMBINATIONS} fixed-seed samples of ×0.7 / ×1.3 on "
            f"{len(weighted)} criterion weights"
        )
    same = 0
    for factors in combos:
        scaled = [c.model_copy(update={"weight": c.weight * f}) for c, f in zip(weighted, factors)]
        if decide(scaled, standing)["leader"] == leader:
            same += 1
    return Sensitivity(tried=len(combos), holds=round(same / len(combos), 3), method=method)


def unanswered_share(values: dict[str, Any], origin: dict[str, str]) -> float:
    shown = [q for q, o in origin.items() if o != "hidden"]
    if not shown:
        return 1.0

    def undecided(v: Any) -> bool:
        return (
            v in UNDECIDED
            if isinstance(v, str)
            else (isinstance(v, list) and bool(v) and all(x in UNDECIDED for x in v))
        )

    vague = [q for q in shown if origin[q] == "default" or undecided(values.get(q))]
    return round(len(vague) / len(shown), 3)


def confidence(t: Tally, values: dict[str, Any], origin: dict[str, str]) -> Confidence:
    sens = sensitivity(t.criteria, t.standing, t.leader)
    vague = unanswered_share(values, origin)
    rel = round(t.margin / t.stake, 3) if t.stake else 0.0
    level: Literal["high", "medium", "low", "none"]
    if t.verdict == NONE or (t.stake <= 0 and len(t.standing) != 1):
        level, value = "none", 0.0
    elif len(t.standing) == 1:  # a knock-out decided it: as sure as the requirement
        level, value = ("high" if vague < 0.5 else "medium"), round(1 - vague / 2, 2)
    else:
        value = round(min(1.0, rel / 0.25) * sens.holds * (1 - vague / 2), 2)
        if t.verdict != EITHER and rel >= 0.25 and sens.holds >= 0.95 and vague <= 0.5:
            level = "high"
        elif t.verdict != EITHER and rel >= 1.5 * EITHER_BELOW and sens.holds >= 0.8:
            level = "medium"
        else:
            level = "low"
        if t.verdict == EITHER:
            value = min(value, EITHER_VALUE)  # how sure of one framework: not very
    if vague >= MOSTLY_DEFAULTS and level in ("high", "medium"):
        level = "low"  # a verdict built on a few answers among many defaults is tentative
    return Confidence(
        level=level,
        value=value,
        relative_margin=rel,
        unanswered_share=vague,
        sensitivity=sens,
        explanation=_explain(t, rel, sens, vague),
    )


def _explain(t: Tally, rel: float, sens: Sensitivity, vague: float) -> str:
    parts = []
    if len(t.standing) == 1 and t.knockouts:
        parts.append(
            f"the other frameworks are knocked out by a hard requirement "
            f"({', '.join(k.rule_id for k in t.knockouts)})"
        )
    elif t.leader and t.stake and t.margin <= 1e-9:
        parts.append(f"the frameworks tie on {numbers.points(t.stake)}")
    elif t.leader and t.stake:
        parts.append(
            f"{label(t.leader)} leads {label(t.runner_up) if t.runner_up else ''} by "
            f"{numbers.points(t.margin, unit=False)} of {numbers.points(t.stake)} "
            f"({numbers.percent(rel, 0)}; under {numbers.percent(EITHER_BELOW, 0)} is a close call)"
        )
    else:
        parts.append("nothing you answered separates the frameworks")
    if sens.tried:
        parts.append(
            f"the leader holds in {numbers.percent(sens.holds, 0)} of {sens.tried} weight perturbations (±30 %)"
        )
    parts.append(
        f"{numbers.percent(vague, 0)} of the questions shown were left at their default or undecided"
    )
    return "; ".join(parts)


def _lower(text: str) -> str:
    """ "Your training hardware and OS" → "your training hardware and OS" inside a sentence;
    an acronym ("TPUs and the XLA compiler") keeps its capitals."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def deciding_factor(t: Tally) -> CriterionResult | None:
    """The criterion that separates the two leading frameworks most (weight × score gap)."""
    leader, runner_up = t.leader, t.runner_up
    if leader is None or runner_up is None:
        return None
    best = max(
        t.criteria,
        key=lambda c: abs(c.weight * (c.scores[leader] - c.scores[runner_up])),
        default=None,
    )
    if best is None or best.weight * abs(best.scores[leader] - best.scores[runner_up]) < 1e-9:
        return None
    return best


def _leading_pair(t: Tally) -> str:
    """ " PyTorch or TensorFlow" when a close call is between two of three or more frameworks
    (the others clearly behind); "" when only two stand or all are level."""
    if not (t.leader and t.runner_up):
        return ""
    rest = [fw for fw in t.standing if fw not in (t.leader, t.runner_up)]
    if not rest or any(t.totals[fw] >= t.totals[t.runner_up] - 1e-9 for fw in rest):
        return ""
    return f" {label(t.leader)} or {label(t.runner_up)}"


def outcome_sentence(t: Tally, suggestions: list[str]) -> str:
    """What a practitioner would say, in one sentence (plus the alternatives that apply)."""
    factor = deciding_factor(t)
    if t.verdict == NONE:
        text = "None of the frameworks in the registry meets every hard requirement: " + "; ".join(
            k.reason for k in t.knockouts
        )
    elif t.verdict == EITHER and t.keras3_bridged:
        text = (
            f"Either — write it in Keras 3 and pick the backend later; the only lean "
            f"({_lower(factor.label) if factor else 'the API'}) is one Keras 3 bridges"
        )
        suggestions = [s for s in suggestions if s != "keras3"]
    elif t.verdict == EITHER:
        pair = _leading_pair(t)
        if factor is None:
            text = f"Either{pair}: nothing you answered separates them, so pick by team taste"
        else:
            text = (
                f"Either{pair} — the deciding factor is {_lower(factor.label)} "
                f"(it leans {label(max(t.standing, key=lambda fw: factor.scores[fw]))})"
            )
    elif len(t.standing) == 1 and t.knockouts:
        text = f"{label(t.verdict)} — the only one that meets your hard requirements"
    else:
        text = f"{label(t.verdict)}" + (f", mainly for {_lower(factor.label)}" if factor else "")
    extras = [ALTERNATIVES[s] for s in suggestions if s in ALTERNATIVES]
    return text + ("." if not extras else ". Also: " + "; ".join(extras) + ".")
