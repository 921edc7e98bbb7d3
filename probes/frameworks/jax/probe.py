"""`python -m probes.frameworks.jax.probe`: what this machine's JAX really is.

Imports jax (timed), then reads its version and jaxlib's, the accelerator plugins that are
installed (CUDA/ROCm/TPU come as separate plugin packages since jax 0.4.3x), the backend it
picked and the devices it sees, and what its multi-process runtime offers on this build
(the CPU collectives: gloo over TCP, MPI). Flax and optax, which the trial needs, are
reported as present or missing.
"""

from __future__ import annotations

import sys
import time
import traceback
from typing import Any

from probes import framework_common as common
from probes import protocol

PLUGINS = (
    "jax_cuda13_plugin",
    "jax_cuda12_plugin",
    "jax_rocm7_plugin",
    "jax_rocm60_plugin",
    "libtpu",
)
EXTRA = "jax"


def _devices(jax: Any) -> list[dict[str, Any]]:
    out = []
    for device in jax.devices():
        stats = device.memory_stats() if device.platform != "cpu" else None
        out.append(
            {
                "id": device.id,
                "platform": device.platform,
                "kind": getattr(device, "device_kind", device.platform),
                "memory_total_bytes": (stats or {}).get("bytes_limit"),
            }
        )
    return out


def _distributed() -> dict[str, Any]:
    from jax._src.lib import _jax  # the C++ extension: which CPU collectives were built in

    collectives = [
        name
        for name, attr in (("gloo", "make_gloo_tcp_collectives"), ("mpi", "make_mpi_collectives"))
        if hasattr(_jax, attr)
    ]
    return {
        "available": True,
        "cpu_collectives": collectives,
        "how": "jax.distributed.initialize; CPU collectives built into jaxlib "
        "(jax._src.lib._jax.make_*_collectives)",
    }


def probe_jax() -> dict[str, Any]:
    present, why = common.find_package("jax")
    if not present:
        return common.not_ok("jax", EXTRA, why=why)
    started = time.perf_counter()
    try:
        import jax
        import jaxlib
    except Exception as exc:  # ImportError, a jaxlib that does not match jax, ...
        return common.not_ok("jax", EXTRA, exc)
    import_time = time.perf_counter() - started
    try:
        return _describe(jax, jaxlib, import_time)
    except Exception as exc:  # imported, but an API this probe relies on changed
        traceback.print_exc(file=sys.stderr)
        return {
            "status": "error",
            "version": getattr(jax, "__version__", None),
            "import_time_s": round(import_time, 3),
            "message": f"jax imported but probing it failed: {type(exc).__name__}: {exc}",
            "hint": "run `python -m probes.frameworks.jax.probe`: the traceback is on stderr",
        }


def _describe(jax: Any, jaxlib: Any, import_time: float) -> dict[str, Any]:
    plugins = {
        name: common.distribution_version(name.replace("_", "-"), name)
        for name in PLUGINS
        if common.find_package(name)[0]
    }
    backend = jax.default_backend()  # initialises the backends: part of what a user waits for
    devices = _devices(jax)
    libraries = common.loaded_accelerator_libraries()
    return {
        "status": "ok",
        "version": jax.__version__,
        "import_time_s": round(import_time, 3),
        "imported": "import jax, jaxlib (complete)",
        "build": {
            "jaxlib_version": jaxlib.__version__,
            "plugins": plugins,
            "is_cuda_build": any("cuda" in name for name in plugins),
            "is_rocm_build": any("rocm" in name for name in plugins),
            "tpu_runtime": "libtpu" in plugins,
        },
        "loaded": {"libraries": libraries, "how": "shared libraries in /proc/self/maps"},
        "devices": {
            "backend": backend,
            "count": len(devices),
            "devices": devices,
            "gpu_available": backend in ("gpu", "cuda", "rocm"),
            "tpu_available": backend == "tpu",
        },
        "distributed": _distributed(),
        "companions": {name: common.distribution_version(name) for name in ("flax", "optax")},
    }


def main() -> dict[str, Any]:
    protocol.die_with_parent()
    common.reserve_stdout_for_protocol()
    return probe_jax()


if __name__ == "__main__":
    protocol.run_main(main, skip_teardown=True)
