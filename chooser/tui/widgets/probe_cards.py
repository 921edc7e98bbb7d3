"""Probe parts as short, readable cards, and the problems they reveal with a fix.

Only formatting: every figure comes from the probe JSON as measured; a part that
has not arrived yet says "probing…".
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from chooser.core import frameworks, numbers

GPU_HINT = (
    "No NVIDIA GPU was found, so every trial runs on the CPU. If this machine has one, "
    "install the NVIDIA driver (nvidia-smi must work) and a CUDA build of the framework."
)


def _gb(value: Any) -> str:
    """Memory in binary units, as everywhere (``23.5 GiB``)."""
    return numbers.size(value) if isinstance(value, (int, float)) else "?"


def _table(rows: list[tuple[str, Any]]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, value in rows:
        if value not in (None, "", [], {}):
            table.add_row(key, value if isinstance(value, Text) else Text(str(value)))
    return table


def cpu_card(hw: dict[str, Any] | None) -> Any:
    if not hw:
        return Text("probing…", style="dim")
    cpu, mem = hw.get("cpu") or {}, hw.get("memory") or {}
    cores = f"{cpu.get('usable_cores', '?')} usable of {cpu.get('logical_cores', '?')} logical"
    if cpu.get("usable_cores_limited_by"):
        cores += f" (limited by {cpu['usable_cores_limited_by']})"
    freq = (cpu.get("frequency") or {}).get("current_mhz")
    return _table(
        [
            ("CPU", f"{cpu.get('model', '?')} ({cpu.get('architecture', '?')})"),
            ("cores", cores),
            ("clock", f"{numbers.count(freq)} MHz" if isinstance(freq, (int, float)) else None),
            ("ISA", " ".join(cpu.get("isa_flags") or []) or None),
            (
                "memory",
                f"{_gb(mem.get('usable_bytes') or mem.get('total_bytes'))} usable, "
                f"{_gb(mem.get('available_bytes'))} free",
            ),
        ]
    )


def gpu_card(hw: dict[str, Any] | None) -> Any:
    if not hw:
        return Text("probing…", style="dim")
    gpus, meta = hw.get("gpus") or [], hw.get("gpu_probe") or {}
    if not gpus:
        return _table(
            [
                ("GPUs", "none found"),
                ("why", meta.get("reason") or None),
                ("source", meta.get("source")),
            ]
        )
    rows = [
        (f"GPU {g.get('index', i)}", f"{g.get('name', '?')}, {_gb(g.get('memory_total_bytes'))}")
        for i, g in enumerate(gpus)
    ]
    driver = gpus[0].get("driver_version")
    return _table(rows + [("driver", driver), ("source", meta.get("source"))])


def framework_card(name: str, part: dict[str, Any] | None) -> Any:
    if part is None:
        return Text("probing…", style="dim")
    status = part.get("status", "?")
    style = {"ok": "green", "missing": "yellow"}.get(status, "red")
    build, devices = part.get("build") or {}, part.get("devices") or {}
    cuda = (
        ("CUDA " + str(build.get("cuda_version") or "?"))
        if build.get("is_cuda_build")
        else ("ROCm" if build.get("is_rocm_build") else "CPU-only")
    )
    gpus = frameworks.gpus_seen(name, part) if devices else None
    backends = frameworks.backend_flags(name, part)
    rows: list[tuple[str, Any]] = [
        ("status", Text(status, style=f"bold {style}")),
        ("version", part.get("version")),
        ("why", part.get("message") or part.get("error") if status != "ok" else None),
        ("build", cuda if build else None),
        ("GPUs seen", gpus if status == "ok" else None),
        ("distributed", ", ".join(k for k, ok in backends.items() if ok) or None),
        ("unavailable", ", ".join(k for k, ok in backends.items() if not ok) or None),
        *frameworks.extra_versions(name, part).items(),
        (
            "import",
            numbers.seconds(part["import_time_s"])
            if isinstance(part.get("import_time_s"), (int, float))
            else None,
        ),
    ]
    return _table(rows)


def problems(parts: dict[str, dict[str, Any]]) -> list[str]:
    """What stands in the way, each with what to do about it."""
    found = []
    hw = parts.get("hardware")
    if hw is not None and not hw.get("gpus"):
        found.append(GPU_HINT)
    for name in frameworks.ids():
        part = parts.get(name)
        if part is None or part.get("status") == "ok":
            continue
        why = part.get("message") or part.get("error") or part.get("status")
        hint = part.get("hint") or f"install it: {frameworks.get(name).install_hint}"
        found.append(f"{name} {part.get('status')}: {why}. Fix: {hint}")
    if hw is not None and hw.get("probe_failure"):
        found.append(f"hardware probe {hw['probe_failure'].get('message')}")
    for err in ((hw or {}).get("cpu") or {}).get("errors") or []:
        found.append(f"CPU probe: {err}")
    return found
