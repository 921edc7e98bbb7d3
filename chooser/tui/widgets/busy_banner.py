"""The warning above the trial rows: which trials' figures are not comparable and why, and
which ran on a busy machine. Short lines naming trials as people do ("PyTorch · 1
process"), so at 80 columns it wraps between words and never stops mid-sentence (the
whole warning of each trial stays in its result and the report)."""

from __future__ import annotations

from chooser.tui.state import TrialLive, trial_name_of


def banner_lines(trials: dict[str, TrialLive]) -> list[str]:
    apart = [
        t
        for t in trials.values()
        if t.result and t.result.get("status") == "ok" and t.result.get("comparable") is False
    ]
    lines = [  # the figures are dimmed in the rows; here is why
        f"{trial_name_of(t.spec_id)}: not comparable, {t.result.get('comparable_reason')}."
        for t in apart
        if t.result
    ]
    busy = [t for t in trials.values() if t.busy_warning and t not in apart]
    if busy:
        names = ", ".join(trial_name_of(t.spec_id) for t in busy)
        lines.append(
            f"Machine busy during {names}: timings not comparable with an idle machine "
            "(details in each result)."
        )
    return lines
