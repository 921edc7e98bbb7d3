"""The real app in a pseudo-terminal: SIGHUP (terminal closed) and SIGTERM end it, and the
probe's child processes with it. A hung-up app used to linger, spinning a core."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import psutil
import pytest


def _start(repo_root, tmp_path):
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "chooser"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=tmp_path,
        start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(repo_root)},
    )
    os.close(slave)
    seen, deadline = b"", time.monotonic() + 30
    while b"Question 1 of" not in seen and time.monotonic() < deadline:
        if select.select([master], [], [], 0.1)[0]:
            seen = (seen + os.read(master, 65536))[-8192:]
    assert b"Question 1 of" in seen, "the app never showed its first question"
    return proc, master


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_signal_ends_the_app_and_its_children(repo_root, tmp_path, sig):
    proc, master = _start(repo_root, tmp_path)
    try:
        children: list[psutil.Process] = []
        for _ in range(50):  # the probe starts after the first paint: catch its children
            children = psutil.Process(proc.pid).children(recursive=True)
            if children:
                break
            time.sleep(0.05)
        assert children, "the probe's children were running"
        proc.send_signal(sig)
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    os.read(master, 65536)  # keep the terminal drained
                except OSError:
                    break
        assert proc.wait(timeout=5) is not None
        gone, alive = psutil.wait_procs(children, timeout=5)
        assert not alive, f"left running: {alive}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
