"""Kubernetes manifests of a multi-node trial: ``chooser trial --print-launch --launcher
kubernetes --image IMAGE``.

Kubeflow's training operator, API ``kubeflow.org/v1`` (release v1.9.0): a ``PyTorchJob``
for torch and a ``TFJob`` for TensorFlow. Why not the newer Kubeflow Trainer
(``trainer.kubeflow.org/v1alpha1`` ``TrainJob``): its runtimes cover PyTorch (and
DeepSpeed, MLX, …) but not TensorFlow, so it cannot run half of what chooser compares;
the v1 operator runs both, and sets each pod's environment the way the trial modules
read it:

- PyTorchJob: a ``Master`` pod and ``nodes - 1`` ``Worker`` pods, each running
  ``torchrun`` with ``nprocPerNode`` ranks; the operator sets ``PET_NNODES``,
  ``PET_NODE_RANK``, ``PET_NPROC_PER_NODE`` and ``PET_MASTER_ADDR/PORT``, which torchrun
  reads as its defaults. Container ``pytorch``, port ``pytorchjob-port`` (the operator's
  names).
- TFJob: ``nodes`` ``Worker`` pods, one MultiWorkerMirrored worker each (over all the
  pod's GPUs); the operator writes ``TF_CONFIG`` (worker 0 is the chief). Container
  ``tensorflow``, port ``tfjob-port``.

Rank 0 (the master pod; worker 0) prints the result's JSON lines on stdout: ``kubectl
logs`` it into ``DIR/<framework>/rank-0.jsonl`` and ``chooser trial --collect DIR
--launcher kubernetes`` reads it (docs/trials.md). Tests validate these manifests
against the CRDs' published OpenAPI schemas (tests/cluster/schemas).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from chooser.core.errors import UserError
from chooser.measure.launch import trial_flags
from chooser.measure.trials import TrialSpec

API_VERSION = "kubeflow.org/v1"
TORCH_PORT, TF_PORT = 23456, 2222  # the operator's defaults (pytorch_types.go, tensorflow_types.go)


@dataclass
class KubeJob:
    image: str | None
    nodes: int = 1
    procs_per_node: int = 1  # torch ranks per pod (one per GPU)
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
        raise UserError("--launcher kubernetes needs --image IMAGE: a container image with "
                        "chooser and the frameworks installed (docs/trials.md)")
    for name in ("nodes", "procs_per_node", "cpus_per_proc"):
        if getattr(job, name) < 1:
            raise UserError(f"{name.replace('_', ' ')} must be at least 1")
    if job.namespace is not None and not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?",
                                                      job.namespace):
        raise UserError(f"--namespace {job.namespace!r} is not a Kubernetes name")


def _container(name: str, image: str, command: list[str], port: tuple[str, int],
               cpus: int, gpus: int) -> dict:
    resources: dict = {"requests": {"cpu": str(cpus)}}
    if gpus:
        resources["limits"] = {"nvidia.com/gpu": gpus}
    return {"name": name, "image": image, "command": command,
            "ports": [{"name": port[0], "containerPort": port[1]}], "resources": resources}


def _replica(replicas: int, container: dict) -> dict:
    return {"replicas": replicas, "restartPolicy": "Never",
            "template": {"spec": {"containers": [container]}}}


def _metadata(spec: TrialSpec, job: KubeJob) -> dict:
    meta: dict = {"name": f"{job.name_prefix}-{spec.framework}",
                  "labels": {"app.kubernetes.io/name": "chooser",
                             "app.kubernetes.io/component": f"{spec.framework}-trial"}}
    if job.namespace:
        meta["namespace"] = job.namespace
    return meta


def _run_policy(job: KubeJob) -> dict:
    return {"backoffLimit": 0, "cleanPodPolicy": "None",
            "activeDeadlineSeconds": deadline_seconds(job.time)}


def manifest(spec: TrialSpec, job: KubeJob) -> dict:
    flags = trial_flags(spec)
    if spec.framework == "torch":
        command = ["torchrun", "--max-restarts", "0", "-m", "probes.trials.torch_trial",
                   "--threads", str(job.cpus_per_proc), *flags]
        pod = _container("pytorch", job.image, command, ("pytorchjob-port", TORCH_PORT),
                         job.cpus_per_proc * job.procs_per_node, job.gpus_per_node)
        replicas = {"Master": _replica(1, pod)}
        if job.nodes > 1:
            replicas["Worker"] = _replica(job.nodes - 1, pod)
        return {"apiVersion": API_VERSION, "kind": "PyTorchJob",
                "metadata": _metadata(spec, job),
                "spec": {"nprocPerNode": str(job.procs_per_node), "runPolicy": _run_policy(job),
                         "pytorchReplicaSpecs": replicas}}
    cpus = job.cpus_per_proc * job.procs_per_node  # one worker per pod, the pod's CPUs
    command = ["python", "-m", "probes.trials.tensorflow_trial", "--threads", str(cpus), *flags]
    pod = _container("tensorflow", job.image, command, ("tfjob-port", TF_PORT), cpus,
                     job.gpus_per_node)
    return {"apiVersion": API_VERSION, "kind": "TFJob", "metadata": _metadata(spec, job),
            "spec": {"runPolicy": _run_policy(job),
                     "tfReplicaSpecs": {"Worker": _replica(job.nodes, pod)}}}


class _Dumper(yaml.SafeDumper):
    """Every replica spells its pod out (no YAML anchors); commands on one line."""

    def ignore_aliases(self, data) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list):
    flow = bool(data) and all(isinstance(item, str) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def render_manifests(specs: list[TrialSpec], job: KubeJob) -> str:
    """One YAML document per framework, for ``kubectl apply -f``."""
    validate(job)
    head = (f"# chooser: real MNIST trials on {job.nodes} pod(s); Kubeflow training operator "
            "(kubeflow.org/v1).\n# kubectl apply -f FILE; results: kubectl logs of the "
            "master / worker-0 pod (docs/trials.md).\n")
    docs = [yaml.dump(manifest(spec, job), Dumper=_Dumper, sort_keys=False, width=1000)
            for spec in specs]
    return head + "---\n".join(docs)
