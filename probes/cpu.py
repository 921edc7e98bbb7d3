"""CPU facts: model, cores (physical, logical, usable), frequency and the ISA flags that
decide which kernels a framework can use (AVX2/AVX-512/AMX on x86, NEON/SVE on Arm).

``usable_cores`` is what this process may really run on: the CPU affinity mask and the
cgroup CPU quota (containers), whichever is smaller; ``usable_cores_limited_by`` says which.
"""

from __future__ import annotations

import math
import os
import platform
from pathlib import Path
from typing import Any

import psutil

from probes import cgroup

# Flags as /proc/cpuinfo spells them. x86 "flags", Arm "Features" (asimd is NEON).
X86_FLAGS = (
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "avx512f",
    "avx512bw",
    "avx512vl",
    "avx512_vnni",
    "avx512_bf16",
    "avx512_fp16",
    "avx_vnni",
    "amx_tile",
    "amx_bf16",
    "amx_int8",
)
ARM_FLAGS = ("neon", "asimd", "asimdhp", "asimddp", "sve", "sve2", "bf16", "i8mm", "sme")


def parse_cpuinfo(text: str) -> dict[str, Any]:
    """Model, flag set and physical core count from /proc/cpuinfo text."""
    model = None
    flags: set[str] = set()
    cores: set[tuple[str, str]] = set()
    physical_id = core_id = None
    for line in text.splitlines() + [""]:
        if not line.strip():  # a blank line ends one logical CPU's block
            if core_id is not None:
                cores.add((physical_id or "0", core_id))
            physical_id = core_id = None
            continue
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key in ("model name", "hardware", "cpu model") and not model:
            model = value
        elif key in ("flags", "features"):
            flags.update(value.split())
        elif key == "physical id":
            physical_id = value
        elif key == "core id":
            core_id = value
    return {"model": model, "flags": flags, "physical_cores": len(cores) or None}


def isa_summary(flags: set[str], machine: str) -> dict[str, bool]:
    """Booleans for the flags that matter on this architecture (``neon`` for Arm's asimd)."""
    if machine.lower() in ("aarch64", "arm64") or "asimd" in flags:
        summary = {name: name in flags for name in ARM_FLAGS}
        summary["neon"] = "asimd" in flags or "neon" in flags
        return summary
    summary = {name: name in flags for name in X86_FLAGS}
    summary["amx"] = summary["amx_tile"]
    return summary


def _frequency() -> dict[str, Any] | None:
    try:
        freq = psutil.cpu_freq()
    except (OSError, NotImplementedError, AttributeError):
        freq = None
    if not freq:
        return None
    # psutil reports 0 for a bound the kernel does not expose (no cpufreq in many VMs).
    return {
        "current_mhz": round(freq.current, 1) if freq.current else None,
        "min_mhz": round(freq.min, 1) if freq.min else None,
        "max_mhz": round(freq.max, 1) if freq.max else None,
        "source": "psutil.cpu_freq (cpufreq sysfs, else /proc/cpuinfo 'cpu MHz')",
    }


def usable_cores(
    logical: int, affinity: int | None, quota: cgroup.Limit | None
) -> tuple[int, str | None]:
    """Smallest of logical cores, affinity and ceil(quota) (at least 1) and what limited it."""
    usable, limited_by = logical, None
    if affinity is not None and affinity < usable:
        usable, limited_by = affinity, "cpu_affinity"
    if quota is not None and quota.value is not None:
        quota_cores = max(1, math.ceil(quota.value - 1e-9))
        if quota_cores < usable:
            usable, limited_by = quota_cores, "cgroup_cpu_quota"
    return usable, limited_by


def probe_cpu(
    cgroup_root: Path | str = cgroup.DEFAULT_ROOT,
    proc_cgroup: str | None = None,
    cpuinfo_path: Path | str = "/proc/cpuinfo",
) -> dict[str, Any]:
    try:
        info = parse_cpuinfo(Path(cpuinfo_path).read_text(errors="replace"))
    except OSError:  # macOS, Windows: no /proc
        info = {"model": None, "flags": set(), "physical_cores": None}
    machine = platform.machine()
    logical = psutil.cpu_count(logical=True) or os.cpu_count() or 1
    physical = psutil.cpu_count(logical=False) or info["physical_cores"]
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    quota_error = None
    try:
        quota = cgroup.cpu_quota(Path(cgroup_root), proc_cgroup)
    except (OSError, ValueError) as exc:
        quota, quota_error = None, f"cgroup CPU quota unreadable: {exc}"
    usable, limited_by = usable_cores(logical, affinity, quota)
    return {
        "model": info["model"] or platform.processor() or None,
        "architecture": machine,
        "physical_cores": physical,
        "logical_cores": logical,
        "affinity_cores": affinity,
        "cgroup_cpu_quota_cores": quota.value if quota else None,
        "cgroup_cpu_quota_source": f"{quota.source} = {quota.raw!r}" if quota else None,
        "cgroup_version": quota.version if quota else cgroup.cgroup_version(Path(cgroup_root)),
        "usable_cores": usable,
        "usable_cores_limited_by": limited_by,
        "frequency": _frequency(),
        "isa": isa_summary(info["flags"], machine),
        "isa_flags": sorted(f for f in info["flags"] if f in X86_FLAGS + ARM_FLAGS),
        "errors": [quota_error] if quota_error else [],
    }
