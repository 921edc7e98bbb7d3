"""A trial result as a report holds it: the trial's own fields (docs/trials.md) plus
``comparable`` and ``comparable_reason``, which every result has (a result saved before
chooser checked comparability is read as not comparable, with that reason)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, WithJsonSchema

from chooser.measure.comparable import NOT_ASSESSED

_FIGURE = {"type": "object", "additionalProperties": True, "properties": {
    "comparable": {"type": "boolean"},
    "comparable_reason": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}

TRIAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "TrialResult",
    "description": "One trial's result (docs/trials.md). comparable is false, with "
                   "comparable_reason, when its timings must not be compared or scored.",
    "additionalProperties": True,
    "required": ["id", "status", "comparable", "comparable_reason"],
    "properties": {
        "id": {"type": "string"},
        "status": {"type": "string"},
        "comparable": {"type": "boolean"},
        "comparable_reason": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "threads_per_rank": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "thread_budget": {"type": "object", "additionalProperties": True},
        "machine_load": {"type": "object", "additionalProperties": True},
        "samples_per_second": {"type": "object", "additionalProperties": True, "properties": {
            "median": {"anyOf": [{"type": "number"}, {"type": "null"}]},
            "ci95": {"type": "array", "items": {"type": "number"}},
            "rounds": {"type": "array", "items": {"type": "object"}}}},
        "scaling": _FIGURE,
    },
}


def _with_comparable(result: dict[str, Any]) -> dict[str, Any]:
    if "comparable" not in result:
        ok = result.get("status") == "ok"
        result = {**result, "comparable": False,
                  "comparable_reason": NOT_ASSESSED if ok else "the trial did not succeed"}
    return result


TrialRecord = Annotated[dict[str, Any], AfterValidator(_with_comparable),
                        WithJsonSchema(TRIAL_SCHEMA)]
