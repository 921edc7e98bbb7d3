"""Facts derived from the probe JSON, for rules and question pre-fill (``machine.*``).

Rules could read raw ``probe.*`` fields, but a handful of plain facts ("how many NVIDIA
GPUs", "which distributed back-ends really work here") keep the shipped rules short
and keep knowledge of the probe's layout in this one function. Missing or failed probe
parts give ``None``/empty values, never an exception.
"""

from __future__ import annotations

from typing import Any

from chooser.core import frameworks

_COMMON_FACTS: dict[str, str] = {
    "usable_cores": "CPU cores this process may use (affinity and cgroup quota), or None",
    "memory_gb": "memory this process may use in GB (total, or the cgroup limit), or None",
    "nvidia_gpus": "number of NVIDIA GPUs the probe found (NVML or nvidia-smi)",
    "gpu_names": "list of GPU names",
    "accelerator": "'nvidia', 'amd', 'apple', 'tpu' or 'cpu': the best device a framework here can use",
}


def fact_table() -> dict[str, str]:
    """name → meaning, for every fact (the rules checker and docs/rules.md use it): the
    common ones, then ``<id>_ok``, ``<id>_version`` and each registry fact per framework."""
    table = dict(_COMMON_FACTS)
    for fw in frameworks.frameworks():
        table[f"{fw.id}_ok"] = f"{fw.label} imported in the probe child"
        table[f"{fw.id}_version"] = f"{fw.label} version string, or None"
        table.update({f"{fw.id}_{name}": fact.meaning for name, fact in fw.facts.items()})
    table["horovod"] = "Horovod is installed"
    return table


def list_facts() -> set[str]:
    """Facts whose value is a list."""
    return {"gpu_names"} | {
        f"{fw.id}_{name}"
        for fw in frameworks.frameworks()
        for name, fact in fw.facts.items()
        if fact.kind == "names"
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


def _fact_value(fact: frameworks.Fact, part: dict[str, Any], ok: bool) -> Any:
    first = frameworks.path_get(part, fact.paths[0]) if ok else None
    if fact.kind == "flag":
        return ok and any(frameworks.path_get(part, p) is True for p in fact.paths)
    if fact.kind == "count":
        value = len(first) if isinstance(first, list) else first
        return value if isinstance(value, int) and not isinstance(value, bool) else 0
    if fact.kind == "names":
        return _names_true(first)
    return first


def machine_facts(probe: dict[str, Any] | None) -> dict[str, Any]:
    """Field names follow docs/probe.md (probe schema_version 1)."""
    probe = probe or {}
    gpus: list[Any] = probe["gpus"] if isinstance(probe.get("gpus"), list) else []
    mem = _first(probe, ("memory", "usable_bytes"), ("memory", "total_bytes"))
    per_framework: dict[str, Any] = {}
    accelerators: list[str] = []
    horovod = False
    for fw in frameworks.frameworks():
        part = _get(probe, "frameworks", fw.id, default={}) or {}
        ok = part.get("status") == "ok"
        per_framework[f"{fw.id}_ok"] = ok
        per_framework[f"{fw.id}_version"] = part.get("version") if ok else None
        for name, fact in fw.facts.items():
            value = _fact_value(fact, part, ok)
            per_framework[f"{fw.id}_{name}"] = value
            if fact.accelerator and value is True:
                accelerators.append(fact.accelerator)
        horovod = horovod or _get(part, "horovod", "installed") is True
    # NVIDIA first (the probe's own GPU list counts), then in the registry's order.
    accelerator = "nvidia" if gpus or "nvidia" in accelerators else next(iter(accelerators), "cpu")
    return {
        "usable_cores": _get(probe, "cpu", "usable_cores"),
        "memory_gb": round(mem / 1e9, 1) if isinstance(mem, (int, float)) else None,
        "nvidia_gpus": len(gpus),
        "gpu_names": [str(g.get("name")) for g in gpus if isinstance(g, dict)],
        "accelerator": accelerator,
        **per_framework,
        "horovod": horovod,
    }
