"""The framework registry: everything `chooser` knows about a framework, in one place.

Every other module asks this registry (``frameworks()``, ``get(id)``, ``label(id)``,
``colour(id)``; the machinery is ``chooser.core.registry``); no other module under
``chooser/`` names a framework. Adding one is a
``Framework(...)`` entry here (or ``register(...)`` from a plug-in or a test), a probe and
trial modules under ``probes/``, and rules in YAML (docs/ARCHITECTURE.md, "Adding a
framework"). Nothing here imports a framework: the probes and trials are child processes.

Colours are from the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"),
chosen to stay distinguishable with the common colour-vision deficiencies; every view also
prints the label next to the colour, so colour never carries meaning alone.
"""

from __future__ import annotations

from typing import Any

# The registry's API, re-exported: importing this module is what registers the entries below.
from chooser.core.registry import (
    PALETTE,
    TIE_LABEL,
    Fact,
    Framework,
    Kubeflow,
    backend_flags,
    choices_text,
    colour,
    device_names,
    extra_versions,
    frameworks,
    get,
    gpus_seen,
    ids,
    known,
    label,
    labels_text,
    next_colour,
    path_get,
    register,
    unregister,
)

__all__ = [
    "Fact",
    "Framework",
    "Kubeflow",
    "PALETTE",
    "TIE_LABEL",
    "backend_flags",
    "choices_text",
    "colour",
    "device_names",
    "extra_versions",
    "frameworks",
    "get",
    "gpus_seen",
    "ids",
    "known",
    "label",
    "labels_text",
    "next_colour",
    "path_get",
    "register",
    "unregister",
]


_CPU_NOTE = "(CPU-only: add --index-url https://download.pytorch.org/whl/cpu)"


register(
    Framework(
        id="torch",
        label="PyTorch",
        colour=PALETTE[0],
        import_name="torch",
        pip_extra="torch",
        install_hint=f"pip install 'chooser[torch]'  (or: pip install torch mlxtend; {_CPU_NOTE})",
        probe_module="probes.framework_torch",
        trial_modules={
            "single": "probes.trials.torch_trial",
            "distributed": "probes.trials.torch_launch",
        },
        kinds=("throughput", "time_to_accuracy"),
        network_file="probes/trials/net_torch.py",
        variant_modules={
            "beginner": "probes.trials.beginner_torch",
            "compiled": "probes.trials.torch_trial",
        },
        launcher="elastic",
        launcher_command="torchrun",
        facts={
            "cuda": Fact(
                "flag",
                ("devices.cuda_available",),
                "torch is a CUDA build and sees a GPU",
                accelerator="nvidia",
            ),
            "rocm": Fact(
                "flag",
                ("build.is_rocm_build", "devices.rocm_available"),
                "torch is a ROCm (HIP) build",
                accelerator="amd",
            ),
            "mps": Fact(
                "flag",
                ("devices.mps_available",),
                "torch's Apple MPS backend is available",
                accelerator="apple",
            ),
            "backends": Fact(
                "names",
                ("distributed.backends",),
                "torch.distributed backends available here (gloo, nccl, mpi, ucc)",
            ),
        },
        probe_keys={
            "build": "*",
            "loaded": "*",
            "devices": "*",
            "horovod": "*",
            "distributed": {
                "available": None,
                "how": None,
                "backends": {"gloo": None, "nccl": None, "mpi": None, "ucc": None},
            },
        },
        gpu_list="devices.cuda",
        device_list=("devices.cuda", "name"),
        backends="distributed.backends",
        slurm_ranks="one DDP rank per task (RANK = SLURM_PROCID, rendezvous on the first node)",
        # A Master pod and nodes - 1 Worker pods, each running torchrun with nprocPerNode ranks;
        # the operator sets PET_NNODES, PET_NODE_RANK, PET_NPROC_PER_NODE, PET_MASTER_ADDR/PORT,
        # which torchrun reads as its defaults (port: pytorch_types.go's default).
        kubeflow=Kubeflow(
            kind="PyTorchJob",
            replicas_key="pytorchReplicaSpecs",
            container="pytorch",
            port_name="pytorchjob-port",
            port=23456,
        ),
    )
)

