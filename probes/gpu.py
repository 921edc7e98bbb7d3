"""NVIDIA GPUs: NVML first (nvidia-ml-py, what nvitop and gpustat use), then GPUtil, then
our own ``nvidia-smi --query-gpu`` call.

Every failure on the way (no driver, NVML library missing, driver/library mismatch, GPUtil
not importable because Python 3.12 removed ``distutils``, ``nvidia-smi`` missing or exiting
non-zero) becomes an entry in ``errors`` naming its cause; the probe never raises.
Apple MPS and AMD ROCm devices are reported by the framework probes instead.
"""

from __future__ import annotations

import csv
import subprocess
import warnings
from typing import Any

MIB = 1024 * 1024
SMI_FIELDS = (
    "index",
    "uuid",
    "name",
    "memory.total",
    "memory.free",
    "driver_version",
    "compute_cap",
)
NO_DEVICES_EXIT = 6  # nvidia-smi: "No devices were found"


def _entry(source: str, kind: str, message: str) -> dict[str, str]:
    return {"source": source, "kind": kind, "message": message}


def _nvml_cause(pynvml: Any, exc: Exception) -> tuple[str, str]:
    code = getattr(exc, "value", None)
    causes = {
        "NVML_ERROR_LIBRARY_NOT_FOUND": (
            "library_not_found",
            "NVML library (libnvidia-ml.so.1) not found: no NVIDIA driver is installed",
        ),
        "NVML_ERROR_DRIVER_NOT_LOADED": (
            "driver_not_loaded",
            "the NVIDIA kernel driver is not loaded (no GPU, or the module failed to load)",
        ),
        "NVML_ERROR_LIB_RM_VERSION_MISMATCH": (
            "driver_library_mismatch",
            "driver/library "
            "version mismatch: the kernel module and "
            "libnvidia-ml differ (reboot or reinstall the "
            "driver)",
        ),
        "NVML_ERROR_NO_PERMISSION": ("no_permission", "no permission to query the GPUs"),
        "NVML_ERROR_FUNCTION_NOT_FOUND": (
            "function_not_found",
            "the driver's NVML lacks a needed function (driver too old)",
        ),
    }
    for const, (kind, text) in causes.items():
        if code is not None and code == getattr(pynvml, const, object()):
            return kind, f"{text} [{exc}]"
    return "nvml_error", f"NVML failed: {exc}"


def _maybe(fn: Any, *args: Any) -> Any:
    """A field the device may not support (NVMLError_NotSupported) reads as None."""
    try:
        value = fn(*args)
    except Exception:  # pynvml.NVMLError subclasses; a missing field is not a probe failure
        return None
    return value.decode() if isinstance(value, bytes) else value


def read_nvml(errors: list[dict[str, str]]) -> list[dict[str, Any]] | None:
    """GPUs through NVML, or None (with an ``errors`` entry) when NVML cannot be used."""
    try:
        import pynvml
    except ImportError as exc:
        errors.append(_entry("nvml", "not_installed", f"nvidia-ml-py not importable: {exc}"))
        return None
    try:
        pynvml.nvmlInit()
    except Exception as exc:  # NVMLError subclasses, or OSError from a broken library
        errors.append(_entry("nvml", *_nvml_cause(pynvml, exc)))
        return None
    try:
        driver = _maybe(pynvml.nvmlSystemGetDriverVersion)
        cuda = _maybe(pynvml.nvmlSystemGetCudaDriverVersion)
        cuda_text = f"{cuda // 1000}.{cuda % 1000 // 10}" if isinstance(cuda, int) else None
        gpus = []
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            memory = _maybe(pynvml.nvmlDeviceGetMemoryInfo, handle)
            capability = _maybe(pynvml.nvmlDeviceGetCudaComputeCapability, handle)
            gpus.append(
                {
                    "index": index,
                    "uuid": _maybe(pynvml.nvmlDeviceGetUUID, handle),
                    "name": _maybe(pynvml.nvmlDeviceGetName, handle),
                    "memory_total_bytes": int(memory.total) if memory else None,
                    "memory_free_bytes": int(memory.free) if memory else None,
                    "driver_version": driver,
                    "cuda_driver_version": cuda_text,
                    "compute_capability": ".".join(map(str, capability)) if capability else None,
                }
            )
        return gpus
    except Exception as exc:
        errors.append(_entry("nvml", *_nvml_cause(pynvml, exc)))
        return None
    finally:
        try:
            pynvml.nvmlShutdown()
        except Exception:
            pass


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:  # "[N/A]", "[Not Supported]"
        return None


