"""The cluster scaling estimate (issue 13): a ring all-reduce latency/bandwidth model fitted
to all-reduces measured here, then used to estimate scaling efficiency on N nodes × G GPUs at
a named interconnect. Pure arithmetic on the figures ``probes.trials.allreduce`` measured;
an ESTIMATE, labelled so everywhere (``estimate: true``).

Model (ring all-reduce of n bytes over p ranks; Patarasuk & Yuan 2009; NCCL's and gloo's
ring): ``t(p, n) = 2(p−1)·α + 2(p−1)/p · n/β``, α the per-step latency, β the link bandwidth
in bytes/s. α and β come from a least-squares fit over every measured (p, n, t), each row
weighted by 1/t so the small gradient-sized reduces count as much as the large ones.

Estimate for N nodes × G GPUs: one ring over N·G ranks; each node has one ring edge out, so
the inter-node link (the bandwidth named) is the slowest link, assuming intra-node links
(NVLink, PCIe) are at least as fast. efficiency = t_c / (t_c + t(N·G, gradient bytes, α,
β_link)), with t_c the step's compute time measured here and α the latency measured here. No
overlap of communication with the backward pass is assumed (DDP overlaps some), so the
estimate leans low; a GPU's shorter step would lower it too.

Validation where it can be checked: for the world sizes measured here the model predicts
what the distributed trial measures, ``p · t_c(1) / (t_c(p) + t(p, gradient))`` ÷ the ideal
speed-up (1 for CPU ranks that share the cores, p for one GPU per rank), beside the trial's
``scaling_efficiency`` (chooser/measure/scaling.py), and whether they agree within ±25 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

FORMULA = "t(p, n) = 2(p−1)·α + 2(p−1)/p · n/β;  efficiency = t_c / (t_c + t(N·G, n, α, β_link))"
BANDWIDTHS_GBPS = (1, 10, 25, 100, 400)
LAYOUTS = ((2, 1), (4, 1), (2, 8), (4, 8), (16, 8))  # (nodes, GPUs per node)
TOLERANCE = 0.25
INTRA_NODE = (
    "one ring over all N·G ranks; intra-node links (NVLink, PCIe) assumed at least as fast "
    "as the named network link, so each node's one ring edge out sets the pace"
)


def ring_seconds(p: int, n: float, alpha: float, beta: float) -> float:
    """Time of a ring all-reduce of ``n`` bytes over ``p`` ranks (0 for one rank)."""
    if p <= 1:
        return 0.0
    return 2 * (p - 1) * alpha + 2 * (p - 1) / p * n / beta


def fit(points: Iterable[tuple[int, float, float]]) -> tuple[float, float]:
    """(α seconds, β bytes/s) from (world size, bytes, seconds), least squares weighted by
    1/t. A negative latency (noise on tiny reduces) is not physical: then α = 0 and β is
    refitted alone. ValueError when the points cannot fix both (fewer than two sizes)."""
    rows = [
        (2 * (p - 1) / t, 2 * (p - 1) / p * n / t)  # x1·w, x2·w; target t·w = 1
        for p, n, t in points
        if p > 1 and t > 0 and n > 0
    ]
    if len({round(r[1] / r[0], 9) for r in rows}) < 2:
        raise ValueError("the fit needs all-reduces of at least two sizes")
    s11 = sum(a * a for a, _ in rows)
    s12 = sum(a * b for a, b in rows)
    s22 = sum(b * b for _, b in rows)
    y1, y2 = sum(a for a, _ in rows), sum(b for _, b in rows)
    det = s11 * s22 - s12 * s12
    alpha = (y1 * s22 - y2 * s12) / det
    inv_beta = (s11 * y2 - s12 * y1) / det
    if alpha < 0 or inv_beta <= 0:
        alpha, inv_beta = 0.0, y2 / s22
    if inv_beta <= 0:
        raise ValueError("the measured all-reduces do not grow with size; no bandwidth to fit")
    return alpha, 1.0 / inv_beta


def efficiency(compute_s: float, allreduce_s: float) -> float:
    return compute_s / (compute_s + allreduce_s)


def rows(
    compute_s: float,
    gradient_bytes: float,
    alpha: float,
    bandwidths_gbps: Sequence[float] = BANDWIDTHS_GBPS,
    layouts: Sequence[tuple[int, int]] = LAYOUTS,
) -> list[dict[str, Any]]:
    """One row per (layout, bandwidth): the estimated scaling efficiency."""
    out = []
    for nodes, gpus in layouts:
        for gbps in bandwidths_gbps:
            beta = gbps * 1e9 / 8
            t = ring_seconds(nodes * gpus, gradient_bytes, alpha, beta)
            out.append(
                {
                    "nodes": nodes,
                    "gpus_per_node": gpus,
                    "bandwidth_gbps": gbps,
                    "allreduce_s": t,
                    "predicted_efficiency": round(efficiency(compute_s, t), 4),
                    "estimate": True,
                }
            )
    return out


def predict_here(inputs: dict[str, Any], world: int) -> float | None:
    """The model's efficiency for ``world`` ranks on this machine (what the distributed
    trial measures): speed-up p·t_c(1)/(t_c(p) + t_ar) over the ideal speed-up. ``inputs``
    is the estimate's ``inputs`` object (α, β, compute times by world size)."""
    compute = inputs.get("compute_s_by_world") or {}
    t1, tp = compute.get("1"), compute.get(str(world))
    if not t1 or not tp:
        return None
    alpha, beta = inputs["alpha_s"], inputs["beta_bytes_per_s"]
    t_ar = ring_seconds(world, inputs["gradient_bytes"], alpha, beta)
    ideal = world if inputs.get("device") == "cuda" else 1
    return round(float(world * t1 / (tp + t_ar) / ideal), 4)


