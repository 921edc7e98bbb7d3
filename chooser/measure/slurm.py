"""The sbatch script of a multi-node trial: ``chooser trial --print-launch --launcher slurm``.

One job, one ``srun`` step per framework: every Slurm task is one rank
(``probes.trials.slurm_rank`` turns Slurm's environment into the framework's own rank
variables or cluster description, then becomes the unchanged trial module). srun
writes each rank's JSON lines to ``RESULTS/<framework>/rank-<task>.jsonl`` (stderr next
to it, ``.log``); the job's last step, ``chooser trial --collect``, merges them into
``RESULTS/results.json``, the shape of ``chooser trial --suite … --json``.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.measure.launch import trial_flags
from chooser.measure.trials import TrialSpec

DEFAULT_RESULTS = "chooser-results"


@dataclass
class SlurmJob:
    nodes: int = 1
    tasks_per_node: int = 1  # ranks per node: one per GPU on GPU nodes
    cpus_per_task: int = 4
    gpus_per_node: int = 0
    time: str = "00:30:00"
    partition: str | None = None
    account: str | None = None
    job_name: str = "chooser-trial"
    results: str = DEFAULT_RESULTS  # relative: to the directory sbatch is run from
    port: int | None = None  # None: slurm_rank derives one from the job id


def validate(job: SlurmJob) -> None:
    for name in ("nodes", "tasks_per_node", "cpus_per_task"):
        if getattr(job, name) < 1:
            raise UserError(
                f"--{name.replace('_', '-')} must be at least 1, got {getattr(job, name)}"
            )
    if job.gpus_per_node < 0:
        raise UserError(f"--gpus-per-node must be 0 or more, got {job.gpus_per_node}")
    if not re.fullmatch(r"(\d+-)?\d+(:\d\d){0,2}", job.time):
        raise UserError(f"--time {job.time!r}: give Slurm's format, e.g. 00:30:00 or 1-00:00:00")
    for name in ("partition", "account", "job_name"):
        value = getattr(job, name)
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_.+-]+", value):
            raise UserError(f"--{name.replace('_', '-')} {value!r}: letters, digits, _ . + - only")
    if job.port is not None and not 1024 <= job.port <= 65535 - job.tasks_per_node:
        raise UserError(f"--port must be 1024-{65535 - job.tasks_per_node}, got {job.port}")


def _directives(job: SlurmJob) -> list[str]:
    lines = [
        f"--job-name={job.job_name}",
        f"--nodes={job.nodes}",
        f"--ntasks-per-node={job.tasks_per_node}",
        f"--cpus-per-task={job.cpus_per_task}",
        f"--time={job.time}",
        "--output=%x-%j.out",
    ]
    if job.gpus_per_node:
        lines.append(f"--gpus-per-node={job.gpus_per_node}")
    if job.partition:
        lines.append(f"--partition={job.partition}")
    if job.account:
        lines.append(f"--account={job.account}")
    return [f"#SBATCH {line}" for line in lines]


def _results_dir(job: SlurmJob) -> str:
    base = Path(job.results).expanduser()
    text = str(base.resolve()) if job.results != DEFAULT_RESULTS else job.results
    return shlex.quote(text) + '/"${SLURM_JOB_NAME}-${SLURM_JOB_ID}"'


def _step(spec: TrialSpec, job: SlurmJob) -> list[str]:
    name = spec.framework
    port = ["--port", str(job.port)] if job.port is not None else []
    argv = ["python", "-m", "probes.trials.slurm_rank", name, *port, *trial_flags(spec)]
    fw = frameworks.get(name)
    return [
        f"# {fw.label}: {fw.slurm_ranks}.",
        f'mkdir -p "$RESULTS/{name}"',
        f"srun --kill-on-bad-exit=1 --cpus-per-task={job.cpus_per_task} \\",
        f'  --output="$RESULTS/{name}/rank-%t.jsonl" --error="$RESULTS/{name}/rank-%t.log" \\',
        f"  {shlex.join(argv)} || status=1",
    ]


def sbatch_script(specs: list[TrialSpec], job: SlurmJob) -> str:
    """The complete script; ``specs`` are distributed trials (one srun step each)."""
    validate(job)
    labels = [frameworks.label(s.framework) for s in specs]
    names = ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else labels[0]
    ranks = job.nodes * job.tasks_per_node
    lines = [
        "#!/bin/bash",
        f"# chooser: real MNIST trials ({names}) on {job.nodes} node(s) x "
        f"{job.tasks_per_node} task(s) = {ranks} rank(s).",
        "# Submit from a checkout of chooser (or with chooser installed): sbatch FILE.",
        "# Change the #SBATCH lines for your cluster (partition, account, time, GPUs).",
        *_directives(job),
        "set -uo pipefail",
        "# Your environment set-up, if any (module load …; source venv/bin/activate).",
        f"RESULTS={_results_dir(job)}",
        'mkdir -p "$RESULTS"',
        "status=0",
    ]
    for spec in specs:
        lines += _step(spec, job)
    lines += [
        "# Every rank's lines -> one result list (the shape of `chooser trial --suite … --json`).",
        'python -m chooser trial --collect "$RESULTS" --json > "$RESULTS/results.json.part"'
        " || status=1",
        '[ -s "$RESULTS/results.json.part" ] && mv "$RESULTS/results.json.part" '
        '"$RESULTS/results.json"',
        'echo "chooser: results in $RESULTS/results.json"',
        'exit "$status"',
    ]
    return "\n".join(lines) + "\n"
