"""What the app knows so far: answers, probe parts, live trials, results.

Plain data, no Textual: the App's workers write here and screens read it, so a
screen that is left and re-entered shows everything that happened meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chooser.core import numbers

KEPT_NOTE = "finished before cancel — kept"
CANCELLING = "cancelling…"
MAX_LOSS_POINTS = 400  # a plot a terminal wide needs no more; older points are thinned


@dataclass
class TrialLive:
    """One trial as it runs: the latest progress event and its loss history."""

    spec_id: str
    status: str = "queued"  # queued, running, then a result status (ok, error, cancelled, ...)
    phase: str = ""
    step: int = 0
    of: int | None = None
    samples_per_second: float | None = None
    accuracy: float | None = None
    losses: list[tuple[int, float]] = field(default_factory=list)
    busy_warning: str | None = None
    result: dict[str, Any] | None = None
    message: str = ""
    note: str = ""  # what the app did beyond the result, e.g. a cancel it declined

    def apply(self, event: dict[str, Any]) -> None:
        """Fold one progress event in; unknown keys are ignored."""
        self.status = "running"
        if event.get("event", "progress") != "progress":
            return  # a ``round`` event's "of" counts rounds, not steps
        self.phase = str(event.get("phase") or self.phase)
        if isinstance(event.get("of"), (int, float)):
            self.of = int(event["of"])
        if isinstance(event.get("step"), (int, float)):
            self.step = int(event["step"])
        sps = event.get("samples_per_second")
        if isinstance(sps, (int, float)):
            self.samples_per_second = float(sps)
        for key in ("test_accuracy", "accuracy"):
            if isinstance(event.get(key), (int, float)):
                self.accuracy = float(event[key])
        if event.get("busy_warning"):
            self.busy_warning = str(event["busy_warning"])
        loss = event.get("loss")
        if isinstance(loss, (int, float)) and self.phase != "eval":
            self.losses.append((self.step, float(loss)))
            if len(self.losses) > MAX_LOSS_POINTS:
                self.losses = self.losses[::2]

    def finish(self, result: dict[str, Any]) -> None:
        self.result = result
        self.status = str(result.get("status", "error"))
        self.message = str(result.get("message") or "")
        if isinstance(result.get("test_accuracy"), (int, float)):
            self.accuracy = float(result["test_accuracy"])
        sps = result.get("samples_per_second")
        if isinstance(sps, dict) and isinstance(sps.get("median"), (int, float)):
            self.samples_per_second = float(sps["median"])
        if isinstance(result.get("steps"), int) and self.status == "ok":
            self.step = self.of = result["steps"]
        if result.get("busy_warning"):
            self.busy_warning = str(result["busy_warning"])

    @property
    def done(self) -> bool:
        return self.status not in ("queued", "running")

    @property
    def trained(self) -> bool:
        """Training is over (the child reported its last step, or it is evaluating): from
        here on a cancel would only throw a finished measurement away."""
        if self.status != "running":
            return False
        if self.phase == "eval":
            return True
        return self.phase == "train" and bool(self.of) and self.step >= (self.of or 0)


def cancelled_result(live: TrialLive, spec: Any) -> dict[str, Any]:
    """The record kept for a trial the user stopped: what it had reached, nothing invented.
    (A trial that had finished training is never cancelled: jobs.JobsMixin.cancel_trial.)"""
    reached = f"at step {numbers.count(live.step)}" + (
        f" of {numbers.count(live.of)}" if live.of else ""
    )
    if live.of and live.step >= live.of:  # its last step's event came after the kill began
        reached = "after its last training step, before its result arrived"
    return {
        "id": live.spec_id,
        "status": "cancelled",
        "message": f"cancelled by you {reached}; its process group was killed",
        "framework": getattr(spec, "framework", None),
        "mode": getattr(spec, "mode", None),
        "steps_completed": live.step,
    }


def trial_name_of(spec_id: str) -> str:
    """A trial as people name it (``<Framework> · 1 process``), from its id."""
    return numbers.trial_name(spec_id)


@dataclass
class Session:
    """Everything one run of the app gathers, in the order the user meets it."""

    out_dir: Path
    answers: dict[str, Any] = field(default_factory=dict)  # what the user answered/accepted
    # where an accepted answer came from when it was not changed: "probe" or "default"
    accepted_from: dict[str, str] = field(default_factory=dict)
    answers_note: str = ""  # shown on the review page: where the answers were saved/loaded
    prefill: dict[str, Any] = field(default_factory=dict)  # what the probe says (hardware)
    probe_parts: dict[str, dict[str, Any]] = field(default_factory=dict)
    probe: dict[str, Any] | None = None  # the full probe once run_probe returned
    probe_status: str = "idle"  # idle, running, done, error
    probe_error: str = ""
    trials: dict[str, TrialLive] = field(default_factory=dict)
    suite_status: str = "idle"  # idle, running, done
    suite_name: str = "none"  # quick, full or custom: the budget of the last run
    suite_extras: dict[str, Any] = field(default_factory=dict)  # scaling_estimate, … (issue 13)
    recommendation: Any = None
    last_export: Path | None = None

    @property
    def answers_path(self) -> Path:
        return self.out_dir / "chooser-answers.yaml"

    def report_path(self, ext: str) -> Path:
        return self.out_dir / f"chooser-report.{ext}"

    def probe_so_far(self) -> dict[str, Any]:
        """The full probe when done, else what the finished parts say (for prefill/display)."""
        if self.probe is not None:
            return self.probe
        merged: dict[str, Any] = dict(self.probe_parts.get("hardware", {}))
        frameworks = {n: p for n, p in self.probe_parts.items() if n != "hardware"}
        if frameworks:
            merged["frameworks"] = {**merged.get("frameworks", {}), **frameworks}
        return merged

    def effective_answers(self) -> dict[str, Any]:
        """The user's answers over the probe's pre-fill (unanswered: the question default)."""
        return {**self.prefill, **self.answers}

    def show_results(self, results: list[dict[str, Any]], suite_name: str) -> None:
        """Take finished results (e.g. loaded from a file) as this session's trials."""
        self.trials = {}
        for result in results:
            live = TrialLive(str(result["id"]))
            live.finish(result)
            self.trials[live.spec_id] = live
        self.suite_name = suite_name

    def results(self) -> list[dict[str, Any]]:
        """Finished trial results, in the order the trials ran (cancelled ones included)."""
        return [t.result for t in self.trials.values() if t.result is not None]
