"""The cluster scaling estimate's part of "Beyond speed" (chooser/report/beyond.py): one row
per layout with a column per bandwidth, every cell labelled "estimate", the formula and
inputs as notes, then the model against the measurement where it was checked."""

from __future__ import annotations

from typing import Any

from chooser.core import numbers
from chooser.report.beyond import ESTIMATE, Section, name


def scaling_sections(estimate: dict[str, Any] | None) -> list[Section]:
    """The estimate's rows (one per layout, a column per bandwidth), then its validation."""
    if not estimate:
        return []
    if estimate.get("status") not in (None, "ok"):
        return [
            Section(
                "scaling",
                "Cluster scaling (estimate)",
                ["Status"],
                [[f"not made: {estimate.get('message') or 'no reason given'}"]],
            )
        ]
    layouts: dict[tuple[int, int], dict[float, Any]] = {}
    for row in estimate.get("rows") or []:
        key = (row["nodes"], row["gpus_per_node"])
        layouts.setdefault(key, {})[row["bandwidth_gbps"]] = row["predicted_efficiency"]
    speeds = sorted({bw for cells in layouts.values() for bw in cells})
    table = Section(
        "scaling",
        "Cluster scaling (estimate, not a measurement)",
        ["Nodes × GPUs"] + [f"{numbers.decimal(bw, 0)} Gb/s ({ESTIMATE})" for bw in speeds],
        [
            [_layout(nodes, gpus)]
            + [f"{numbers.percent(cells.get(bw), 0)} {ESTIMATE}" for bw in speeds]
            for (nodes, gpus), cells in layouts.items()
        ],
        _scaling_notes(estimate),
    )
    checks = Section(
        "validation",
        "Scaling estimate checked here: model vs measurement",
        ["Ranks", "Predicted (model)", "Measured (trial)", "Within ±25 %"],
        [
            [
                numbers.count(v.get("world_size")),
                numbers.percent(v.get("predicted_efficiency")),
                numbers.percent(v.get("measured_efficiency"))
                + (f" ({_by(v)})" if v.get("measured_by") else ""),
                _verdict(v),
            ]
            for v in estimate.get("validation") or []
        ],
        [
            "efficiency here: CPU ranks share this machine's cores, so the ideal speed-up is 1×"
            if (estimate.get("inputs") or {}).get("device") != "cuda"
            else "efficiency here: one GPU per rank, ideal speed-up = ranks"
        ],
    )
    return [table, checks]


def _verdict(check: dict[str, Any]) -> str:
    within = check.get("within_25pct")
    said = None if within is None else ("yes" if within else "no")
    if said is None:
        return str(check.get("note") or numbers.MISSING)
    if check.get("comparable") is False:  # the whole reason is in the JSON
        return f"{said} (not a fair check: the machine was busy)"
    return said


def _by(check: dict[str, Any]) -> str:
    return name({"id": check["measured_by"], "world_size": check.get("world_size")})


def _ms(value: Any) -> str:
    """Milliseconds with one decimal: a step's compute time is a few of them."""
    return numbers.MISSING if value is None else f"{numbers.decimal(value * 1e3, 1)} ms"


def _layout(nodes: int, gpus: int) -> str:
    return f"{nodes} node{'s' if nodes != 1 else ''} × {gpus} GPU{'s' if gpus != 1 else ''}"


def _scaling_notes(estimate: dict[str, Any]) -> list[str]:
    i = estimate.get("inputs") or {}
    sizes = ", ".join(numbers.size(n) for n in i.get("measured_sizes") or [])
    notes = [
        f"formula: {estimate.get('formula', '–')}",
        f"α (latency per ring step) = {numbers.decimal((i.get('alpha_s') or 0) * 1e6, 1)} µs, "
        f"β (bandwidth) = {numbers.size(i.get('beta_bytes_per_s'))}/s, both fitted to "
        f"all-reduces measured here ({i.get('backend') or '–'}, sizes {sizes}); largest fit "
        f"error {numbers.percent(i.get('fit_max_relative_error'))}",
        f"gradient n = {numbers.count(i.get('gradient_bytes'))} bytes "
        f"({numbers.count(i.get('gradient_params'))} parameters × 4), compute per step "
        f"t_c = {_ms(i.get('compute_s'))} (batch {numbers.count(i.get('batch_size'))}, "
        f"measured here on {i.get('device') or '–'})",
        f"assumed: {estimate.get('intra_node', '–')}; no overlap of the all-reduce with the "
        "backward pass; α as measured here (a cluster's latency differs, and for large rings "
        "α dominates); a faster device (shorter t_c) lowers every figure",
    ]
    if estimate.get("busy_warning"):
        notes.append(str(estimate["busy_warning"]))
    return notes
