"""Read the cgroup limits that apply to this process: CPU quota and memory limit.

Works for cgroup v2 (unified: ``cpu.max``, ``memory.max``), v1 (``cpu.cfs_quota_us`` +
``cpu.cfs_period_us``, ``memory.limit_in_bytes``) and hybrid hosts (v1 controllers beside
an empty ``unified`` v2 tree). The root folder and the ``/proc/self/cgroup`` text are
parameters so tests can point them at a temporary directory.

A limit may be set on the process's own cgroup or on any ancestor; the smallest wins.
In a container with a cgroup namespace the process's path is "/" and the files sit at
the mount root, which is also searched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_ROOT = Path("/sys/fs/cgroup")
# v1 reports "no limit" as LONG_MAX rounded down to a page; anything this large is no limit.
_UNLIMITED_BYTES = 1 << 60


@dataclass
class Limit:
    """One limit found in a cgroup file (``value`` None means the file says "no limit")."""

    value: float | None
    source: str  # the file it was read from
    raw: str
    version: int


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _proc_paths(proc_cgroup: str | None) -> dict[str, str]:
    """Controller → path of this process, from /proc/self/cgroup lines ``id:controllers:path``.
    The v2 entry has an empty controller list and is stored under the key ""."""
    if proc_cgroup is None:
        proc_cgroup = _read(Path("/proc/self/cgroup")) or ""
    paths: dict[str, str] = {}
    for line in proc_cgroup.splitlines():
        parts = line.strip().split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        for name in controllers.split(",") if controllers else [""]:
            paths[name] = path
    return paths


def _dirs_to_search(mount: Path, own: str | None) -> list[Path]:
    """The process's cgroup folder and its ancestors up to the mount, then the mount itself."""
    dirs: list[Path] = []
    if own:
        rel = Path(own.lstrip("/"))
        while rel.parts:
            candidate = mount / rel
            if candidate.is_dir():
                dirs.append(candidate)
            rel = rel.parent
    dirs.append(mount)
    return list(dict.fromkeys(dirs))


def cgroup_version(root: Path = DEFAULT_ROOT) -> int | None:
    """2 when the root is a unified tree, 1 when v1 controllers are mounted, else None."""
    if (root / "cgroup.controllers").exists():
        return 2
    if any((root / name).is_dir() for name in ("cpu", "cpu,cpuacct", "cpuacct,cpu", "memory")):
        return 1
    return None


def _v1_mount(root: Path, controller: str) -> Path | None:
    names = ("cpu", "cpu,cpuacct", "cpuacct,cpu") if controller == "cpu" else (controller,)
    for name in names:
        if (root / name).is_dir():
            return root / name
    return None


def _smallest(limits: list[Limit]) -> Limit | None:
    """The tightest limit; a "no limit" file only when nothing tighter exists."""
    set_limits = [lim for lim in limits if lim.value is not None]
    if set_limits:
        return min(set_limits, key=lambda lim: lim.value)  # type: ignore[arg-type,return-value]
    return limits[0] if limits else None


def cpu_quota(root: Path = DEFAULT_ROOT, proc_cgroup: str | None = None) -> Limit | None:
    """CPU quota in cores (quota / period), e.g. 0.5 for ``cpu.max`` = "50000 100000".
    None when no cgroup CPU controller is readable; ``value`` None when it says unlimited."""
    root = Path(root)
    paths = _proc_paths(proc_cgroup)
    found: list[Limit] = []
    if cgroup_version(root) == 2:
        for folder in _dirs_to_search(root, paths.get("")):
            raw = _read(folder / "cpu.max")
            if raw is None:
                continue
            fields = raw.split()
            cores: float | None = None
            if fields and fields[0] != "max":
                period_us = float(fields[1]) if len(fields) > 1 else 100000.0
                cores = float(fields[0]) / period_us
            found.append(Limit(cores, str(folder / "cpu.max"), raw, 2))
        return _smallest(found)
    mount = _v1_mount(root, "cpu")
    if mount is None:
        return None
    for folder in _dirs_to_search(mount, paths.get("cpu")):
        quota, period = _read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us")
        if quota is None or period is None:
            continue
        cores = float(quota) / float(period) if int(quota) > 0 and int(period) > 0 else None
        found.append(Limit(cores, str(folder / "cpu.cfs_quota_us"), f"{quota} {period}", 1))
    return _smallest(found)


def memory_limit(root: Path = DEFAULT_ROOT, proc_cgroup: str | None = None) -> Limit | None:
    """Memory limit in bytes (``memory.max`` or ``memory.limit_in_bytes``)."""
    root = Path(root)
    paths = _proc_paths(proc_cgroup)
    found: list[Limit] = []
    if cgroup_version(root) == 2:
        mount, own, filename, version = root, paths.get(""), "memory.max", 2
    else:
        mount = _v1_mount(root, "memory")  # type: ignore[assignment]
        if mount is None:
            return None
        own, filename, version = paths.get("memory"), "memory.limit_in_bytes", 1
    for folder in _dirs_to_search(mount, own):
        raw = _read(folder / filename)
        if raw is None:
            continue
        value = None if raw == "max" or int(raw) >= _UNLIMITED_BYTES else float(int(raw))
        found.append(Limit(value, str(folder / filename), raw, version))
    return _smallest(found)
