"""An up-front look at ``--data`` before any trial starts (no numpy: headers only).

The trial child reads the data for real (probes/mnist.py) and names any problem it
finds; this check catches what would otherwise cost a framework start-up, or hang it:
a path that is not there, a FIFO or device, a file that is not a zip (``mnist.npz``), a
folder without MNIST files, an IDX header that is not MNIST's or promises no images.
"""

from __future__ import annotations

import gzip
import os
import stat
import zipfile
from pathlib import Path

from chooser.core.errors import UserError
from chooser.core.inputs import os_reason

IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
_STEMS = {"images": "{part}-images-idx3-ubyte", "labels": "{part}-labels-idx1-ubyte"}


def check_data(path: str | Path) -> None:
    target = Path(path).expanduser()
    shown = str(target)
    try:
        mode = os.stat(target).st_mode
        if stat.S_ISREG(mode):
            if target.suffix != ".npz":
                raise UserError(
                    "--data: expected a directory of IDX files or a mnist.npz file", path=shown
                )
            _check_npz(target)
            return
        if not stat.S_ISDIR(mode):
            raise UserError("--data: not a directory or a regular file", path=shown)
        next(iter(target.iterdir()), None)  # readable?
        if (target / "mnist.npz").exists():
            _check_npz(target / "mnist.npz")
            return
        folder = target
        if not _idx_files(folder) and (target / "MNIST" / "raw").is_dir():
            folder = target / "MNIST" / "raw"
        found = _idx_files(folder)
        if not found:
            raise UserError(
                "--data: no MNIST files here (train-/t10k-images-idx3-ubyte[.gz] "
                "and -labels-idx1-ubyte[.gz], or mnist.npz)",
                path=shown,
            )
        for kind_path, magic in found:
            _check_idx_header(kind_path, magic)
    except FileNotFoundError:
        raise UserError("--data: no such file or directory", path=shown) from None
    except OSError as exc:
        raise UserError(f"--data: {os_reason(exc)}", path=shown[:300]) from None


def _idx_files(folder: Path) -> list[tuple[Path, int]]:
    found = []
    for part in ("train", "t10k"):
        pair = []
        for kind, magic in (("images", IMAGES_MAGIC), ("labels", LABELS_MAGIC)):
            stem = _STEMS[kind].format(part=part)
            alt = stem.replace("-idx", ".idx")
            hit = next(
                (folder / n for s in (stem, alt) for n in (s + ".gz", s) if (folder / n).exists()),
                None,
            )
            if hit is not None:
                pair.append((hit, magic))
        if len(pair) == 1:
            missing = "labels" if pair[0][1] == IMAGES_MAGIC else "images"
            raise UserError(
                f"--data: has {part} files but no {part}-{missing} IDX file", path=str(folder)
            )
        found += pair
    return found


def _regular(path: Path) -> None:
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise UserError("--data: not a regular file", path=str(path))


def _check_npz(path: Path) -> None:
    _regular(path)
    if not zipfile.is_zipfile(path):
        raise UserError(
            "--data: not a valid .npz (zip) file; is it damaged or cut short?", path=str(path)
        )


def _check_idx_header(path: Path, magic: int) -> None:
    _regular(path)
    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    try:
        with gzip.open(path, "rb") if gz else open(path, "rb") as fh:
            header = fh.read(8)
    except (OSError, EOFError) as exc:
        raise UserError(f"--data: cannot read this IDX file ({exc})", path=str(path)) from None
    if len(header) < 8:
        raise UserError("--data: truncated IDX file (no header)", path=str(path))
    found = int.from_bytes(header[:4], "big")
    if found != magic:
        kind = "images" if magic == IMAGES_MAGIC else "labels"
        raise UserError(
            f"--data: not an MNIST {kind} IDX file (magic {found}, expected {magic})",
            path=str(path),
        )
    if int.from_bytes(header[4:8], "big") == 0:
        raise UserError("--data: this IDX file holds no images or labels (count 0)", path=str(path))
