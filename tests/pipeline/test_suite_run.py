"""The one suite loop (chooser.pipeline.SuiteRun): one trial after the other, cancel one
and the rest go on, cancel all and the finished results are kept. The trial runner here is
a stand-in that sleeps; the real one is exercised by tests/trials and the CLI tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from chooser.pipeline.suite_run import SuiteRun


@dataclass
class Spec:
    framework: str
    mode: str = "single"
    kind: str = "throughput"

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.framework}/{self.mode}"


def runner(hold: set[str], started: list[str]):
    async def run(spec, on_event=None) -> dict:
        started.append(spec.id)
        await asyncio.sleep(30 if spec.id in hold else 0)
        return {"id": spec.id, "status": "ok", "framework": spec.framework, "mode": spec.mode}

    return run


async def test_cancel_one_running_trial_and_skip_a_queued_one():
    specs = [Spec("a"), Spec("b"), Spec("c")]
    started: list[str] = []
    ended: list[tuple[str, str]] = []
    run = SuiteRun(
        specs,
        run=runner({"throughput/a/single"}, started),
        on_result=lambda spec, r: ended.append((spec.id, r["status"])),
    )
    task = asyncio.create_task(run.run())
    await asyncio.sleep(0.05)
    assert run.cancel("throughput/b/single")  # queued: skipped when reached
    assert run.cancel("throughput/a/single")  # running: its task is cancelled
    results = await task
    assert started == ["throughput/a/single", "throughput/c/single"]
    assert [(r["id"], r["status"]) for r in results] == [
        ("throughput/a/single", "cancelled"),
        ("throughput/b/single", "cancelled"),
        ("throughput/c/single", "ok"),
    ]
    assert "skipped by you" in results[1]["message"]
    assert ended == [(r["id"], r["status"]) for r in results]
    assert not run.cancel("throughput/c/single")  # already ended


async def test_cancelling_the_suite_keeps_finished_results():
    specs = [Spec("a"), Spec("b"), Spec("c")]
    told: list[tuple[str, str]] = []
    run = SuiteRun(
        specs,
        run=runner({"throughput/b/single"}, []),
        on_result=lambda spec, r: told.append((spec.id, r.get("message") or "")),
    )
    task = asyncio.create_task(run.run())
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    assert [(r["id"], r["status"]) for r in run.results] == [
        ("throughput/a/single", "ok"),
        ("throughput/b/single", "cancelled"),
    ]
    assert "process group was killed" in run.results[-1]["message"]
    assert told[-1] == ("throughput/c/single", "not started: the suite was interrupted")


def interleaver(hold: bool, groups: list[list[str]]):
    """A stand-in for chooser.measure.rounds.run_interleaved: records each group it ran."""

    async def interleave(specs, rounds, on_event=None, wait_quiet_s=0.0) -> list[dict]:
        groups.append([s.id for s in specs])
        await asyncio.sleep(30 if hold else 0)
        return [
            {"id": s.id, "status": "ok", "framework": s.framework, "mode": s.mode, "rounds": rounds}
            for s in specs
        ]

    return interleave


async def test_single_trials_of_installed_frameworks_run_as_one_interleaved_group():
    """Only registered frameworks whose import is found are interleaved (torch and
    tensorflow are installed here; "a" is not registered, so it runs alone)."""
    specs = [Spec("torch"), Spec("tensorflow"), Spec("a"), Spec("torch", "distributed")]
    groups: list[list[str]] = []
    alone: list[str] = []
    run = SuiteRun(specs, run=runner(set(), alone), rounds=3, interleave=interleaver(False, groups))
    results = await run.run()
    assert groups == [["throughput/torch/single", "throughput/tensorflow/single"]]
    assert alone == ["throughput/a/single", "throughput/torch/distributed"]
    assert [r["id"] for r in results] == [s.id for s in specs]
    assert results[0]["rounds"] == 3


async def test_cancelling_one_interleaved_trial_cancels_its_group():
    specs = [Spec("torch"), Spec("tensorflow"), Spec("torch", "distributed")]
    ended: list[tuple[str, str]] = []
    run = SuiteRun(
        specs,
        run=runner(set(), []),
        rounds=3,
        interleave=interleaver(True, []),
        on_result=lambda spec, r: ended.append((spec.id, r["status"])),
    )
    task = asyncio.create_task(run.run())
    await asyncio.sleep(0.05)
    assert run.cancel("throughput/tensorflow/single")
    results = await task
    assert [(r["id"], r["status"]) for r in results] == [
        ("throughput/torch/single", "cancelled"),
        ("throughput/tensorflow/single", "cancelled"),
        ("throughput/torch/distributed", "ok"),
    ]
    assert "interleaved with it" in results[0]["message"]
    assert ended == [(r["id"], r["status"]) for r in results]
