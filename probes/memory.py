"""Memory facts: total and available RAM (psutil, which reads /proc/meminfo on Linux) and
the cgroup memory limit where one is set (a container may have far less than the host)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psutil

from probes import cgroup


def probe_memory(
    cgroup_root: Path | str = cgroup.DEFAULT_ROOT, proc_cgroup: str | None = None
) -> dict[str, Any]:
    vm = psutil.virtual_memory()
    errors: list[str] = []
    try:
        limit = cgroup.memory_limit(Path(cgroup_root), proc_cgroup)
    except (OSError, ValueError) as exc:
        limit = None
        errors.append(f"cgroup memory limit unreadable: {exc}")
    limit_bytes = int(limit.value) if limit and limit.value is not None else None
    effective = min(vm.total, limit_bytes) if limit_bytes is not None else vm.total
    return {
        "total_bytes": int(vm.total),
        "available_bytes": int(vm.available),
        "cgroup_limit_bytes": limit_bytes,
        "cgroup_limit_source": f"{limit.source} = {limit.raw!r}" if limit else None,
        "usable_bytes": int(effective),
        "swap_total_bytes": int(psutil.swap_memory().total),
        "source": "psutil.virtual_memory (/proc/meminfo MemTotal, MemAvailable on Linux)",
        "errors": errors,
    }
