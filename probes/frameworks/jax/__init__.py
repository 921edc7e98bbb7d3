"""JAX (Flax NNX + optax): probe, the seed Net, its trial and its local launcher."""
