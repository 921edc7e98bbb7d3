"""Fixtures for the probe tests: fake `nvidia-smi` executables and a torch-hiding shim.

The fake nvidia-smi answers any ``--query-gpu=…`` field list the way the real one does with
``--format=csv,noheader,nounits`` (memory in MiB), for two H100 GPUs; GPUtil's own query
works against it too. Values are those of a real DGX H100 node.
"""

from __future__ import annotations

import os
import stat
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

TWO_GPUS = [
    {
        "index": "0",
        "uuid": "GPU-6f2e0c4d-93b1-7a5e-1c0f-2d8b4e9a6c11",
        "name": "NVIDIA H100 80GB HBM3",
        "memory.total": "81559",
        "memory.used": "1559",
        "memory.free": "80000",
        "driver_version": "550.54.15",
        "compute_cap": "9.0",
        "utilization.gpu": "0",
        "gpu_serial": "1652123456789",
        "display_active": "Disabled",
        "display_mode": "Disabled",
        "temperature.gpu": "31",
    },
    {
        "index": "1",
        "uuid": "GPU-0a7d5b38-2c4f-4e1a-9b6d-8f3e2a1c5d70",
        "name": "NVIDIA H100 80GB HBM3",
        "memory.total": "81559",
        "memory.used": "69559",
        "memory.free": "12000",
        "driver_version": "550.54.15",
        "compute_cap": "9.0",
        "utilization.gpu": "97",
        "gpu_serial": "1652123456790",
        "display_active": "Disabled",
        "display_mode": "Disabled",
        "temperature.gpu": "64",
    },
]


def _write_exe(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!{sys.executable}\n" + textwrap.dedent(body))
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def two_gpu_smi_body(without: tuple[str, ...] = ()) -> str:
    gpus = [{k: v for k, v in gpu.items() if k not in without} for gpu in TWO_GPUS]
    return f"""
        import sys
        GPUS = {gpus!r}
        query = next(a for a in sys.argv if a.startswith("--query-gpu="))
        fields = query.split("=", 1)[1].split(",")
        for field in fields:
            if field not in GPUS[0]:
                print(f'Field "{{field}}" is not a valid field to query.')
                sys.exit(2)
        for gpu in GPUS:
            print(", ".join(gpu[f] for f in fields))
        """


@pytest.fixture
def smi_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Put a fake nvidia-smi first on PATH: "two_gpus", "two_gpus_old_driver" (no compute_cap
    field, as before driver 510), "no_devices" (exit 6) or "broken" (exit 9, the real message
    when the driver cannot be reached). Returns its folder."""

    def install(kind: str) -> Path:
        folder = tmp_path / f"smi-{kind}"
        bodies = {
            "two_gpus": two_gpu_smi_body(),
            "two_gpus_old_driver": two_gpu_smi_body(without=("compute_cap",)),
            "no_devices": 'print("No devices were found")\nraise SystemExit(6)\n',
            "broken": "print(\"NVIDIA-SMI has failed because it couldn't communicate with the "
            "NVIDIA driver. Make sure that the latest NVIDIA driver is installed and "
            'running.")\nraise SystemExit(9)\n',
        }
        _write_exe(folder, "nvidia-smi", bodies[kind])
        monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
        return folder

    return install


HIDE_TORCH = """
import sys

class _HideTorch:
    # Acts as if torch were not installed: the finder raises what a missing module raises.
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _HideTorch())
"""


@pytest.fixture
def hide_torch_dir(tmp_path: Path) -> Path:
    """A folder whose sitecustomize.py hides torch; put it on PYTHONPATH."""
    folder = tmp_path / "hide-torch"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(HIDE_TORCH)
    return folder


@pytest.fixture
def broken_smi_dir(tmp_path: Path) -> Path:
    """A folder holding an nvidia-smi that fails like one without a reachable driver."""
    folder = tmp_path / "broken-smi"
    _write_exe(
        folder,
        "nvidia-smi",
        'import sys\nprint("NVIDIA-SMI has failed because it '
        "couldn't communicate with the NVIDIA driver.\")\nsys.exit(9)\n",
    )
    return folder
