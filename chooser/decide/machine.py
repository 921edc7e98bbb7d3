"""Facts derived from the probe JSON, for rules and question pre-fill (``machine.*``).

Rules could read raw ``probe.*`` fields, but a handful of plain facts ("how many NVIDIA
GPUs", "which torch.distributed backends really work here") keep the shipped rules short
and keep knowledge of the probe's layout in this one function. Missing or failed probe
parts give ``None``/empty values, never an exception.
"""

from __future__ import annotations

from typing import Any

# name → (type, meaning); the rules checker and docs/rules.md use this table.
FACTS: dict[str, str] = {
    "usable_cores": "CPU cores this process may use (affinity and cgroup quota), or None",
    "memory_gb": "memory this process may use in GB (total, or the cgroup limit), or None",
    "nvidia_gpus": "number of NVIDIA GPUs the probe found (NVML or nvidia-smi)",
    "gpu_names": "list of GPU names",
    "accelerator": "'nvidia', 'amd', 'apple' or 'cpu': the best device a framework here can use",
    "torch_ok": "torch imported in the probe child",
    "tensorflow_ok": "TensorFlow imported in the probe child",
    "torch_version": "torch version string, or None",
    "tensorflow_version": "TensorFlow version string, or None",
    "torch_cuda": "torch is a CUDA build and sees a GPU",
    "torch_rocm": "torch is a ROCm (HIP) build",
    "torch_mps": "torch's Apple MPS backend is available",
    "tensorflow_gpus": "number of GPUs TensorFlow lists",
    "torch_backends": "torch.distributed backends available here (gloo, nccl, mpi, ucc)",
    "tensorflow_collectives": "TensorFlow collective implementations usable here (e.g. RING, NCCL)",
    "horovod": "Horovod is installed",
}


def _get(data: Any, *path: str, default: Any = None) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def _first(data: Any, *paths: tuple[str, ...], default: Any = None) -> Any:
    for path in paths:
        value = _get(data, *path)
        if value is not None:
            return value
    return default


def _names_true(value: Any) -> list[str]:
    """{"gloo": true, "nccl": false} or {"RING": {"usable": true}, "how": "…"} → the names
    whose flag is true."""
    out = []
    if isinstance(value, dict):
        for name, flag in value.items():
            if isinstance(flag, dict):
                flag = flag.get("usable", flag.get("available"))
            if flag is True:
                out.append(str(name))
    return sorted(out)


def machine_facts(probe: dict[str, Any] | None) -> dict[str, Any]:
    """Field names follow docs/probe.md (probe schema_version 1)."""
    probe = probe or {}
    torch = _get(probe, "frameworks", "torch", default={}) or {}
    tf = _get(probe, "frameworks", "tensorflow", default={}) or {}
    torch_ok = torch.get("status") == "ok"
    tf_ok = tf.get("status") == "ok"
    gpus = probe.get("gpus") if isinstance(probe.get("gpus"), list) else []

    mem = _first(probe, ("memory", "usable_bytes"), ("memory", "total_bytes"))
    torch_cuda = torch_ok and _get(torch, "devices", "cuda_available") is True
    torch_rocm = torch_ok and (_get(torch, "build", "is_rocm_build") is True
                               or _get(torch, "devices", "rocm_available") is True)
    torch_mps = torch_ok and _get(torch, "devices", "mps_available") is True
    tf_gpus = _get(tf, "devices", "gpu_count", default=0) if tf_ok else 0

    if gpus or torch_cuda:
        accelerator = "nvidia"
    elif torch_rocm:
        accelerator = "amd"
    elif torch_mps:
        accelerator = "apple"
    else:
        accelerator = "cpu"

    return {
        "usable_cores": _get(probe, "cpu", "usable_cores"),
        "memory_gb": round(mem / 1e9, 1) if isinstance(mem, (int, float)) else None,
        "nvidia_gpus": len(gpus),
        "gpu_names": [str(g.get("name")) for g in gpus if isinstance(g, dict)],
        "accelerator": accelerator,
        "torch_ok": torch_ok,
        "tensorflow_ok": tf_ok,
        "torch_version": torch.get("version") if torch_ok else None,
        "tensorflow_version": tf.get("version") if tf_ok else None,
        "torch_cuda": torch_cuda,
        "torch_rocm": torch_rocm,
        "torch_mps": torch_mps,
        "tensorflow_gpus": tf_gpus if isinstance(tf_gpus, int) else 0,
        "torch_backends": _names_true(_get(torch, "distributed", "backends")) if torch_ok else [],
        "tensorflow_collectives": _names_true(
            _get(tf, "distributed", "collective_implementations")) if tf_ok else [],
        "horovod": _get(torch, "horovod", "installed") is True
        or _get(tf, "horovod", "installed") is True,
    }
