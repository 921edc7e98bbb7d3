"""The HTML report's Machine section, from the probe in the JSON report: the same facts
as the Markdown's (CPU, usable cores, memory, GPUs) plus each framework's build, with
memory in binary units (chooser.core.numbers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chooser.core import frameworks, numbers


def _or_dash(value: Any) -> str:
    return numbers.MISSING if value in (None, "", [], {}) else str(value)


def machine_rows(probe: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(what, value) pairs; empty when the probe did not run."""
    if not probe:
        return []
    os_info, py = probe.get("os") or {}, probe.get("python") or {}
    cpu, mem = probe.get("cpu") or {}, probe.get("memory") or {}
    rows = []
    if os_info:
        rows.append(
            (
                "OS",
                f"{_or_dash(os_info.get('distribution') or os_info.get('system'))} "
                f"({_or_dash(os_info.get('machine'))}, kernel {_or_dash(os_info.get('release'))})",
            )
        )
    if py:
        rows.append(("Python", f"{_or_dash(py.get('version'))} {py.get('implementation', '')}"))
    rows.append(("CPU", _or_dash(cpu.get("model")) if cpu else "unknown: hardware probe failed"))
    if cpu:
        limited = cpu.get("usable_cores_limited_by")
        rows.append(
            (
                "Usable cores",
                f"{_or_dash(cpu.get('usable_cores'))}"
                + (f" (limited by {limited})" if limited else "")
                + f"; {_or_dash(cpu.get('physical_cores'))} physical, "
                f"{_or_dash(cpu.get('logical_cores'))} logical",
            )
        )
    if mem:
        limit = mem.get("cgroup_limit_bytes")
        rows.append(
            (
                "Memory",
                f"{numbers.size(mem.get('total_bytes'))} total, "
                f"{numbers.size(mem.get('available_bytes'))} available"
                + (f", limit {numbers.size(limit)}" if limit else ""),
            )
        )
    rows.append(("GPUs", _gpus(probe)))
    return rows


def _gpus(probe: Mapping[str, Any]) -> str:
    gpus = [g for g in probe.get("gpus") or [] if isinstance(g, dict)]
    if not gpus:
        reason = (probe.get("gpu_probe") or {}).get("reason")
        return "none" + (f" ({reason})" if reason else "")
    return "; ".join(
        f"{_or_dash(g.get('name'))}, {numbers.size(g.get('memory_total_bytes'))}"
        + (f", compute {g['compute_capability']}" if g.get("compute_capability") else "")
        for g in gpus
    )


def framework_builds(probe: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """Each framework the probe looked at: version, build (CPU/CUDA/ROCm), devices."""
    parts = (probe or {}).get("frameworks") or {}
    out = []
    for fw_id, part in parts.items():
        if not isinstance(part, dict):
            continue
        name = frameworks.label(fw_id)
        if part.get("status") != "ok":
            detail = f"{part.get('status', 'error')}: {_or_dash(part.get('message'))}"
            out.append({"framework": name, "version": numbers.MISSING, "build": detail})
            continue
        build = part.get("build") or {}
        kind = (
            "CUDA"
            if build.get("is_cuda_build")
            else "ROCm"
            if build.get("is_rocm_build")
            else "CPU"
        )
        text = f"{kind} build"
        if build.get("cuda_version"):
            text += f", CUDA {build['cuda_version']}, cuDNN {_or_dash(build.get('cudnn_version'))}"
        devices = frameworks.device_names(fw_id, part) if frameworks.known(fw_id) else []
        text += f"; devices: {', '.join(devices) or 'CPU only'}"
        extras = frameworks.extra_versions(fw_id, part) if frameworks.known(fw_id) else {}
        text += "".join(f"; {k} {v}" for k, v in extras.items() if v)
        out.append({"framework": name, "version": _or_dash(part.get("version")), "build": text})
    return out
