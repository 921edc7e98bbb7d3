"""`python -m probes.hardware`: CPU, memory and NVIDIA GPUs as one JSON-lines result event.

Flags (for tests and odd hosts): ``--cgroup-root DIR`` reads cgroup files from DIR instead
of /sys/fs/cgroup; ``--nvidia-smi PATH`` names the nvidia-smi executable.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from probes import cgroup, protocol
from probes.cpu import probe_cpu
from probes.gpu import probe_gpus
from probes.memory import probe_memory


def _timed(timings: dict[str, float], name: str, fn: Any, *args: Any) -> Any:
    started = time.perf_counter()
    try:
        return fn(*args)
    finally:
        timings[name] = round(time.perf_counter() - started, 4)


def probe_hardware(
    cgroup_root: str = str(cgroup.DEFAULT_ROOT), nvidia_smi: str = "nvidia-smi"
) -> dict[str, Any]:
    timings: dict[str, float] = {}
    cpu = _timed(timings, "cpu", probe_cpu, cgroup_root)
    memory = _timed(timings, "memory", probe_memory, cgroup_root)
    gpus, gpu_probe = _timed(timings, "gpus", probe_gpus, nvidia_smi)
    return {
        "cpu": cpu,
        "memory": memory,
        "gpus": gpus,
        "gpu_probe": gpu_probe,
        "timings_s": timings,
    }


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m probes.hardware")
    parser.add_argument("--cgroup-root", default=str(cgroup.DEFAULT_ROOT))
    parser.add_argument("--nvidia-smi", default="nvidia-smi")
    args = parser.parse_args()
    protocol.die_with_parent()
    return probe_hardware(args.cgroup_root, args.nvidia_smi)


if __name__ == "__main__":
    protocol.run_main(main)
