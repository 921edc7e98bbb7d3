"""The one report object every format is rendered from (JSON, Markdown, HTML)."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict

from chooser import __version__
from chooser.core import frameworks, numbers
from chooser.decide.questionnaire import QuestionBank
from chooser.decide.recommendation import Recommendation, canonical_id
from chooser.decide.rules import RuleSet
from chooser.measure.variants import out_of_box_share
from chooser.report.trial_record import TrialRecord

# 3: the v2 decision model (criteria, scores, knock-outs, outcome, confidence with
# sensitivity) with trials typed by probes.result.TrialResult and ids carrying
# kind/framework/mode (``throughput/<framework>/single``); verdicts any registered framework
# id, "either" or "none". 1 and 2 are read and upgraded (``upgrade``; docs/report.schema.json).
SCHEMA_VERSION: Literal["3"] = "3"
READABLE_VERSIONS = ("1", "2", "3")


Origin = Literal["answered", "probe", "default", "hidden"]


class AnswerRow(BaseModel):
    id: str
    text: str
    answer: Any
    shown: str  # the answer in words (option labels)
    origin: Origin


class Inputs(BaseModel):
    answers_source: str  # a file path, or "defaults"
    questions_sources: list[str]
    rules_source: str
    trials_suite: str  # none / quick / full / a list of ids
    answers: list[AnswerRow]


class Report(BaseModel):
    """Everything needed to re-read, re-render or audit one recommendation.

    schema_version 3: the decision model (criteria, scores, knock-outs, outcome, confidence
    with sensitivity), typed trials with ids ``<kind>/<framework>/<mode>``. chooser also
    reads 1 (flat points, old trial ids) and 2 (the decision model, old trial ids) and
    upgrades them on load (docs/rules.md, "Report versions")."""

    model_config = ConfigDict(extra="forbid")
    schema_version: Literal["3"] = SCHEMA_VERSION
    tool: Literal["chooser"] = "chooser"
    command_line: list[str]
    inputs: Inputs
    probe: dict[str, Any] | None
    trials: list[TrialRecord]  # TrialResult with comparable + comparable_reason always set
    recommendation: Recommendation
    versions: dict[str, str | None]
    timestamps: dict[str, str]
    # suite-level objects of issue 13 (docs/trials.md); absent from older reports
    out_of_box_share: dict[str, Any] | None = None
    scaling_estimate: dict[str, Any] | None = None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _shown(question: Any, value: Any) -> str:
    labels = {o.value: o.label for o in question.options}
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value)
    return str(labels.get(value, numbers.figure(value)))


def _framework_version(probe: dict[str, Any] | None, name: str) -> str | None:
    part = ((probe or {}).get("frameworks") or {}).get(name) or {}
    return part.get("version") if part.get("status") == "ok" else None


def _framework_versions(probe: dict[str, Any] | None) -> dict[str, str | None]:
    """Each registered framework's version, then its companions' (e.g. Keras)."""
    out: dict[str, str | None] = {
        fw.id: _framework_version(probe, fw.id) for fw in frameworks.frameworks()
    }
    for fw in frameworks.frameworks():
        part = ((probe or {}).get("frameworks") or {}).get(fw.id) or {}
        out.update(
            {
                k: (str(v) if v is not None else None)
                for k, v in frameworks.extra_versions(fw.id, part).items()
            }
        )
    return out


def build_report(
    bank: QuestionBank,
    rules: RuleSet,
    recommendation: Recommendation,
    probe: dict[str, Any] | None,
    trials: list[dict[str, Any]] | None,
    *,
    answers_source: str = "defaults",
    trials_suite: str = "none",
    command_line: list[str] | None = None,
    timestamps: dict[str, str] | None = None,
    extras: dict[str, Any] | None = None,
) -> Report:
    rows = [
        AnswerRow(
            id=q.id,
            text=q.text,
            answer=recommendation.answers.get(q.id),
            shown=_shown(q, recommendation.answers.get(q.id)),
            origin=cast(Origin, recommendation.answer_origin.get(q.id, "default")),
        )
        for q in bank.questions
    ]
    stamps = {"report_created": now_iso(), **(timestamps or {})}
    if probe and probe.get("timestamp"):
        stamps.setdefault("probe", str(probe["timestamp"]))
    return Report(
        command_line=list(command_line if command_line is not None else sys.argv),
        inputs=Inputs(
            answers_source=answers_source,
            questions_sources=bank.sources,
            rules_source=rules.source,
            trials_suite=trials_suite,
            answers=rows,
        ),
        probe=probe,
        trials=[_with_canonical_id(t) for t in trials or []],
        recommendation=recommendation,
        versions={
            "chooser": __version__,
            "python": platform.python_version(),
            "platform": platform.platform(),
            **_framework_versions(probe),
        },
        timestamps=stamps,
        out_of_box_share=out_of_box_share(trials or []),  # from the trials ({} without variants)
        scaling_estimate=(extras or {}).get("scaling_estimate"),
    )


def _with_canonical_id(trial: Any) -> Any:
    if not isinstance(trial, dict):
        return trial  # validation says what is wrong with it
    return {**trial, "id": canonical_id(trial), "kind": trial.get("kind") or "throughput"}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """An older report's data in schema 3's shape. Trials: old ids (``<framework>_single``) become
    canonical ids with a kind. Recommendation: schema 1 (and issue 8's interim 2) scored
    with flat points; such a recommendation keeps its verdict, totals, margin and rules, and
    says it predates criteria (none listed, stake = the points given). Schema 2 (the
    decision model of today with old trial ids) needs only the trial ids."""
    if data.get("schema_version") not in ("1", "2"):
        return data
    trials = [_with_canonical_id(t) for t in data.get("trials") or []]
    rec = data.get("recommendation")
    if isinstance(rec, dict) and "stake" not in rec:
        rec = _points_recommendation(rec)
    return {**data, "schema_version": SCHEMA_VERSION, "trials": trials, "recommendation": rec}


def _points_recommendation(rec: dict[str, Any]) -> dict[str, Any]:
    """A points-model recommendation (schema 1) in the decision model's shape."""
    verdict = "either" if rec.get("verdict") == "tie" else rec.get("verdict")
    totals: dict[str, Any] = rec["totals"] if isinstance(rec.get("totals"), dict) else {}
    old: dict[str, Any] = rec["confidence"] if isinstance(rec.get("confidence"), dict) else {}
    stake = round(sum(abs(v) for v in totals.values() if isinstance(v, (int, float))), 3)
    note = "read from a schema 1 report (flat points, before criteria)"
    return {
        **{k: v for k, v in rec.items() if k not in ("confidence", "what_would_change")},
        "verdict": verdict,
        "outcome": f"{frameworks.label(str(verdict))} ({note})",
        "stake": stake,
        "criteria": [],
        "knockouts": [],
        "suggestions": [],
        "not_weighed": [],
        "what_would_change": [],
        "what_would_change_note": f"not recomputed: {note}",
        "confidence": {
            "level": old.get("level", "none"),
            "value": old.get("value", 0.0),
            "relative_margin": old.get("value", 0.0),
            "unanswered_share": 0.0,
            "sensitivity": {"tried": 0, "holds": 0.0, "method": f"none: {note}"},
            "explanation": str(old.get("explanation", note)),
        },
    }


def report_json_schema() -> dict[str, Any]:
    return Report.model_json_schema()
