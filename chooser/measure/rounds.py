"""Interleaved rounds: the single-process trials that compare frameworks run as
alternating rounds, one per registered framework in turn (A, B, A, B, …), so a load
that comes and goes hits every one.

One child per framework stays alive for the whole comparison (a framework's import
costs seconds; restarting it per round would make the suite several times longer):
it is started with ``--rounds N --wait-between-rounds``, runs its first round at once
(so its time to first step is measured as in a lone trial), reports each round as a
``round`` event on stdout and waits for a line on stdin before the next one. The
children start one after the other, never together, so neither's start-up competes
with the other's. After the last round each is told, in turn, to evaluate and report.
Others' CPU use is measured over each round (``budget.LoadWindow``) and stored with
the round; the result's ``machine_load`` is the time-weighted mean over its rounds.
A child that fails, times out or is cancelled ends like a lone trial: its whole
process group is killed and the other framework's rounds go on.
"""

from __future__ import annotations

import asyncio
import shlex
from typing import Any

from chooser.measure.budget import MIN_QUIET_ROUNDS, QUIET_CORES, Load, LoadWindow
from chooser.measure.runner import ChildOutcome, child_env, run_child
from chooser.measure.trials import TrialEventHandler, TrialSpec, skeleton, trial_argv

QUICK_ROUNDS = 5
MIN_ROUND_STEPS = 26  # 5 warm-up steps, one window of 20, +1: fewer steps time nothing


