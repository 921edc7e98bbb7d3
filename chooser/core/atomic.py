"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from chooser.core.errors import UserError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: Path, text: str, *, force: bool = True) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory and
    ``os.replace``. Without ``force`` an existing file is a UserError."""
    path = Path(path)
    if path.exists() and not force:
        raise UserError("already exists; pass --force to overwrite it", path=str(path))
    if path.is_dir():
        raise UserError("is a directory, expected a file name", path=str(path))
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"directory {parent} does not exist", path=str(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise UserError(f"cannot write here: {exc.strerror or exc}", path=str(path)) from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a report is a normal file
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
