"""CPU quota and memory limit read from cgroup files in a temporary directory (v2, v1,
nested), usable cores, and /proc/cpuinfo parsing for x86 and Arm."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from probes import cgroup
from probes.cpu import isa_summary, parse_cpuinfo, probe_cpu, usable_cores
from probes.memory import probe_memory

AFFINITY = len(os.sched_getaffinity(0))


def v2_tree(root: Path, own: str = "", **files: str) -> Path:
    """A unified (v2) hierarchy; files go in the process's own cgroup folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    folder = root / own if own else root
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_", ".", 1)).write_text(text + "\n")
    return folder


def test_v2_half_a_core_gives_one_usable_core(tmp_path):
    v2_tree(tmp_path, cpu_max="50000 100000")
    quota = cgroup.cpu_quota(tmp_path, proc_cgroup="0::/\n")
    assert quota.value == 0.5 and quota.version == 2 and quota.raw == "50000 100000"
    cpu = probe_cpu(tmp_path, proc_cgroup="0::/\n")
    assert cpu["cgroup_cpu_quota_cores"] == 0.5
    assert cpu["usable_cores"] == 1
    assert cpu["usable_cores_limited_by"] == ("cgroup_cpu_quota" if AFFINITY > 1 else None)


def test_v2_max_means_no_limit(tmp_path):
    v2_tree(tmp_path, cpu_max="max 100000")
    quota = cgroup.cpu_quota(tmp_path, proc_cgroup="0::/\n")
    assert quota is not None and quota.value is None
    cpu = probe_cpu(tmp_path, proc_cgroup="0::/\n")
    assert cpu["usable_cores"] == AFFINITY
    assert cpu["cgroup_cpu_quota_cores"] is None


def test_v2_limit_on_an_ancestor_applies_and_smallest_wins(tmp_path):
    v2_tree(tmp_path, own="kubepods/pod1/ctr", cpu_max="max 100000")
    (tmp_path / "kubepods" / "pod1" / "cpu.max").write_text("150000 100000\n")
    (tmp_path / "kubepods" / "cpu.max").write_text("400000 100000\n")
    quota = cgroup.cpu_quota(tmp_path, proc_cgroup="0::/kubepods/pod1/ctr\n")
    assert quota.value == 1.5
    assert quota.source.endswith("kubepods/pod1/cpu.max")


def test_v1_cfs_quota(tmp_path):
    cpu_dir = tmp_path / "cpu,cpuacct" / "docker" / "abc"
    cpu_dir.mkdir(parents=True)
    (cpu_dir / "cpu.cfs_quota_us").write_text("150000\n")
    (cpu_dir / "cpu.cfs_period_us").write_text("100000\n")
    (tmp_path / "cpu,cpuacct" / "cpu.cfs_quota_us").write_text("-1\n")
    (tmp_path / "cpu,cpuacct" / "cpu.cfs_period_us").write_text("100000\n")
    proc = "4:cpu,cpuacct:/docker/abc\n3:memory:/docker/abc\n"
    quota = cgroup.cpu_quota(tmp_path, proc_cgroup=proc)
    assert quota.version == 1 and quota.value == 1.5
    assert probe_cpu(tmp_path, proc_cgroup=proc)["usable_cores"] == min(AFFINITY, 2)


def test_v1_unlimited_quota(tmp_path):
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert cgroup.cpu_quota(tmp_path, proc_cgroup="2:cpu:/\n").value is None


def test_no_cgroup_files_at_all(tmp_path):
    assert cgroup.cpu_quota(tmp_path, proc_cgroup="") is None
    assert cgroup.memory_limit(tmp_path, proc_cgroup="") is None
    cpu = probe_cpu(tmp_path, proc_cgroup="")
    assert cpu["usable_cores"] == AFFINITY and cpu["cgroup_version"] is None


def test_usable_cores_reports_what_limited_it():
    quota = cgroup.Limit(2.5, "cpu.max", "250000 100000", 2)
    assert usable_cores(8, 8, quota) == (3, "cgroup_cpu_quota")
    assert usable_cores(8, 2, quota) == (2, "cpu_affinity")
    assert usable_cores(8, 8, None) == (8, None)


def test_memory_limit_v2_and_v1(tmp_path):
    v2 = tmp_path / "v2"
    v2_tree(v2, memory_max=str(512 * 1024 * 1024))
    memory = probe_memory(v2, proc_cgroup="0::/\n")
    assert memory["cgroup_limit_bytes"] == 512 * 1024 * 1024
    assert memory["usable_bytes"] == min(memory["total_bytes"], 512 * 1024 * 1024)
    v2_tree(v2, memory_max="max")
    assert probe_memory(v2, proc_cgroup="0::/\n")["cgroup_limit_bytes"] is None
    v1 = tmp_path / "v1" / "memory"
    v1.mkdir(parents=True)
    (v1 / "memory.limit_in_bytes").write_text("9223372036854771712\n")  # v1's "unlimited"
    assert probe_memory(tmp_path / "v1", proc_cgroup="3:memory:/\n")["cgroup_limit_bytes"] is None


X86_CPUINFO = """processor\t: 0
model name\t: Intel(R) Xeon(R) Platinum 8480+
physical id\t: 0
core id\t\t: 0
flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512_bf16 amx_bf16 amx_tile amx_int8

processor\t: 1
model name\t: Intel(R) Xeon(R) Platinum 8480+
physical id\t: 0
core id\t\t: 0
flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512_bf16 amx_bf16 amx_tile amx_int8
"""

ARM_CPUINFO = """processor\t: 0
BogoMIPS\t: 243.75
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp sve sve2 bf16 i8mm
CPU implementer\t: 0x41
"""


def test_parse_x86_cpuinfo_with_amx():
    info = parse_cpuinfo(X86_CPUINFO)
    assert info["model"] == "Intel(R) Xeon(R) Platinum 8480+"
    assert info["physical_cores"] == 1  # two hyper-threads of one core
    isa = isa_summary(info["flags"], "x86_64")
    assert isa["avx512f"] and isa["amx"] and isa["avx512_bf16"]
    assert not isa["avx512_fp16"]


def test_parse_arm_cpuinfo_neon_and_sve():
    isa = isa_summary(parse_cpuinfo(ARM_CPUINFO)["flags"], "aarch64")
    assert isa["neon"] and isa["sve"] and isa["sve2"] and isa["bf16"]
    assert "avx2" not in isa


def test_this_machine_cpuinfo_matches_proc():
    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else None
    if text is None:
        pytest.skip("no /proc/cpuinfo")
    cpu = probe_cpu()
    flag_lines = [ln for ln in text.splitlines() if ln.lower().startswith(("flags", "features"))]
    flags = set(flag_lines[0].split(":", 1)[1].split()) if flag_lines else set()
    assert cpu["isa"].get("avx2", False) == ("avx2" in flags)
    assert cpu["logical_cores"] == os.cpu_count()
