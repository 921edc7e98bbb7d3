"""What the trial-speed benchmarks share: run a trial module or a minimal hand-written
loop in a fresh process, alternate them round by round, and print medians, best rounds and
ratios, all measured in the same run (``torch_trial_speed.py``, ``jax_trial_speed.py``)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mnist"
WARMUP = 5


def run_json(argv: list[str]) -> dict:
    out = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)
    for line in out.stdout.splitlines():
        event = json.loads(line) if line.startswith("{") else {}
        if event.get("event") == "result":
            return event
    raise SystemExit(f"{' '.join(argv)} gave no result:\n{out.stderr[-2000:]}")


def trial_rate(module: str, steps: int, data: str, *extra: str) -> float:
    """samples/s of ``python -m module``: one window spanning every step after the warm-up,
    the same span the minimal loop times."""
    result = run_json(
        [sys.executable, "-m", module, "--steps", str(steps), "--data", data,
         "--warmup-steps", str(WARMUP), "--window-steps", str(steps - WARMUP - 1),
         "--max-eval", "100", *extra]
    )  # fmt: skip
    return result["samples_per_second"]["median"]


def minimal_rate(loop: str, steps: int, data: str) -> float:
    """samples/s printed by a minimal loop (its argv: steps, warm-up, data directory)."""
    out = subprocess.run(
        [sys.executable, "-c", loop, str(steps), str(WARMUP + 1), data],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


def alternate(rounds: int, runs: dict[str, Callable[[], float]], title: str) -> tuple[dict, dict]:
    """Run every entry of ``runs`` once per round, in turn; print each one's median and
    rounds; return (medians, best rounds) by name."""
    load = os.getloadavg()[0]
    rows: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            rows[name].append(run())
    print(
        f"{title}: {rounds} rounds, batch 64, warm-up {WARMUP}; load avg at start {load:.2f}, "
        f"after {os.getloadavg()[0]:.2f}"
    )
    for name, values in rows.items():
        print(
            f"  {name:<11} median {statistics.median(values):>9,.0f} samples/s   "
            f"(rounds: {', '.join(f'{v:,.0f}' for v in values)})"
        )
    med = {k: statistics.median(v) for k, v in rows.items()}
    best = {k: max(v) for k, v in rows.items()}  # the round that had the cores to itself
    return med, best
