"""Helpers shared by the framework probes: missing/broken-install results, Horovod lookup
without importing it, the accelerator libraries actually mapped into the process, and
keeping stdout for protocol lines only."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from typing import Any

from probes import protocol

_ACCEL_LIB = re.compile(
    r"(lib(?:cudart|cudnn|cublas|cublasLt|nccl|amdhip64|MIOpen|rccl|"
    r"rocblas|cuda)\S*?\.so[.\d]*)$"
)


def install_hint(extra: str) -> str:
    return f"pip install 'chooser[{extra}]'"


def find_package(module: str) -> tuple[bool, str | None]:
    """(present, why not). A blocked or broken finder counts as absent, with its message."""
    try:
        return importlib.util.find_spec(module) is not None, None
    except (ImportError, ValueError) as exc:
        return False, f"{type(exc).__name__}: {exc}"


def distribution_version(*names: str) -> str | None:
    import importlib.metadata  # ~20 ms; only paid when a version is asked for

    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def not_ok(
    framework: str, extra: str, exc: BaseException | None = None, why: str | None = None
) -> dict[str, Any]:
    """A result for a framework that is missing (not installed) or fails to import."""
    missing = exc is None or (
        isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] == framework
    )
    if missing:
        message = f"{framework} is not installed" + (f" ({why})" if why else "")
        if exc is not None:
            message = f"{framework} is not importable: {exc}"
        return {
            "status": "missing",
            "version": None,
            "message": message,
            "hint": install_hint(extra),
        }
    return {
        "status": "error",
        "version": distribution_version(framework),
        "message": f"import {framework} failed: {type(exc).__name__}: {exc}",
        "hint": f"reinstall it: pip install --force-reinstall 'chooser[{extra}]'",
    }


def horovod_info() -> dict[str, Any]:
    """Horovod if installed: version and which framework bindings were compiled, found as
    files (importing horovod.torch would load torch and may abort on a mismatched build)."""
    present, _ = find_package("horovod")
    if not present:
        return {"installed": False}
    spec = importlib.util.find_spec("horovod")
    root = Path(spec.origin).parent if spec and spec.origin else None
    built = {}
    for framework, sub in (("torch", "torch"), ("tensorflow", "tensorflow"), ("mxnet", "mxnet")):
        built[framework] = bool(root and list((root / sub).glob("mpi_lib*.so")))
    return {
        "installed": True,
        "version": distribution_version("horovod"),
        "path": str(root) if root else None,
        "bindings_built": built,
        "how": "files horovod/<framework>/mpi_lib*.so; horovod not imported",
    }


def loaded_accelerator_libraries() -> list[str]:
    """CUDA/cuDNN/NCCL/ROCm shared libraries mapped into this process right now."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return []
    found = set()
    for line in maps.splitlines():
        match = _ACCEL_LIB.search(line.strip())
        if match:
            found.add(line.split()[-1])
    return sorted(found)


def library_version(paths: list[str], stem: str) -> str | None:
    """Version from a loaded library's real file name, e.g. libcudnn.so.9.1.0 → 9.1.0."""
    for path in paths:
        name = os.path.basename(os.path.realpath(path))
        match = re.match(rf"{re.escape(stem)}\.so\.([\d.]+)$", name)
        if match:
            return match.group(1)
    return None


def reserve_stdout_for_protocol() -> None:
    """From here on, anything a library writes to stdout (Python prints and C-level writes
    to fd 1) goes to stderr; protocol lines use a private duplicate of the real stdout."""
    sys.stdout.flush()
    if protocol._stdout_fd == 1:
        protocol._stdout_fd = os.dup(1)
    os.dup2(2, 1)
