"""GPU probe fallbacks: NVML failing in each documented way, GPUtil not importable, and
nvidia-smi giving two GPUs, none (exit 6), failing, or missing."""

from __future__ import annotations

import sys

import pynvml
import pytest

from probes import gpu

MIB = 1024 * 1024


def nvml_raises(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def init() -> None:
        raise pynvml.NVMLError(code)  # NVMLError.__new__ picks the subclass for the code

    monkeypatch.setattr(pynvml, "nvmlInit", init)


def gputil_unimportable(monkeypatch: pytest.MonkeyPatch) -> None:
    """What Python 3.12 does to GPUtil 1.4.0: `from distutils import spawn` fails."""
    monkeypatch.delitem(sys.modules, "GPUtil", raising=False)
    monkeypatch.delitem(sys.modules, "GPUtil.GPUtil", raising=False)
    monkeypatch.setitem(sys.modules, "distutils", None)


@pytest.mark.parametrize(
    "code, kind, words",
    [
        (pynvml.NVML_ERROR_LIBRARY_NOT_FOUND, "library_not_found", "libnvidia-ml"),
        (pynvml.NVML_ERROR_DRIVER_NOT_LOADED, "driver_not_loaded", "driver is not loaded"),
        (pynvml.NVML_ERROR_LIB_RM_VERSION_MISMATCH, "driver_library_mismatch", "mismatch"),
        (pynvml.NVML_ERROR_UNKNOWN, "nvml_error", "NVML failed"),
    ],
)
def test_nvml_failure_is_an_entry_and_nvidia_smi_takes_over(
    monkeypatch, smi_on_path, code, kind, words
):
    nvml_raises(monkeypatch, code)
    gputil_unimportable(monkeypatch)
    smi_on_path("two_gpus")
    gpus, gpu_probe = gpu.probe_gpus()
    nvml_entry = gpu_probe["errors"][0]
    assert (nvml_entry["source"], nvml_entry["kind"]) == ("nvml", kind)
    assert words in nvml_entry["message"]
    assert gpu_probe["source"] == "nvidia-smi"
    assert [g["index"] for g in gpus] == [0, 1]


def test_two_gpus_parsed_from_nvidia_smi(monkeypatch, smi_on_path):
    nvml_raises(monkeypatch, pynvml.NVML_ERROR_LIBRARY_NOT_FOUND)
    gputil_unimportable(monkeypatch)
    smi_on_path("two_gpus")
    gpus, gpu_probe = gpu.probe_gpus()
    assert gpu_probe["reason"] is None
    first, second = gpus
    assert first == {
        "index": 0,
        "uuid": "GPU-6f2e0c4d-93b1-7a5e-1c0f-2d8b4e9a6c11",
        "name": "NVIDIA H100 80GB HBM3",
        "memory_total_bytes": 81559 * MIB,
        "memory_free_bytes": 80000 * MIB,
        "driver_version": "550.54.15",
        "cuda_driver_version": None,
        "compute_capability": "9.0",
    }
    assert second["memory_free_bytes"] == 12000 * MIB
    assert second["uuid"].endswith("5d70")


def test_gputil_import_failure_is_recorded(monkeypatch, smi_on_path):
    nvml_raises(monkeypatch, pynvml.NVML_ERROR_LIBRARY_NOT_FOUND)
    gputil_unimportable(monkeypatch)
    smi_on_path("two_gpus")
    _, gpu_probe = gpu.probe_gpus()
    kinds = [(e["source"], e["kind"]) for e in gpu_probe["errors"]]
    assert ("gputil", "import_failed") in kinds
    assert "distutils" in next(e["message"] for e in gpu_probe["errors"] if e["source"] == "gputil")


def test_gputil_used_when_importable(monkeypatch, smi_on_path):
    pytest.importorskip("GPUtil")
    nvml_raises(monkeypatch, pynvml.NVML_ERROR_DRIVER_NOT_LOADED)
    smi_on_path("two_gpus")
    gpus, gpu_probe = gpu.probe_gpus()
    assert gpu_probe["source"] == "gputil"
    assert [g["name"] for g in gpus] == ["NVIDIA H100 80GB HBM3"] * 2
    assert [g["compute_capability"] for g in gpus] == ["9.0", "9.0"]  # from our own query
    assert gpus[1]["memory_free_bytes"] == 12000 * MIB


def test_no_devices_exit_6_gives_empty_list_with_reason(monkeypatch, smi_on_path):
    nvml_raises(monkeypatch, pynvml.NVML_ERROR_DRIVER_NOT_LOADED)
    gputil_unimportable(monkeypatch)
    smi_on_path("no_devices")
    gpus, gpu_probe = gpu.probe_gpus()
    assert gpus == []
    assert gpu_probe["source"] == "nvidia-smi"
    entry = gpu_probe["errors"][-1]
    assert entry["kind"] == "no_devices" and "No devices were found" in entry["message"]
    assert "No devices were found" in gpu_probe["reason"]


def test_gputil_failing_on_no_devices_output_is_recorded(monkeypatch, smi_on_path):
    pytest.importorskip("GPUtil")
    nvml_raises(monkeypatch, pynvml.NVML_ERROR_DRIVER_NOT_LOADED)
    smi_on_path("no_devices")
    gpus, gpu_probe = gpu.probe_gpus()
    assert gpus == [] and gpu_probe["source"] == "nvidia-smi"
    assert any(e["source"] == "gputil" for e in gpu_probe["errors"])


def test_broken_nvidia_smi_is_an_error_entry(monkeypatch, smi_on_path):
    nvml_raises(monkeypatch, pynvml.NVML_ERROR_LIB_RM_VERSION_MISMATCH)
    gputil_unimportable(monkeypatch)
    smi_on_path("broken")
    gpus, gpu_probe = gpu.probe_gpus()
    assert gpus == [] and gpu_probe["source"] == "none"
    entry = gpu_probe["errors"][-1]
    assert (entry["source"], entry["kind"]) == ("nvidia-smi", "failed")
    assert "status 9" in entry["message"] and "couldn't communicate" in entry["message"]
    assert "mismatch" in gpu_probe["reason"]


def test_missing_nvidia_smi(monkeypatch, tmp_path):
    nvml_raises(monkeypatch, pynvml.NVML_ERROR_LIBRARY_NOT_FOUND)
    gputil_unimportable(monkeypatch)
    monkeypatch.setenv("PATH", str(tmp_path))
    gpus, gpu_probe = gpu.probe_gpus()
    assert gpus == [] and gpu_probe["source"] == "none"
    assert gpu_probe["errors"][-1]["kind"] == "not_found"


def test_old_driver_without_compute_cap_field_is_retried(smi_on_path):
    smi_on_path("two_gpus_old_driver")
    errors: list = []
    gpus = gpu.read_nvidia_smi(errors)
    assert errors == [] and len(gpus) == 2
    assert gpus[0]["compute_capability"] is None and gpus[0]["name"] == "NVIDIA H100 80GB HBM3"


def test_nvml_values_are_converted(monkeypatch):
    """The NVML reading path: byte counts kept, CUDA driver 12040 → "12.4", (9, 0) → "9.0"."""

    class Memory:
        total, free = 81559 * MIB, 80000 * MIB

    calls = {
        "nvmlInit": lambda: None,
        "nvmlShutdown": lambda: None,
        "nvmlSystemGetDriverVersion": lambda: "550.54.15",
        "nvmlSystemGetCudaDriverVersion": lambda: 12040,
        "nvmlDeviceGetCount": lambda: 1,
        "nvmlDeviceGetHandleByIndex": lambda i: f"h{i}",
        "nvmlDeviceGetName": lambda h: b"NVIDIA H100 80GB HBM3",
        "nvmlDeviceGetUUID": lambda h: "GPU-6f2e0c4d",
        "nvmlDeviceGetMemoryInfo": lambda h: Memory(),
        "nvmlDeviceGetCudaComputeCapability": lambda h: (9, 0),
    }
    for name, fn in calls.items():
        monkeypatch.setattr(pynvml, name, fn)
    gpus, gpu_probe = gpu.probe_gpus()
    assert gpu_probe == {"source": "nvml", "errors": [], "reason": None}
    assert gpus == [
        {
            "index": 0,
            "uuid": "GPU-6f2e0c4d",
            "name": "NVIDIA H100 80GB HBM3",
            "memory_total_bytes": 81559 * MIB,
            "memory_free_bytes": 80000 * MIB,
            "driver_version": "550.54.15",
            "cuda_driver_version": "12.4",
            "compute_capability": "9.0",
        }
    ]