register(
    Framework(
        id="tensorflow",
        label="TensorFlow",
        colour=PALETTE[1],
        import_name="tensorflow",
        pip_extra="tensorflow",
        install_hint="pip install 'chooser[tensorflow]'  (or: pip install tensorflow mlxtend; "
        "NVIDIA GPUs on Linux: pip install 'tensorflow[and-cuda]')",
        probe_module="probes.framework_tensorflow",
        trial_modules={
            "single": "probes.trials.tensorflow_trial",
            "distributed": "probes.trials.tf_launch",
        },
        kinds=("throughput", "time_to_accuracy"),
        network_file="probes/trials/net_tensorflow.py",
        variant_modules={
            "beginner": "probes.trials.beginner_tensorflow",
            "compiled": "probes.trials.tensorflow_trial",
        },
        launcher="cluster_env",
        launcher_env="TF_CONFIG",
        facts={
            "gpus": Fact("count", ("devices.gpu_count",), "number of GPUs TensorFlow lists"),
            "collectives": Fact(
                "names",
                ("distributed.collective_implementations",),
                "TensorFlow collective implementations usable here (e.g. RING, NCCL)",
            ),
        },
        probe_keys={
            "import_mode": None,
            "full_import_reason": None,
            "git_version": None,
            "build": "*",
            "loaded": "*",
            "devices": "*",
            "horovod": "*",
            "keras": "*",
            "distributed": "*",
        },
        gpu_count="devices.gpu_count",
        device_list=("devices.physical", "device_type"),
        backends="distributed.collective_implementations",
        extra_versions={"keras": "keras.version"},
        slurm_ranks="one MultiWorkerMirrored worker per task (TF_CONFIG as SlurmClusterResolver "
        "builds it)",
        # nodes Worker pods, one MultiWorkerMirrored worker each (over all the pod's GPUs); the
        # operator writes TF_CONFIG, worker 0 is the chief (port: tensorflow_types.go's default).
        kubeflow=Kubeflow(
            kind="TFJob",
            replicas_key="tfReplicaSpecs",
            container="tensorflow",
            port_name="tfjob-port",
            port=2222,
        ),
    )
)

# JAX's probe part (probes/frameworks/jax/probe.py): the facts rules read as machine.jax_*.
JAX_FACTS = {
    "gpu": Fact("flag", ("devices.gpu_available",), "jaxlib sees a GPU (CUDA or ROCm plugin)"),
    "rocm": Fact("flag", ("build.is_rocm_build",), "jaxlib has its ROCm plugin", accelerator="amd"),
    "tpu": Fact("flag", ("devices.tpu_available",), "JAX sees TPU devices", accelerator="tpu"),
    "backend": Fact("value", ("devices.backend",), "JAX's default backend (cpu, gpu, tpu)"),
    "collectives": Fact(
        "value", ("distributed.cpu_collectives",), "CPU collectives built into jaxlib (gloo, mpi)"
    ),
}
JAX_PROBE_KEYS: dict[str, Any] = {
    "imported": None,
    "build": "*",
    "loaded": "*",
    "devices": "*",
    "distributed": "*",
    "companions": "*",
}

# JAX (Flax NNX + optax): an optional extra. Kubernetes: the training operator v1.9 has a
# JAXJob (jaxReplicaSpecs; it sets COORDINATOR_ADDRESS/_PORT, NUM_PROCESSES, PROCESS_ID),
# but chooser's manifests do not map those onto the trial's variables yet, so there is no
# Kubeflow entry: `--launcher kubernetes` says so and points to hosts or slurm.
register(
    Framework(
        id="jax",
        label="JAX",
        colour=PALETTE[2],
        import_name="jax",
        pip_extra="jax",
        install_hint="pip install 'chooser[jax]'  (jax, flax, optax; CPU wheels; GPUs/TPUs: "
        "pip install 'jax[cuda13]' or 'jax[tpu]')",
        probe_module="probes.frameworks.jax.probe",
        trial_modules={
            "single": "probes.frameworks.jax.trial",
            "distributed": "probes.frameworks.jax.launch",
        },
        kinds=("throughput", "time_to_accuracy"),
        network_file="probes/frameworks/jax/net.py",
        launcher="process_env",
        process_env={
            "coordinator": "CHOOSER_JAX_COORDINATOR",
            "num_processes": "CHOOSER_JAX_NUM_PROCESSES",
            "process_id": "CHOOSER_JAX_PROCESS_ID",
            "local_processes": "CHOOSER_JAX_LOCAL_PROCESSES",
        },
        facts=JAX_FACTS,
        probe_keys=JAX_PROBE_KEYS,
        device_list=("devices.devices", "platform"),
        extra_versions={"flax": "companions.flax", "optax": "companions.optax"},
        slurm_ranks="one jax.distributed process per task (coordinator on the first node, "
        "process id = SLURM_PROCID)",
        kubeflow=None,
    )
)
