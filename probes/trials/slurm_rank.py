"""One Slurm task becomes one rank of a trial: ``srun python -m probes.trials.slurm_rank
torch|tensorflow|jax [--port P] [trial flags]`` (the sbatch script ``chooser trial
--print-launch --launcher slurm`` prints runs it).

It reads the step's layout from Slurm's environment, sets what the framework's own
launcher would set, writes one ``{"event": "launch", "launcher": "slurm", …}`` line, then
replaces itself (``exec``, same pid, so Slurm still signals and accounts the rank) with
the unchanged trial module:

- torch: ``RANK`` = ``SLURM_PROCID``, ``WORLD_SIZE`` = ``SLURM_STEP_NUM_TASKS``,
  ``LOCAL_RANK`` = ``SLURM_LOCALID``, ``LOCAL_WORLD_SIZE`` = the tasks on this node,
  ``MASTER_ADDR`` = the step's first node (where rank 0 runs under Slurm's block
  distribution), ``MASTER_PORT`` = the port: ``init_process_group``'s ``env://``.
- tensorflow: ``TF_CONFIG`` built exactly as
  ``tf.distribute.cluster_resolver.SlurmClusterResolver`` builds its cluster (TF 2.21
  source: hosts of ``SLURM_STEP_NODELIST`` sorted, each host's tasks on ports
  ``port + 0, 1, …``, task index ``SLURM_PROCID``). The resolver itself is not used:
  it asks nvidia-smi for the GPU count (absent on CPU nodes), sets
  ``CUDA_VISIBLE_DEVICES`` itself and would import TensorFlow in this wrapper;
  ``tests/trials/test_slurm_rank.py`` checks both give the same cluster.
- jax: ``CHOOSER_JAX_COORDINATOR`` = the step's first node and the port,
  ``CHOOSER_JAX_NUM_PROCESSES`` = ``SLURM_STEP_NUM_TASKS``, ``CHOOSER_JAX_PROCESS_ID`` =
  ``SLURM_PROCID`` (``jax.distributed.initialize``'s arguments; the trial reads them).

Threads: ``--threads`` is ``SLURM_CPUS_PER_TASK`` (the CPUs Slurm gave this task)
unless the flags name one. The port defaults to one derived from the job id, so two
chooser jobs sharing a node do not collide.
"""

from __future__ import annotations

import json
import os
import re
import sys

from probes.protocol import emit, error

TRIALS = {
    "torch": "probes.trials.torch_trial",
    "tensorflow": "probes.trials.tensorflow_trial",
    "jax": "probes.frameworks.jax.trial",
}


def expand_hostlist(text: str) -> list[str]:
    """Slurm's compact host list ('n[01-02,05],m1') as host names, in order."""
    hosts: list[str] = []
    for part in re.findall(r"[^,\[]+(?:\[[^\]]*\])?[^,\[]*", text):
        match = re.fullmatch(r"([^\[]*)\[([^\]]+)\](.*)", part)
        if match is None:
            hosts.append(part)
            continue
        prefix, ranges, suffix = match.groups()
        for item in ranges.split(","):
            low, _, high = item.partition("-")
            for number in range(int(low), int(high or low) + 1):
                hosts.append(f"{prefix}{str(number).zfill(len(low))}{suffix}")
    return hosts


def expand_tasks_per_node(text: str) -> list[int]:
    """'2(x3),1' -> [2, 2, 2, 1] (SLURM_STEP_TASKS_PER_NODE)."""
    counts: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"(\d+)(?:\(x(\d+)\))?", part.strip())
        if match is None:
            raise ValueError(f"cannot read SLURM_STEP_TASKS_PER_NODE={text!r}")
        counts += [int(match.group(1))] * int(match.group(2) or 1)
    return counts


def slurm(name: str, env: dict[str, str]) -> str:
    try:
        return env[f"SLURM_{name}"]
    except KeyError:
        raise RuntimeError(
            f"SLURM_{name} is not set: run this under srun, inside a Slurm job step"
        ) from None


