"""One number style for the app, the CLI and the reports (issue 12).

Every figure a person reads goes through these functions, so "12,913 samples/s" in
`chooser trial` is "12,913 samples/s" in `recommend`, the app and the HTML report. Rules:
points with at most one decimal; thousands separators; a unit on every figure; memory in
binary units (KiB, MiB, GiB) everywhere; intervals as ``12.9k samples/s (±0.6k)``; a
missing figure as an en dash. Trials are named for people ("PyTorch · 1 process"), never
by their internal id.
"""

from __future__ import annotations

import math
from typing import Any

from chooser.core import frameworks

MISSING = "–"
_BINARY = (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024))


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def points(value: Any, unit: bool = True) -> str:
    """``20.7 points``, ``1 point``, ``-3 points``: at most one decimal, never ``-0``."""
    v = _finite(value)
    if v is None:
        return MISSING
    v = round(v, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"
    if not unit:
        return text
    return f"{text} point" if abs(v) == 1 else f"{text} points"


def count(value: Any) -> str:
    """A whole number with thousands separators: ``12,207``."""
    v = _finite(value)
    return MISSING if v is None else f"{round(v):,}"


def decimal(value: Any, places: int = 1) -> str:
    """A number with thousands separators and ``places`` decimals: ``1,234.5``."""
    v = _finite(value)
    return MISSING if v is None else f"{v:,.{places}f}"


def compact(value: Any, pad: bool = False) -> str:
    """Three significant figures with k/M: ``12.9k``, ``948``, ``1.52M`` (``pad``: trailing
    zeros kept, ``13.0k``)."""
    v = _finite(value)
    if v is None:
        return MISSING
    for suffix, scale in (("M", 1e6), ("k", 1e3)):
        if abs(v) >= scale * 0.9995:
            scaled = v / scale
            if abs(scaled) >= 1000:
                return f"{scaled:,.0f}{suffix}"
            if pad:  # a measurement keeps its three figures: 13.0k, not 13k
                return f"{scaled:#.3g}".rstrip(".") + suffix
            return f"{scaled:.3g}{suffix}"
    return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"


def rate(value: Any, unit: str = "samples/s", short: bool = False) -> str:
    """``12,913 samples/s`` (``short``: ``12.9k samples/s``)."""
    if _finite(value) is None:
        return MISSING
    return f"{compact(value, pad=True) if short else count(value)} {unit}"


def interval(median: Any, low: Any, high: Any, unit: str = "samples/s") -> str:
    """``12.9k samples/s (±0.6k)``: the median and the larger half-width of its interval;
    just the median when the interval is unknown."""
    m = _finite(median)
    if m is None:
        return MISSING
    lo, hi = _finite(low), _finite(high)
    if lo is None or hi is None:
        return rate(m, unit, short=True)
    half = max(m - lo, hi - m, 0.0)
    return f"{compact(m, pad=True)} {unit} (±{compact(half)})"


def seconds(value: Any) -> str:
    """``0.42 s``, ``3.2 s``, ``48 s``, ``2 min 05 s``, ``1 h 02 min``."""
    v = _finite(value)
    if v is None:
        return MISSING
    if v < 1:
        return f"{v:.2f} s"
    if v < 10:
        return f"{v:.1f} s"
    if v < 60:
        return f"{v:.0f} s"
    whole = round(v)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def size(value: Any) -> str:
    """Bytes in binary units: ``23.5 GiB``, ``512 MiB``, ``900 B``."""
    v = _finite(value)
    if v is None:
        return MISSING
    for unit, scale in _BINARY:
        if abs(v) >= scale:
            scaled = v / scale
            return f"{scaled:.1f} {unit}" if scaled < 100 else f"{scaled:,.0f} {unit}"
    return f"{v:.0f} B"


def percent(fraction: Any, places: int = 1) -> str:
    """A fraction as a percentage: ``0.973`` → ``97.3 %``."""
    v = _finite(fraction)
    return MISSING if v is None else f"{v * 100:.{places}f} %"


def score(value: Any) -> str:
    """A rule's score (0–1) with at most two decimals: ``0.85``, ``1``, ``0``."""
    v = _finite(value)
    if v is None:
        return MISSING
    text = f"{round(v, 2) + 0.0:.2f}".rstrip("0").rstrip(".")
    return text


def figure(value: Any) -> str:
    """Any measured or answered value as people write it: ``yes``/``no``, ``12,207``,
    ``0.984``, ``3.14``; never ``1.165e+04`` nor sixteen decimals. Lists item by item."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(figure(v) for v in value) + "]"
    v = _finite(value)
    if v is None:
        return MISSING if isinstance(value, (int, float)) or value is None else str(value)
    if v == int(v) or abs(v) >= 100:
        return count(v)
    return f"{v:.3g}" if abs(v) >= 1e-4 else f"{v:.1e}"


def ratio(value: Any) -> str:
    """``1.18×``."""
    v = _finite(value)
    return MISSING if v is None else f"{v:.2f}×"


MODE_NAMES = {"single": "1 process", "distributed": "distributed"}
KIND_NAMES = {"throughput": "", "time_to_accuracy": "time to accuracy"}


def trial_name(
    trial: str | dict[str, Any], world_size: int | None = None, variant: str | None = None
) -> str:
    """A trial as people say it: ``PyTorch · 1 process``, ``TensorFlow · 2 processes``,
    ``JAX · time to accuracy · 1 process``, ``PyTorch · beginner · 1 process``. Takes a
    result dict or an id (``<kind>/<framework>/<mode>[+<variant>]`` or the old
    ``<framework>_<mode>``)."""
    from probes.result import split_id  # the child-side contract, framework-free

    if isinstance(trial, dict):
        tid = str(trial.get("id") or f"{trial.get('framework')}_{trial.get('mode', 'single')}")
        world_size = world_size or trial.get("world_size")
        variant = variant or trial.get("variant")
    else:
        tid = trial
    parts = split_id(tid)
    if parts is None:
        return tid
    kind, framework, mode = parts
    mode, _, id_variant = mode.partition("+")  # ``single+beginner``: probes.result.trial_id
    variant = variant or id_variant or None
    if mode == "distributed" and world_size:
        where = f"{world_size} processes" if world_size != 1 else "1 process"
    else:
        where = MODE_NAMES.get(mode, mode)
    bits = [frameworks.label(framework)]
    if KIND_NAMES.get(kind, kind):
        bits.append(KIND_NAMES.get(kind, kind))
    if variant and variant != "tuned":
        bits.append(variant)
    bits.append(where)
    return " · ".join(bits)
