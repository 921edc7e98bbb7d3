"""The JSON-lines protocol every probe and trial speaks on stdout.

One JSON object per line: any number of events while working, e.g.
``{"event": "progress", "step": 120, "of": 400, "loss": 0.31}``, then exactly one
``{"event": "result", ...}`` or ``{"event": "error", "message": ..., "kind": ...}``.
Human logs go to stderr. Each line is written with a single write() so lines from
several ranks sharing one pipe never interleave (pipe writes under 4 KiB are atomic).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any

_stdout_fd = sys.stdout.fileno() if sys.stdout else 1


def emit(event: str, **fields: Any) -> None:
    line = json.dumps({"event": event, **fields}, default=str, allow_nan=False) + "\n"
    os.write(_stdout_fd, line.encode())


def progress(**fields: Any) -> None:
    emit("progress", **fields)


def result(payload: dict[str, Any]) -> None:
    emit("result", **payload)


def error(message: str, kind: str = "error", **fields: Any) -> None:
    emit("error", message=message, kind=kind, **fields)


def log(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to kill this process when its parent dies, so a rank whose launcher
    was SIGKILLed cannot outlive it. A no-op where prctl is unavailable."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, sig)
        if os.getppid() == 1:  # parent already gone before prctl took effect
            os._exit(1)
    except OSError:
        pass


def run_main(main: Callable[[], dict[str, Any] | None], *, skip_teardown: bool = False) -> None:
    """Run an entry point: its returned dict becomes the result event; an exception
    becomes an error event (traceback to stderr) and exit status 1.

    ``skip_teardown`` ends the process with ``os._exit(0)`` once the result is written:
    tearing down an interpreter that imported torch takes ~0.3 s here, time the parent
    would spend waiting for a child whose answer it already has."""
    try:
        payload = main()
    except KeyboardInterrupt:
        error("interrupted", kind="interrupted")
        raise SystemExit(130) from None
    except Exception as exc:  # report every failure as data, never as a bare crash
        traceback.print_exc(file=sys.stderr)
        error(f"{type(exc).__name__}: {exc}", kind=type(exc).__name__)
        raise SystemExit(1) from None
    if payload is not None:
        result(payload)
    if skip_teardown:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
