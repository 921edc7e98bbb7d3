"""The one gate every file a user names passes through before it is parsed.

Regular files only (a FIFO would block forever, ``/dev/zero`` never ends), at most
``cap`` bytes read (the cap is enforced by reading cap+1 bytes, never by trusting
``stat``), NUL bytes reported with line and column, nesting depth and alias expansion
of YAML measured on the event stream (iterative) before the recursive composer runs,
and any value echoed back in a message clipped. Every failure is one UserError line.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from chooser.core.errors import UserError

MAX_YAML_BYTES = 1_000_000  # questions, rules, answers: a few kB in practice
MAX_REPORT_BYTES = 20_000_000  # a JSON report with probe and every trial: ~100 kB
MAX_DEPTH = 50  # nested lists/mappings; the shipped files use 4
MAX_YAML_NODES = 200_000  # after alias expansion ("billion laughs" stays small)
ECHO_CHARS = 80  # longest user value repeated in a message

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def clip(value: Any, limit: int = ECHO_CHARS) -> str:
    """``repr``-like text of a user value, cut to ``limit`` characters with the size said."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def os_reason(exc: OSError) -> str:
    """A short cause for an OSError, with a hint for the ones a user can fix."""
    hints = {
        errno.ENAMETOOLONG: "file name too long (a name is limited to 255 bytes)",
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EACCES: "permission denied",
        errno.EROFS: "read-only file system",
    }
    return hints.get(exc.errno or 0, exc.strerror or str(exc))


def read_user_file(path: str | Path, what: str, cap: int = MAX_YAML_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (``what`` names it in messages)."""
    shown = str(path)
    if not shown:
        raise UserError(f"the {what} name is empty")
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UserError(f"{what} not found", path=shown) from None
    except OSError as exc:
        raise UserError(f"cannot read {what}: {os_reason(exc)}", path=shown) from None
    try:
        mode = os.fstat(fd).st_mode
        for test, kind in _KINDS:
            if test(mode):
                raise UserError(f"{what} is {kind}, expected a regular file", path=shown)
        chunks, left = [], cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise UserError(f"cannot read {what}: {os_reason(exc)}", path=shown) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > cap:
        raise UserError(
            f"{what} is over the {cap:,}-byte limit (is this the right file?)", path=shown
        )
    return data


def decode_text(data: bytes, shown: str, what: str) -> str:
    """UTF-8 text without NUL bytes (a NUL means a binary file, or a damaged one)."""
    nul = data.find(b"\0")
    if nul >= 0:
        line, column = _line_col(data, nul)
        raise UserError(
            f"{what} contains a NUL byte (a binary file?)", path=shown, line=line, column=column
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_col(data, exc.start)
        raise UserError(
            f"{what} is not UTF-8 text (byte {exc.start:,})", path=shown, line=line, column=column
        ) from None


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def read_user_text(path: str | Path, what: str, cap: int = MAX_YAML_BYTES) -> str:
    return decode_text(read_user_file(path, what, cap), str(path), what)


def check_yaml_shape(
    text: str, shown: str, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_YAML_NODES
) -> None:
    """Refuse YAML nested deeper than ``max_depth`` or that expands (through aliases) to
    more than ``max_nodes`` nodes, before the recursive composer sees it. Syntax errors are
    left for the parser that follows, which reports them with their line."""
    depth, total = 0, 0
    open_nodes: list[tuple[str | None, int]] = []
    anchors: dict[str, int] = {}
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > max_depth:
                    line, column = _mark(event)
                    raise UserError(
                        f"nested more than {max_depth} levels deep",
                        path=shown,
                        line=line,
                        column=column,
                    )
                open_nodes.append((event.anchor, total))
                total += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                anchor, start = open_nodes.pop()
                if anchor:
                    anchors[anchor] = total - start
            elif isinstance(event, yaml.ScalarEvent):
                total += 1
                if event.anchor:
                    anchors[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                total += anchors.get(event.anchor or "", 1)
            if total > max_nodes:
                line, column = _mark(event)
                raise UserError(
                    f"expands to more than {max_nodes:,} values (through aliases?)",
                    path=shown,
                    line=line,
                    column=column,
                )
    except yaml.YAMLError:
        return


def _mark(event: yaml.Event) -> tuple[int | None, int | None]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def check_json_depth(text: str, shown: str, max_depth: int = MAX_DEPTH * 2) -> None:
    """Refuse JSON nested deeper than ``max_depth`` (json.loads recurses per level)."""
    brackets = re.sub(r'"(?:[^"\\]|\\.)*"|[^\[\]{}]+', "", text)
    depth = 0
    for index, char in enumerate(brackets):
        depth += 1 if char in "[{" else -1
        if depth > max_depth:
            raise UserError(
                f"JSON nested more than {max_depth} levels deep (bracket {index + 1:,})", path=shown
            )


def read_user_json(path: str | Path, what: str, cap: int = MAX_REPORT_BYTES) -> Any:
    """A user's JSON file through the gate: a regular file, capped, UTF-8, nesting checked
    before the (recursive) parser runs; any fault is one line naming the file."""
    text = read_user_text(path, what, cap)
    check_json_depth(text, str(path))
    try:
        return json.loads(text)
    except RecursionError:
        raise UserError(f"{what} is nested too deeply to read", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise UserError(
            f"not JSON: {exc.msg}", path=str(path), line=exc.lineno, column=exc.colno
        ) from None
