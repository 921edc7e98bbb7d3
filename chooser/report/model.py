"""The one report object every format is rendered from (JSON, Markdown, HTML)."""

from __future__ import annotations

import platform
import sys
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from chooser import __version__
from chooser.decide.questionnaire import QuestionBank
from chooser.decide.recommendation import Recommendation
from chooser.decide.rules import RuleSet
from chooser.report.trial_record import TrialRecord

SCHEMA_VERSION = "1"


class AnswerRow(BaseModel):
    id: str
    text: str
    answer: Any
    shown: str  # the answer in words (option labels)
    origin: Literal["answered", "probe", "default", "hidden"]


class Inputs(BaseModel):
    answers_source: str  # a file path, or "defaults"
    questions_sources: list[str]
    rules_source: str
    trials_suite: str  # none / quick / full / a list of ids
    answers: list[AnswerRow]


class Report(BaseModel):
    """Everything needed to re-read, re-render or audit one recommendation."""

    model_config = ConfigDict(extra="forbid")
    schema_version: Literal["1"] = SCHEMA_VERSION
    tool: Literal["chooser"] = "chooser"
    command_line: list[str]
    inputs: Inputs
    probe: dict[str, Any] | None
    trials: list[TrialRecord]  # dicts with comparable + comparable_reason (trial_record.py)
    recommendation: Recommendation
    versions: dict[str, str | None]
    timestamps: dict[str, str]


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _shown(question: Any, value: Any) -> str:
    labels = {o.value: o.label for o in question.options}
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value)
    return labels.get(value, f"{value:g}" if isinstance(value, (int, float)) else str(value))


def _framework_version(probe: dict[str, Any] | None, name: str) -> str | None:
    part = ((probe or {}).get("frameworks") or {}).get(name) or {}
    return part.get("version") if part.get("status") == "ok" else None


def _keras_version(probe: dict[str, Any] | None) -> str | None:
    tf = ((probe or {}).get("frameworks") or {}).get("tensorflow") or {}
    keras = tf.get("keras") if isinstance(tf.get("keras"), dict) else {}
    return keras.get("version")


def build_report(bank: QuestionBank, rules: RuleSet, recommendation: Recommendation,
                 probe: dict[str, Any] | None, trials: list[dict[str, Any]] | None, *,
                 answers_source: str = "defaults", trials_suite: str = "none",
                 command_line: list[str] | None = None,
                 timestamps: dict[str, str] | None = None) -> Report:
    rows = [AnswerRow(id=q.id, text=q.text, answer=recommendation.answers.get(q.id),
                      shown=_shown(q, recommendation.answers.get(q.id)),
                      origin=recommendation.answer_origin.get(q.id, "default"))
            for q in bank.questions]
    stamps = {"report_created": now_iso(), **(timestamps or {})}
    if probe and probe.get("timestamp"):
        stamps.setdefault("probe", str(probe["timestamp"]))
    return Report(
        command_line=list(command_line if command_line is not None else sys.argv),
        inputs=Inputs(answers_source=answers_source, questions_sources=bank.sources,
                      rules_source=rules.source, trials_suite=trials_suite, answers=rows),
        probe=probe, trials=list(trials or []), recommendation=recommendation,
        versions={"chooser": __version__, "python": platform.python_version(),
                  "platform": platform.platform(),
                  "torch": _framework_version(probe, "torch"),
                  "tensorflow": _framework_version(probe, "tensorflow"),
                  "keras": _keras_version(probe)},
        timestamps=stamps)


def report_json_schema() -> dict[str, Any]:
    return Report.model_json_schema()
