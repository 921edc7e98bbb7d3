"""Ranges for the trial flags and up-front checks of the paths a trial will write.

Every number a trial takes must be finite and in a documented range (docs/trials.md),
so ``--lr inf`` or ``--timeout nan`` are refused before a child starts instead of
training and then losing the result, and ``--workers 1000`` cannot start a thousand
processes on a laptop. ``--tensorboard DIR`` is checked for being creatable and
writable before minutes of training, not after.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from chooser.core.errors import UserError
from chooser.core.inputs import os_reason

# flag -> (lowest, highest); the spec attribute is the flag name with '_' for '-'.
INT_RANGES = {
    "batch_size": (1, 65_536),
    "steps": (1, 10_000_000),
    "epochs": (1, 1_000),
    "seed": (0, 2**32 - 1),
}  # numpy's and TensorFlow's seeds are 32-bit
LR_MAX = 10.0
TIMEOUT_MAX_S = 7 * 24 * 3600.0
MAX_WORKERS_PER_NODE = 1_024  # --print-launch: processes per node (one per GPU, usually)


def usable_cores() -> int:
    """The cores this process may run on: CPU affinity, lowered by a cgroup CPU quota."""
    cores = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )
    try:
        from probes.cgroup import cpu_quota  # stdlib only; the probe reads the same files

        quota = cpu_quota()
        if quota is not None and quota.value:
            cores = min(cores, max(1, math.ceil(quota.value)))
    except (ImportError, OSError, ValueError):
        pass
    return max(1, cores)


def max_local_workers() -> int:
    """Ranks a trial may start on this machine: twice the usable cores, at least 2. More
    ranks than that only measure the machine thrashing (and 1000 is a typo)."""
    return max(2, 2 * usable_cores())


def check_numbers(spec: Any) -> None:
    """Raise UserError for a number in ``spec`` (a TrialSpec) outside its range."""
    for name, (low, high) in INT_RANGES.items():
        value = getattr(spec, name)
        if value is not None and not low <= value <= high:
            raise UserError(
                f"--{name.replace('_', '-')} must be {low:,} to {high:,}, got {_shown(value)}"
            )
    lr = spec.lr
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and 0 < lr <= LR_MAX):
        raise UserError(f"--lr must be a number above 0 and at most {LR_MAX:g}, got {lr}")
    timeout = spec.timeout_s
    if not (math.isfinite(timeout) and 0 < timeout <= TIMEOUT_MAX_S):
        raise UserError(
            f"--timeout must be above 0 and at most {TIMEOUT_MAX_S:,.0f} seconds "
            f"(a week), got {timeout}"
        )


def check_workers(workers: int, *, local: bool) -> None:
    """``local``: ranks started here; otherwise processes per node of a printed launch."""
    high = max_local_workers() if local else MAX_WORKERS_PER_NODE
    if not 1 <= workers <= high:
        why = (
            f"twice the {usable_cores()} usable core(s) of this machine"
            if local
            else "processes per node"
        )
        raise UserError(f"--workers must be 1 to {high} ({why}), got {_shown(workers)}")


def check_port(port: int) -> None:
    if not 1 <= port <= 65_535:
        raise UserError(
            f"--port must be 1 to 65535, got {_shown(port)} (0 cannot be used: "
            "every node must be told the same port)"
        )


def check_output_dir(path: str | Path, flag: str) -> None:
    """``path`` is a directory that exists and is writable, or can be created."""
    target = Path(path).expanduser()
    try:
        if target.exists():
            if not target.is_dir():
                raise UserError(f"{flag}: not a directory", path=str(target))
            if not os.access(target, os.W_OK | os.X_OK):
                raise UserError(f"{flag}: directory is not writable", path=str(target))
            return
        parent = target.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            raise UserError(
                f"{flag}: cannot be created under {parent}, which is a file", path=str(target)
            )
        if not os.access(parent, os.W_OK | os.X_OK):
            raise UserError(
                f"{flag}: cannot be created, {parent} is not writable", path=str(target)
            )
    except OSError as exc:
        raise UserError(f"{flag}: {os_reason(exc)}", path=str(target)[:200]) from None


def _shown(value: int) -> str:
    text = str(value)
    return text if len(text) <= 30 else f"a {len(text)}-digit number"
