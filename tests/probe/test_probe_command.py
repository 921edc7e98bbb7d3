"""`chooser probe` end to end, in subprocesses, checked against facts read independently;
failure cases (torch hidden, nvidia-smi broken, a child that hangs); import hygiene."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import psutil
import pytest

from chooser.cli.entry import main as cli_main
from chooser.measure import probe as probe_module
from chooser.measure.probe import run_probe_sync

HERE = Path(__file__).resolve().parent
PROBE_JSON = [sys.executable, "-m", "chooser", "probe", "--json"]


def run_chooser(
    argv: list[str], env: dict[str, str] | None = None, repo: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        cwd=repo,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def probe_json(repo_root: Path) -> dict:
    proc = run_chooser(PROBE_JSON, repo=repo_root)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # stdout is exactly one JSON object


def meminfo_total_bytes() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no MemTotal in /proc/meminfo")


def test_cpu_and_memory_match_independent_facts(probe_json):
    cpu = probe_json["cpu"]
    affinity = len(os.sched_getaffinity(0))
    quota = cpu["cgroup_cpu_quota_cores"]
    expected = affinity if quota is None else min(affinity, max(1, math.ceil(quota)))
    assert cpu["usable_cores"] == expected
    assert cpu["logical_cores"] == os.cpu_count()
    assert probe_json["memory"]["total_bytes"] == meminfo_total_bytes()
    assert 0 < probe_json["memory"]["available_bytes"] <= meminfo_total_bytes()


def test_no_gpu_here_is_reported_with_a_cause(probe_json):
    if shutil.which("nvidia-smi") or Path("/proc/driver/nvidia").exists():
        pytest.skip("this machine has an NVIDIA driver")
    assert probe_json["gpus"] == []
    assert probe_json["gpu_probe"]["source"] == "none"
    assert {e["source"] for e in probe_json["gpu_probe"]["errors"]} >= {"nvml", "nvidia-smi"}
    assert probe_json["gpu_probe"]["reason"]


@pytest.mark.skipif(
    find_spec("torch") is None or find_spec("tensorflow") is None,
    reason="needs torch and tensorflow: pip install 'chooser[all]'",
)
def test_frameworks_report_their_installed_versions(probe_json):
    torch, tf = probe_json["frameworks"]["torch"], probe_json["frameworks"]["tensorflow"]
    assert torch["status"] == "ok", torch
    assert torch["version"] == importlib.metadata.version("torch")
    assert torch["distributed"]["backends"]["gloo"] is True
    assert tf["status"] == "ok", tf
    assert tf["version"] == importlib.metadata.version("tensorflow")
    assert tf["keras"]["version"] == importlib.metadata.version("keras")
    assert tf["distributed"]["collective_implementations"]["RING"]["usable"] is True
    assert tf["import_mode"] in ("native", "full") and tf["imported"]


def test_envelope_fields(probe_json):
    assert probe_json["schema_version"] == 1
    assert dt.datetime.fromisoformat(probe_json["timestamp"]).tzinfo is not None
    assert probe_json["python"]["version"] == platform.python_version()
    assert probe_json["os"]["machine"] == platform.machine()
    timings = probe_json["timings_s"]
    assert {"hardware", "torch", "tensorflow", "total"} <= set(timings)
    assert timings["total"] >= max(timings["torch"], timings["tensorflow"]) > 0


def test_readable_summary_and_bad_flag(repo_root, capsys):
    proc = run_chooser([sys.executable, "-m", "chooser", "probe"], repo=repo_root)
    assert proc.returncode == 0, proc.stderr
    for words in ("Machine", "Frameworks", "torch", "tensorflow", "usable"):
        assert words in proc.stdout
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["probe", "--timeout", "soon"])
    assert exit_info.value.code == 2
    assert "not a number of seconds" in capsys.readouterr().err


def test_torch_hidden_and_nvidia_smi_broken_probe_still_completes(
    repo_root, hide_torch_dir, broken_smi_dir
):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(hide_torch_dir), env.get("PYTHONPATH", "")) if p
    )
    env["PATH"] = os.pathsep.join([str(broken_smi_dir), env["PATH"]])
    proc = run_chooser(PROBE_JSON, env=env, repo=repo_root)
    assert proc.returncode == 0, proc.stderr
    probe = json.loads(proc.stdout)
    torch = probe["frameworks"]["torch"]
    assert torch["status"] == "missing" and torch["version"] is None
    assert torch["hint"] == "pip install 'chooser[torch]'"
    assert "not installed" in torch["message"]
    assert probe["frameworks"]["tensorflow"]["status"] == "ok"
    smi = [e for e in probe["gpu_probe"]["errors"] if e["source"] == "nvidia-smi"]
    assert smi and smi[0]["kind"] == "failed" and "status 9" in smi[0]["message"]
    assert probe["cpu"]["usable_cores"] >= 1


def test_torch_that_fails_to_import_is_an_error(tmp_path, repo_root):
    fake = tmp_path / "torch"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "raise OSError('libtorch_cpu.so: cannot open shared object file')\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(repo_root)]))
    proc = run_chooser([sys.executable, "-m", "probes.framework_torch"], env=env, repo=repo_root)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["event"] == "result" and result["status"] == "error"
    assert "libtorch_cpu.so" in result["message"] and "reinstall" in result["hint"]


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_hung_children_are_killed_at_timeout_and_the_rest_completes(tmp_path, monkeypatch):
    pid_file = tmp_path / "hang.pids"
    monkeypatch.setenv("HANG_PID_FILE", str(pid_file))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join((str(HERE), str(HERE.parents[1]))))
    real = probe_module.part_modules
    monkeypatch.setattr(
        probe_module,
        "part_modules",
        lambda: {
            name: "hang_child" if name in ("torch", "tensorflow") else module
            for name, module in real().items()
        },
    )
    seen = []
    started = time.monotonic()
    probe = run_probe_sync(on_part=lambda name, part: seen.append(name), timeout=6.0)
    assert time.monotonic() - started < 30
    assert sorted(seen) == ["hardware", "jax", "tensorflow", "torch"]
    assert probe["cpu"]["usable_cores"] >= 1  # the real hardware probe still answered
    for name in ("torch", "tensorflow"):
        part = probe["frameworks"][name]
        assert part["status"] == "error" and part["probe_failure"]["status"] == "timeout"
        assert "timed out" in part["message"] and "process group killed" in part["message"]
    pids = list(map(int, pid_file.read_text().split()))
    assert len(pids) == 4  # each hung child and its grandchild
    for pid in pids:
        assert not alive(pid), f"pid {pid} survived"


@pytest.mark.skipif(
    find_spec("tensorflow") is None,
    reason="tensorflow is not installed here: pip install 'chooser[tensorflow]'",
)
def test_tensorflow_native_probe_agrees_with_a_full_import(repo_root):
    """The fast path must report what `import tensorflow` reports; stdout carries JSON only."""
    results = {}
    for flag in ([], ["--full-import"]):
        argv = [sys.executable, "-m", "probes.framework_tensorflow", *flag]
        proc = run_chooser(argv, repo=repo_root)
        lines = proc.stdout.strip().splitlines()
        assert proc.returncode == 0 and all(json.loads(ln) for ln in lines), proc.stderr
        results[flag[0] if flag else "native"] = json.loads(lines[-1])
    native, full = results["native"], results["--full-import"]
    assert (native["import_mode"], full["import_mode"]) == ("native", "full")
    for key in ("status", "version", "git_version", "build", "devices", "distributed"):
        assert native[key] == full[key], key
    assert native["keras"]["version"] == full["keras"]["version"]


def test_chooser_never_imports_a_framework():
    code = (
        "import sys, chooser, chooser.cli.entry, chooser.measure.probe, chooser.views.probe, "
        "chooser.cli.probe, chooser.measure.runner; chooser.cli.entry.build_parser(); "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('torch', 'tensorflow', 'keras')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
