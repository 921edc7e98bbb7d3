"""Totals per framework, the verdict and the lead (winner over runner-up), and the shape of
a "what would change it" entry: what both the recommendation and the what-if search use."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from chooser.core import frameworks
from chooser.decide.rules import RuleResult

Verdict = str  # a registered framework id, or "tie"


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


def ranked(totals: dict[str, float]) -> list[str]:
    """Framework ids, most points first (registry order among equals)."""
    order = {fw: i for i, fw in enumerate(totals)}
    return sorted(totals, key=lambda fw: (-totals[fw], order[fw]))


def score(results: list[RuleResult]) -> tuple[Verdict, dict[str, float], float]:
    """(verdict, totals, lead): the lead is the winner's points minus the runner-up's; a
    lead of zero is a tie."""
    totals = {fw: round(sum(r.points.get(fw, 0.0) for r in results if r.status == "fired"), 3)
              for fw in frameworks.ids()}
    first, second = ranked(totals)[:2]
    margin = round(totals[first] - totals[second], 3)
    if margin < 1e-9:
        return "tie", totals, 0.0
    return first, totals, margin
