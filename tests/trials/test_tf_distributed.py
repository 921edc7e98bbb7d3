"""TensorFlow MultiWorkerMirrored for real: two workers on 127.0.0.1 through tf_launch,
a worker killed mid-run, a worker left waiting for a peer, a port already taken."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from importlib.util import find_spec

import psutil
import pytest

from chooser.measure.runner import child_env, module_argv, run_child, run_child_sync
from chooser.measure.trials import RESULT_KEYS, TrialSpec, run_trial

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_spec("tensorflow") is None,
        reason="tensorflow is not installed here: pip install 'chooser[tensorflow]'",
    ),
]


def gone(proc: psutil.Process) -> bool:
    try:
        return not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def tf_workers() -> list[psutil.Process]:
    """The tensorflow_trial processes this test started (directly or via the launcher)."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "probes.trials.tensorflow_trial" in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            pass
    return found


def worker_index(proc: psutil.Process) -> int:
    return json.loads(proc.environ()["TF_CONFIG"])["task"]["index"]


async def test_two_workers_complete_with_identical_checksums(shared_mnist_dir):
    """Through chooser.measure.trials, as `chooser trial` runs it: the full result contract."""
    spec = TrialSpec(
        "tensorflow",
        "distributed",
        workers=2,
        steps=30,
        data=str(shared_mnist_dir),
        timeout_s=180,
        extra_args=("--max-eval", "500"),
    )
    events = []
    result = await run_trial(spec, on_event=lambda spec_id, event: events.append(event))
    assert result["status"] == "ok", (result["message"], result.get("stderr_tail"))
    assert set(RESULT_KEYS) <= result.keys()
    assert result["id"] == "throughput/tensorflow/distributed" and result["message"] is None
    assert result["framework"] == "tensorflow" and result["mode"] == "distributed"
    assert result["world_size"] == 2 and result["global_batch_size"] == 128
    assert result["backend"].startswith("MultiWorkerMirroredStrategy")
    assert result["threads_per_rank"] == max(1, len(os.sched_getaffinity(0)) // 2)
    checksums = result["param_checksums"]
    assert len(checksums) == 2 and checksums[0] == checksums[1] and len(checksums[0]) == 64
    assert result["checksums_equal"] is True
    assert len(result["peak_rss_bytes_per_rank"]) == 2
    assert result["samples_per_second"]["median"] > 0
    assert 0.0 <= result["test_accuracy"] <= 1.0
    assert 0 < result["time_to_first_step_s"] < result["wall_time_s"]
    assert "probes.trials.tf_launch --mode distributed --workers 2" in result["command"]
    assert [e["step"] for e in events if e.get("phase") == "train"][-1] == 30
    assert not tf_workers()


async def test_killing_one_worker_fails_the_trial_and_leaves_nothing(shared_mnist_dir):
    argv = module_argv(
        "probes.trials.tf_launch",
        "--workers",
        "2",
        "--data",
        str(shared_mnist_dir),
        "--steps",
        "5000",
    )
    seen: list[psutil.Process] = []
    killed: dict = {}

    def on_event(event: dict) -> None:
        if event.get("phase") != "train" or killed:
            return
        seen.extend(tf_workers())
        victim = next(p for p in seen if worker_index(p) == 1)
        killed.update(pid=victim.pid, at=time.monotonic())
        victim.send_signal(signal.SIGKILL)

    outcome = await run_child(argv, timeout=90, on_event=on_event)
    assert killed, outcome.message
    assert outcome.status == "error", outcome.message
    assert "worker 1" in outcome.message and "SIGKILL" in outcome.message
    assert str(killed["pid"]) in outcome.message
    assert time.monotonic() - killed["at"] < 30  # noticed promptly, not at the timeout
    assert len(seen) == 2 and all(gone(p) for p in seen)
    assert not tf_workers()


def test_a_worker_waiting_for_its_peer_is_killed_at_the_timeout(shared_mnist_dir):
    """One worker of a two-worker cluster whose peer never comes: it ignores SIGTERM
    while it waits, and the runner's SIGKILL must still end it at the timeout."""
    with socket.socket() as a, socket.socket() as b:
        a.bind(("127.0.0.1", 0)), b.bind(("127.0.0.1", 0))
        ports = [a.getsockname()[1], b.getsockname()[1]]
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    env = child_env(
        {"TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": 0}})}
    )
    argv = module_argv(
        "probes.trials.tensorflow_trial", "--data", str(shared_mnist_dir), "--steps", "5"
    )
    started = time.monotonic()
    outcome = run_child_sync(argv, timeout=12, env=env, grace=2)
    assert outcome.status == "timeout"
    assert time.monotonic() - started < 12 + 2 + 5
    assert not tf_workers()


def test_a_taken_port_makes_the_launcher_retry(shared_mnist_dir):
    """The port race the launcher cannot close (TensorFlow binds without SO_REUSEPORT):
    a worker whose port is taken reports PortInUse and the attempt is retried, not failed."""
    from probes.trials import tf_launch

    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        ports = [tf_launch.free_ports(1)[0], taken.getsockname()[1]]
        outcome = tf_launch.run_cluster(
            2, ["--data", str(shared_mnist_dir), "--steps", "5"], ports, "test"
        )
    assert outcome == "retry"
    assert not tf_workers()
