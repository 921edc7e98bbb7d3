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

import os
import queue
import sys

from probes.frameworks.jax.trial import (
    COORDINATOR_ENV,
    LOCAL_PROCESSES_ENV,
    NUM_PROCESSES_ENV,
    PROCESS_ID_ENV,
)
from probes.protocol import run_main
from probes.trials.measure import T0_ENV
from probes.trials.tf_launch import (
    STARTED,
    Worker,
    free_ports,
    launch_main,
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
    launch_main(
        "jax_launch",
        __doc__.splitlines()[0],
        "probes.frameworks.jax.launch",
        lambda n, trial_args, command: run_cluster(n, trial_args, free_ports(1)[0], command),
        port_what="the coordinator's port",
        stopped="JAX processes",
    )


if __name__ == "__main__":
    run_main(main)
