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

from trial_vs_minimal import DEFAULT_DATA, alternate, minimal_rate, trial_rate

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    args = parser.parse_args()
    steps, data = args.steps, args.data
    med, best = alternate(
        args.rounds,
        {
            "minimal": lambda: minimal_rate(MINIMAL_LOOP, steps, data),
            "trial": lambda: trial_rate("probes.frameworks.jax.trial", steps, data),
        },
        f"jax single trial vs minimal nnx.jit loop, {steps} steps",
    )
    for label, stat in (("median", med), ("best round", best)):
        print(f"ratio trial / minimal ({label}) = {stat['trial'] / stat['minimal']:.3f}")


if __name__ == "__main__":
    main()
