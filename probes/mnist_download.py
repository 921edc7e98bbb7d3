"""Download the four official MNIST files with md5 verification (only on --download).

Files are written to a temporary name, verified, then moved into place with
``os.replace``, so a cut connection never leaves a half file that looks complete.
Progress goes to stderr (stdout carries the JSON-lines protocol).
"""

from __future__ import annotations

import hashlib
import os
import sys
import urllib.request
from pathlib import Path

# The md5 sums torchvision checks for the same files.
OFFICIAL_FILES = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
CHUNK = 1 << 16


class DownloadError(OSError):
    """Every mirror failed, or a file did not match its checksum."""


def md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected_md5: str) -> bool:
    return path.is_file() and md5_of(path) == expected_md5


def _show(name: str, done: int, total: int | None) -> None:
    if total:
        sys.stderr.write(
            f"\rdownloading {name}: {100 * done // total:3d}% "
            f"({done / 1e6:.1f}/{total / 1e6:.1f} MB)"
        )
    else:
        sys.stderr.write(f"\rdownloading {name}: {done / 1e6:.1f} MB")
    sys.stderr.flush()


def fetch(url: str, target: Path, expected_md5: str, timeout: float = 30.0) -> None:
    """Fetch one URL into ``target`` atomically, refusing a body with the wrong md5."""
    partial = target.with_name(target.name + ".part")
    digest = hashlib.md5()
    with urllib.request.urlopen(url, timeout=timeout) as response, open(partial, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        done = 0
        while block := response.read(CHUNK):
            out.write(block)
            digest.update(block)
            done += len(block)
            _show(target.name, done, total)
    sys.stderr.write("\n")
    if digest.hexdigest() != expected_md5:
        partial.unlink(missing_ok=True)
        raise DownloadError(f"{url}: md5 {digest.hexdigest()} does not match {expected_md5}")
    os.replace(partial, target)


def download_official(directory: Path, mirrors: tuple[str, ...] = MIRRORS) -> Path:
    """Make ``directory`` hold the four verified official files; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, md5 in OFFICIAL_FILES.items():
        target = directory / name
        if verify(target, md5):
            continue
        failures = []
        for mirror in mirrors:
            try:
                fetch(mirror + name, target, md5)
                break
            except (OSError, ValueError) as exc:  # URLError is an OSError
                failures.append(f"{mirror}: {exc}")
        else:
            raise DownloadError(f"could not download {name}: " + "; ".join(failures))
    return directory
