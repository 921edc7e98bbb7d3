"""Run the machine probe: the hardware probe and every registered framework's probe as
parallel child processes (``python -m probes.…``), joined into one JSON object (see docs/probe.md).

A child that fails, crashes or hangs (killed with its process group at ``timeout``)
becomes an entry with its cause; the other parts still complete.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

from chooser.core import frameworks
from chooser.measure.runner import ChildOutcome, module_argv, run_child

SCHEMA_VERSION = 1


def part_modules() -> dict[str, str]:
    """part name -> probe module. Framework probes (a complete import, the slowest) start
    first, in registry order; the hardware probe last."""
    return {
        **{fw.id: fw.probe_module for fw in frameworks.frameworks()},
        "hardware": "probes.hardware",
    }


PartHandler = Callable[[str, dict[str, Any]], None]


def _os_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "system": platform.system(),
        "release": platform.release(),
        "machine": platform.machine(),
        "platform": platform.platform(),
    }
    try:
        release = platform.freedesktop_os_release()
        info["distribution"] = release.get("PRETTY_NAME") or release.get("NAME")
    except (OSError, AttributeError):
        info["distribution"] = None
    return info


def _python_info() -> dict[str, Any]:
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
    }


def _failed_part(name: str, outcome: ChildOutcome) -> dict[str, Any]:
    """What a part says when its child did not deliver a result."""
    cause = {
        "status": outcome.status,
        "message": outcome.message,
        "stderr_tail": outcome.stderr_tail[-2000:],
        "argv": outcome.argv,
    }
    if name == "hardware":
        return {
            "cpu": None,
            "memory": None,
            "gpus": [],
            "gpu_probe": {
                "source": "none",
                "errors": [
                    {
                        "source": "hardware_probe",
                        "kind": outcome.status,
                        "message": f"hardware probe {outcome.message}",
                    }
                ],
                "reason": f"hardware probe {outcome.message}",
            },
            "probe_failure": cause,
        }
    return {
        "status": "error",
        "version": None,
        "message": f"{name} probe {outcome.message}",
        "hint": f"run `python {' '.join(outcome.argv[1:])}` to see its full output",
        "probe_failure": cause,
    }


async def _run_part(
    name: str, argv: list[str], timeout: float, on_part: PartHandler | None
) -> tuple[str, dict[str, Any], float]:
    outcome = await run_child(argv, timeout=timeout, grace=2.0)
    part = (
        outcome.result if outcome.ok and outcome.result is not None else _failed_part(name, outcome)
    )
    if on_part is not None:
        on_part(name, part)
    return name, part, round(outcome.wall_s, 3)


async def run_probe(on_part: PartHandler | None = None, timeout: float = 60.0) -> dict[str, Any]:
    """Probe the machine. ``on_part(name, part)`` is called as "hardware" and each
    framework's part finishes."""
    started = time.monotonic()
    timestamp = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    commands = {name: module_argv(module) for name, module in part_modules().items()}
    running = asyncio.gather(
        *(_run_part(name, argv, timeout, on_part) for name, argv in commands.items())
    )
    await asyncio.sleep(0)  # let the children start before the parent's own slow look-ups
    os_info, python_info = _os_info(), _python_info()  # platform runs `uname -p`: overlap it
    parts = await running
    by_name = {name: part for name, part, _ in parts}
    timings = {name: wall for name, _, wall in parts}
    hardware = by_name["hardware"]
    for detail, seconds in (hardware.get("timings_s") or {}).items():
        timings[f"hardware.{detail}"] = seconds
    timings["total"] = round(time.monotonic() - started, 3)
    return {
        "schema_version": SCHEMA_VERSION,
        "timestamp": timestamp,
        "os": os_info,
        "python": python_info,
        "cpu": hardware.get("cpu"),
        "memory": hardware.get("memory"),
        "gpus": hardware.get("gpus", []),
        "gpu_probe": hardware.get("gpu_probe", {"source": "none", "errors": []}),
        "hardware_probe_failure": hardware.get("probe_failure"),
        "frameworks": {fw: by_name[fw] for fw in frameworks.ids() if fw in by_name},
        "timings_s": timings,
    }


def run_probe_sync(on_part: PartHandler | None = None, timeout: float = 60.0) -> dict[str, Any]:
    """Blocking wrapper for headless commands; Ctrl-C kills every child group."""
    return asyncio.run(run_probe(on_part, timeout))
