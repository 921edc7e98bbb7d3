"""Facts read from TensorFlow's native layer, once its runtime is loaded (natively or by a
full ``import tensorflow``): version, build info, physical devices, and which collective
implementations the kernel registry really has."""

from __future__ import annotations

import importlib
from typing import Any

from probes import framework_common as common

CUDA_PACKAGES = (
    "nvidia-cudnn-cu12",
    "nvidia-cuda-runtime-cu12",
    "nvidia-nccl-cu12",
    "nvidia-cudnn-cu11",
    "nvidia-cuda-runtime-cu11",
    "nvidia-nccl-cu11",
)


def _build_info() -> dict[str, Any]:
    # A generated module holding one dict; importing it runs no TensorFlow code.
    module = importlib.import_module("tensorflow.python.platform.build_info")
    return dict(module.build_info)


def _physical_devices() -> list[dict[str, Any]]:
    """The list tf.config.list_physical_devices() shows, with each GPU's details."""
    pywrap_tfe = importlib.import_module("tensorflow.python.pywrap_tfe")
    devices = []
    for index, raw in enumerate(pywrap_tfe.TF_ListPhysicalDevices()):
        name = raw.decode()
        entry: dict[str, Any] = {"name": name, "device_type": name.split(":")[1]}
        if entry["device_type"] == "GPU":
            try:
                details = dict(pywrap_tfe.TF_GetDeviceDetails(index))
            except Exception as exc:  # details are a bonus; the device is still there
                details = {"error": str(exc)}
            entry["device_name"] = details.get("device_name")
            entry["compute_capability"] = details.get("compute_capability")
        devices.append(entry)
    return devices


def _kernel_devices(op: str) -> list[str]:
    """Device types with a registered kernel for ``op`` (the kernel registry, not docs)."""
    session = importlib.import_module("tensorflow.python.client._pywrap_tf_session")
    kernel_def_pb2 = importlib.import_module("tensorflow.core.framework.kernel_def_pb2")
    try:
        buffer = session.TF_GetRegisteredKernelsForOp(op)
    except Exception:  # op unknown in this build
        return []
    kernels = kernel_def_pb2.KernelList()
    kernels.ParseFromString(session.TF_GetBuffer(buffer))
    return sorted({k.device_type for k in kernels.kernel} - {"DEFAULT"})


def _collectives(build: dict[str, Any], gpu_count: int) -> dict[str, Any]:
    ring = _kernel_devices("CollectiveReduceV2")
    nccl = _kernel_devices("NcclAllReduce")
    nccl_ok = bool(build.get("is_cuda_build")) and gpu_count > 0 and "GPU" in nccl
    why_nccl = (
        "usable: CUDA build, NCCL GPU kernels registered, GPUs visible"
        if nccl_ok
        else "not usable: "
        + ", ".join(
            reason
            for reason, failed in (
                ("not a CUDA build", not build.get("is_cuda_build")),
                ("no NCCL kernels registered", "GPU" not in nccl),
                ("no GPUs visible", gpu_count == 0),
            )
            if failed
        )
    )
    return {
        "RING": {
            "usable": "CPU" in ring,
            "kernel_devices": ring,
            "why": "CollectiveReduceV2 kernels registered for "
            f"{', '.join(ring) or 'no device'}; RING talks gRPC between workers",
        },
        "NCCL": {"usable": nccl_ok, "kernel_devices": nccl, "why": why_nccl},
        "how": "kernel registry (TF_GetRegisteredKernelsForOp), build_info, device list",
    }


def tensorflow_facts() -> dict[str, Any]:
    session = importlib.import_module("tensorflow.python.client._pywrap_tf_session")
    build = _build_info()
    devices = _physical_devices()
    gpus = [d for d in devices if d["device_type"] == "GPU"]
    libraries = common.loaded_accelerator_libraries()
    cudnn_loaded = common.library_version(libraries, "libcudnn")
    return {
        "version": str(session.get_version()),
        "git_version": str(session.get_git_version()),
        "build": {
            "is_cuda_build": bool(build.get("is_cuda_build")),
            "is_rocm_build": bool(build.get("is_rocm_build")),
            "is_tensorrt_build": bool(build.get("is_tensorrt_build")),
            "cuda_version": build.get("cuda_version"),
            "cudnn_version": build.get("cudnn_version"),
            "cuda_compute_capabilities": build.get("cuda_compute_capabilities"),
            "how": "tensorflow.python.platform.build_info (tf.sysconfig.get_build_info())",
        },
        "loaded": {
            "cuda_runtime_version": common.library_version(libraries, "libcudart"),
            "cudnn_version": cudnn_loaded,
            "libraries": libraries,
            "note": None
            if cudnn_loaded or not gpus
            else "TensorFlow loads cuDNN at the first convolution, after this probe",
            "installed_cuda_packages": {
                name: version
                for name in CUDA_PACKAGES
                if (version := common.distribution_version(name))
            },
            "how": "shared libraries in /proc/self/maps after device listing",
        },
        "devices": {
            "physical": devices,
            "gpu_count": len(gpus),
            "tpu_count": sum(d["device_type"] == "TPU" for d in devices),
            "how": "TF_ListPhysicalDevices (what tf.config.list_physical_devices calls)",
        },
        "distributed": {"collective_implementations": _collectives(build, len(gpus))},
    }
