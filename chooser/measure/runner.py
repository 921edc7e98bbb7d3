"""Start probes and trials as child process groups and read their JSON-lines events.

Every child runs in a new session (its own process group). On timeout, error,
cancel (Ctrl-C, a UI cancel) or normal exit, the whole group and every descendant
found under it gets SIGTERM, then SIGKILL after a grace period: a
MultiWorkerMirrored worker waiting for its peers ignores SIGTERM.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

EventHandler = Callable[[dict[str, Any]], None]

# Process groups started and not yet reaped: killed at interpreter exit whatever happens.
_live_groups: set[int] = set()


@dataclass
class ChildOutcome:
    """What one child run came to. ``status`` is ok, error, timeout, cancelled or crashed."""

    status: str
    argv: list[str]
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    returncode: int | None = None
    stderr_tail: str = ""
    wall_s: float = 0.0
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def message(self) -> str:
        """One line a user can act on."""
        if self.status == "ok":
            return "ok"
        if self.error and self.error.get("message"):
            return str(self.error["message"])
        last = [ln for ln in self.stderr_tail.splitlines() if ln.strip()]
        hint = f": {last[-1].strip()}" if last else ""
        if self.status == "timeout":
            return f"timed out after {self.wall_s:.1f} s; process group killed{hint}"
        if self.status == "cancelled":
            return "cancelled; process group killed"
        return f"exited with status {self.returncode} and no result{hint}"


def project_root() -> Path:
    """The folder that holds the ``probes`` package, put first on the child's path so
    a child always runs the same code as its parent."""
    return Path(__file__).resolve().parents[2]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    root = str(project_root())
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if extra:
        env.update(extra)
    return env


def module_argv(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _signal_all(pgid: int, procs: list[psutil.Process], sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
    for proc in procs:  # descendants that left the group (setsid) are signalled one by one
        try:
            proc.send_signal(sig)
        except psutil.Error:
            pass


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


async def kill_group(pgid: int, grace: float = 3.0) -> None:
    """SIGTERM the group and its descendants, wait up to ``grace`` s, then SIGKILL."""
    procs = _descendants(pgid)
    if not _group_alive(pgid) and not any(p.is_running() for p in procs):
        _live_groups.discard(pgid)
        return
    _signal_all(pgid, procs, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        alive = [p for p in procs if _running(p)]
        if not _group_alive(pgid) and not alive:
            break
        await asyncio.sleep(0.05)
    else:
        _signal_all(pgid, procs, signal.SIGKILL)
        psutil.wait_procs([p for p in procs if _running(p)], timeout=2)
    _live_groups.discard(pgid)


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def kill_all_now() -> None:
    """Synchronous last resort (atexit, signal handlers): SIGKILL every live group."""
    for pgid in list(_live_groups):
        _signal_all(pgid, _descendants(pgid), signal.SIGKILL)
        _live_groups.discard(pgid)


atexit.register(kill_all_now)


async def run_child(
    argv: list[str],
    *,
    timeout: float,
    on_event: EventHandler | None = None,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    grace: float = 3.0,
    stderr_lines: int = 60,
    on_start: Callable[[asyncio.subprocess.Process], None] | None = None,
) -> ChildOutcome:
    """Run ``argv`` in a new process group, stream its events to ``on_event`` and
    return how it ended. Cancelling the awaiting task kills the group and re-raises.
    With ``on_start`` the child's stdin is a pipe, handed over with the process (the
    rounds of chooser.measure.rounds are driven through it)."""
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.PIPE if on_start else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
        env=env if env is not None else child_env(),
        cwd=cwd,
        limit=1 << 24,
    )
    _live_groups.add(proc.pid)
    if on_start is not None:
        on_start(proc)
    outcome = ChildOutcome(status="crashed", argv=list(argv))
    tail: deque[str] = deque(maxlen=stderr_lines)

    async def read_stdout() -> None:
        assert proc.stdout is not None
        async for raw in proc.stdout:
            line = raw.decode(errors="replace").strip()
            if not line.startswith("{"):
                tail.append(line)  # stray prints from libraries: keep for diagnosis
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                tail.append(line)
                continue
            kind = event.pop("event", "progress")
            if kind == "result":
                outcome.result = event
            elif kind == "error":
                # A launcher's "rank 0 exited with status 1" comes after the rank said why
                # (ranks share its stdout): keep the rank's cause in the message.
                earlier = (outcome.error or {}).get("message")
                if earlier and event.get("kind") == "rank_failed":
                    event["message"] = f"{event.get('message')}: {earlier}"
                outcome.error = event
            else:
                event["event"] = kind
                if kind != "progress":  # progress floods; other events are kept for the record
                    outcome.events.append(event)
                if on_event is not None:
                    on_event(event)

    async def read_stderr() -> None:
        assert proc.stderr is not None
        async for raw in proc.stderr:
            tail.append(raw.decode(errors="replace").rstrip())

    try:
        async with asyncio.timeout(timeout):
            await asyncio.gather(read_stdout(), read_stderr())
            outcome.returncode = await proc.wait()
        if outcome.error is not None:
            outcome.status = "error"
        elif outcome.result is not None and outcome.returncode == 0:
            outcome.status = "ok"
        else:
            outcome.status = "crashed"
    except TimeoutError:
        outcome.status = "timeout"
    except asyncio.CancelledError:
        outcome.status = "cancelled"
        await asyncio.shield(kill_group(proc.pid, grace))
        raise
    finally:
        await asyncio.shield(kill_group(proc.pid, grace))
        if proc.returncode is None:
            try:
                outcome.returncode = await asyncio.wait_for(proc.wait(), 5)
            except TimeoutError:
                pass
        outcome.stderr_tail = "\n".join(tail)
        outcome.wall_s = time.monotonic() - started
    return outcome


def run_child_sync(argv: list[str], **kwargs: Any) -> ChildOutcome:
    """Blocking wrapper for headless commands; Ctrl-C cancels and kills the group."""
    return asyncio.run(run_child(argv, **kwargs))
