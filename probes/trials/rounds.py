"""Rounds: a single-process trial that trains in several short rounds.

``--rounds N`` splits the step budget into N rounds; each round has its own warm-up and
throughput windows (after a pause the caches are cold and the threads asleep, so a
round's first steps are left out again) and ends with a ``round`` event carrying its
windows. With ``--wait-between-rounds`` the trial then waits for one line on stdin
before it goes on (and, after the last round, before it evaluates): the parent uses it
to alternate two frameworks' rounds, torch, TensorFlow, torch, …, so a load that comes
and goes hits both (chooser/measure/rounds.py). Without it the rounds follow at once.

The result's ``samples_per_second`` pools every round's windows; ``rounds`` keeps each
round's windows so the parent can bootstrap over rounds.
"""

from __future__ import annotations

import statistics
import sys

from probes.protocol import emit
from probes.trials.measure import ThroughputMeter


def round_sizes(steps: int, rounds: int) -> list[int]:
    """``steps`` split into ``rounds`` parts as equal as possible (earlier ones longer)."""
    rounds = max(1, min(rounds, steps))
    base, extra = divmod(steps, rounds)
    return [base + (1 if i < extra else 0) for i in range(rounds)]


class RoundPlan:
    def __init__(
        self,
        steps: int,
        rounds: int,
        wait: bool,
        warmup: int,
        window: int,
        sync=None,
        report: bool = True,
    ) -> None:
        self.sizes = round_sizes(steps, rounds)
        self.wait, self.warmup, self.window, self.sync = wait, warmup, window, sync
        self.report = report  # only rank 0 / the chief speaks
        self.ends = [sum(self.sizes[: i + 1]) for i in range(len(self.sizes))]
        self.records: list[dict] = []
        self.first_summary: dict | None = None
        self.elapsed = 0.0
        self.energy = None  # an EnergyMeter paused while waiting (probes/energy.py)

    def meter(self) -> ThroughputMeter:
        meter = ThroughputMeter(self.warmup, self.window, sync=self.sync)
        meter.start()
        return meter

    def ends_round(self, step: int) -> bool:
        return step in self.ends

    def close_round(self, meter: ThroughputMeter) -> ThroughputMeter:
        """Record the round ``meter`` timed, tell the parent, wait for its go-ahead (when
        asked to) and return a fresh meter for the next round."""
        summary = meter.summary()
        record = {
            "round": len(self.records) + 1,
            "of": len(self.sizes),
            "steps": len(meter.times),
            "seconds": round(meter.elapsed(), 4),
            "windows": [round(w, 2) for w in meter.windows()],
            "median": summary["median"],
        }
        self.records.append(record)
        self.first_summary = self.first_summary or summary
        self.elapsed += meter.elapsed()
        if self.report:
            emit("round", **record)
        if self.wait:
            if self.energy is not None:
                self.energy.pause()  # another framework's round runs now
            line = sys.stdin.readline()
            if not line:
                raise RuntimeError("the parent closed stdin between rounds")
            if self.energy is not None:
                self.energy.resume()
        return self.meter()

    def summary(self, last: ThroughputMeter) -> dict:
        """One samples/s summary for the whole trial: the round's own when there was one
        round, else the median of every round's windows pooled."""
        if len(self.records) <= 1:
            return self.first_summary or last.summary()
        rates = [w for r in self.records for w in r["windows"]]
        if not rates:
            return {
                "median": None,
                "min": None,
                "max": None,
                "windows": 0,
                "method": "no complete window in any round",
                "rounds": self.records,
            }
        return {
            "median": statistics.median(rates),
            "min": min(rates),
            "max": max(rates),
            "windows": len(rates),
            "method": (
                f"median of {len(rates)} windows of {self.window} steps from "
                f"{len(self.records)} rounds (each after {self.warmup} warm-up "
                "steps)"
            ),
            "window_rates": rates,
            "rounds": self.records,
        }
