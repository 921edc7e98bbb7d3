"""Readable summary of a probe (rich tables) for `chooser probe` without ``--json``."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chooser.core import frameworks, numbers

_IMPORT_MODES = {"native": "native runtime only, no Python API/Keras", "full": "complete import"}


def _gib(value: Any) -> str:
    return numbers.size(value) if isinstance(value, (int, float)) else "unknown"


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def _or_dash(value: Any) -> str:
    return "—" if value in (None, "", [], {}) else escape(str(value))


def machine_table(probe: dict[str, Any]) -> Table:
    table = Table(title="Machine", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value")
    os_info, py = probe.get("os") or {}, probe.get("python") or {}
    table.add_row(
        "OS",
        f"{_or_dash(os_info.get('distribution') or os_info.get('system'))} "
        f"({os_info.get('machine', '?')}, kernel {os_info.get('release', '?')})",
    )
    table.add_row("Python", escape(f"{py.get('version')} {py.get('implementation', '')}"))
    cpu = probe.get("cpu")
    if cpu:
        limited = cpu.get("usable_cores_limited_by")
        table.add_row("CPU", _or_dash(cpu.get("model")))
        table.add_row(
            "Cores",
            f"{cpu.get('usable_cores')} usable"
            f"{f' (limited by {limited})' if limited else ''}; "
            f"{_or_dash(cpu.get('physical_cores'))} physical, "
            f"{cpu.get('logical_cores')} logical",
        )
        freq = cpu.get("frequency") or {}
        if freq.get("current_mhz") or freq.get("max_mhz"):
            table.add_row(
                "Frequency",
                f"{numbers.count(freq.get('current_mhz'))} MHz now"
                + (f", max {numbers.count(freq['max_mhz'])} MHz" if freq.get("max_mhz") else ""),
            )
        table.add_row("ISA flags", escape(", ".join(cpu.get("isa_flags") or [])) or "none of note")
    else:
        table.add_row("CPU", "[red]unknown: hardware probe failed[/red]")
    memory = probe.get("memory")
    if memory:
        limit = memory.get("cgroup_limit_bytes")
        table.add_row(
            "Memory",
            f"{_gib(memory.get('total_bytes'))} total, "
            f"{_gib(memory.get('available_bytes'))} available"
            + (f", cgroup limit {_gib(limit)}" if limit else ""),
        )
    return table


def gpu_table(probe: dict[str, Any]) -> Table | str:
    gpus = probe.get("gpus") or []
    gpu_probe = probe.get("gpu_probe") or {}
    if not gpus:
        return f"[bold]NVIDIA GPUs:[/bold] none ({_or_dash(gpu_probe.get('reason'))})"
    table = Table(
        title=f"NVIDIA GPUs (read through {gpu_probe.get('source')})", title_justify="left"
    )
    for column in (
        "#",
        "name",
        "memory total",
        "memory free",
        "compute cap.",
        "driver",
        "CUDA (driver)",
    ):
        table.add_column(column)
    for gpu in gpus:
        table.add_row(
            str(gpu.get("index")),
            _or_dash(gpu.get("name")),
            _gib(gpu.get("memory_total_bytes")),
            _gib(gpu.get("memory_free_bytes")),
            _or_dash(gpu.get("compute_capability")),
            _or_dash(gpu.get("driver_version")),
            _or_dash(gpu.get("cuda_driver_version")),
        )
    return table


def _framework_rows(name: str, fw: dict[str, Any]) -> dict[str, str]:
    status = fw.get("status", "error")
    if status != "ok":
        colour = "yellow" if status == "missing" else "red"
        return {
            "status": f"[{colour}]{status}[/{colour}]: {escape(str(fw.get('message', '')))}",
            "hint": _or_dash(fw.get("hint")),
        }
    build, loaded = fw.get("build") or {}, fw.get("loaded") or {}
    devices = fw.get("devices") or {}
    kind = "CUDA" if build.get("is_cuda_build") else "ROCm" if build.get("is_rocm_build") else "CPU"
    rows = {
        "status": "[green]ok[/green]",
        "version": _or_dash(fw.get("version")),
        "import": f"{numbers.seconds(fw.get('import_time_s'))} "
        f"({_IMPORT_MODES.get(fw.get('import_mode', 'full'), 'complete import')})",
        "build": f"{kind} build; CUDA {_or_dash(build.get('cuda_version'))}, "
        f"cuDNN {_or_dash(build.get('cudnn_version'))}",
        "loaded": f"CUDA runtime {_or_dash(loaded.get('cuda_runtime_version'))}, "
        f"cuDNN {_or_dash(loaded.get('cudnn_version'))}",
    }
    rows["devices"] = ", ".join(frameworks.device_names(name, fw)) or "CPU only"
    if devices.get("mps_available"):
        rows["devices"] += "; MPS available"
    backends = frameworks.backend_flags(name, fw)
    rows["distributed"] = ", ".join(f"{b} {_yes(ok)}" for b, ok in backends.items()) or "no"
    rows.update({k: _or_dash(v) for k, v in frameworks.extra_versions(name, fw).items()})
    horovod = fw.get("horovod") or {}
    rows["horovod"] = horovod.get("version") or "installed" if horovod.get("installed") else "no"
    return rows


def frameworks_table(probe: dict[str, Any]) -> Table:
    parts = probe.get("frameworks") or {}
    table = Table(title="Frameworks (each probed in its own child process)", title_justify="left")
    table.add_column("", style="bold")
    rows = {name: _framework_rows(name, fw) for name, fw in parts.items()}
    for name in rows:  # the framework's name for people, not its id
        table.add_column(frameworks.label(name) if frameworks.known(name) else name)
    keys = list(dict.fromkeys(key for r in rows.values() for key in r))
    for key in keys:
        table.add_row(key, *(rows[name].get(key, "") for name in rows))
    return table


def print_probe(probe: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    console.print(machine_table(probe))
    console.print(gpu_table(probe))
    console.print(frameworks_table(probe))
    timings = probe.get("timings_s") or {}
    parts = ", ".join(
        f"{k} {numbers.seconds(v)}"
        for k, v in timings.items()
        if k in ("hardware", *frameworks.ids())
    )
    console.print(
        f"Probed in {numbers.seconds(timings.get('total', 0))} ({parts}); "
        f"`chooser probe --json` gives every field."
    )


def print_part_done(name: str, part: dict[str, Any]) -> None:
    """Progress on stderr as each child finishes."""
    failed = part.get("probe_failure") or (part.get("status") not in (None, "ok") and part)
    mark = "[red]✗[/red]" if failed else "[green]✓[/green]"
    Console(stderr=True).print(f"{mark} {name} probed", highlight=False)
