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

from trial_vs_minimal import DEFAULT_DATA, alternate, minimal_rate, trial_rate

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    args = parser.parse_args()
    steps, data, module = args.steps, args.data, "probes.trials.torch_trial"
    med, best = alternate(
        args.rounds,
        {
            "minimal": lambda: minimal_rate(MINIMAL_LOOP, steps, data),
            "trial": lambda: trial_rate(module, steps, data, "--channels-last", "on"),
            "trial_nchw": lambda: trial_rate(module, steps, data, "--channels-last", "off"),
        },
        f"torch single trial vs minimal loop, {steps} steps",
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
