"""Real MNIST training trials, one module per framework; shared parts in common.py."""
