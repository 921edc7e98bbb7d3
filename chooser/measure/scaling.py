"""Scaling efficiency: each distributed result against the single run of the same framework,
when both were measured, marked comparable only when both inputs are."""

from __future__ import annotations

from typing import Any

from chooser.measure import comparable


def add_scaling(results: list[dict[str, Any]]) -> None:
    """Scaling efficiency of each distributed result against the single run of the same
    framework, when both were measured. CPU ranks on one machine split the same cores,
    so their ideal speed-up is 1× (efficiency = what the split costs); ranks that each
    own a device (GPU) ideally run world_size× faster."""
    results = [r for r in results if r.get("kind", "throughput") == "throughput"]
    singles = {
        r["framework"]: r
        for r in results
        if r.get("mode") == "single" and r.get("variant", "tuned") == "tuned"
    }
    for r in results:
        base = singles.get(r.get("framework"))
        if (
            r.get("mode") != "distributed"
            or r.get("status") != "ok"
            or base is None
            or base.get("status") != "ok"
        ):
            continue
        dist_sps = (r.get("samples_per_second") or {}).get("median")
        base_sps = (base.get("samples_per_second") or {}).get("median")
        if not dist_sps or not base_sps:
            continue
        per_device = str(r.get("device", "")).startswith(("cuda", "gpu"))
        ideal = float(r["world_size"]) if per_device else 1.0
        speedup = dist_sps / base_sps
        r["scaling"] = {
            "baseline_id": base["id"],
            "speedup": round(speedup, 3),
            "ideal_speedup": ideal,
            "efficiency": round(speedup / ideal, 3),
            "basis": (
                f"one device per rank: ideal speed-up {ideal:g}× ({r['world_size']} ranks)"
                if per_device
                else "CPU ranks share this machine's cores: ideal speed-up 1× (same cores)"
            ),
        }
        r["scaling_efficiency"] = r["scaling"]["efficiency"]
        comparable.mark_scaling(r, base)
