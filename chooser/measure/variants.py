"""Variants of the single-process trial and the out-of-the-box share (docs/trials.md).

A framework's trial can be written three ways: ``tuned`` (the trial as this project
tuned it), ``beginner`` (the seed article's style, as a person new to the framework
writes it) and ``compiled`` (the tuned loop under the framework's compiler). Which
frameworks offer which is the registry's ``variant_modules``. The **out-of-the-box
share** of a framework is its beginner samples/s ÷ the best samples/s among its
variants: how much of the speed it gives before one learns its tricks. The variants run
one after the other, not interleaved, so the interval is an independent bootstrap over
each run's windows (or rounds), and the share is comparable only when both runs are.
Framework-free.
"""

from __future__ import annotations

from typing import Any

from chooser.core import frameworks
from chooser.core.figures import compare_pair
from chooser.measure.trials import TrialSpec, installed

VARIANT_ORDER = ("beginner", "compiled")  # run after the tuned trials, in this order


def variant_specs(
    epochs: int | None, timeout_s: float, steps: int | None = None
) -> list[TrialSpec]:
    """The beginner and compiled single-process trials of every installed framework that
    offers them, with the tuned single trials' budget and windows of 20 steps."""
    return [
        TrialSpec(
            fw.id,
            "single",
            steps=steps,
            epochs=epochs,
            timeout_s=timeout_s,
            extra_args=("--window-steps", "20"),
            variant=variant,
        )
        for fw in frameworks.frameworks()
        if installed(fw.id)
        for variant in VARIANT_ORDER
        if variant in fw.variant_modules
    ]


def _median(result: dict[str, Any]) -> float | None:
    return (result.get("samples_per_second") or {}).get("median")


def _is_single_throughput(result: dict[str, Any]) -> bool:
    return result.get("mode") == "single" and result.get("kind", "throughput") == "throughput"


def _why_not_measured(result: dict[str, Any]) -> str:
    sps = result.get("samples_per_second") or {}
    why = result.get("message") or sps.get("method") or "no throughput"
    return f"{result.get('id')} ({result.get('status')}: {why})"


def out_of_box_share(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{framework: {share, ci95, beginner_id, best_id, comparable, reason, …}} for every
    framework with a beginner result; ``share`` is None (with the reason) when the
    beginner or every other variant did not measure a throughput. A variant that measured
    nothing is listed in ``left_out``; without the tuned one the share is not comparable
    (the best is unknown)."""
    out: dict[str, dict[str, Any]] = {}
    singles = [r for r in results if _is_single_throughput(r)]
    for beginner in [r for r in singles if r.get("variant") == "beginner"]:
        framework = str(beginner.get("framework"))
        mine = [r for r in singles if r.get("framework") == framework]
        ran = [r for r in mine if r.get("status") == "ok" and _median(r)]
        out[framework] = _share(beginner, ran)
        left_out = [r for r in mine if r not in ran and r is not beginner]
        if left_out:
            out[framework]["left_out"] = [_why_not_measured(r) for r in left_out]
        if any(r.get("variant", "tuned") == "tuned" for r in left_out):
            out[framework]["comparable"] = False
            out[framework]["reason"] = "; ".join(
                filter(
                    None,
                    [
                        "the tuned trial measured no throughput, so the best is unknown",
                        out[framework]["reason"],
                    ],
                )
            )
    return out


def _share(beginner: dict[str, Any], ran: list[dict[str, Any]]) -> dict[str, Any]:
    """The share entry of one framework from its variants that measured a throughput."""
    rates = {str(r.get("variant") or "tuned"): _median(r) for r in ran}
    entry: dict[str, Any] = {
        "share": None,
        "ci95": None,
        "beginner_id": beginner.get("id"),
        "best_id": None,
        "samples_per_second": rates,
        "comparable": False,
        "reason": None,
        "basis": "beginner samples/s ÷ the best samples/s among this framework's variants "
        "(tuned, compiled, beginner), measured one after the other",
    }
    if beginner not in ran:
        entry["reason"] = (
            f"the beginner trial did not measure a throughput ({beginner.get('status')}"
            f"{': ' + str(beginner.get('message')) if beginner.get('message') else ''})"
        )
        return entry
    best = max(ran, key=lambda r: _median(r) or 0.0)
    entry["best_id"] = best.get("id")
    if best is beginner:
        others = [r for r in ran if r is not beginner]
        apart = [
            f"{r.get('id')}: {r.get('comparable_reason')}" for r in ran if not r.get("comparable")
        ]
        entry["share"] = 1.0
        entry["comparable"] = bool(others) and not apart
        entry["reason"] = "; ".join(
            ["the beginner variant was the fastest" if others else "no other variant measured"]
            + apart
        )
        return entry
    pair = compare_pair(beginner, best)
    if pair is None:  # neither has windows: the medians alone, no interval
        entry["share"] = round((_median(beginner) or 0.0) / (_median(best) or 1.0), 4)
        entry["reason"] = "no throughput windows to bootstrap"
        return entry
    entry.update(
        share=pair["ratio"],
        ci95=pair["ci95"],
        interval_method=pair["interval_method"] + " (each trial independently)",
        comparable=pair["comparable"],
        reason=pair["comparable_reason"],
    )
    return entry
