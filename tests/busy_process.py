"""A real busy process for tests and benchmarks under load (tests/trials/test_under_load.py,
benchmarks/under_load.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def start_hog() -> int:
    """A process that keeps one core busy and is NOT our descendant (chooser leaves its own
    descendants out of "other processes", so a child hog would be invisible): started by a
    shell that exits at once, so it is re-parented. Returns its pid (kill with SIGKILL)."""
    command = f"'{sys.executable}' -c 'while True: pass' >/dev/null 2>&1 & echo $!"
    out = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def stop_hog(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