def parse_smi_csv(text: str, fields: tuple[str, ...] = SMI_FIELDS) -> list[dict[str, Any]]:
    """Rows of ``--format=csv,noheader,nounits`` output (memory in MiB) as GPU dicts."""
    gpus = []
    for row in csv.reader(text.strip().splitlines(), skipinitialspace=True):
        if not row:
            continue
        values = dict(zip(fields, (cell.strip() for cell in row)))
        total = _number(values.get("memory.total", ""))
        free = _number(values.get("memory.free", ""))
        capability = values.get("compute_cap")
        gpus.append(
            {
                "index": int(values["index"]),
                "uuid": values.get("uuid"),
                "name": values.get("name"),
                "memory_total_bytes": int(total * MIB) if total is not None else None,
                "memory_free_bytes": int(free * MIB) if free is not None else None,
                "driver_version": values.get("driver_version"),
                "cuda_driver_version": None,  # not a --query-gpu field; NVML gives it
                "compute_capability": capability if capability and _number(capability) else None,
            }
        )
    return gpus


def _run_smi(fields: tuple[str, ...], smi: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [smi, f"--query-gpu={','.join(fields)}", "--format=csv,noheader,nounits"],
        capture_output=True,
        text=True,
        timeout=15,
        stdin=subprocess.DEVNULL,
    )


def read_nvidia_smi(
    errors: list[dict[str, str]], smi: str = "nvidia-smi", fields: tuple[str, ...] = SMI_FIELDS
) -> list[dict[str, Any]] | None:
    """GPUs from our own nvidia-smi query; [] when it found none, None when it failed."""
    try:
        proc = _run_smi(fields, smi)
        if proc.returncode != 0 and "compute_cap" in (proc.stdout + proc.stderr):
            fields = tuple(f for f in fields if f != "compute_cap")  # drivers before 510
            proc = _run_smi(fields, smi)
    except FileNotFoundError:
        errors.append(_entry("nvidia-smi", "not_found", f"{smi} not found on PATH"))
        return None
    except (OSError, subprocess.SubprocessError) as exc:
        errors.append(_entry("nvidia-smi", "failed", f"{smi} could not run: {exc}"))
        return None
    said = " ".join((proc.stdout.strip() or proc.stderr.strip()).split())[:300]
    if proc.returncode == NO_DEVICES_EXIT:
        errors.append(
            _entry(
                "nvidia-smi",
                "no_devices",
                f"{smi} exited with status 6: {said or 'No devices were found'}",
            )
        )
        return []
    if proc.returncode != 0:
        errors.append(
            _entry("nvidia-smi", "failed", f"{smi} exited with status {proc.returncode}: {said}")
        )
        return None
    try:
        return parse_smi_csv(proc.stdout, fields)
    except (ValueError, KeyError) as exc:
        errors.append(
            _entry("nvidia-smi", "unparsable", f"{smi} output not understood ({exc}): {said}")
        )
        return None


def read_gputil(errors: list[dict[str, str]]) -> list[dict[str, Any]] | None:
    """GPUs through GPUtil (which runs nvidia-smi and hides its failures as [])."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # distutils DeprecationWarning on 3.10-3.11
            import GPUtil
    except Exception as exc:  # ModuleNotFoundError: distutils on Python >= 3.12
        errors.append(
            _entry("gputil", "import_failed", f"GPUtil not importable: {type(exc).__name__}: {exc}")
        )
        return None
    try:
        found = GPUtil.getGPUs()
    except Exception as exc:  # it int()s nvidia-smi's "No devices were found"
        errors.append(
            _entry("gputil", "failed", f"GPUtil.getGPUs failed: {type(exc).__name__}: {exc}")
        )
        return None
    if not found:
        errors.append(
            _entry(
                "gputil",
                "empty",
                "GPUtil found no GPUs (it reports every nvidia-smi failure as none)",
            )
        )
        return None
    return [
        {
            "index": int(g.id),
            "uuid": g.uuid,
            "name": g.name,
            "memory_total_bytes": int(g.memoryTotal * MIB),
            "memory_free_bytes": int(g.memoryFree * MIB),
            "driver_version": g.driver,
            "cuda_driver_version": None,
            "compute_capability": None,
        }
        for g in found
    ]


def _add_compute_capability(gpus: list[dict[str, Any]], smi: str) -> None:
    extra: list[dict[str, str]] = []
    rows = read_nvidia_smi(extra, smi, ("index", "compute_cap"))
    by_index = {row["index"]: row["compute_capability"] for row in rows or []}
    for gpu in gpus:
        gpu["compute_capability"] = by_index.get(gpu["index"])


def probe_gpus(smi: str = "nvidia-smi") -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(gpus, gpu_probe) where gpu_probe = {"source", "errors", "reason"}."""
    errors: list[dict[str, str]] = []
    gpus, source = read_nvml(errors), "nvml"
    if gpus is None:
        gpus, source = read_gputil(errors), "gputil"
        if gpus:
            _add_compute_capability(gpus, smi)
    if gpus is None:
        gpus, source = read_nvidia_smi(errors, smi), "nvidia-smi"
    if gpus is None:
        gpus, source = [], "none"
    reason = None
    if not gpus:
        causes = [e["message"] for e in errors if e["kind"] != "empty"]
        reason = "; ".join(causes) or f"{source} reported no GPUs"
    return gpus, {"source": source, "errors": errors, "reason": reason}
