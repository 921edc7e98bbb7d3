"""A trial result as a report holds it: the one typed result (probes.result.TrialResult)
with ``comparable`` and ``comparable_reason`` always present. A result saved before
chooser checked comparability is read as not comparable, with that reason, so an old
figure is never scored or quoted as if it had been checked."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator

from chooser.core.figures import NOT_ASSESSED
from probes.result import TrialResult


def with_comparable(result: Any) -> Any:
    if "comparable" not in result:
        ok = result.get("status") == "ok"
        why = NOT_ASSESSED if ok else "the trial did not succeed"
        result = {**result, "comparable": False, "comparable_reason": why}
    return result


TrialRecord = Annotated[TrialResult, AfterValidator(with_comparable)]
