"""Accuracy honesty for TensorFlow: one epoch at the defaults on a real 8,000 / 2,000
MNIST split learns (held-out accuracy >= 0.88); with the train labels shuffled the
same run cannot beat chance by much (<= 0.2). Both splits are IDX files built here
from the real MNIST test set, so the trial reads them like any user's --data."""

from __future__ import annotations

import gzip
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

from chooser.measure.runner import module_argv, run_child_sync
from probes.mnist import IMAGES_MAGIC, LABELS_MAGIC, read_idx

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_spec("tensorflow") is None,
        reason="tensorflow is not installed here: pip install 'chooser[tensorflow]'",
    ),
]


def write_idx(path: Path, array: np.ndarray, magic: int) -> None:
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as fh:
        fh.write(header + np.ascontiguousarray(array, np.uint8).tobytes())


def build_split(shared: Path, out: Path, *, shuffle_labels: bool) -> Path:
    images = read_idx(shared / "t10k-images-idx3-ubyte.gz", IMAGES_MAGIC)
    labels = read_idx(shared / "t10k-labels-idx1-ubyte.gz", LABELS_MAGIC)
    order = np.random.default_rng(1234).permutation(len(labels))
    train, test = order[:8000], order[8000:]
    train_labels = labels[train]
    if shuffle_labels:
        train_labels = np.random.default_rng(99).permutation(train_labels)
    out.mkdir()
    write_idx(out / "train-images-idx3-ubyte.gz", images[train], IMAGES_MAGIC)
    write_idx(out / "train-labels-idx1-ubyte.gz", train_labels, LABELS_MAGIC)
    write_idx(out / "t10k-images-idx3-ubyte.gz", images[test], IMAGES_MAGIC)
    write_idx(out / "t10k-labels-idx1-ubyte.gz", labels[test], LABELS_MAGIC)
    return out


def one_epoch(data_dir: Path) -> dict:
    outcome = run_child_sync(
        module_argv("probes.trials.tensorflow_trial", "--data", str(data_dir), "--epochs", "1"),
        timeout=240,
    )
    assert outcome.ok, (outcome.message, outcome.stderr_tail[-3000:])
    result = outcome.result
    assert result["train_samples"] == 8000 and result["test_samples"] == 2000
    assert result["steps"] == 8000 // 64 and result["batch_size"] == 64
    assert "official split" in result["data_source"]
    return result


def test_one_epoch_on_a_real_split_learns(shared_mnist_dir, tmp_path):
    result = one_epoch(build_split(shared_mnist_dir, tmp_path / "real", shuffle_labels=False))
    assert result["test_accuracy"] >= 0.88, result["test_accuracy"]


def test_shuffled_train_labels_stay_near_chance(shared_mnist_dir, tmp_path):
    result = one_epoch(build_split(shared_mnist_dir, tmp_path / "shuffled", shuffle_labels=True))
    assert result["test_accuracy"] <= 0.2, result["test_accuracy"]