class _Child:
    """One framework's long-lived trial process and its round events."""

    def __init__(
        self, spec: TrialSpec, rounds: int, timeout_s: float, on_event: TrialEventHandler | None
    ) -> None:
        self.spec, self.on_event = spec, on_event
        self.argv = trial_argv(spec) + ["--rounds", str(rounds), "--wait-between-rounds"]
        self.timeout_s = timeout_s
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.loads: list[Load] = []
        self.proc: asyncio.subprocess.Process | None = None
        self.task: asyncio.Task[ChildOutcome] | None = None

    async def start(self) -> None:
        started: asyncio.Future[asyncio.subprocess.Process] = (
            asyncio.get_running_loop().create_future()
        )

        def forward(event: dict[str, Any]) -> None:
            if event.get("event") == "round":
                self.events.put_nowait(event)
            if self.on_event is not None:
                self.on_event(self.spec.id, event)

        self.task = asyncio.create_task(
            run_child(
                self.argv,
                timeout=self.timeout_s,
                on_event=forward,
                env=child_env(),
                on_start=started.set_result,
            )
        )
        waiting: set[asyncio.Future[Any]] = {started, self.task}
        done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if started in done:
            self.proc = started.result()

    @property
    def alive(self) -> bool:
        return self.task is not None and not self.task.done() and self.proc is not None

    async def go(self) -> None:
        """Let the child run its next round (or, after the last, evaluate)."""
        stdin = self.proc.stdin if self.proc is not None else None
        if self.alive and stdin is not None:
            try:
                stdin.write(b"go\n")
                await stdin.drain()
            except (BrokenPipeError, ConnectionResetError):
                pass

    async def round(self) -> dict[str, Any] | None:
        """The next round event, or None when the child ended first."""
        if self.task is None:
            return None
        getter = asyncio.create_task(self.events.get())
        done, _ = await asyncio.wait({getter, self.task}, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            return getter.result()
        getter.cancel()
        return None


def _machine_load(loads: list[Load], used: list[bool] | None = None) -> dict[str, Any]:
    every = loads
    if used is not None and any(used):
        loads = [w for w, u in zip(loads, used) if u]
    seconds = sum(w.seconds for w in loads)
    if not loads or seconds <= 0:
        return {"other_cores_avg": None, "cores": None, "sampled_s": 0.0}
    tops: dict[tuple[str, int], float] = {}
    for w in loads:
        for name, pid, cores in w.top:
            tops[(name, pid)] = tops.get((name, pid), 0.0) + cores * w.seconds
    top = sorted(tops.items(), key=lambda kv: -kv[1])[:3]
    avg = sum(w.other_cores * w.seconds for w in loads) / seconds
    return {
        "other_cores_avg": round(avg, 2),
        "cores": loads[0].cores,
        "sampled_s": round(seconds, 1),
        "per_round": [round(w.other_cores, 2) for w in every],
        "top": [{"name": n, "pid": p, "cores": round(c / seconds, 2)} for (n, p), c in top],
        "how": "others' CPU time between snapshots taken at the start and end of each "
        "round (round 1 includes the child's start-up), time-weighted over the "
        "rounds the figures use",
    }


def quiet_rounds(children: list[_Child]) -> list[bool]:
    """Which round numbers every child ran while others stayed under QUIET_CORES: the
    figures come from those (both frameworks' round i, so the pairing holds). With fewer
    than MIN_QUIET_ROUNDS of them, every round is used and the results say so."""
    count = min((len(c.loads) for c in children), default=0)
    quiet = [all(c.loads[i].other_cores <= QUIET_CORES for c in children) for i in range(count)]
    return quiet if sum(quiet) >= MIN_QUIET_ROUNDS else [True] * count


def _refigure(sps: dict[str, Any], used: list[bool]) -> None:
    """Recompute the throughput summary from the rounds used; each round says if it was."""
    records = sps.get("rounds") or []
    for i, record in enumerate(records):
        record["used"] = i < len(used) and used[i]
    rates = [w for r in records if r["used"] for w in r.get("windows") or []]
    if not rates or len(rates) == len(sps.get("window_rates") or []):
        return
    rates_sorted = sorted(rates)
    mid = len(rates_sorted) // 2
    median = (
        rates_sorted[mid] if len(rates) % 2 else (rates_sorted[mid - 1] + rates_sorted[mid]) / 2
    )
    kept = sum(1 for r in records if r["used"])
    sps.update(
        median=median,
        min=min(rates),
        max=max(rates),
        windows=len(rates),
        window_rates=rates,
        method=sps.get("method", "") + f"; only the {kept} of {len(records)} rounds "
        "in which other processes stayed under the busy limit",
    )


def _shape(
    child: _Child, outcome: ChildOutcome | None, rounds: int, used: list[bool]
) -> dict[str, Any]:
    spec = child.spec
    result = skeleton(spec, child.argv)
    if outcome is None:
        return {**result, "status": "error", "message": "the trial process did not start"}
    if outcome.result is not None and outcome.ok:
        result.update(outcome.result)
    status = {"ok": "ok", "timeout": "timeout", "cancelled": "cancelled"}.get(
        outcome.status, "error"
    )
    message = (
        None
        if status == "ok"
        else (
            f"timed out after {child.timeout_s:g} s; the whole process group was killed"
            if status == "timeout"
            else outcome.message
        )
    )
    used = used[: len(child.loads)]
    load = _machine_load(child.loads, used)
    busy = None
    if load["other_cores_avg"] is not None and load["other_cores_avg"] > QUIET_CORES:
        busy = (
            f"machine busy: other processes used {load['other_cores_avg']:.1f} of "
            f"{load['cores']} cores on average during this trial's rounds; its timings "
            "are not comparable with runs on an idle machine"
        )
    sps = result.get("samples_per_second")
    if isinstance(sps, dict):
        for record, window in zip(sps.get("rounds") or [], child.loads):
            record["other_cores"] = round(window.other_cores, 2)
        _refigure(sps, used)
        sps["quiet_rounds"] = sum(
            1
            for r in sps.get("rounds") or []
            if r["used"] and r.get("other_cores", 0) <= QUIET_CORES
        )
    # The command that reproduces it alone: the same rounds, without waiting for a driver.
    alone = [a for a in child.argv if a != "--wait-between-rounds"]
    result.update(
        id=spec.id,
        status=status,
        message=message,
        command=shlex.join(alone),
        busy_warning=busy,
        machine_load=load,
        runner_wall_s=round(outcome.wall_s, 3),
        rounds_planned=rounds,
        interleaved=True,
    )
    if status != "ok":
        result["stderr_tail"] = outcome.stderr_tail[-2000:]
    return result


async def _until_quiet(last: Load | None, budget_s: float) -> float:
    """After a busy round, wait (at most ``budget_s``) for others to quieten before the
    next one; the children sit idle meanwhile. Returns the seconds spent."""
    spent = 0.0
    while last is not None and not last.quiet and spent < budget_s:
        async with LoadWindow() as window:
            await asyncio.sleep(0.5)
        last, spent = window.load, spent + window.load.seconds
    return spent


async def run_interleaved(
    specs: list[TrialSpec],
    rounds: int = QUICK_ROUNDS,
    on_event: TrialEventHandler | None = None,
    wait_quiet_s: float = 0.0,
) -> list[dict[str, Any]]:
    """Run single-process ``specs`` as alternating rounds; one result per spec, in order.
    ``wait_quiet_s``: in all, how long to hold the rounds while others keep the machine
    busy (a load that comes and goes then leaves quiet rounds). Cancelling kills every
    child's process group."""
    steps = min((s.steps for s in specs if s.steps), default=None)
    if steps:  # a short budget (the app's custom steps) gets fewer rounds, each still timed
        rounds = max(1, min(rounds, steps // MIN_ROUND_STEPS))
    timeout = sum(s.timeout_s for s in specs)  # a child also waits for the others' rounds
    children = [_Child(spec, rounds, timeout + wait_quiet_s, on_event) for spec in specs]
    waited = 0.0
    try:
        for child in children:  # one after the other: start-ups never overlap
            async with LoadWindow() as window:
                await child.start()
                first = await child.round()
            if first is not None:
                child.loads.append(window.load)
        last = next((c.loads[-1] for c in reversed(children) if c.loads), None)
        for _ in range(1, rounds):
            for child in children:
                if not child.alive:
                    continue
                waited += await _until_quiet(last, wait_quiet_s - waited)
                async with LoadWindow() as window:
                    await child.go()
                    event = await child.round()
                if event is not None:
                    child.loads.append(window.load)
                last = window.load
        outcomes: list[ChildOutcome | None] = []
        for child in children:  # evaluate one at a time as well
            await child.go()
            try:
                outcomes.append(await child.task if child.task is not None else None)
            except Exception:  # noqa: BLE001  e.g. the interpreter could not be started
                outcomes.append(None)
    finally:
        for child in children:
            if child.task is not None and not child.task.done():
                child.task.cancel()
                try:
                    await child.task
                except asyncio.CancelledError:
                    pass
    used = quiet_rounds([c for c in children if c.loads])
    results = [_shape(child, outcome, rounds, used) for child, outcome in zip(children, outcomes)]
    for result in results:
        result["waited_for_quiet_s"] = round(waited, 1)
    return results
