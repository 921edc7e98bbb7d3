"""A real single-host Slurm for tests: munged + slurmctld + slurmd on 127.0.0.1.

Everything lives in one temporary directory: a fresh munge key and socket, a
``slurm.conf`` naming one node (``localhost``, this machine's cores), state and spool
directories, logs. The daemons run in the foreground as this process's children, each
with ``SLURM_CONF`` pointing at that file, so every process Slurm starts for a job
(slurmstepd, the ranks) inherits it too: ``stop()`` kills exactly those, found by that
variable, after the daemons (SIGTERM, then SIGKILL). Needs root (slurmd starts job steps
as the submitting user) and Debian's ``slurm-wlm`` and ``munge`` packages.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil

NEEDED = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "sinfo")
NODE = "localhost"


def why_not_available() -> str | None:
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing:
        return (
            f"Slurm is not installed here ({', '.join(missing)} not found); install it "
            "with: apt-get install slurm-wlm munge (as .ci/run does)"
        )
    if os.geteuid() != 0:
        return "a single-host Slurm needs root (slurmd starts job steps as their user)"
    return None


def _free_ports(count: int) -> list[int]:
    socks = [socket.socket() for _ in range(count)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


SLURM_CONF = """\
ClusterName=chooser-test
SlurmctldHost={node}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
AuthType=auth/munge
AuthInfo=socket={root}/munge/munge.sock
CredType=cred/munge
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd.pid
SlurmctldLogFile={root}/slurmctld.log
SlurmdLogFile={root}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
KillWait=3
InactiveLimit=0
MinJobAge=600
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName={node} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=chooser Nodes={node} Default=YES MaxTime=INFINITE State=UP
"""


class SlurmCluster:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.conf = root / "slurm.conf"
        self.cpus = os.cpu_count() or 1
        self.daemons: list[subprocess.Popen] = []

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {**os.environ, "SLURM_CONF": str(self.conf), **(extra or {})}

    def _daemon(self, name: str, argv: list[str]) -> None:
        log = open(self.root / f"{name}.stdout", "wb")
        self.daemons.append(
            subprocess.Popen(
                argv, env=self.env(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        )
        log.close()

    def start(self, timeout_s: float = 60.0) -> None:
        munge = self.root / "munge"
        for sub in ("state", "spool", "munge"):
            (self.root / sub).mkdir(mode=0o700)
        key = munge / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o400)
        ctld_port, slurmd_port = _free_ports(2)
        self.conf.write_text(
            SLURM_CONF.format(
                node=NODE,
                root=self.root,
                cpus=self.cpus,
                ctld_port=ctld_port,
                slurmd_port=slurmd_port,
            )
        )
        self._daemon(
            "munged",
            [
                "munged",
                "--foreground",
                "--force",
                f"--key-file={key}",
                f"--socket={munge}/munge.sock",
                f"--seed-file={munge}/seed",
                f"--pid-file={munge}/munged.pid",
                f"--log-file={munge}/munged.log",
            ],
        )
        self._wait(lambda: (munge / "munge.sock").exists(), timeout_s, "munged's socket")
        self._daemon("slurmctld", ["slurmctld", "-D", "-f", str(self.conf)])
        self._daemon("slurmd", ["slurmd", "-D", "-f", str(self.conf), "-N", NODE])
        self._wait(self._node_idle, timeout_s, "the node to be idle")

    def _node_idle(self) -> bool:
        out = self.run(["sinfo", "-h", "-n", NODE, "-o", "%T"], check=False)
        return out.strip() == "idle"

    def _wait(self, ready, timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while not ready():
            dead = [p.args[0] for p in self.daemons if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                raise RuntimeError(
                    f"single-host Slurm: waited for {what}; "
                    f"{'exited: ' + ', '.join(dead) if dead else 'timed out'}; "
                    f"logs in {self.root}"
                )
            time.sleep(0.3)

    def run(self, argv: list[str], check: bool = True, **kwargs) -> str:
        done = subprocess.run(
            argv,
            env=kwargs.pop("env", self.env()),
            capture_output=True,
            text=True,
            timeout=30,
            **kwargs,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr}")
        return done.stdout

    def wait_job(self, job_id: str, timeout_s: float) -> dict[str, str]:
        """Wait until the job has ended; its ``scontrol show job`` fields."""
        deadline = time.monotonic() + timeout_s
        while True:
            fields = dict(
                item.split("=", 1)
                for item in self.run(["scontrol", "show", "job", "-o", job_id]).split()
                if "=" in item
            )
            if fields.get("JobState") not in ("PENDING", "RUNNING", "CONFIGURING", "COMPLETING"):
                return fields
            if time.monotonic() > deadline:
                self.run(["scancel", job_id], check=False)
                raise TimeoutError(
                    f"job {job_id} still {fields.get('JobState')} after "
                    f"{timeout_s:.0f} s (cancelled)"
                )
            time.sleep(1.0)

    def leftovers(self) -> list[psutil.Process]:
        """Processes other than the daemons that carry this cluster's SLURM_CONF."""
        mine = {p.pid for p in self.daemons}
        found = []
        for proc in psutil.process_iter():
            try:
                if proc.pid not in mine and proc.environ().get("SLURM_CONF") == str(self.conf):
                    found.append(proc)
            except (psutil.Error, OSError):
                continue
        return found

    def stop(self) -> None:
        if self.conf.exists():
            self.run(["scancel", "--user", "root"], check=False)
        for proc in reversed(self.daemons):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.daemons:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        # Job steps outlive their slurmd (a MultiWorkerMirrored worker ignores SIGTERM).
        rest = self.leftovers()
        for proc in rest:
            try:
                proc.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(rest, timeout=10)
