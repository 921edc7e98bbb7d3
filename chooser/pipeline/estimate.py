"""The cluster scaling estimate as one headless step (issue 13), for the ``full`` suite and
for ``chooser trial --scaling-estimate``.

``for_suite``: after a suite's trials, measure the all-reduces and compute steps and
validate the model against the suite's own distributed trial. ``standalone``: the same,
then (unless told not to) a short single and distributed trial of the framework whose
collectives were measured, so the prediction has a measurement beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chooser.measure import scaling_estimate
from chooser.measure.budget import measure_budget
from chooser.measure.estimate_run import run_estimate
from chooser.measure.scaling import add_scaling
from chooser.measure.trials import TrialSpec, run_trial

VALIDATION_STEPS = 200  # per trial: enough windows for a median, ~20 s each here
OnEvent = Callable[[str, dict[str, Any]], None]


async def for_suite(
    results: Sequence[dict[str, Any]],
    *,
    bandwidths_gbps: Sequence[float] = scaling_estimate.BANDWIDTHS_GBPS,
    data: str | None = None,
    device: str = "auto",
    threads: int | None = None,
) -> dict[str, Any]:
    """The suite's ``scaling_estimate`` object, validated against ``results``; ``threads``:
    the suite's thread budget, so the compute steps split the cores as its trials did."""
    return await run_estimate(
        results, bandwidths_gbps=bandwidths_gbps, data=data, device=device, threads=threads
    )


async def standalone(
    *,
    bandwidths_gbps: Sequence[float] = scaling_estimate.BANDWIDTHS_GBPS,
    data: str | None = None,
    device: str = "auto",
    validate: bool = True,
    on_event: OnEvent | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the estimate, the validation trials' results). One thread budget for all of it
    (chooser.measure.budget: free cores rounded down), as a suite does."""
    budget = await measure_budget()
    estimate = await run_estimate(
        bandwidths_gbps=bandwidths_gbps,
        data=data,
        device=device,
        threads=budget.threads,
        on_event=(lambda e: on_event("scaling_estimate", e)) if on_event else None,
    )
    framework = (estimate.get("inputs") or {}).get("framework")
    if not validate or estimate.get("status") != "ok" or not framework:
        return estimate, []
    trials: list[dict[str, Any]] = []
    worlds = sorted({v["world_size"] for v in estimate["validation"]})
    estimate["thread_budget"] = budget.record()
    specs = [
        TrialSpec(
            framework,
            "distributed" if w > 1 else "single",
            workers=w,
            steps=VALIDATION_STEPS,
            data=data,
            device=device,
            threads=budget.per_rank(w),
        )
        for w in [1, *worlds]
    ]
    for spec in specs:
        trials.append(await run_trial(spec, on_event))
    add_scaling(trials)
    estimate["validation"] = scaling_estimate.validate(estimate["inputs"], trials)
    return estimate, trials


def parse_bandwidths(text: str) -> list[float]:
    """``--bandwidth 25`` or ``1,10,100`` (Gb/s) → numbers; ValueError names the bad one."""
    out = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise ValueError(
                f"--bandwidth takes Gb/s numbers like 25 or 1,10,100, got {part!r}"
            ) from None
        if not 0 < value < 1e6:
            raise ValueError(f"--bandwidth must be between 0 and 1,000,000 Gb/s, got {part}")
        out.append(value)
    return out
