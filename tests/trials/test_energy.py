"""probes/energy.py against fake sysfs trees and a fake NVML (the real ones are absent here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from probes import energy
from probes.energy import EnergyMeter, read_rapl


def rapl_tree(root: Path, domains: dict[str, tuple[str, int, int]]) -> Path:
    """domains: directory -> (name, energy_uj, max_energy_range_uj)."""
    for entry, (name, energy_uj, wrap) in domains.items():
        d = root / entry
        d.mkdir(parents=True)
        (d / "name").write_text(name + "\n")
        (d / "energy_uj").write_text(f"{energy_uj}\n")
        (d / "max_energy_range_uj").write_text(f"{wrap}\n")
    return root


def set_energy(root: Path, entry: str, energy_uj: int) -> None:
    (root / entry / "energy_uj").write_text(f"{energy_uj}\n")


class FakeNVML:
    """pynvml's calls the meter makes; energy in millijoules per GPU."""

    def __init__(self, millijoules: list[int], fail_init: str | None = None) -> None:
        self.millijoules, self.fail_init, self.shutdowns = millijoules, fail_init, 0

    def nvmlInit(self) -> None:
        if self.fail_init:
            raise RuntimeError(self.fail_init)

    def nvmlDeviceGetCount(self) -> int:
        return len(self.millijoules)

    def nvmlDeviceGetHandleByIndex(self, index: int) -> int:
        return index

    def nvmlDeviceGetTotalEnergyConsumption(self, handle: int) -> int:
        return self.millijoules[handle]

    def nvmlShutdown(self) -> None:
        self.shutdowns += 1


def test_rapl_counts_packages_only(tmp_path: Path) -> None:
    root = rapl_tree(
        tmp_path / "powercap",
        {
            "intel-rapl:0": ("package-0", 1_000_000, 262_143_328_850),
            "intel-rapl:0:0": ("core", 500_000, 262_143_328_850),  # inside package-0
            "intel-rapl:0:1": ("dram", 200_000, 262_143_328_850),
            "intel-rapl:1": ("package-1", 2_000_000, 262_143_328_850),
            "intel-rapl:2": ("psys", 9_000_000, 262_143_328_850),  # contains the packages
        },
    )
    assert sorted(read_rapl(str(root))) == ["RAPL package-0", "RAPL package-1"]
    meter = EnergyMeter(str(root), nvml=None)
    set_energy(root, "intel-rapl:0", 1_000_000 + 30_000_000)  # 30 J
    set_energy(root, "intel-rapl:0:0", 500_000 + 20_000_000)  # must not be added
    set_energy(root, "intel-rapl:1", 2_000_000 + 12_500_000)  # 12.5 J
    set_energy(root, "intel-rapl:2", 9_000_000 + 99_000_000)  # must not be added
    fields = meter.fields(samples=5_000)
    assert fields["energy_joules"] == pytest.approx(42.5)
    assert fields["energy_joules_per_1000_samples"] == pytest.approx(8.5)
    assert "RAPL package-0 + RAPL package-1" in fields["energy_note"]
    assert [s["name"] for s in fields["energy_sources"]] == ["RAPL package-0", "RAPL package-1"]


def test_rapl_wrap_around(tmp_path: Path) -> None:
    wrap = 262_143_328_850
    root = rapl_tree(tmp_path, {"intel-rapl:0": ("package-0", wrap - 1_000_000, wrap)})
    meter = EnergyMeter(str(root), nvml=None)
    set_energy(root, "intel-rapl:0", 4_000_000)  # wrapped: 1 J before the wrap + 4 J after
    assert meter.fields(1000)["energy_joules"] == pytest.approx(5.0)


def test_rapl_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """energy_uj is mode 0400 root on kernels since 5.10; root (these tests may run as
    root) reads any file, so the denial the kernel gives others is raised here."""
    root = rapl_tree(tmp_path, {"intel-rapl:0": ("package-0", 1, 1_000_000)})
    os.chmod(root / "intel-rapl:0" / "energy_uj", 0o400)

    def open_as_user(path, *args, **kwargs):
        if str(path).endswith("energy_uj"):
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(energy, "open", open_as_user, raising=False)
    fields = EnergyMeter(str(root), nvml=None).fields(1000)
    assert fields["energy_joules"] is None
    assert fields["energy_note"].startswith("not available on this machine: ")
    assert "permission denied" in fields["energy_note"]
    assert "root" in fields["energy_note"]


def test_no_powercap_no_nvml(tmp_path: Path) -> None:
    fields = EnergyMeter(str(tmp_path / "absent"), nvml=FakeNVML([], "Driver Not Loaded")).fields()
    assert fields["energy_joules"] is None
    assert "no " + str(tmp_path / "absent") in fields["energy_note"]
    assert "no NVIDIA GPU or driver (NVML: Driver Not Loaded)" in fields["energy_note"]


def test_nvml_total_energy_per_gpu(tmp_path: Path) -> None:
    nvml = FakeNVML([1_000_000, 2_000_000])  # millijoules since the driver loaded
    meter = EnergyMeter(str(tmp_path / "absent"), nvml=nvml)
    nvml.millijoules = [1_150_000, 2_250_500]  # 150 J and 250.5 J
    fields = meter.fields(samples=20_000)
    assert fields["energy_joules"] == pytest.approx(400.5)
    assert fields["energy_joules_per_1000_samples"] == pytest.approx(20.025)
    assert fields["energy_note"].startswith("NVML GPU 0 + NVML GPU 1 read before and after")
    assert "not counted: RAPL: no " in fields["energy_note"]
    assert nvml.shutdowns == 2


def test_rapl_and_nvml_add_up(tmp_path: Path) -> None:
    root = rapl_tree(tmp_path, {"intel-rapl:0": ("package-0", 0, 10**12)})
    nvml = FakeNVML([0])
    meter = EnergyMeter(str(root), nvml=nvml)
    set_energy(root, "intel-rapl:0", 7_000_000)
    nvml.millijoules = [3_000]
    assert meter.fields(100)["energy_joules"] == pytest.approx(10.0)


def test_counter_lost_midway_is_not_counted(tmp_path: Path) -> None:
    root = rapl_tree(tmp_path, {"intel-rapl:0": ("package-0", 0, 10**12)})
    nvml = FakeNVML([0])
    meter = EnergyMeter(str(root), nvml=nvml)
    (root / "intel-rapl:0" / "energy_uj").unlink()
    nvml.millijoules = [2_000]
    fields = meter.fields(100)
    assert fields["energy_joules"] == pytest.approx(2.0)
    assert [s["name"] for s in fields["energy_sources"]] == ["NVML GPU 0"]


def test_pause_leaves_out_the_wait_between_rounds(tmp_path: Path) -> None:
    root = rapl_tree(tmp_path, {"intel-rapl:0": ("package-0", 0, 10**12)})
    meter = EnergyMeter(str(root), nvml=None)
    set_energy(root, "intel-rapl:0", 2_000_000)  # round 1: 2 J
    meter.pause()
    set_energy(root, "intel-rapl:0", 50_000_000)  # the other framework's round: left out
    meter.resume()
    set_energy(root, "intel-rapl:0", 53_000_000)  # round 2: 3 J
    assert meter.fields(1000)["energy_joules"] == pytest.approx(5.0)
