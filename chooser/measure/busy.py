"""Is the machine busy with someone else's work while a trial runs?

Timings taken while other processes compete for the cores are not comparable, so a
trial result carries a warning when they did. The monitor samples, about once a
second, the CPU time of every process that is neither this chooser process nor one
of its descendants (the trial's launcher, ranks and workers are all descendants, even
the ones that started their own session). psutil only; no framework is imported.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import psutil

INTERVAL_S = 1.0


def busy_threshold_cores(cores: int) -> float:
    """Others using half a core on a 2-core machine already slow a trial measurably."""
    return max(0.5, 0.2 * cores)


def load_warning() -> str | None:
    """Before trials start: a warning when other work already loads the CPUs (the load
    average, against the same threshold the monitor uses while a trial runs)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0]
    if cores and load > busy_threshold_cores(cores):
        return (
            f"This machine is busy: load average {load:.1f} on {cores} cores before the "
            "trials start, so measured speeds will be lower than on an idle machine."
        )
    return None


class BusyMonitor:
    """``async with BusyMonitor() as monitor: …`` then ``monitor.warning()``."""

    def __init__(self, interval_s: float = INTERVAL_S) -> None:
        self.interval_s = interval_s
        self.cores = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (psutil.cpu_count() or 1)
        )
        self.me = os.getpid()
        self._last: dict[int, tuple[float, str]] = {}
        self._per_process: dict[int, tuple[str, float]] = {}
        self._other_cpu_s = 0.0
        self._elapsed_s = 0.0
        self._task: asyncio.Task[None] | None = None

    def _ours(self) -> set[int]:
        try:
            return {self.me} | {p.pid for p in psutil.Process(self.me).children(recursive=True)}
        except psutil.Error:
            return {self.me}

    def _cpu_times(self) -> dict[int, tuple[float, str]]:
        ours, seen = self._ours(), {}
        for proc in psutil.process_iter(["name", "cpu_times"]):
            if proc.pid in ours or proc.info["cpu_times"] is None:
                continue
            times = proc.info["cpu_times"]
            seen[proc.pid] = (times.user + times.system, proc.info["name"] or "?")
        return seen

    def sample(self, elapsed_s: float) -> None:
        now = self._cpu_times()
        for pid, (cpu, name) in now.items():
            before = self._last.get(pid)
            if before is None:
                continue  # started since the last sample: counted from the next one
            used = max(0.0, cpu - before[0])
            self._other_cpu_s += used
            prev = self._per_process.get(pid, (name, 0.0))[1]
            self._per_process[pid] = (name, prev + used)
        self._elapsed_s += elapsed_s
        self._last = now

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(self.interval_s)
            now = loop.time()
            await asyncio.to_thread(self.sample, now - last)
            last = now

    async def __aenter__(self) -> BusyMonitor:
        self._last = await asyncio.to_thread(self._cpu_times)
        self._task = asyncio.create_task(self._loop())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    def other_cores(self) -> float | None:
        """Average cores used by other processes over the sampled time."""
        if self._elapsed_s <= 0:
            return None
        return self._other_cpu_s / self._elapsed_s

    def warning(self) -> str | None:
        used = self.other_cores()
        if used is None or used < busy_threshold_cores(self.cores):
            return None
        top = sorted(self._per_process.items(), key=lambda kv: -kv[1][1])[:3]
        names = ", ".join(
            f"{name} (pid {pid}) {cpu / self._elapsed_s:.1f}" for pid, (name, cpu) in top
        )
        return (
            f"machine busy: other processes used {used:.1f} of {self.cores} cores on "
            f"average during this trial (top: {names}); its timings are not comparable "
            f"with runs on an idle machine"
        )

    def record(self) -> dict[str, Any]:
        used = self.other_cores()
        return {
            "other_cores_avg": None if used is None else round(used, 2),
            "cores": self.cores,
            "sampled_s": round(self._elapsed_s, 1),
        }
