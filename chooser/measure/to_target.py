"""The chooser side of time-to-accuracy trials (the child side: probes/trials/to_target.py).

``validate(spec)`` refuses a kind, target or cadence no child can run; ``argv(spec)`` gives
the child flags (``--kind time_to_accuracy --max-train-s …``); ``suite_specs(...)`` the
single time-to-accuracy trial of every installed framework that has the kind. The
training-time cap is ``CAP_SHARE`` of the trial's timeout, so a run that cannot reach its
target still stops by itself, evaluates on the test set and reports "did not reach"
before the timeout would kill it. Framework-free.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from chooser.core import frameworks
from chooser.core.errors import UserError
from probes.result import KINDS

KIND = "time_to_accuracy"
CAP_SHARE = 0.6  # of the timeout: start-up and the final test evaluation need the rest
EVAL_EVERY_MAX = 1_000_000


def max_train_s(timeout_s: float) -> float:
    return round(timeout_s * CAP_SHARE, 1)


def validate(spec: Any) -> None:
    """Raise UserError for a kind, target or evaluation cadence no trial can run with."""
    if spec.kind not in KINDS:
        raise UserError(f"unknown trial kind {spec.kind!r} (choose {', '.join(KINDS)})")
    fw = frameworks.get(spec.framework)
    if spec.kind not in fw.kinds:
        raise UserError(f"{fw.label} has no {spec.kind} trial (its kinds: {', '.join(fw.kinds)})")
    if spec.kind != KIND:
        if spec.target is not None or spec.eval_every is not None:
            raise UserError("--target and --eval-every need --kind time_to_accuracy")
        return
    target = spec.target
    if target is not None and not (math.isfinite(target) and 0.0 < target < 1.0):
        raise UserError(f"--target must be an accuracy between 0 and 1 (e.g. 0.95), got {target}")
    every = spec.eval_every
    if every is not None and not 1 <= every <= EVAL_EVERY_MAX:
        raise UserError(f"--eval-every must be 1 to {EVAL_EVERY_MAX:,} steps, got {every}")


def argv(spec: Any) -> list[str]:
    """The child flags of a time-to-accuracy spec ([] for any other kind)."""
    if spec.kind != KIND:
        return []
    out = ["--kind", KIND, "--max-train-s", repr(max_train_s(spec.timeout_s))]
    if spec.target is not None:
        out += ["--target", repr(spec.target)]
    if spec.eval_every is not None:
        out += ["--eval-every", str(spec.eval_every)]
    return out


def suite_specs(
    make: Callable[..., Any], timeout_s: float, installed: Callable[[str], bool]
) -> list[Any]:
    """A single time-to-accuracy trial per installed framework that has the kind, built
    with ``make`` (TrialSpec). Distributed ones are left out of suites: on a 2-core
    machine they would add about as long again as the single ones and measure the
    same split of the cores the throughput trials already measure."""
    return [
        make(fw.id, "single", kind=KIND, timeout_s=timeout_s)
        for fw in frameworks.frameworks()
        if KIND in fw.kinds and installed(fw.id)
    ]
