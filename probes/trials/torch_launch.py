"""Start N DDP ranks of the torch trial on this machine with torch's own launcher.

``python -m probes.trials.torch_launch --workers N [trial flags]`` builds the same
configuration ``torchrun`` would (``torch.distributed.run.config_from_args``) and runs
it with ``elastic_launch``:

- rendezvous ``c10d`` at ``127.0.0.1:0`` with ``--local-addr 127.0.0.1``: the rendezvous
  store binds a free port chosen by the kernel, and the ranks' store (MASTER_ADDR/PORT)
  is that shared store, so there is no "pick a free port, then bind it" race.
  (``--standalone`` does the same with ``localhost:0`` but leaves MASTER_ADDR at the
  machine's FQDN, which need not resolve to loopback.)
- ``--max-restarts 0``: a rank failure fails the trial; this process then emits an
  error event naming the failed rank and its exit code or signal.
- ranks inherit this process's stdout, so rank 0's JSON lines reach the runner directly.
  elastic starts each rank in its own session (``start_new_session=True``), outside the
  runner's process group: the runner also kills descendants found with psutil, and
  each rank calls ``die_with_parent()`` so a SIGKILLed launcher takes its ranks along.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import uuid
from pathlib import Path

from probes.protocol import error, log, progress


def torchrun_args(workers: int, trial_args: list[str], log_dir: str) -> list[str]:
    return [
        "--nnodes",
        "1",
        "--nproc-per-node",
        str(workers),
        "--rdzv-backend",
        "c10d",
        "--rdzv-endpoint",
        "127.0.0.1:0",
        "--rdzv-id",
        uuid.uuid4().hex,
        "--local-addr",
        "127.0.0.1",
        "--max-restarts",
        "0",
        "--monitor-interval",
        "0.1",
        "--log-dir",
        log_dir,
        "-m",
        "probes.trials.torch_trial",
        "--mode",
        "distributed",
        *trial_args,
    ]


def describe(rank: int, failure) -> str:
    """'rank 1 (pid 123) was killed by SIGKILL' / '… exited with status 1'."""
    who = f"rank {rank} (pid {failure.pid})"
    if failure.exitcode is not None and failure.exitcode < 0:
        try:
            name = signal.Signals(-failure.exitcode).name
        except ValueError:
            name = f"signal {-failure.exitcode}"
        return f"{who} was killed by {name}"
    return f"{who} exited with status {failure.exitcode}"


def root_cause_order(item) -> tuple:
    """Earliest first (elastic's timestamps are whole seconds); within a second, a rank
    killed from outside before one that raised, and last the ranks the agent itself
    stopped with SIGTERM after the first failure."""
    _rank, failure = item
    code = failure.exitcode or 0
    kind = 2 if code == -signal.SIGTERM else (0 if code < 0 else 1)
    return failure.timestamp, kind


def split_workers(argv: list[str]) -> tuple[int, list[str]]:
    """Take ``--workers N`` (and ``--mode``) out; every other flag goes to the ranks."""
    parser = argparse.ArgumentParser(prog="torch_launch", allow_abbrev=False)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", default="distributed")
    known, rest = parser.parse_known_args(argv)
    if known.workers < 1:
        parser.error(f"--workers must be at least 1, got {known.workers}")
    return known.workers, rest


LOG_PREFIX = "chooser-torchelastic-"


def sweep_stale_log_dirs() -> None:
    """Remove elastic log dirs left by launchers that were SIGKILLed (their
    TemporaryDirectory never got to clean up); the name carries the launcher's pid."""
    for path in Path(tempfile.gettempdir()).glob(f"{LOG_PREFIX}*-*"):
        pid = path.name[len(LOG_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)


def main() -> int:
    workers, trial_args = split_workers(sys.argv[1:])
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.launcher.api import elastic_launch
    from torch.distributed.run import config_from_args, parse_args

    progress(
        phase="startup",
        step=0,
        of=0,
        message=f"starting {workers} DDP ranks (c10d rendezvous on 127.0.0.1)",
    )
    sweep_stale_log_dirs()
    with tempfile.TemporaryDirectory(prefix=f"{LOG_PREFIX}{os.getpid()}-") as log_dir:
        config, cmd, cmd_args = config_from_args(
            parse_args(torchrun_args(workers, trial_args, log_dir))
        )
        try:
            elastic_launch(config, cmd)(*cmd_args)
        except ChildFailedError as exc:
            failures = sorted(exc.failures.items(), key=root_cause_order)
            (rank, first), others = failures[0], failures[1:]
            then = "; ".join(describe(r, f) for r, f in others)
            message = f"DDP {describe(rank, first)}" + (f" (then {then})" if then else "")
            error(
                message,
                kind="rank_failed",
                rank=rank,
                exitcode=first.exitcode,
                ranks_failed=[r for r, _ in failures],
            )
            return 1
        except Exception as exc:  # rendezvous or agent failure before any rank ran
            log(f"torch launcher failed: {exc!r}")
            error(f"torch launcher failed: {type(exc).__name__}: {exc}", kind="launch_failed")
            return 1
    return 0


if __name__ == "__main__":
    from probes.trials.measure import T0_ENV, process_start_epoch

    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    os.environ[T0_ENV] = str(process_start_epoch())  # ranks time from here
    raise SystemExit(main())
