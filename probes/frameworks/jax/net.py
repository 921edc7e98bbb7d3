"""The classic MNIST ConvNet in Flax NNX: the same layers, in the same order, as
``probes/trials/net_torch.py`` and ``net_tensorflow.py``.

NNX, not Linen: it is the API Flax's own documentation has recommended since 0.11 for new
code, and its modules read like torch's ``nn.Module`` (what a user comparing frameworks
will write). The training step is still one pure function under ``jax.jit``: the trial
splits the module into (graph definition, state) once and jits the functional step, the
"functional training loop" of Flax's performance guide, so no Python graph traversal
happens per step.

Layout is channels-last (N, 28, 28, 1) as in Keras; ``Flatten`` reads the 4x4x20 map in
(height, width, channel) order: the same 320 numbers as torch, permuted. Weights start from
torch's default distribution, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for kernels and biases, so
the three frameworks train the same network from the same kind of start.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx


def torch_init(fan_in: int) -> dict:
    bound = fan_in**-0.5

    def uniform(key, shape, dtype=jnp.float32):
        return jax.random.uniform(key, shape, dtype, -bound, bound)

    return {"kernel_init": uniform, "bias_init": uniform}


class Net(nnx.Module):
    def __init__(self, rngs: nnx.Rngs) -> None:
        self.conv1 = nnx.Conv(
            1, 10, kernel_size=(5, 5), padding="VALID", rngs=rngs, **torch_init(5 * 5 * 1)
        )  # 24x24x10
        self.conv2 = nnx.Conv(
            10, 20, kernel_size=(5, 5), padding="VALID", rngs=rngs, **torch_init(5 * 5 * 10)
        )  # 8x8x20
        # Dropout2d: one draw per (sample, channel), broadcast over height and width.
        self.conv2_drop = nnx.Dropout(0.5, broadcast_dims=(1, 2), rngs=rngs)
        self.fc1 = nnx.Linear(320, 50, rngs=rngs, **torch_init(320))
        self.dropout = nnx.Dropout(0.5, rngs=rngs)
        self.fc2 = nnx.Linear(50, 10, rngs=rngs, **torch_init(50))

    def __call__(self, x: jax.Array) -> jax.Array:
        x = nnx.relu(nnx.max_pool(self.conv1(x), (2, 2), strides=(2, 2)))  # 12x12x10
        x = nnx.relu(nnx.max_pool(self.conv2_drop(self.conv2(x)), (2, 2), strides=(2, 2)))
        x = x.reshape(x.shape[0], -1)  # 4*4*20 = 320
        x = self.dropout(nnx.relu(self.fc1(x)))
        return jax.nn.log_softmax(self.fc2(x))


def nll_loss(log_probs: jax.Array, labels: jax.Array) -> jax.Array:
    """Mean negative log-likelihood, torch's ``F.nll_loss`` on log-softmax outputs."""
    return -jnp.mean(jnp.take_along_axis(log_probs, labels[:, None], axis=1))


def canonical_params(model: Net) -> list:
    """Parameters in the canonical order and layout the other trials checksum:
    conv1 w,b, conv2 w,b, fc1 w,b, fc2 w,b; kernels OIHW / (out, in)."""
    import numpy as np

    out = []
    for layer in (model.conv1, model.conv2, model.fc1, model.fc2):
        kernel = np.asarray(layer.kernel.value)
        kernel = kernel.transpose(3, 2, 0, 1) if kernel.ndim == 4 else kernel.T
        out += [kernel, np.asarray(layer.bias.value)]
    return out
