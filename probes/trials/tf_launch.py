"""Start N TensorFlow MultiWorkerMirrored workers on this machine and speak for them:
``python -m probes.trials.tf_launch --workers N [tensorflow_trial flags]``.

Each worker is ``python -m probes.trials.tensorflow_trial`` with its own ``TF_CONFIG``
(a cluster of N ``127.0.0.1:PORT`` workers, task index i), in this launcher's process
group, so a runner that kills the group kills them all; each also dies with this
launcher (``die_with_parent``) and takes cores ÷ N threads (tensorflow_trial counts the
workers that share its host). The chief's JSON lines are forwarded; the result gets
this command and this wall time. If a worker dies or exits non-zero before the result,
an error event names it, its exit status and its stderr tail, and the rest are killed:
SIGTERM, then SIGKILL after a short grace, because a worker waiting for its peers
ignores SIGTERM (checked here: still alive 5 s after it; TensorFlow's runtime installs
its own SIGTERM handler).

Ports: TensorFlow's gRPC server binds 0.0.0.0:PORT with SO_REUSEPORT switched off, so
the launcher cannot keep a probe socket on the port until the workers are up (the
worker's bind would fail: tried). It binds port 0 to let the kernel pick free ports,
releases them just before starting the workers, and if a worker still cannot bind
(another process took the port in that short window) it restarts all workers on fresh
ports, at most ``ATTEMPTS`` times, and only before any progress was forwarded.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable

from probes.protocol import emit, error, log, run_main
from probes.trials.measure import T0_ENV, process_start_epoch, seconds_since_process_start

ATTEMPTS = 3
GRACE_S = 3.0  # SIGTERM -> SIGKILL
EXIT_WAIT_S = 15.0  # how long the other workers may take to exit after the chief's result
PORT_KIND = "PortInUse"  # error kind tensorflow_trial reports when its port was taken
STARTED = process_start_epoch()


class Interrupted(Exception):
    """SIGTERM or SIGINT reached the launcher: stop the workers, report, exit 130."""


def free_ports(count: int) -> list[int]:
    """Ports the kernel reports free now, on every address (TensorFlow binds 0.0.0.0)."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for s in socks:
            s.bind(("0.0.0.0", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def tf_config(ports: list[int], index: int) -> str:
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    return json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})


class Worker:
    """One worker process; threads push its stdout/stderr lines onto a shared queue."""

    def __init__(
        self, index: int, count: int, argv: list[str], env: dict, events: queue.Queue
    ) -> None:
        self.index, self.count, self.tail = index, count, deque(maxlen=20)
        self.proc = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for stream, name in ((self.proc.stdout, "out"), (self.proc.stderr, "err")):
            threading.Thread(target=self._pump, args=(stream, name, events), daemon=True).start()

    def _pump(self, stream, name: str, events: queue.Queue) -> None:
        for raw in stream:
            events.put((self, name, raw.decode(errors="replace").rstrip("\n")))
        events.put((self, name, None))

    def describe_exit(self) -> str:
        code = self.proc.returncode
        if code is not None and code < 0:
            try:
                return f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"was killed by signal {-code}"
        return f"exited with status {code}"


def stop_all(workers: list[Worker]) -> None:
    """SIGTERM every live worker, then SIGKILL those still alive after GRACE_S."""
    live = [w for w in workers if w.proc.poll() is None]
    for w in live:
        w.proc.terminate()
    deadline = time.monotonic() + GRACE_S
    for w in live:
        try:
            w.proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            w.proc.kill()
            w.proc.wait()


def run_cluster(n: int, trial_args: list[str], ports: list[int], command: str) -> str:
    """Run one attempt; returns "ok", "retry" (port taken before any progress) or
    "failed" (an error event has been emitted)."""
    events: queue.Queue = queue.Queue()
    workers = []
    try:
        for i in range(n):
            env = {
                **os.environ,
                "TF_CONFIG": tf_config(ports, i),
                "PYTHONUNBUFFERED": "1",
                T0_ENV: str(STARTED),
            }  # workers time their start-up from the launcher's
            argv = [sys.executable, "-m", "probes.trials.tensorflow_trial", *trial_args]
            workers.append(Worker(i, n, argv, env, events))
        return supervise(workers, events, command)
    finally:
        stop_all(workers)


