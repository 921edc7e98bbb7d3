"""Real torch trials on real MNIST, started the way chooser starts them (small budgets)."""

from __future__ import annotations

import gzip
import sys
import types
from importlib.util import find_spec

import numpy as np
import pytest

from chooser.measure.trials import RESULT_KEYS, TrialSpec, run_trial
from probes.mnist import load_mnist

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_spec("torch") is None,
        reason="torch is not installed here: pip install 'chooser[torch]'",
    ),
]


def write_idx_gz(path, array: np.ndarray, magic: int) -> None:
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    path.write_bytes(gzip.compress(header + np.ascontiguousarray(array, np.uint8).tobytes(), 1))


@pytest.fixture(scope="module")
def real_split(shared_mnist_dir, tmp_path_factory):
    """8,000 train / 2,000 held-out test real images (from the real t10k set), written as
    train-* and t10k-* IDX files; a twin directory has the train labels shuffled."""
    data = load_mnist(shared_mnist_dir, seed=0)
    honest = tmp_path_factory.mktemp("mnist_8000_2000")
    shuffled = tmp_path_factory.mktemp("mnist_8000_2000_shuffled")
    wrong = np.random.default_rng(123).permutation(data.train_labels)
    for directory, train_labels in ((honest, data.train_labels), (shuffled, wrong)):
        write_idx_gz(directory / "train-images-idx3-ubyte.gz", data.train_images, 2051)
        write_idx_gz(directory / "train-labels-idx1-ubyte.gz", train_labels, 2049)
        write_idx_gz(directory / "t10k-images-idx3-ubyte.gz", data.test_images, 2051)
        write_idx_gz(directory / "t10k-labels-idx1-ubyte.gz", data.test_labels, 2049)
    assert (wrong == data.train_labels).mean() < 0.2
    return honest, shuffled


def assert_complete(result: dict) -> None:
    assert result["status"] == "ok", result.get("message")
    assert set(RESULT_KEYS) <= set(result)
    sps = result["samples_per_second"]
    assert sps["median"] > 0 and sps["min"] <= sps["median"] <= sps["max"]
    assert (
        result["time_to_first_step_s"] > 0
        and result["wall_time_s"] >= result["time_to_first_step_s"]
    )
    assert result["peak_rss_bytes"] > 50 * 2**20
    assert result["gflops_per_second"] == pytest.approx(sps["median"] * 2_883_000 / 1e9)
    assert result["versions"]["torch"] and result["versions"]["python"]
    assert "probes.trials." in result["command"]


async def test_torch_single_small_budget_with_progress_and_tensorboard(tmp_path):
    events = []
    result = await run_trial(
        TrialSpec("torch", steps=30, timeout_s=120, tensorboard=str(tmp_path / "tb")),
        lambda sid, ev: events.append((sid, ev)),
    )
    assert_complete(result)
    assert (result["mode"], result["world_size"], result["steps"]) == ("single", 1, 30)
    assert result["data_kind"] in ("embedded", "idx", "npz")
    assert len(result["param_checksums"]) == 1
    train = [ev for sid, ev in events if ev.get("phase") == "train"]
    assert train and all(sid == "throughput/torch/single" for sid, _ in events)
    assert train[-1]["step"] == train[-1]["of"] == 30
    assert list((tmp_path / "tb" / "torch_single").glob("events.out.tfevents.*"))
    sys.modules.setdefault("tensorboard.compat.notf", types.ModuleType("notf"))  # no TF import
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events_file = EventAccumulator(str(tmp_path / "tb" / "torch_single"))
    events_file.Reload()
    assert {"train/loss", "train/samples_per_second", "test/accuracy"} <= set(
        events_file.Tags()["scalars"]
    )
    assert events_file.Scalars("test/accuracy")[0].value == pytest.approx(result["test_accuracy"])


async def test_torch_ddp_two_ranks_checksums_equal(real_split):
    honest, _ = real_split
    events = []
    result = await run_trial(
        TrialSpec("torch", "distributed", workers=2, steps=24, data=str(honest), timeout_s=150),
        lambda sid, ev: events.append(ev),
    )
    assert_complete(result)
    assert (result["world_size"], result["backend"], result["global_batch_size"]) == (
        2,
        "gloo",
        128,
    )
    assert len(result["param_checksums"]) == 2 and result["checksums_equal"] is True
    assert result["param_checksums"][0] == result["param_checksums"][1]
    assert len(result["peak_rss_bytes_per_rank"]) == 2
    assert "torch_launch" in result["command"] and "--workers 2" in result["command"]
    steps = {ev["step"] for ev in events if ev.get("phase") == "train"}
    assert max(steps) == 24  # only rank 0 reports, so no step repeats out of order


async def test_accuracy_honesty_one_epoch_defaults(real_split):
    honest, shuffled = real_split
    good = await run_trial(TrialSpec("torch", epochs=1, data=str(honest), timeout_s=150))
    assert_complete(good)
    assert (good["train_samples"], good["test_samples"], good["steps"]) == (8000, 2000, 125)
    assert "official split, 8,000 train / 2,000 test" in good["data_source"]
    assert good["test_accuracy"] >= 0.88, good
    bad = await run_trial(TrialSpec("torch", epochs=1, data=str(shuffled), timeout_s=150))
    assert bad["status"] == "ok"
    assert bad["test_accuracy"] <= 0.2, bad


async def test_shuffle_labels_flag_says_so_in_the_result(real_split):
    honest, _ = real_split
    result = await run_trial(
        TrialSpec(
            "torch",
            steps=20,
            data=str(honest),
            timeout_s=120,
            extra_args=("--shuffle-labels", "--max-eval", "500"),
        )
    )
    assert result["status"] == "ok" and result["labels_shuffled"] is True
    assert "TRAIN LABELS SHUFFLED" in result["data_source"] and result["test_samples"] == 500


async def test_bad_data_directory_is_a_clear_error(tmp_path):
    # A header that passes the up-front check (one 28x28 image) over a body cut short:
    # only the child, reading the data for real, can find this.
    header = b"\x00\x00\x08\x03" + b"".join(n.to_bytes(4, "big") for n in (1, 28, 28))
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(header + b"\x00" * 7)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x01\x05")
    result = await run_trial(TrialSpec("torch", steps=5, data=str(tmp_path), timeout_s=60))
    assert result["status"] == "error"
    assert "MnistDataError" in result["message"] and "t10k-images-idx3-ubyte" in result["message"]
