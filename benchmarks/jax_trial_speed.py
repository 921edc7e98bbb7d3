"""Does the JAX single trial train as fast as a minimal hand-written JAX loop for the same Net?

Runs, alternately and in this one run (same machine load for both), the real trial
(``python -m probes.frameworks.jax.trial``) and a minimal loop written the plainest way
(the same NNX Net, ``nnx.jit`` on the train step as Flax's MNIST tutorial writes it,
random batches, optax Adam), each in its own fresh process. Both time samples/s over the
steps after the same warm-up (the loop blocks on each loss, as the trial does). Prints
each one's median and best round and the ratio trial / minimal: the trial harness's
overhead (progress events, the throughput meter, the functional jit step).

    python benchmarks/jax_trial_speed.py [--rounds 5] [--steps 200] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

from torch_trial_speed import DEFAULT_DATA, ROOT, WARMUP, run_json

MINIMAL_LOOP = r"""
import sys, time, numpy as np, jax, optax
from flax import nnx
from probes.mnist import load_mnist, normalize
from probes.frameworks.jax.net import Net, nll_loss
steps, warmup, data_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
d = load_mnist(data_dir)
x, y = normalize(d.train_images)[..., None], d.train_labels.astype(np.int32)
model = Net(nnx.Rngs(0))
opt = nnx.Optimizer(model, optax.adam(1e-3), wrt=nnx.Param)

@nnx.jit
def step(model, opt, xb, yb):
    loss, grads = nnx.value_and_grad(lambda m: nll_loss(m(xb), yb))(model)
    opt.update(model, grads)
    return loss

rng = np.random.default_rng(0)
for i in range(steps):
    if i == warmup:
        t0 = time.perf_counter()
    idx = rng.integers(0, len(y), 64)
    step(model, opt, x[idx], y[idx]).block_until_ready()
print((steps - warmup) * 64 / (time.perf_counter() - t0))
"""


def trial(steps: int, data: str) -> float:
    result = run_json(
        [
            sys.executable,
            "-m",
            "probes.frameworks.jax.trial",
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
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    args = parser.parse_args()
    load = os.getloadavg()[0]
    rows: dict[str, list[float]] = {"trial": [], "minimal": []}
    for _ in range(args.rounds):
        rows["minimal"].append(minimal(args.steps, args.data))
        rows["trial"].append(trial(args.steps, args.data))
    med = {k: statistics.median(v) for k, v in rows.items()}
    best = {k: max(v) for k, v in rows.items()}
    print(
        f"jax single trial vs minimal nnx.jit loop: {args.rounds} rounds x {args.steps} steps, "
        f"batch 64, warm-up {WARMUP}; load avg at start {load:.2f}, after "
        f"{os.getloadavg()[0]:.2f}"
    )
    for name, values in rows.items():
        print(
            f"  {name:<8} median {med[name]:>9,.0f} samples/s   "
            f"(rounds: {', '.join(f'{v:,.0f}' for v in values)})"
        )
    for label, stat in (("median", med), ("best round", best)):
        print(f"ratio trial / minimal ({label}) = {stat['trial'] / stat['minimal']:.3f}")


if __name__ == "__main__":
    main()
