"""Look before measuring: how much CPU do other processes use, and how many threads may
a suite take?

Before a suite, ``look()`` samples the CPU time of every process that is not this
chooser process or one of its descendants for about a second, and ``choose_threads``
turns what is left into one **thread budget** for every trial of the suite, the same
for every framework (a distributed trial gives each rank budget ÷ ranks). PyTorch's
OpenMP threads wait on each other at every op, so one thread more than there are free
cores collapses its speed (14× measured with one of two cores taken), while fewer
threads only cost what they cost: the budget rounds down.

``LoadWindow`` measures the same thing over one round or one trial (two snapshots:
no sampling thread, so a round of half a second is covered too). psutil only.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psutil

LOOK_S = 1.0
# Others may use this share of one core and the machine still counts as quiet: the
# threshold for `comparable` (docs/trials.md) and for --wait-quiet.
QUIET_CORES = 0.3
# Interleaved rounds run while others stayed under QUIET_CORES are the ones the figures
# use; with fewer than this many of them the figures are not comparable.
MIN_QUIET_ROUNDS = 3
# A core counts as free when others leave at least this much of it (see choose_threads).
FREE_SHARE = 0.75


def usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return psutil.cpu_count() or 1


def _ours() -> set[int]:
    me = os.getpid()
    try:
        return {me} | {p.pid for p in psutil.Process(me).children(recursive=True)}
    except psutil.Error:
        return {me}


def cpu_snapshot() -> dict[int, tuple[float, str]]:
    """CPU seconds so far of every process that is not ours: {pid: (seconds, name)}."""
    ours, seen = _ours(), {}
    for proc in psutil.process_iter(["name", "cpu_times"]):
        times = proc.info["cpu_times"]
        if proc.pid in ours or times is None:
            continue
        seen[proc.pid] = (times.user + times.system, proc.info["name"] or "?")
    return seen


@dataclass
class Load:
    """What other processes used over ``seconds`` of wall time."""

    other_cores: float
    seconds: float
    cores: int
    top: list[tuple[str, int, float]] = field(default_factory=list)  # (name, pid, cores)

    @property
    def quiet(self) -> bool:
        return self.other_cores <= QUIET_CORES

    def top_text(self, n: int = 3) -> str:
        return ", ".join(f"{name} (pid {pid}) {cores:.1f}" for name, pid, cores in self.top[:n])

    def record(self) -> dict[str, Any]:
        return {
            "other_cores_avg": round(self.other_cores, 2),
            "cores": self.cores,
            "sampled_s": round(self.seconds, 2),
            "top": [{"name": n, "pid": p, "cores": round(c, 2)} for n, p, c in self.top[:3]],
        }


def load_between(
    before: dict[int, tuple[float, str]],
    after: dict[int, tuple[float, str]],
    seconds: float,
    cores: int | None = None,
) -> Load:
    """Others' CPU between two snapshots (processes started in between are not counted)."""
    used: dict[int, tuple[str, float]] = {}
    for pid, (cpu, name) in after.items():
        if pid in before:
            used[pid] = (name, max(0.0, cpu - before[pid][0]))
    seconds = max(seconds, 1e-6)
    top = sorted(
        ((name, pid, cpu / seconds) for pid, (name, cpu) in used.items()), key=lambda t: -t[2]
    )
    return Load(
        other_cores=sum(c for _, c in used.values()) / seconds,
        seconds=seconds,
        cores=cores or usable_cores(),
        top=[t for t in top if t[2] >= 0.01][:5],
    )


def look(seconds: float = LOOK_S) -> Load:
    """Sample others' CPU use for ``seconds`` (blocking)."""
    before, t0 = cpu_snapshot(), time.monotonic()
    time.sleep(seconds)
    return load_between(before, cpu_snapshot(), time.monotonic() - t0)


def choose_threads(cores: int, other_cores: float) -> int:
    """The cores others leave free, rounded down (a core they use a quarter of still
    counts as free), at least 1: 2 cores with others at 0.1 → 2; at 0.4 or 1.0 → 1."""
    return max(1, min(cores, math.floor(cores - other_cores + (1 - FREE_SHARE) + 1e-9)))


@dataclass
class Budget:
    """One thread budget for a whole suite, and how it was chosen."""

    threads: int
    cores: int
    load: Load
    waited_s: float = 0.0

    @property
    def busy(self) -> bool:
        return not self.load.quiet

    def per_rank(self, ranks: int) -> int:
        return max(1, self.threads // max(1, ranks))

    def describe(self) -> str:
        text = (
            f"thread budget {self.threads} of {self.cores} cores: other processes used "
            f"{self.load.other_cores:.1f} cores over {self.load.seconds:.1f} s"
        )
        if self.busy:
            text += (
                f" (busy; top: {self.load.top_text()}); timings taken now are not "
                "comparable with a quiet machine"
            )
        return text

    def record(self) -> dict[str, Any]:
        return {
            "threads": self.threads,
            "cores": self.cores,
            "busy": self.busy,
            "waited_s": round(self.waited_s, 1),
            "load": self.load.record(),
            "how": (
                f"others' CPU sampled for {self.load.seconds:.1f} s before the suite; "
                f"threads = free cores rounded down (a core others use less than "
                f"{1 - FREE_SHARE:.2f} of counts as free)"
            ),
        }


async def measure_budget(
    wait_quiet_s: float = 0.0,
    look_s: float = LOOK_S,
    on_look: Callable[[Load, float], None] | None = None,
) -> Budget:
    """Look at the machine; while it is busy and ``wait_quiet_s`` has not run out, look
    again. ``on_look(load, seconds_left)`` is told each look (for a countdown)."""
    cores, start = usable_cores(), time.monotonic()
    while True:
        load = await asyncio.to_thread(look, look_s)
        waited = time.monotonic() - start
        left = wait_quiet_s - waited
        if on_look is not None:
            on_look(load, max(0.0, left))
        if load.quiet or left <= 0:
            return Budget(choose_threads(cores, load.other_cores), cores, load, waited)


class LoadWindow:
    """``async with LoadWindow() as w: …`` then ``w.load``: others' CPU over the block."""

    async def __aenter__(self) -> LoadWindow:
        self._before = await asyncio.to_thread(cpu_snapshot)
        self._t0 = time.monotonic()
        return self

    async def __aexit__(self, *exc: object) -> None:
        after = await asyncio.to_thread(cpu_snapshot)
        self.load = load_between(self._before, after, time.monotonic() - self._t0)
