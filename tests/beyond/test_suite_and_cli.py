"""The scaling estimate in the suite loop, the CLI's flags, and (slow) the real child and
``chooser trial --scaling-estimate --json`` with its contract."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest

from chooser import pipeline
from chooser.pipeline.estimate import parse_bandwidths
from chooser.pipeline.suite_run import SuiteRun
from tests.pipeline.test_suite_run import Spec, runner


async def test_suite_runs_the_estimate_after_its_trials_with_their_results() -> None:
    seen: list[list[str]] = []

    async def estimate(results):
        seen.append([r["id"] for r in results])
        return {"estimate": True, "status": "ok", "rows": []}

    run = SuiteRun([Spec("a"), Spec("b")], run=runner(set(), []), scaling_estimate=estimate)
    await run.run()
    assert seen == [["throughput/a/single", "throughput/b/single"]]
    assert run.extras["scaling_estimate"]["estimate"] is True


async def test_cancelling_during_the_estimate_keeps_the_trials() -> None:
    async def estimate(results):
        await asyncio.sleep(30)
        return {}

    run = SuiteRun([Spec("a")], run=runner(set(), []), scaling_estimate=estimate)
    task = asyncio.create_task(run.run())
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [r["status"] for r in run.results] == ["ok"]
    assert "scaling_estimate" not in run.extras


def test_only_the_full_suite_estimates() -> None:
    assert pipeline.suite_estimate("quick") is None
    assert pipeline.suite_estimate("full") is not None


def test_bandwidths_parse_and_refuse() -> None:
    assert parse_bandwidths("25") == [25.0]
    assert parse_bandwidths("1,10,100") == [1.0, 10.0, 100.0]
    for bad in ("fast", "0", "-5", "nan", "inf", ""):
        with pytest.raises(ValueError, match="--bandwidth"):
            parse_bandwidths(bad)


def _chooser(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chooser", "trial", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--bandwidth", "25"], "--bandwidth goes with --scaling-estimate or --suite full"),
        (["--scaling-estimate", "--bandwidth", "fast"], "--bandwidth takes Gb/s numbers"),
        (["--scaling-estimate", "--suite", "quick"], "--scaling-estimate runs on its own"),
    ],
)
def test_cli_refuses_bad_flags(args: list[str], message: str) -> None:
    done = _chooser(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_allreduce_child_counts_the_gradient_from_the_model() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "probes.trials.allreduce",
            "--sizes",
            "1048576",
            "--repeats",
            "5",
            "--compute-steps",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["event"] == "result", done.stderr[-2000:]
    assert result["gradient_params"] == 260 + 5_020 + 16_050 + 510  # conv1, conv2, fc1, fc2
    assert result["gradient_bytes"] == 87_360
    assert {m["bytes"] for m in result["allreduce"]} == {87_360, 1_048_576}
    assert all(m["world_size"] == 2 and m["seconds"] > 0 for m in result["allreduce"])
    assert set(result["compute_s"]) == {"1", "2"}


@pytest.mark.slow
def test_scaling_estimate_cli_contract() -> None:
    done = _chooser("--scaling-estimate", "--bandwidth", "10,100", "--json", timeout=400)
    assert done.returncode == 0, done.stderr[-2000:]
    est = json.loads(done.stdout)["scaling_estimate"]
    assert est["estimate"] is True and est["status"] == "ok"
    assert {r["bandwidth_gbps"] for r in est["rows"]} == {10.0, 100.0}
    for row in est["rows"]:
        assert 0 < row["predicted_efficiency"] <= 1
        assert {"nodes", "gpus_per_node"} <= set(row)
    (check,) = est["validation"]
    assert check["world_size"] == 2
    assert check["predicted_efficiency"] > 0 and check["measured_efficiency"] > 0
    assert isinstance(check["within_25pct"], bool)
    inputs = est["inputs"]
    assert inputs["alpha_s"] >= 0 and inputs["beta_bytes_per_s"] > 0
    assert inputs["gradient_bytes"] == 87_360 and inputs["compute_s"] > 0
    assert inputs["measured_sizes"][0] == 87_360
    assert "t(p, n) = 2(p−1)·α" in est["formula"]


@pytest.mark.slow
async def test_cancel_kills_every_rank_and_leaves_nothing(tmp_path, monkeypatch) -> None:
    import psutil

    from chooser.measure.estimate_run import run_estimate

    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the child's rendezvous folder goes here

    def ranks() -> list[psutil.Process]:
        found = []
        for proc in psutil.process_iter(["cmdline"]):
            if any(str(tmp_path) in part for part in proc.info["cmdline"] or []):
                found.append(proc)
        return found

    task = asyncio.create_task(run_estimate(timeout_s=120))
    for _ in range(300):  # until the ranks of a world size are up
        await asyncio.sleep(0.1)
        if ranks():
            break
    assert ranks(), "no rank started"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.5)
    assert ranks() == []
    assert list(tmp_path.glob("chooser-allreduce-*")) == []


@pytest.mark.slow
def test_full_suite_json_has_the_scaling_estimate(monkeypatch, capsys) -> None:
    """`chooser trial --suite full --json` with the full suite cut to two short trials (the
    real one trains 3 epochs of each): the estimate runs after them and is validated
    against their distributed trial."""
    from chooser.cli.entry import main
    from chooser.measure.trials import TrialSpec

    short = [
        TrialSpec("torch", "single", steps=60),
        TrialSpec("torch", "distributed", workers=2, steps=60),
    ]
    monkeypatch.setattr(pipeline, "suite", lambda name: list(short))
    monkeypatch.setattr(pipeline, "suite_rounds", lambda name: None)
    status = main(["trial", "--suite", "full", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    est = data["scaling_estimate"]
    assert est["estimate"] is True and est["status"] == "ok", est.get("message")
    (check,) = est["validation"]
    distributed = next(r for r in data["results"] if r["mode"] == "distributed")
    assert check["measured_efficiency"] == distributed["scaling_efficiency"]
    assert check["measured_by"] == distributed["id"]
    assert est["inputs"]["threads_per_rank"]["1"] == data["thread_budget"]["threads"]
