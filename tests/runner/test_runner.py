"""The child-process runner: events, results, crashes, timeouts, cancellation, no survivors."""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
import time

import psutil
import pytest

from chooser.measure.runner import child_env, run_child, run_child_sync


def py(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


EMITTER = """
from probes.protocol import progress, result
for i in range(3):
    progress(step=i, of=3, loss=1.0 / (i + 1))
result({"answer": 42})
"""

# A child that starts a grandchild ignoring SIGTERM, prints its pid, then hangs.
HANGER = """
import os, signal, subprocess, sys, time
from probes.protocol import emit
grand = subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
emit("started", pid=os.getpid(), grandchild=grand.pid)
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # like an MWMS worker waiting for peers
time.sleep(600)
"""


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_events_then_result_in_order() -> None:
    seen: list[dict] = []
    outcome = run_child_sync(py(EMITTER), timeout=30, on_event=seen.append)
    assert outcome.ok, outcome.message
    assert outcome.result == {"answer": 42}
    assert [e["step"] for e in seen] == [0, 1, 2]
    assert all(e["event"] == "progress" for e in seen)


def test_error_event_becomes_error_status() -> None:
    code = "from probes.protocol import run_main\ndef main():\n    raise RuntimeError('no gloo')\nrun_main(main)"
    outcome = run_child_sync(py(code), timeout=30)
    assert outcome.status == "error"
    assert "RuntimeError: no gloo" in outcome.message
    assert outcome.returncode == 1


def test_crash_without_result_names_exit_status_and_stderr() -> None:
    outcome = run_child_sync(
        py("import sys; print('boom: disk full', file=sys.stderr); sys.exit(3)"), timeout=30
    )
    assert outcome.status == "crashed"
    assert "status 3" in outcome.message and "disk full" in outcome.message


def test_timeout_kills_whole_group_even_when_sigterm_is_ignored() -> None:
    seen: list[dict] = []
    started = time.monotonic()
    outcome = run_child_sync(py(HANGER), timeout=3, on_event=seen.append, grace=1.0)
    elapsed = time.monotonic() - started
    assert outcome.status == "timeout"
    assert "timed out" in outcome.message
    assert elapsed < 3 + 1.0 + 5  # timeout + grace + slack for SIGKILL and reaping
    pids = [seen[0]["pid"], seen[0]["grandchild"]]
    assert all(_gone(pid) for pid in pids), "a process of the group survived"


async def test_cancel_kills_group_and_reraises() -> None:
    seen: list[dict] = []
    task = asyncio.create_task(run_child(py(HANGER), timeout=60, on_event=seen.append, grace=0.5))
    while not seen:
        await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert all(_gone(pid) for pid in (seen[0]["pid"], seen[0]["grandchild"]))


def test_child_env_puts_this_checkout_first() -> None:
    env = child_env({"X_TEST": "1"})
    root = env["PYTHONPATH"].split(os.pathsep)[0]
    assert os.path.isdir(os.path.join(root, "probes"))
    assert env["X_TEST"] == "1" and env["PYTHONUNBUFFERED"] == "1"
