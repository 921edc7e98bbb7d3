"""`python -m probes.framework_torch`: what this machine's PyTorch really is.

Imports torch (timed), then reads its build (CUDA/ROCm, cuDNN it was compiled with), what
it actually loads (cuDNN version, the CUDA libraries mapped into the process), the devices
it sees (CUDA or ROCm GPUs, Apple MPS) and the distributed backends it really has.
"""

from __future__ import annotations

import sys
import time
import traceback
from typing import Any

from probes import framework_common as common
from probes import protocol


def _safe(fn: Any, default: Any = None) -> Any:
    try:
        return fn()
    except Exception:  # one unreadable detail must not lose the whole probe
        return default


def _cudnn_text(version: int | None) -> str | None:
    """torch.backends.cudnn.version(): 8902 → 8.9.2 (cuDNN 8), 90100 → 9.1.0 (cuDNN 9)."""
    if not version:
        return None
    if version >= 90000:
        return f"{version // 10000}.{version % 10000 // 100}.{version % 100}"
    return f"{version // 1000}.{version % 1000 // 100}.{version % 100}"


def _cuda_devices(torch: Any) -> list[dict[str, Any]]:
    devices = []
    for index in range(torch.cuda.device_count()):
        props = torch.cuda.get_device_properties(index)
        devices.append(
            {
                "index": index,
                "name": props.name,
                "memory_total_bytes": int(props.total_memory),
                "compute_capability": f"{props.major}.{props.minor}",
                "multi_processor_count": props.multi_processor_count,
            }
        )
    return devices


def _distributed(torch: Any) -> dict[str, Any]:
    dist = torch.distributed
    if not dist.is_available():
        return {"available": False, "backends": {}}
    backends = {
        name: bool(_safe(getattr(dist, f"is_{name}_available"), False))
        for name in ("gloo", "nccl", "mpi", "ucc")
        if hasattr(dist, f"is_{name}_available")
    }
    return {
        "available": True,
        "backends": backends,
        "how": "torch.distributed.is_<backend>_available()",
    }


def probe_torch() -> dict[str, Any]:
    present, why = common.find_package("torch")
    if not present:
        return common.not_ok("torch", "torch", why=why)
    started = time.perf_counter()
    try:
        import torch
    except Exception as exc:  # ImportError, OSError from a missing shared library, ...
        return common.not_ok("torch", "torch", exc)
    import_time = time.perf_counter() - started
    try:
        return _describe(torch, import_time)
    except Exception as exc:  # imported, but an API this probe relies on changed
        traceback.print_exc(file=sys.stderr)
        return {
            "status": "error",
            "version": getattr(torch, "__version__", None),
            "import_time_s": round(import_time, 3),
            "message": f"torch imported but probing it failed: {type(exc).__name__}: {exc}",
            "hint": "run `python -m probes.framework_torch`: the traceback is on stderr",
        }


def _describe(torch: Any, import_time: float) -> dict[str, Any]:
    cuda_available = _safe(torch.cuda.is_available, False)
    is_rocm = bool(torch.version.hip)
    devices = _safe(lambda: _cuda_devices(torch), []) if cuda_available else []
    cudnn_built = _safe(lambda: torch._C._cudnn.getCompileVersion())
    cudnn_loaded = (
        _safe(torch.backends.cudnn.version)
        if _safe(torch.backends.cudnn.is_available, False)
        else None
    )
    libraries = common.loaded_accelerator_libraries()
    return {
        "status": "ok",
        "version": torch.__version__,
        "import_time_s": round(import_time, 3),
        "imported": "import torch (complete)",
        "build": {
            "is_cuda_build": bool(torch.version.cuda),
            "is_rocm_build": is_rocm,
            "cuda_version": torch.version.cuda,
            "hip_version": torch.version.hip,
            "cudnn_version": ".".join(map(str, cudnn_built)) if cudnn_built else None,
            "git_version": getattr(torch.version, "git_version", None),
            "debug": bool(getattr(torch.version, "debug", False)),
            "mkldnn": bool(_safe(torch.backends.mkldnn.is_available, False)),
        },
        "loaded": {
            "cudnn_version": _cudnn_text(cudnn_loaded),
            "cuda_runtime_version": common.library_version(libraries, "libcudart"),
            "libraries": libraries,
            "how": "torch.backends.cudnn.version(); shared libraries in /proc/self/maps",
        },
        "devices": {
            "cuda_available": bool(cuda_available and not is_rocm),
            "rocm_available": bool(cuda_available and is_rocm),
            "cuda": devices,  # ROCm GPUs appear here too: torch exposes HIP as torch.cuda
            "mps_built": bool(_safe(torch.backends.mps.is_built, False)),
            "mps_available": bool(_safe(torch.backends.mps.is_available, False)),
            "cpu_threads": torch.get_num_threads(),
        },
        "distributed": _distributed(torch),
        "horovod": common.horovod_info(),
    }


def main() -> dict[str, Any]:
    protocol.die_with_parent()
    common.reserve_stdout_for_protocol()
    return probe_torch()


if __name__ == "__main__":
    protocol.run_main(main, skip_teardown=True)
