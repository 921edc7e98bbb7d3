"""Is `chooser probe --json` (both frameworks) faster than `python -m torch.utils.collect_env`?

Runs the two commands alternately, several rounds, in this one run (so both see the same
machine load), and prints each one's median wall time and the ratio. Each chooser run is
checked to have really probed both frameworks (status ok) — a run that skipped one would
not count.

    python benchmarks/probe_speed.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

CHOOSER = [sys.executable, "-m", "chooser", "probe", "--json"]
COLLECT_ENV = [sys.executable, "-m", "torch.utils.collect_env"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(argv: list[str]) -> tuple[float, str, float]:
    """Wall seconds, stdout, and CPU seconds of the command and all its descendants."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout, _children_cpu() - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    wall(CHOOSER), wall(COLLECT_ENV)  # warm the page cache for both; not counted
    load_before = os.getloadavg()[0]
    chooser_s, collect_s, chooser_cpu, collect_cpu = [], [], [], []
    modes = set()
    for round_no in range(args.rounds):
        # alternate which goes first so a drift in machine load hits both alike
        order = [("chooser", CHOOSER), ("collect_env", COLLECT_ENV)]
        for name, argv in order if round_no % 2 == 0 else order[::-1]:
            seconds, out, cpu = wall(argv)
            if name == "chooser":
                probe = json.loads(out)
                for fw in ("torch", "tensorflow"):
                    status = probe["frameworks"][fw]["status"]
                    if status != "ok":
                        raise SystemExit(f"chooser probe: {fw} status {status}; not comparable")
                modes.add(probe["frameworks"]["tensorflow"].get("import_mode"))
                chooser_s.append(seconds)
                chooser_cpu.append(cpu)
            else:
                collect_s.append(seconds)
                collect_cpu.append(cpu)
    med_chooser, med_collect = statistics.median(chooser_s), statistics.median(collect_s)
    print(
        f"rounds: {args.rounds} (alternating order, after one unmeasured warm-up each); "
        f"{os.cpu_count()} CPUs, 1-min load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after"
    )
    print(
        f"chooser probe --json           median {med_chooser:.3f} s  "
        f"(min {min(chooser_s):.3f}, max {max(chooser_s):.3f}); "
        f"CPU {statistics.median(chooser_cpu):.2f} s; "
        f"tensorflow import_mode: {', '.join(sorted(m or '?' for m in modes))}"
    )
    print(
        f"python -m torch.utils.collect_env median {med_collect:.3f} s  "
        f"(min {min(collect_s):.3f}, max {max(collect_s):.3f}); "
        f"CPU {statistics.median(collect_cpu):.2f} s"
    )
    print(
        f"ratio chooser / collect_env: {med_chooser / med_collect:.2f} "
        f"({'faster' if med_chooser < med_collect else 'NOT faster'})"
    )
    print(
        "chooser runs three children in parallel: it wins on wall time when cores are free, "
        "and uses more CPU seconds in total, so on a saturated machine it can lose."
    )


if __name__ == "__main__":
    main()