def supervise(
    workers: list[Worker], events: queue.Queue, command: str, label: str = "TensorFlow worker"
) -> str:
    progressed, worker_errors, closed = False, {}, {w.index: 0 for w in workers}
    while True:
        try:
            worker, stream, line = events.get(timeout=0.2)
        except queue.Empty:
            worker = stream = line = None
        if worker is None:
            pass
        elif line is None:
            closed[worker.index] += 1
        elif stream == "err":
            worker.tail.append(line)
            log(f"[worker {worker.index}] {line}")
        else:
            event = parse(line)
            kind = event.get("event") if event else None
            if event is None:
                log(f"[worker {worker.index} stdout] {line}")
            elif kind == "error":
                worker_errors[worker.index] = event
                if event.get("kind") == PORT_KIND and not progressed:
                    return "retry"
            elif worker.index == 0 and kind == "result":
                # From this launcher's start, like the chief's time to first step (T0_ENV).
                event.update(command=command, wall_time_s=seconds_since_process_start())
                emit(**event)
                wait_for_exit(workers[1:])
                return "ok"
            elif worker.index == 0:
                progressed = progressed or event.get("phase") == "train"
                emit(**event)
        # A non-zero exit anywhere, or a chief that ended (both pipes closed) or reported
        # an error, ends the run; the cause named is the worker that died, if any did.
        chief_done = closed[0] == 2 or 0 in worker_errors
        dead = [w for w in workers if w.proc.poll() not in (None, 0)]
        if dead or chief_done:
            time.sleep(0.5)  # let the pipes of a dying worker drain into the report
            drain(events, worker_errors)
            dead = [w for w in workers if w.proc.poll() not in (None, 0)]
            culprit = next((w for w in dead if w.index != 0), dead[0] if dead else workers[0])
            return fail(
                culprit, worker_errors.get(culprit.index), progressed, worker_errors.get(0), label
            )


def drain(events: queue.Queue, worker_errors: dict) -> None:
    while True:
        try:
            worker, stream, line = events.get_nowait()
        except queue.Empty:
            return
        if line is None:
            continue
        if stream == "err":
            worker.tail.append(line)
            log(f"[worker {worker.index}] {line}")
        elif (event := parse(line)) and event.get("event") == "error":
            worker_errors[worker.index] = event


def fail(
    worker: Worker,
    reported: dict | None,
    progressed: bool,
    chief: dict | None,
    label: str = "TensorFlow worker",
) -> str:
    """Emit one error event naming the worker that failed, how, and what it said."""
    status = worker.describe_exit() if worker.proc.poll() is not None else "reported an error"
    cause = f": {reported['message']}" if reported else ""
    if chief and worker.index != 0:
        cause += f" (the chief then reported: {chief['message']})"
    when = "" if progressed else " before training started"
    error(
        f"{label} {worker.index} of {worker.count} (pid {worker.proc.pid}) "
        f"{status}{when}{cause}; the other workers were stopped",
        kind="worker_failed",
        worker=worker.index,
        returncode=worker.proc.returncode,
        stderr_tail="\n".join(worker.tail)[-2000:],
    )
    return "failed"


def wait_for_exit(others: list[Worker]) -> None:
    """After the chief's result the others have nothing left to do but exit."""
    deadline = time.monotonic() + EXIT_WAIT_S
    for w in others:
        try:
            w.proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(
                f"[launcher] worker {w.index} still running {EXIT_WAIT_S:.0f} s after the "
                "result; stopping it"
            )
            return


def parse(line: str) -> dict | None:
    if not line.startswith("{"):
        return None
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def on_signal(signum, _frame) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT):  # one interruption is enough: stop workers once
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signal.Signals(signum).name)


def launch_main(
    prog: str,
    description: str,
    module: str,
    attempt: Callable[[int, list[str], str], str],
    port_what: str,
    stopped: str,
) -> None:
    """The launcher's command line, shared by the local launchers: parse ``--workers N``,
    pass every other flag to the trial, and run ``attempt(n, trial_args, command)`` until
    it returns "ok" or "failed", retrying (at most ``ATTEMPTS`` times) while it returns
    "retry" because ``port_what`` was taken before the processes bound it."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--workers", type=int, required=True)
    args, trial_args = parser.parse_known_args()
    if args.workers < 1:
        raise ValueError(f"--workers must be at least 1, got {args.workers}")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    command = shlex.join([sys.executable, "-m", module, *sys.argv[1:]])
    trial_args = ["--workers", str(args.workers), *trial_args]
    if "--mode" not in trial_args:
        trial_args = ["--mode", "distributed", *trial_args]
    try:
        for n in range(1, ATTEMPTS + 1):
            outcome = attempt(args.workers, trial_args, command)
            if outcome == "ok":
                return
            if outcome == "failed":
                raise SystemExit(1)
            log(f"[launcher] attempt {n}: {port_what} was taken; retrying on new ports")
        error(
            f"no free ports for {args.workers} processes after {ATTEMPTS} attempts", kind=PORT_KIND
        )
        raise SystemExit(1)
    except Interrupted as exc:
        error(f"launcher received {exc}; {stopped} stopped", kind="interrupted")
        raise SystemExit(130) from None


def main() -> None:
    launch_main(
        "tf_launch",
        __doc__.splitlines()[0],
        "probes.trials.tf_launch",
        lambda n, trial_args, command: run_cluster(n, trial_args, free_ports(n), command),
        port_what="a worker's port",
        stopped="workers",
    )


if __name__ == "__main__":
    run_main(main)
