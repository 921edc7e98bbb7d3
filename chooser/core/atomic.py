"""Atomic file writes: a reader sees the old file or the new one, never half of one.

The temporary file sits beside the target as ``.NAME.PID.XXXXXXXX.tmp``; a run killed
mid-write (SIGKILL gives no chance to clean up) leaves it behind, and the next write of
the same NAME removes the ones whose process is gone (only that name's: other files in
the directory are never touched). A full disk, a name too long or a
read-only directory is a one-line UserError, and the target is left as it was.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from chooser.core.errors import UserError
from chooser.core.inputs import os_reason

_TEMP_TAIL = re.compile(r"^(\d+)\.[a-z0-9_]{8}\.tmp$")  # PID.XXXXXXXX.tmp (mkstemp's 8 letters)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _temp_prefix(name: str) -> str:
    return f".{name[:100]}."


def remove_stale_temp_files(directory: Path, name: str) -> list[Path]:
    """Delete the temporary files for ``name`` in ``directory`` left by processes that no
    longer exist. Returns what was removed."""
    removed: list[Path] = []
    prefix = _temp_prefix(name)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        match = _TEMP_TAIL.match(entry.name[len(prefix) :])
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or _alive(pid):
            continue
        try:
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def write_text_atomic(path: Path, text: str, *, force: bool = True) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory and
    ``os.replace``. Without ``force`` an existing file is a UserError."""
    path = Path(path)
    try:
        if path.exists() and not force:
            raise UserError("already exists; pass --force to overwrite it", path=str(path))
        if path.is_dir():
            raise UserError("is a directory, expected a file name", path=str(path))
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise UserError(f"directory {parent} does not exist", path=str(path))
    except OSError as exc:
        raise UserError(f"cannot write here: {os_reason(exc)}", path=str(path)) from None
    remove_stale_temp_files(parent, path.name)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f"{_temp_prefix(path.name)}{os.getpid()}.", suffix=".tmp", dir=parent
        )
    except OSError as exc:
        raise UserError(f"cannot write here: {os_reason(exc)}", path=str(path)) from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a report is a normal file
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise UserError(
                f"could not write: {os_reason(exc)}; the file was left as it was", path=str(path)
            ) from None
        raise
