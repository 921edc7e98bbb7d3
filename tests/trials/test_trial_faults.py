"""Fault injection: a killed DDP rank, a SIGKILLed launcher, a hung child, a trial timeout.
In every case the trial ends with a clear cause and no process of its group survives."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from importlib.util import find_spec

import psutil
import pytest

from chooser.measure.runner import child_env, run_child
from chooser.measure.trials import TrialSpec, run_trial

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_spec("torch") is None,
        reason="torch is not installed here: pip install 'chooser[torch]'",
    ),
]


def our_descendants() -> list[psutil.Process]:
    return psutil.Process().children(recursive=True)


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for proc in procs:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                out.append(proc)
        except psutil.NoSuchProcess:
            pass
    return out


def rank_processes() -> dict[int, psutil.Process]:
    ranks = {}
    for proc in our_descendants():
        try:
            env = proc.environ()
        except psutil.Error:
            continue
        if "RANK" in env and "torch_trial" in " ".join(proc.cmdline()):
            ranks[int(env["RANK"])] = proc
    return ranks


async def test_killing_one_ddp_rank_fails_the_trial_and_leaves_nothing():
    group: list[psutil.Process] = []
    killed: list[int] = []

    def on_event(spec_id, event):
        if event.get("phase") == "train" and not killed:
            ranks = rank_processes()
            group.extend(our_descendants())
            ranks[1].kill()  # SIGKILL rank 1 mid-run
            killed.append(ranks[1].pid)

    started = time.monotonic()
    result = await run_trial(
        TrialSpec("torch", "distributed", workers=2, steps=100_000, timeout_s=120), on_event
    )
    assert killed, "no training progress was seen"
    assert result["status"] == "error"
    assert f"rank 1 (pid {killed[0]}) was killed by SIGKILL" in result["message"]
    assert time.monotonic() - started < 120
    await asyncio.sleep(0.5)
    assert len(group) >= 3 and alive(group) == []  # launcher and both ranks are gone


async def test_sigkilled_launcher_takes_its_ranks_along(python_exe, repo_root):
    proc = subprocess.Popen(
        [python_exe, "-m", "probes.trials.torch_launch", "--workers", "2", "--steps", "100000"],
        cwd=repo_root,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for line in proc.stdout:  # wait for training to start
            if b'"phase": "train"' in line:
                break
        ranks = list(rank_processes().values())
        assert len(ranks) == 2
        assert all(os.getsid(r.pid) != os.getsid(proc.pid) for r in ranks)  # elastic's setsid
        os.kill(proc.pid, signal.SIGKILL)  # not the group: only the launcher
        proc.wait(10)
        gone, still = psutil.wait_procs(ranks, timeout=10)
        assert still == [], "a rank outlived its launcher"
    finally:
        for p in alive(our_descendants()):
            p.kill()


async def test_hung_child_is_killed_at_its_timeout(python_exe):
    # ignores SIGTERM and sleeps: only the SIGKILL after the grace period ends it
    code = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        'print(\'{"event": "progress", "step": 0}\', flush=True); time.sleep(600)'
    )
    seen = []
    started = time.monotonic()
    outcome = await run_child(
        [python_exe, "-c", code],
        timeout=1.5,
        grace=1.0,
        on_event=lambda ev: seen.append((ev, our_descendants())),
    )
    assert outcome.status == "timeout"
    assert time.monotonic() - started < 8
    assert seen and alive(seen[0][1]) == []


async def test_trial_timeout_is_reported_and_kills_the_group():
    group: dict[int, psutil.Process] = {}

    async def watch():  # remember every process the trial ever had
        while True:
            group.update((p.pid, p) for p in our_descendants())
            await asyncio.sleep(0.2)

    watcher = asyncio.create_task(watch())
    try:
        result = await run_trial(
            TrialSpec("torch", "distributed", workers=2, steps=100_000, timeout_s=8)
        )
    finally:
        watcher.cancel()
    assert result["status"] == "timeout"
    assert "timed out after 8 s" in result["message"]
    await asyncio.sleep(0.5)
    assert group and alive(list(group.values())) == []


def test_ctrl_c_on_a_suite_keeps_finished_results_and_kills_the_running_trial(python_exe):
    proc = subprocess.Popen(
        [python_exe, "-m", "chooser", "trial", "--suite", "quick", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    deadline = time.monotonic() + 60
    trial_procs: list[psutil.Process] = []
    while time.monotonic() < deadline and not trial_procs:  # wait for a trial to be running
        time.sleep(0.3)
        trial_procs = [
            p
            for p in psutil.Process(proc.pid).children(recursive=True)
            if "probes.trials" in " ".join(p.cmdline())
        ]
    assert trial_procs, "no trial started"
    time.sleep(1.0)
    everything = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    report = json.loads(out)
    assert report["interrupted"] is True and report["results"]
    # The running trials come last, cancelled (the two single trials run together, as
    # interleaved rounds, so both are stopped when Ctrl-C comes during them).
    stopped = [r for r in report["results"] if r["status"] == "cancelled"]
    finished = report["results"][: len(report["results"]) - len(stopped)]
    assert stopped and report["results"][-len(stopped) :] == stopped
    assert all("process group was killed" in r["message"] for r in stopped)
    assert all(r["status"] in ("ok", "error", "timeout") for r in finished)
    time.sleep(0.5)
    assert alive(everything) == []
