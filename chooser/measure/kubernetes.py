"""Kubernetes manifests of a multi-node trial: ``chooser trial --print-launch --launcher
kubernetes --image IMAGE``.

Kubeflow's training operator, API ``kubeflow.org/v1`` (release v1.9.0): one job per
framework, of the kind its registry entry names (``chooser.core.frameworks.Kubeflow``).
Why not the newer Kubeflow Trainer (``trainer.kubeflow.org/v1alpha1`` ``TrainJob``): its
runtimes do not cover every framework chooser compares; the v1 operator runs them all,
and sets each pod's environment the way the trial modules read it:

- an ``elastic`` launcher (registry): a ``Master`` pod and ``nodes - 1`` ``Worker`` pods,
  each running the launcher command with ``nprocPerNode`` ranks; the operator sets the
  rendezvous environment the launcher reads as its defaults.
- a ``cluster_env`` launcher: ``nodes`` ``Worker`` pods, one worker each (over all the
  pod's GPUs); the operator writes the cluster description (worker 0 is the chief).

Container and port names are the operator's, from the registry.

Rank 0 (the master pod; worker 0) prints the result's JSON lines on stdout: ``kubectl
logs`` it into ``DIR/<framework>/rank-0.jsonl`` and ``chooser trial --collect DIR
--launcher kubernetes`` reads it (docs/trials.md). Tests validate these manifests
against the CRDs' published OpenAPI schemas (tests/cluster/schemas).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.measure.launch import trial_flags
from chooser.measure.trials import TrialSpec

API_VERSION = "kubeflow.org/v1"


@dataclass
class KubeJob:
    image: str | None
    nodes: int = 1
    procs_per_node: int = 1  # elastic launcher: ranks per pod (one per GPU)
    cpus_per_proc: int = 4
    gpus_per_node: int = 0
    namespace: str | None = None
    time: str = "00:30:00"
    name_prefix: str = "chooser"


def deadline_seconds(text: str) -> int:
    """Slurm-style ``[D-]HH:MM:SS`` / ``MM:SS`` / ``MM`` as seconds (activeDeadlineSeconds)."""
    match = re.fullmatch(r"(?:(\d+)-)?(\d+)(?::(\d\d))?(?::(\d\d))?", text)
    if match is None:
        raise UserError(f"--time {text!r}: give e.g. 00:30:00 or 1-00:00:00")
    days, first, second, third = match.groups()
    if third is not None:
        h, m, s = int(first), int(second), int(third)
    elif days is not None:  # D-HH[:MM]
        h, m, s = int(first), int(second or 0), 0
    else:  # MM[:SS]
        h, m, s = 0, int(first), int(second or 0)
    return ((int(days or 0) * 24 + h) * 60 + m) * 60 + s


def validate(job: KubeJob) -> None:
    if not job.image:
        raise UserError(
            "--launcher kubernetes needs --image IMAGE: a container image with "
            "chooser and the frameworks installed (docs/trials.md)"
        )
    for name in ("nodes", "procs_per_node", "cpus_per_proc"):
        if getattr(job, name) < 1:
            raise UserError(f"{name.replace('_', ' ')} must be at least 1")
    if job.namespace is not None and not re.fullmatch(
        r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", job.namespace
    ):
        raise UserError(f"--namespace {job.namespace!r} is not a Kubernetes name")


Manifest = dict[str, Any]  # a Kubernetes object as YAML-ready data


def _container(
    name: str, image: str | None, command: list[str], port: tuple[str, int], cpus: int, gpus: int
) -> Manifest:
    resources: Manifest = {"requests": {"cpu": str(cpus)}}
    if gpus:
        resources["limits"] = {"nvidia.com/gpu": gpus}
    return {
        "name": name,
        "image": image,
        "command": command,
        "ports": [{"name": port[0], "containerPort": port[1]}],
        "resources": resources,
    }


def _replica(replicas: int, container: Manifest) -> Manifest:
    return {
        "replicas": replicas,
        "restartPolicy": "Never",
        "template": {"spec": {"containers": [container]}},
    }


def _metadata(spec: TrialSpec, job: KubeJob) -> Manifest:
    meta: Manifest = {
        "name": f"{job.name_prefix}-{spec.framework}",
        "labels": {
            "app.kubernetes.io/name": "chooser",
            "app.kubernetes.io/component": f"{spec.framework}-trial",
        },
    }
    if job.namespace:
        meta["namespace"] = job.namespace
    return meta


def _run_policy(job: KubeJob) -> Manifest:
    return {
        "backoffLimit": 0,
        "cleanPodPolicy": "None",
        "activeDeadlineSeconds": deadline_seconds(job.time),
    }


def manifest(spec: TrialSpec, job: KubeJob) -> Manifest:
    flags = trial_flags(spec)
    fw = frameworks.get(spec.framework)
    kubeflow = fw.kubeflow
    if kubeflow is None:
        raise UserError(
            f"{fw.label} has no Kubernetes (Kubeflow) job in the registry; "
            "use --launcher hosts or slurm"
        )
    port = (kubeflow.port_name, kubeflow.port)
    head = {"apiVersion": API_VERSION, "kind": kubeflow.kind, "metadata": _metadata(spec, job)}
    if fw.launcher == "elastic":
        command = [
            fw.launcher_command,
            "--max-restarts",
            "0",
            "-m",
            fw.trial_modules["single"],
            "--threads",
            str(job.cpus_per_proc),
            *flags,
        ]
        pod = _container(
            kubeflow.container,
            job.image,
            command,
            port,
            job.cpus_per_proc * job.procs_per_node,
            job.gpus_per_node,
        )
        replicas = {"Master": _replica(1, pod)}
        if job.nodes > 1:
            replicas["Worker"] = _replica(job.nodes - 1, pod)
        return {
            **head,
            "spec": {
                "nprocPerNode": str(job.procs_per_node),
                "runPolicy": _run_policy(job),
                kubeflow.replicas_key: replicas,
            },
        }
    cpus = job.cpus_per_proc * job.procs_per_node  # one worker per pod, the pod's CPUs
    command = ["python", "-m", fw.trial_modules["single"], "--threads", str(cpus), *flags]
    pod = _container(kubeflow.container, job.image, command, port, cpus, job.gpus_per_node)
    return {
        **head,
        "spec": {
            "runPolicy": _run_policy(job),
            kubeflow.replicas_key: {"Worker": _replica(job.nodes, pod)},
        },
    }


class _Dumper(yaml.SafeDumper):
    """Every replica spells its pod out (no YAML anchors); commands on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = bool(data) and all(isinstance(item, str) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def render_manifests(specs: list[TrialSpec], job: KubeJob) -> str:
    """One YAML document per framework, for ``kubectl apply -f``. Printing every framework,
    one without a Kubeflow job in the registry is named in a comment, not an error (asked
    for alone, ``manifest`` refuses it)."""
    validate(job)
    head = (
        f"# chooser: real MNIST trials on {job.nodes} pod(s); Kubeflow training operator "
        "(kubeflow.org/v1).\n# kubectl apply -f FILE; results: kubectl logs of the "
        "master / worker-0 pod (docs/trials.md).\n"
    )
    if len(specs) > 1:
        for spec in specs:
            fw = frameworks.get(spec.framework)
            if fw.kubeflow is None:
                head += f"# {fw.label}: no Kubeflow job in the registry; use --launcher hosts or slurm.\n"
        specs = [s for s in specs if frameworks.get(s.framework).kubeflow is not None]
    docs = [
        yaml.dump(manifest(spec, job), Dumper=_Dumper, sort_keys=False, width=1000)
        for spec in specs
    ]
    return head + "---\n".join(docs)
