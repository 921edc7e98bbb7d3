"""Run the scaling estimate's child (``probes.trials.allreduce``) through the runner (its own
process group, a timeout, killed whole on cancel) and turn its figures into the suite's
``scaling_estimate`` object (``chooser.measure.scaling_estimate``). Never raises except
when cancelled: a failure becomes ``{"status": "error", "message": …}``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from chooser.measure import scaling_estimate
from chooser.measure.busy import BusyMonitor
from chooser.measure.runner import child_env, module_argv, run_child

CHILD = "probes.trials.allreduce"
TIMEOUT_S = 300.0


def child_argv(
    *,
    device: str = "auto",
    data: str | None = None,
    world_sizes: str | None = None,
    threads: int | None = None,
) -> list[str]:
    args = ["--device", device]
    if threads:
        args += ["--threads", str(threads)]
    if data:
        args += ["--data", data]
    if world_sizes:
        args += ["--world-sizes", world_sizes]
    return module_argv(CHILD, *args)


async def run_estimate(
    trials: Sequence[dict[str, Any]] = (),
    *,
    bandwidths_gbps: Sequence[float] = scaling_estimate.BANDWIDTHS_GBPS,
    device: str = "auto",
    data: str | None = None,
    world_sizes: str | None = None,
    threads: int | None = None,
    timeout_s: float = TIMEOUT_S,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Measure, fit, estimate; the validation uses ``trials`` (a suite's results).
    ``threads``: the suite's thread budget for one rank (p ranks take ÷ p, as its trials)."""
    argv = child_argv(device=device, data=data, world_sizes=world_sizes, threads=threads)
    try:
        async with BusyMonitor() as monitor:
            outcome = await run_child(argv, timeout=timeout_s, on_event=on_event, env=child_env())
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # e.g. the interpreter could not be started
        return scaling_estimate.failed(f"{type(exc).__name__}: {exc}")
    if not outcome.ok or outcome.result is None:
        return {**scaling_estimate.failed(outcome.message), "command": " ".join(argv)}
    try:
        made = scaling_estimate.estimate(
            outcome.result, trials, bandwidths_gbps, busy_warning=monitor.warning()
        )
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        return {
            **scaling_estimate.failed(f"cannot fit the model: {exc}"),
            "command": " ".join(argv),
        }
    made.update(
        command=" ".join(argv),
        busy_warning=monitor.warning(),
        wall_time_s=round(outcome.wall_s, 3),
    )
    return made
