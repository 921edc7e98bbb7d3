"""The time-to-accuracy line of a trial result, in the one number style (chooser.core.numbers)."""

from __future__ import annotations

from typing import Any

from chooser.core import numbers


def time_to_target_text(result: dict[str, Any]) -> str | None:
    """``reached 95.0 % validation accuracy in 3.3 s of training (700 steps, 12.5 epochs;
    …)`` or why it did not; None for other kinds of trial."""
    if result.get("kind") != "time_to_accuracy" or result.get("status") != "ok":
        return None
    target = numbers.percent(result.get("target_accuracy"))
    how = (
        f"validated every {numbers.count(result.get('eval_every_steps'))} steps on "
        f"{numbers.count(result.get('validation_samples'))} held-out train images; "
        f"{numbers.seconds(result.get('eval_time_excluded_s'))} of evaluation excluded"
    )
    if not result.get("reached_target"):
        return f"{result.get('message') or 'did not reach ' + target} ({how})"
    return (
        f"reached {target} validation accuracy in "
        f"{numbers.seconds(result.get('time_to_target_s'))} of training "
        f"({numbers.count(result.get('steps_to_target'))} steps, "
        f"{numbers.decimal(result.get('epochs_to_target'))} epochs; {how})"
    )