def measured_efficiency(
    trials: Sequence[dict[str, Any]], world: int, framework: str | None
) -> dict[str, Any] | None:
    """The distributed trial of ``world`` ranks in the framework whose collectives were
    measured (the child says which) with a scaling efficiency, if the results hold one."""
    for r in trials:
        if (
            r.get("framework") == framework
            and r.get("mode") == "distributed"
            and r.get("world_size") == world
            and isinstance(r.get("scaling_efficiency"), (int, float))
        ):
            return r
    return None


def within(
    predicted: float | None, measured: float | None, tolerance: float = TOLERANCE
) -> bool | None:
    if predicted is None or measured is None or not measured:
        return None
    return abs(predicted - measured) <= tolerance * abs(measured)


def validate(inputs: dict[str, Any], trials: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Prediction beside measurement for every world size whose all-reduces were measured."""
    out = []
    for world in sorted({m["world_size"] for m in inputs.get("measured") or []}):
        predicted = predict_here(inputs, world)
        trial = measured_efficiency(trials, world, inputs.get("framework"))
        measured = trial.get("scaling_efficiency") if trial else None
        unfair = [
            why
            for why in (
                inputs.get("busy_warning"),
                trial.get("comparable_reason")
                if trial and trial.get("comparable") is False
                else None,
            )
            if why
        ]
        out.append(
            {
                "world_size": world,
                "predicted_efficiency": predicted,
                "measured_efficiency": measured,
                "measured_by": trial.get("id") if trial else None,
                "within_25pct": within(predicted, measured),
                # a check taken while others loaded the machine proves little either way
                "comparable": not unfair if trial else None,
                "comparable_reason": "; ".join(str(w) for w in unfair) or None,
                "note": None
                if trial
                else f"no measured {world}-rank distributed trial of the same framework "
                "in these results to compare with",
            }
        )
    return out


def estimate(
    child: dict[str, Any],
    trials: Sequence[dict[str, Any]] = (),
    bandwidths_gbps: Sequence[float] = BANDWIDTHS_GBPS,
    busy_warning: str | None = None,
) -> dict[str, Any]:
    """The ``scaling_estimate`` object of a suite's JSON from the child's measurements
    (``child``: probes.trials.allreduce's result) and the suite's results (validation);
    ``busy_warning``: other processes loaded the machine while the child measured."""
    points = [(m["world_size"], m["bytes"], m["seconds"]) for m in child.get("allreduce", [])]
    alpha, beta = fit(points)
    compute_s = float(child["compute_s"]["1"])
    residuals = [ring_seconds(p, n, alpha, beta) / t - 1 for p, n, t in points if t > 0]
    inputs = {
        "alpha_s": alpha,
        "beta_bytes_per_s": beta,
        "gradient_bytes": child["gradient_bytes"],
        "gradient_params": child.get("gradient_params"),
        "compute_s": compute_s,
        "compute_s_by_world": child.get("compute_s"),
        "threads_per_rank": child.get("threads_per_rank"),
        "batch_size": child.get("batch_size"),
        "backend": child.get("backend"),
        "framework": child.get("framework"),
        "device": child.get("device"),
        "measured_sizes": sorted({int(n) for _, n, _ in points}),
        "measured": child.get("allreduce"),
        "fit_max_relative_error": round(max(abs(r) for r in residuals), 4) if residuals else None,
        "data_source": child.get("data_source"),
        "busy_warning": busy_warning,
    }
    return {
        "estimate": True,
        "status": "ok",
        "formula": FORMULA,
        "intra_node": INTRA_NODE,
        "rows": rows(compute_s, child["gradient_bytes"], alpha, bandwidths_gbps),
        "validation": validate(inputs, trials),
        "inputs": inputs,
        "how": "all-reduces and compute steps measured here by probes.trials.allreduce; "
        "α, β fitted by weighted least squares; the rows are an estimate, not a measurement",
    }


def failed(message: str) -> dict[str, Any]:
    """The ``scaling_estimate`` object when it could not be made (and why)."""
    return {"estimate": True, "status": "error", "message": message, "rows": [], "validation": []}
