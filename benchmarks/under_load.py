"""Do the trials stay honest on a busy machine?

Runs the quick suite twice in one process: as the machine is now ("quiet"), then with a
background process keeping one core busy ("loaded": ``python -c 'while True: pass'``,
started one second before the suite and killed after it). Prints, per trial, the
loaded / quiet ratio of its samples/s median and whether each figure is ``comparable``
(with the reason when not); the torch / TensorFlow throughput ratio (interleaved rounds,
95 % bootstrap interval) in both conditions; the thread budget each suite chose and what
others used; and the weight the shipped rules give to trial figures from the loaded run
(it must be zero for every figure that is not comparable).

Nothing here is a pass/fail test: on a shared machine the "quiet" run may itself be busy,
and then it says so. The issue's bar: under load every single-process trial is within
0.6× of its quiet figure with the torch/TF ratio within 1.4× of the quiet ratio, or it
says comparable: false with the reason.

    python benchmarks/under_load.py [--suite quick] [--wait-quiet SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chooser.measure.budget import measure_budget  # noqa: E402
from chooser.measure.suite import comparisons  # noqa: E402
from chooser.pipeline import suite_rounds  # noqa: E402
from chooser.pipeline.suite_run import SuiteRun, suite  # noqa: E402
from tests.busy_process import start_hog, stop_hog  # noqa: E402


def run(name: str, wait_quiet: float) -> tuple[list[dict], float, object]:
    budget = asyncio.run(measure_budget(wait_quiet))
    started = time.monotonic()
    suite_run = SuiteRun(
        suite(name), rounds=suite_rounds(name), budget=budget, wait_quiet_s=wait_quiet
    )
    results = asyncio.run(suite_run.run())
    return results, time.monotonic() - started, budget


def median(r: dict) -> float | None:
    return (r.get("samples_per_second") or {}).get("median") if r.get("status") == "ok" else None


def describe(name: str, results: list[dict], wall: float, budget) -> None:
    held = max((r.get("waited_for_quiet_s") or 0.0 for r in results), default=0.0)
    print(
        f"\n{name}: suite {wall:.1f} s (rounds held {held:.1f} s for quiet; look waited "
        f"{budget.waited_s:.1f} s); {budget.describe()}"
    )
    for r in results:
        m = median(r)
        others = (r.get("machine_load") or {}).get("other_cores_avg")
        print(
            f"  {r['id']:<24} {r['status']:<6} {m or 0:9,.0f} samples/s  threads/rank "
            f"{r.get('threads_per_rank')}  others {others if others is not None else '?'} cores"
            f"  comparable={r.get('comparable')}"
            + (f" ({r['comparable_reason']})" if r.get("comparable_reason") else "")
        )
    for c in comparisons(results):
        ci = f"[{c['ci95'][0]:.2f}, {c['ci95'][1]:.2f}]" if c.get("ci95") else "(no interval)"
        print(f"  ratio {c['what']}: {c['ratio']:.2f} {ci} comparable={c['comparable']}")


def trial_points(results: list[dict]) -> list[str]:
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.recommendation import recommend
    from chooser.decide.rules import load_rules

    bank = load_questions()
    rec = recommend(bank, load_rules(bank=bank), {"goals": ["research"]}, None, results)
    return [
        f"{r.id}: weight {r.weight:g}, scores {r.scores or 'none (a note)'} — {r.reason[:110]}"
        for r in rec.fired
        if any(k.startswith("trials.") for k in r.evidence)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default="quick")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        help="for the quiet run: wait up to SECONDS for the machine to quieten",
    )
    args = parser.parse_args()

    quiet, quiet_wall, quiet_budget = run(args.suite, args.wait_quiet)
    hog = start_hog()
    try:
        time.sleep(1.0)
        loaded, loaded_wall, loaded_budget = run(args.suite, 0.0)
    finally:
        stop_hog(hog)
    describe("quiet (the machine as it is now)", quiet, quiet_wall, quiet_budget)
    describe("loaded (plus one busy-looping process)", loaded, loaded_wall, loaded_budget)

    print("\nper trial: loaded / quiet samples/s, and the issue's bar")
    by_id = {r["id"]: r for r in quiet}
    pairs = {c["what"]: c for c in comparisons(quiet)}
    for c in comparisons(loaded):
        q = pairs.get(c["what"])
        if q:
            print(
                f"  torch/TF {c['what'].split('(')[-1].rstrip(')')}: quiet {q['ratio']:.2f}, "
                f"loaded {c['ratio']:.2f} → loaded/quiet {c['ratio'] / q['ratio']:.2f}"
            )
    single_ratio = {c["what"]: c["ratio"] for c in comparisons(loaded)}
    ratio_change = None
    for what, value in single_ratio.items():
        if "single" in what and what in pairs:
            ratio_change = value / pairs[what]["ratio"]
    for r in loaded:
        base = by_id.get(r["id"])
        m, b = median(r), median(base) if base else None
        ratio = m / b if m and b else None
        line = f"  {r['id']:<24} loaded/quiet {ratio:.2f}" if ratio else f"  {r['id']:<24} —"
        line += f"  comparable quiet={base.get('comparable') if base else None} loaded={r.get('comparable')}"
        if r["mode"] == "single":
            honest = (r.get("comparable") is False) or (
                ratio is not None
                and ratio >= 0.6
                and ratio_change is not None
                and 1 / 1.4 <= ratio_change <= 1.4
            )
            line += f"  bar met: {'yes' if honest else 'NO'}"
        print(line)
    print("\nshipped rules on the loaded run (answers: goals=research, probe: none):")
    for line in trial_points(loaded):
        print("  " + line)


if __name__ == "__main__":
    main()
