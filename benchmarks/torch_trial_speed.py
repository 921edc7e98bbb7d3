"""Does the torch single trial train as fast as a minimal hand-written loop for the same Net?

Runs, alternately and in this one run (same machine load for both), the real trial
(``python -m probes.trials.torch_trial``) and a minimal loop written the plainest way
(preloaded NCHW tensors, random batches, Adam, ``zero_grad()``; no channels_last), each
in its own fresh process with torch's default thread count. Both time the same thing:
samples/s over the steps after the same warm-up. Prints each one's median and best round
and the ratios trial / minimal (target ≥ 0.95). The trial is also run with
``--channels-last off`` to show what that choice is worth.

    python benchmarks/torch_trial_speed.py [--rounds 5] [--steps 200] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mnist"
WARMUP = 5

MINIMAL_LOOP = r"""
import sys, time, numpy as np, torch
from probes.mnist import load_mnist, normalize
from probes.trials.net_torch import Net, loss_fn
steps, warmup, data_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
d = load_mnist(data_dir)
x = torch.from_numpy(normalize(d.train_images)).unsqueeze(1)
y = torch.from_numpy(d.train_labels.astype(np.int64))
torch.manual_seed(0)
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=1e-3); model.train()
for step in range(steps):
    if step == warmup:
        t0 = time.perf_counter()
    idx = torch.randint(0, len(y), (64,))
    opt.zero_grad()
    loss_fn(model(x[idx]), y[idx]).backward()
    opt.step()
print((steps - warmup) * 64 / (time.perf_counter() - t0))
"""


def run_json(argv: list[str]) -> dict:
    out = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=False)
    for line in out.stdout.splitlines():
        event = json.loads(line) if line.startswith("{") else {}
        if event.get("event") == "result":
            return event
    raise SystemExit(f"{' '.join(argv)} gave no result:\n{out.stderr[-2000:]}")


def trial(steps: int, data: str, channels_last: str) -> float:
    # one window spanning every step after the warm-up: the same span the loop times
    result = run_json(
        [
            sys.executable,
            "-m",
            "probes.trials.torch_trial",
            "--steps",
            str(steps),
            "--data",
            data,
            "--warmup-steps",
            str(WARMUP),
            "--window-steps",
            str(steps - WARMUP - 1),
            "--max-eval",
            "100",
            "--channels-last",
            channels_last,
        ]
    )
    return result["samples_per_second"]["median"]


def minimal(steps: int, data: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", MINIMAL_LOOP, str(steps), str(WARMUP + 1), data],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    args = parser.parse_args()
    load = os.getloadavg()[0]
    rows: dict[str, list[float]] = {"trial": [], "trial_nchw": [], "minimal": []}
    for _ in range(args.rounds):
        rows["minimal"].append(minimal(args.steps, args.data))
        rows["trial"].append(trial(args.steps, args.data, "on"))
        rows["trial_nchw"].append(trial(args.steps, args.data, "off"))
    med = {k: statistics.median(v) for k, v in rows.items()}
    best = {k: max(v) for k, v in rows.items()}  # the round that had the cores to itself
    print(
        f"torch single trial vs minimal loop: {args.rounds} rounds x {args.steps} steps, "
        f"batch 64, warm-up {WARMUP}; load avg at start {load:.2f}, after "
        f"{os.getloadavg()[0]:.2f}"
    )
    for name, values in rows.items():
        print(
            f"  {name:<11} median {med[name]:>9,.0f} samples/s   "
            f"(rounds: {', '.join(f'{v:,.0f}' for v in values)})"
        )
    for label, stat in (("median", med), ("best round", best)):
        print(
            f"ratio trial / minimal ({label}) = {stat['trial'] / stat['minimal']:.3f}  "
            f"(target >= 0.95); channels_last off / minimal = "
            f"{stat['trial_nchw'] / stat['minimal']:.3f}"
        )
    print(
        "on a loaded machine the spread between rounds dwarfs the difference: read the "
        "best-round ratio, or rerun when the load average is low"
    )


if __name__ == "__main__":
    main()
