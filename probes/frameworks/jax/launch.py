"""Start N JAX processes on this machine and speak for them:
``python -m probes.frameworks.jax.launch --workers N [trial flags]``.

Each process is ``python -m probes.frameworks.jax.trial`` with the coordinator address
(process 0 hosts JAX's gRPC coordination service on 127.0.0.1), the process count and its
own id in its environment; ``jax.distributed.initialize`` does the rest. The processes
share this launcher's process group and die with it; supervision (forwarding process 0's
JSON lines, naming the first process that fails with its stderr tail, SIGTERM then
SIGKILL) is TensorFlow's local launcher's (``probes.trials.tf_launch``), reused as is.

Port: the coordinator's port comes from binding port 0 and releasing it just before the
processes start; if process 0 then cannot bind it (taken in that window), every process is
restarted on a fresh port, at most ``ATTEMPTS`` times, before any progress.
On a cluster, give each process the same three variables (see docs/trials.md).
"""

from __future__ import annotations

import argparse
import os
import queue
import shlex
import signal
import sys

from probes.frameworks.jax.trial import (
    COORDINATOR_ENV,
    LOCAL_PROCESSES_ENV,
    NUM_PROCESSES_ENV,
    PROCESS_ID_ENV,
)
from probes.protocol import error, log, run_main
from probes.trials.measure import T0_ENV
from probes.trials.tf_launch import (
    ATTEMPTS,
    STARTED,
    Interrupted,
    Worker,
    free_ports,
    on_signal,
    stop_all,
    supervise,
)

MODULE = "probes.frameworks.jax.trial"


def run_cluster(n: int, trial_args: list[str], port: int, command: str) -> str:
    events: queue.Queue = queue.Queue()
    workers = []
    try:
        for i in range(n):
            env = {
                **os.environ,
                COORDINATOR_ENV: f"127.0.0.1:{port}",
                NUM_PROCESSES_ENV: str(n),
                PROCESS_ID_ENV: str(i),
                LOCAL_PROCESSES_ENV: str(n),
                "PYTHONUNBUFFERED": "1",
                T0_ENV: str(STARTED),
            }
            workers.append(Worker(i, n, [sys.executable, "-m", MODULE, *trial_args], env, events))
        return supervise(workers, events, command, label="JAX process")
    finally:
        stop_all(workers)


def main() -> None:
    parser = argparse.ArgumentParser(prog="jax_launch", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, required=True)
    args, trial_args = parser.parse_known_args()
    if args.workers < 1:
        raise ValueError(f"--workers must be at least 1, got {args.workers}")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    command = shlex.join([sys.executable, "-m", "probes.frameworks.jax.launch", *sys.argv[1:]])
    trial_args = ["--workers", str(args.workers), *trial_args]
    if "--mode" not in trial_args:
        trial_args = ["--mode", "distributed", *trial_args]
    try:
        for attempt in range(1, ATTEMPTS + 1):
            outcome = run_cluster(args.workers, trial_args, free_ports(1)[0], command)
            if outcome == "ok":
                return
            if outcome == "failed":
                raise SystemExit(1)
            log(f"[launcher] attempt {attempt}: the coordinator's port was taken; retrying")
        error(f"no free coordinator port after {ATTEMPTS} attempts", kind="PortInUse")
        raise SystemExit(1)
    except Interrupted as exc:
        error(f"launcher received {exc}; JAX processes stopped", kind="interrupted")
        raise SystemExit(130) from None


if __name__ == "__main__":
    run_main(main)