def default_port(env: dict[str, str]) -> int:
    """20000-59999 in steps of 16 by job id: room for 16 tasks per node per job."""
    return 20000 + (int(slurm("JOB_ID", env)) * 16) % 40000


def layout(env: dict[str, str]) -> dict:
    hosts = expand_hostlist(slurm("STEP_NODELIST", env))
    per_node = expand_tasks_per_node(slurm("STEP_TASKS_PER_NODE", env))
    if len(per_node) != len(hosts):
        raise RuntimeError(
            f"{len(hosts)} node(s) in SLURM_STEP_NODELIST but "
            f"{len(per_node)} in SLURM_STEP_TASKS_PER_NODE"
        )
    return {
        "hosts": hosts,
        "tasks_per_node": per_node,
        "rank": int(slurm("PROCID", env)),
        "world": int(slurm("STEP_NUM_TASKS", env)),
        "local_rank": int(slurm("LOCALID", env)),
        "node_index": int(slurm("NODEID", env)),
    }


def torch_env(env: dict[str, str], port: int) -> dict[str, str]:
    step = layout(env)
    return {
        "RANK": str(step["rank"]),
        "WORLD_SIZE": str(step["world"]),
        "LOCAL_RANK": str(step["local_rank"]),
        "LOCAL_WORLD_SIZE": str(step["tasks_per_node"][step["node_index"]]),
        "MASTER_ADDR": step["hosts"][0],
        "MASTER_PORT": str(port),
    }


def tf_config(env: dict[str, str], port: int) -> dict:
    step = layout(env)
    workers = [
        f"{host}:{port + i}"
        for host, count in sorted(zip(step["hosts"], step["tasks_per_node"]))
        for i in range(count)
    ]
    return {"cluster": {"worker": workers}, "task": {"type": "worker", "index": step["rank"]}}


def jax_env(env: dict[str, str], port: int) -> dict[str, str]:
    """``jax.distributed.initialize``'s three values (probes/frameworks/jax/trial.py): the
    coordinator on the step's first node (process 0 under block distribution)."""
    step = layout(env)
    return {
        "CHOOSER_JAX_COORDINATOR": f"{step['hosts'][0]}:{port}",
        "CHOOSER_JAX_NUM_PROCESSES": str(step["world"]),
        "CHOOSER_JAX_PROCESS_ID": str(step["rank"]),
        "CHOOSER_JAX_LOCAL_PROCESSES": str(step["tasks_per_node"][step["node_index"]]),
    }


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in TRIALS:
        raise SystemExit(
            f"usage: python -m probes.trials.slurm_rank {{{','.join(TRIALS)}}} "
            "[--port P] [trial flags]"
        )
    framework, flags = argv[0], argv[1:]
    env = dict(os.environ)
    try:
        port = default_port(env)
        if "--port" in flags:
            i = flags.index("--port")
            port, flags = int(flags[i + 1]), flags[:i] + flags[i + 2 :]
        if framework == "torch":
            added = torch_env(env, port)
        elif framework == "jax":
            added = jax_env(env, port)
        else:
            added = {"TF_CONFIG": json.dumps(tf_config(env, port))}
    except (RuntimeError, ValueError, IndexError) as exc:  # not in a step, or unreadable
        error(f"slurm_rank: {exc}", kind="slurm_env")
        raise SystemExit(1) from None
    if "--threads" not in flags and env.get("SLURM_CPUS_PER_TASK"):
        flags = ["--threads", env["SLURM_CPUS_PER_TASK"], *flags]
    argv_next = [sys.executable, "-m", TRIALS[framework], *flags]
    emit(
        "launch",
        launcher="slurm",
        framework=framework,
        job_id=env.get("SLURM_JOB_ID"),
        step_id=env.get("SLURM_STEP_ID"),
        procid=int(env["SLURM_PROCID"]),
        node=env.get("SLURMD_NODENAME"),
        cpus_per_task=env.get("SLURM_CPUS_PER_TASK"),
        env=added,
        argv=argv_next,
    )
    os.environ.update(added)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    os.execv(sys.executable, argv_next)


if __name__ == "__main__":
    main(sys.argv[1:])
