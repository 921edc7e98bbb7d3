"""Energy of a trial's timed training, where the hardware tells (framework-free).

Two counters, each read before and after the training loop:

- **RAPL** (Intel, and AMD under the same driver): ``<sysfs>/intel-rapl:N/energy_uj``, a
  micro-joule counter per CPU package that wraps at ``max_energy_range_uj``. Only the
  package domains count: their sub-domains (``intel-rapl:N:M``: cores, uncore, DRAM) are
  parts of the package or beside it, and ``psys`` covers the whole platform, so adding
  them would count joules twice. Linux made ``energy_uj`` readable by root only in 2020
  (the PLATYPUS side channel), so an ordinary user usually gets "permission denied".
- **NVML** (NVIDIA GPUs): ``nvmlDeviceGetTotalEnergyConsumption``, milli-joules since the
  driver loaded, per GPU (Volta and newer), through ``pynvml`` when it is installed.

Both counters are machine-wide: they include every other process on those packages and
GPUs during the window, which the note says. The sysfs root and the NVML module are
parameters so tests use fake trees and a fake NVML; the trials use the real ones.

API::

    meter = EnergyMeter()            # reads the counters now
    meter.pause(); meter.resume()    # leave out a wait between interleaved rounds
    meter.stop()                     # reads them again (after the timed training)
    meter.fields(samples) -> dict    # energy_joules, energy_joules_per_1000_samples,
                                     # energy_note, energy_sources
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

SYSFS_POWERCAP = "/sys/class/powercap"
PACKAGE_DIR = re.compile(r"^intel-rapl:\d+$")  # not intel-rapl:N:M (sub-domains)
UNAVAILABLE = "not available on this machine"
_IMPORT = object()  # "import pynvml when asked", as opposed to an injected module or None


class Unavailable(Exception):
    """A counter that cannot be read here; the message says why, for the note."""


# --------------------------------------------------------------------------- RAPL
def _read_int(path: str) -> int:
    try:
        with open(path) as fh:
            return int(fh.read().strip())
    except PermissionError:
        raise Unavailable(
            f"RAPL counters are readable by root only here (permission denied: {path})"
        ) from None
    except (OSError, ValueError) as exc:
        raise Unavailable(f"RAPL counter unreadable ({path}: {exc})") from None


def rapl_packages(root: str = SYSFS_POWERCAP) -> list[tuple[str, str]]:
    """(name, directory) of every package-level RAPL domain under ``root``."""
    if not os.path.isdir(root):
        raise Unavailable(f"no {root} (no RAPL: not a Linux host with the powercap driver)")
    found = []
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if not PACKAGE_DIR.match(entry) or not os.path.exists(os.path.join(path, "energy_uj")):
            continue
        try:
            with open(os.path.join(path, "name")) as fh:
                name = fh.read().strip()
        except OSError:
            name = entry
        if name.startswith("psys"):  # the whole platform: it contains the packages
            continue
        found.append((name, path))
    if not found:
        raise Unavailable(f"no RAPL package domain under {root}")
    return found


def read_rapl(root: str = SYSFS_POWERCAP) -> dict[str, tuple[float, float | None]]:
    """{domain: (joules, wrap range in joules)} for every package domain."""
    out = {}
    for name, path in rapl_packages(root):
        energy = _read_int(os.path.join(path, "energy_uj"))
        try:
            wrap: float | None = _read_int(os.path.join(path, "max_energy_range_uj")) / 1e6
        except Unavailable:
            wrap = None
        out[f"RAPL {name}"] = (energy / 1e6, wrap)
    return out


# --------------------------------------------------------------------------- NVML
def _load_nvml(nvml: Any) -> Any:
    if nvml is not _IMPORT:
        if nvml is None:
            raise Unavailable("NVML not asked for")
        return nvml
    try:
        import pynvml
    except ImportError:
        raise Unavailable("no NVML (pynvml is not installed)") from None
    return pynvml


def read_nvml(nvml: Any = _IMPORT) -> dict[str, tuple[float, float | None]]:
    """{GPU: (joules since the driver loaded, None)} for every NVIDIA GPU NVML lists."""
    lib = _load_nvml(nvml)
    try:
        lib.nvmlInit()
    except Exception as exc:  # pynvml.NVMLError: no driver, no GPU
        raise Unavailable(f"no NVIDIA GPU or driver (NVML: {exc})") from None
    try:
        count = lib.nvmlDeviceGetCount()
        if not count:
            raise Unavailable("no NVIDIA GPU (NVML lists none)")
        out = {}
        for index in range(count):
            handle = lib.nvmlDeviceGetHandleByIndex(index)
            try:
                millijoules = lib.nvmlDeviceGetTotalEnergyConsumption(handle)
            except Exception as exc:  # NVML_ERROR_NOT_SUPPORTED before Volta
                raise Unavailable(f"GPU {index} has no energy counter (NVML: {exc})") from None
            out[f"NVML GPU {index}"] = (millijoules / 1e3, None)
        return out
    finally:
        try:
            lib.nvmlShutdown()
        except Exception:  # noqa: S110 - nothing to do when shutting down fails
            pass


# --------------------------------------------------------------------------- the meter
def _delta(before: float, after: float, wrap: float | None) -> float:
    """after - before, allowing one wrap-around of a counter that wraps at ``wrap``."""
    if after >= before:
        return after - before
    return after + wrap - before if wrap else 0.0


class EnergyMeter:
    """Reads RAPL and NVML at construction and at ``stop()``; ``pause()`` / ``resume()``
    leave out a stretch (a trial waiting between interleaved rounds while another framework
    trains); ``fields`` says what it got."""

    def __init__(self, sysfs_root: str = SYSFS_POWERCAP, nvml: Any = _IMPORT) -> None:
        self.sources = {"RAPL": lambda: read_rapl(sysfs_root), "NVML": lambda: read_nvml(nvml)}
        self.why_not: dict[str, str] = {}
        self.totals: dict[str, float] = {}
        self.window_s = 0.0
        self.stopped = False
        self.resume()

    def _read(self) -> dict[str, tuple[float, float | None]]:
        readings: dict[str, tuple[float, float | None]] = {}
        for source, read in self.sources.items():
            if source in self.why_not:
                continue
            try:
                readings.update(read())
            except Unavailable as exc:
                self.why_not[source] = str(exc)
                readings = {k: v for k, v in readings.items() if not k.startswith(source)}
        return readings

    def resume(self) -> None:
        self.before = self._read()
        self.t0 = time.monotonic()
        self.running = True

    def pause(self) -> None:
        if not self.running:
            return
        after = self._read()
        self.window_s += time.monotonic() - self.t0
        for name, (start, wrap) in self.before.items():
            if name in after:
                self.totals[name] = self.totals.get(name, 0.0) + _delta(start, after[name][0], wrap)
        self.running = False

    def stop(self) -> None:
        self.pause()

    def fields(self, samples: int | None = None) -> dict[str, Any]:
        """The result's energy fields; ``samples``: the samples trained in the window."""
        self.stop()
        sources = [
            {"name": name, "joules": round(joules, 3)}
            for name, joules in self.totals.items()
            if name.split()[0] not in self.why_not  # lost midway: not a whole window
        ]
        skipped = [
            f"{src}: {why}" for src, why in self.why_not.items() if why != "NVML not asked for"
        ]
        if not sources:
            return {
                "energy_joules": None,
                "energy_joules_per_1000_samples": None,
                "energy_note": f"{UNAVAILABLE}: " + "; ".join(skipped or ["no counter"]),
                "energy_sources": [],
            }
        total = sum(s["joules"] for s in sources)
        note = (
            f"{' + '.join(s['name'] for s in sources)} read before and after the timed "
            f"training ({self.window_s:.1f} s, warm-up included): whole devices, other "
            "processes included"
        )
        if skipped:
            note += f"; not counted: {'; '.join(skipped)}"
        return {
            "energy_joules": round(total, 3),
            "energy_joules_per_1000_samples": (
                round(total / samples * 1000, 4) if samples else None
            ),
            "energy_note": note,
            "energy_sources": sources,
        }
