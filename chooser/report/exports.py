"""Export targets checked before the trials, and written so that nothing is lost after.

``check_targets`` refuses what can be known up front (format, a name given twice, an
existing file without --force, a missing or unwritable directory, a name too long).
``write_all`` then writes every target it can; when one fails at the end (a file that
appeared while the trials ran, a full disk), the others are still written and the whole
report is kept in a fresh file whose name the error gives, so minutes of trials are
never thrown away over one path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from chooser.core.atomic import write_text_atomic
from chooser.core.errors import UserError
from chooser.core.inputs import os_reason

RESCUE_STEM = "chooser-rescued"


def check_targets(paths: list[str], force: bool, format_for: Callable[[str], str]) -> None:
    """Refuse bad export paths before spending minutes on trials."""
    seen: set[str] = set()
    for path in paths:
        format_for(path)
        try:
            target = Path(path)
            resolved = str(target.resolve())
            if resolved in seen:
                raise UserError("named twice in --export", path=path)
            seen.add(resolved)
            if target.is_dir():
                raise UserError("is a directory, expected a file name", path=path)
            if target.exists() and not force:
                raise UserError("already exists; pass --force to overwrite it", path=path)
            parent = target.parent if str(target.parent) else Path(".")
            if not parent.is_dir():
                raise UserError(f"directory {parent} does not exist", path=path)
            if not os.access(parent, os.W_OK | os.X_OK):
                raise UserError(f"directory {parent} is not writable", path=path)
            if len(os.fsencode(target.name)) > 200:  # room for the temporary file's name
                raise UserError("file name too long (at most 200 bytes here)", path=path[:300])
        except OSError as exc:
            raise UserError(f"cannot write here: {os_reason(exc)}", path=path[:300]) from None


def write_all(
    render: Callable[[str], str], paths: list[str], force: bool, format_for: Callable[[str], str]
) -> tuple[list[str], list[str]]:
    """Write every path (``render(fmt)`` gives the text); returns (written, failures) where
    each failure is one line naming the path and the cause."""
    written, failures = [], []
    for path in paths:
        try:
            write_text_atomic(Path(path), render(format_for(path)), force=force)
            written.append(path)
        except UserError as exc:
            failures.append(str(exc))
    return written, failures


def rescue(text: str, near: list[str], suffix: str = ".json") -> Path:
    """Keep ``text`` in a new file beside the first export (else here, else the temp
    folder) whose name cannot clash; returns where it went."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    folders = [Path(p).parent for p in near[:1]] + [
        Path("."),
        Path(os.environ.get("TMPDIR", "/tmp")),
    ]
    for folder in folders:
        for n in range(100):
            candidate = folder / f"{RESCUE_STEM}-{stamp}{f'-{n}' if n else ''}{suffix}"
            try:
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            except OSError:
                break
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                return candidate
            except OSError:
                try:
                    os.unlink(candidate)
                except OSError:
                    pass
                break
    raise UserError("could not save the results anywhere (disk full?)")


def failure_message(
    failures: list[str], written: list[str], saved: Path | None, what: str = "the whole report"
) -> str:
    """One line: the first failure, what else failed, what was written, where the rescue is."""
    text = failures[0]
    if len(failures) > 1:
        text += f" (and {len(failures) - 1} more export(s) failed)"
    if written:
        text += f"; wrote {', '.join(written)}"
    if saved is not None:
        text += f"; {what} was kept in {saved}"
    return text


def trials_payload(trials: list[dict[str, Any]]) -> str:
    import json

    return (
        json.dumps(
            {"tool": "chooser", "kind": "trial results", "results": trials}, indent=2, default=str
        )
        + "\n"
    )
