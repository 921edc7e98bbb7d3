"""How long does `chooser trial --suite quick` take, and what does chooser add to it?

Runs ``chooser trial --suite quick --json`` (torch single, TensorFlow single, torch DDP×2,
TensorFlow MultiWorker×2) and, in the same run, the same four child commands directly
one after the other (the commands chooser records in each result). Prints the suite's
wall time (target: about a minute on a 2-core machine), each trial's status, start-up and
wall time, and the ratio suite / direct commands (chooser's own overhead: runner,
busy sampling, result shaping).

    python benchmarks/suite_quick.py [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(argv: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, stdin=subprocess.DEVNULL)
    return time.perf_counter() - started, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print(f"load avg at start {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    suite_walls, direct_walls = [], []
    for round_no in range(args.rounds):
        wall, proc = timed([sys.executable, "-m", "chooser", "trial", "--suite", "quick", "--json"])
        if not proc.stdout.strip():
            raise SystemExit(f"chooser printed nothing:\n{proc.stderr[-2000:]}")
        report = json.loads(proc.stdout)
        suite_walls.append(wall)
        print(
            f"round {round_no + 1}: chooser trial --suite quick: {wall:.1f} s "
            f"(exit {proc.returncode})"
        )
        direct = 0.0
        for r in report["results"]:
            sps = (r.get("samples_per_second") or {}).get("median")
            print(
                f"  {r['id']:<24} {r['status']:<8} first step "
                f"{r.get('time_to_first_step_s') or 0:5.1f} s  wall {r.get('wall_time_s') or 0:5.1f} s"
                f"  {sps or 0:8,.0f} samples/s  acc {r.get('test_accuracy') or 0:.3f}"
                + (f"  [busy: {r['busy_warning'][:60]}…]" if r.get("busy_warning") else "")
            )
            if r["status"] == "ok":
                seconds, _ = timed(shlex.split(r["command"]))
                direct += seconds
        direct_walls.append(direct)
        print(f"  same four commands run directly: {direct:.1f} s")
    suite, direct = min(suite_walls), min(direct_walls)
    print(f"suite quick wall time (best of {args.rounds}): {suite:.1f} s  (target about 60 s)")
    print(f"ratio suite / direct commands = {suite / direct:.3f}  (chooser's overhead)")


if __name__ == "__main__":
    main()
