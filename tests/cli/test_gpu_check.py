"""benchmarks/gpu_check.sh: parses (bash -n, shellcheck where installed) and, on a machine
without an NVIDIA GPU, says so in one clear message and exits 3 having run nothing."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

BASH = shutil.which("bash") or "/bin/bash"
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "gpu_check.sh"


def _run(path_dirs: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": os.pathsep.join(path_dirs), "TMPDIR": str(tmp_path)}
    return subprocess.run([BASH, str(SCRIPT)], capture_output=True, text=True, timeout=30, env=env)


def _bare_path(tmp_path: Path) -> list[str]:
    """The tools the script needs, without any nvidia-smi."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "grep", "mktemp", "rm", "timeout"):
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    return [str(bin_dir)]


def test_syntax() -> None:
    assert subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True).returncode == 0


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_shellcheck_clean() -> None:
    done = subprocess.run(["shellcheck", str(SCRIPT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_without_nvidia_smi_says_so_and_exits_3(tmp_path: Path) -> None:
    done = _run(_bare_path(tmp_path), tmp_path)
    assert done.returncode == 3
    assert "no NVIDIA GPU on this machine (nvidia-smi not found); nothing was run" in done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr


def test_driver_without_gpus_says_so_and_exits_3(tmp_path: Path) -> None:
    path = _bare_path(tmp_path)
    fake = Path(path[0]) / "nvidia-smi"
    fake.write_text("#!/bin/sh\necho 'No devices were found'\nexit 6\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    done = _run([*path, "/bin"], tmp_path)
    assert done.returncode == 3
    assert "no NVIDIA GPU on this machine (nvidia-smi lists none)" in done.stderr
    assert not list(tmp_path.glob("chooser-gpu-check.*"))  # nothing started, nothing left
