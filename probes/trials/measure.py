"""Measurements both trials take, framework-free (re-exported by ``common``).

Throughput windows, the Net's analytic FLOPs, peak RSS, parameter checksums, the
trial's start time, and the machine's load at start.
"""

from __future__ import annotations

import hashlib
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence

import numpy as np


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class ThroughputMeter:
    """Steady-state samples/s: step end times after ``warmup_steps`` are cut into windows
    of ``window_steps``; each window gives samples/elapsed. ``sync`` (e.g.
    torch.cuda.synchronize) runs before each timestamp so asynchronous devices are timed."""

    def __init__(
        self, warmup_steps: int = 5, window_steps: int = 10, sync: Callable[[], None] | None = None
    ) -> None:
        self.warmup, self.window, self.sync = max(0, warmup_steps), max(1, window_steps), sync
        self.times: list[float] = []
        self.samples: list[int] = []
        self.first_step_end: float | None = None

    def start(self) -> None:
        if self.sync:
            self.sync()
        self.t0 = time.perf_counter()

    def step(self, samples: int) -> None:
        if self.sync:
            self.sync()
        now = time.perf_counter()
        if self.first_step_end is None:
            self.first_step_end = now
        self.times.append(now)
        self.samples.append(samples)

    def windows(self) -> list[float]:
        # times[i] is the end of step i; a window spans the steps after its start mark.
        marks = list(range(self.warmup, len(self.times), self.window))
        rates = []
        for a, b in zip(marks, marks[1:]):
            rates.append(sum(self.samples[a + 1 : b + 1]) / (self.times[b] - self.times[a]))
        return rates

    def last_window(self) -> float | None:
        """samples/s of the most recent complete window (cheap: for progress events)."""
        done = len(self.times) - 1 - self.warmup
        if done < self.window:
            return None
        b = self.warmup + (done // self.window) * self.window
        a = b - self.window
        return sum(self.samples[a + 1 : b + 1]) / (self.times[b] - self.times[a])

    def summary(self) -> dict:
        rates = self.windows()
        method = (
            f"median of {len(rates)} windows of {self.window} steps after "
            f"{self.warmup} warm-up steps"
        )
        if not rates and len(self.times) >= 2:  # too short for one window: say so
            a = min(self.warmup, len(self.times) - 2)
            rates = [sum(self.samples[a + 1 :]) / (self.times[-1] - self.times[a])]
            method = f"too few steps for a window: one span after step {a + 1} (not steady state)"
        if not rates:
            return {"median": None, "min": None, "max": None, "windows": 0, "method": "no steps"}
        return {
            "median": statistics.median(rates),
            "min": min(rates),
            "max": max(rates),
            "windows": len(rates),
            "method": method,
            "window_rates": [round(r, 2) for r in rates],
        }

    def elapsed(self) -> float:
        return (self.times[-1] - self.t0) if self.times else 0.0


def net_flops() -> dict[str, int]:
    """Forward FLOPs per sample of the Net, 2 FLOPs per multiply-add, weights only
    (bias, ReLU, pooling and softmax add <1 % and are left out):
    conv1 24·24 outputs × 10 ch × 5·5·1  = 144,000 MAC
    conv2  8·8 outputs × 20 ch × 5·5·10 = 320,000 MAC
    fc1   320 × 50 = 16,000 MAC;  fc2  50 × 10 = 500 MAC   -> 480,500 MAC = 961,000 FLOP.
    Training ≈ 3 × forward (backward computes input and weight gradients, ≈ 2 × forward)."""
    macs = {
        "conv1": 24 * 24 * 10 * 5 * 5 * 1,
        "conv2": 8 * 8 * 20 * 5 * 5 * 10,
        "fc1": 320 * 50,
        "fc2": 50 * 10,
    }
    return {name: 2 * mac for name, mac in macs.items()}


FORWARD_FLOPS_PER_SAMPLE = sum(net_flops().values())  # 961,000
TRAIN_FLOPS_PER_SAMPLE = 3 * FORWARD_FLOPS_PER_SAMPLE


def gflops_per_second(samples_per_second: float | None) -> float | None:
    if samples_per_second is None:
        return None
    return samples_per_second * TRAIN_FLOPS_PER_SAMPLE / 1e9


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB


def keras_to_canonical(array: np.ndarray) -> np.ndarray:
    """Keras conv kernel HWIO -> OIHW and dense (in, out) -> (out, in): torch's layouts."""
    if array.ndim == 4:
        return np.transpose(array, (3, 2, 0, 1))
    if array.ndim == 2:
        return array.T
    return array


def param_checksum(arrays: Sequence[np.ndarray]) -> dict:
    """sha256 over the float32 bytes of each array (C order, in the Net's layer order:
    conv1 w, b, conv2 w, b, fc1 w, b, fc2 w, b) plus the float sum, for eyes."""
    digest = hashlib.sha256()
    total, count = 0.0, 0
    for array in arrays:
        a = np.ascontiguousarray(array, dtype=np.float32)
        digest.update(a.tobytes())
        total += float(a.sum(dtype=np.float64))
        count += a.size
    return {"sha256": digest.hexdigest(), "sum": total, "count": count}


T0_ENV = "CHOOSER_TRIAL_T0"  # a launcher's start (epoch seconds), set for its workers


def process_start_epoch() -> float:
    """When this process was created, as epoch seconds, to within a clock tick.
    psutil's create_time() adds the start tick to /proc/stat's boot time, which is whole
    seconds, so it can be early by up to 1 s (0.54 s on the development machine); the
    process's age from /proc/uptime minus its start tick has no such rounding."""
    try:
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
        with open("/proc/self/stat") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        return time.time() - (uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        import psutil

        return psutil.Process().create_time()


def seconds_since_process_start() -> float:
    """Wall time since the trial started: this process's creation (interpreter start and
    imports included) or, under a launcher that set ``CHOOSER_TRIAL_T0``, the launcher's
    start, so a distributed trial's start-up includes launching and rendezvous."""
    start = process_start_epoch()
    if os.environ.get(T0_ENV):
        start = min(start, float(os.environ[T0_ENV]))
    return time.time() - start


def machine_load() -> dict:
    one, five, _ = os.getloadavg()
    return {"loadavg_1m": round(one, 2), "loadavg_5m": round(five, 2), "cores": available_cores()}
