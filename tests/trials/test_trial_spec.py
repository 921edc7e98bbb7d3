"""chooser.measure.trials without running a framework: specs, commands, suites, scaling, launch lines."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import subprocess
import sys

import pytest

from chooser import cli
from chooser.core.errors import UserError
from chooser.measure import trials
from chooser.measure.launch import launch_commands, parse_nodes
from chooser.measure.scaling import add_scaling
from chooser.measure.trials import (
    SUITE_BUDGETS,
    TrialSpec,
    run_trial,
    suite_specs,
    trial_argv,
    validate,
)


def test_ids_and_child_modules():
    assert TrialSpec("torch").id == "throughput/torch/single"
    assert (
        TrialSpec("tensorflow", "distributed", workers=2).id == "throughput/tensorflow/distributed"
    )
    argv = trial_argv(TrialSpec("torch", steps=7, optimizer="sgd", lr=0.01, seed=3))
    assert argv[:3] == [sys.executable, "-m", "probes.trials.torch_trial"]
    joined = shlex.join(argv)
    for part in ("--steps 7", "--optimizer sgd", "--lr 0.01", "--seed 3", "--batch-size 64"):
        assert part in joined
    assert trial_argv(TrialSpec("torch", "distributed", workers=3))[2:5] == [
        "probes.trials.torch_launch",
        "--mode",
        "distributed",
    ]
    assert "--workers 3" in shlex.join(trial_argv(TrialSpec("torch", "distributed", workers=3)))
    assert trial_argv(TrialSpec("tensorflow"))[2] == "probes.trials.tensorflow_trial"
    tf_dist = trial_argv(TrialSpec("tensorflow", "distributed", workers=2))
    assert tf_dist[2] == "probes.trials.tf_launch" and "--workers" in tf_dist


def test_every_flag_chooser_passes_is_accepted_by_the_trial_parser():
    from probes.trials.common import build_parser

    spec = TrialSpec(
        "torch",
        "distributed",
        workers=2,
        epochs=2,
        data="/tmp",
        download=True,
        device="cpu",
        tensorboard="/tmp/tb",
        extra_args=("--shuffle-labels",),
    )
    args = build_parser("t", "t").parse_args(trial_argv(spec)[3:])
    assert (args.workers, args.epochs, args.download, args.shuffle_labels) == (2, 2, True, True)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"framework": "mxnet"}, "unknown framework"),
        ({"mode": "both"}, "unknown mode"),
        ({"workers": 0, "mode": "distributed"}, "--workers must be at least 1"),
        ({"workers": 2}, "--workers needs --mode distributed"),
        ({"steps": 0}, "--steps must be at least 1"),
        ({"steps": 5, "epochs": 1}, "not both"),
        ({"batch_size": -1}, "--batch-size"),
        ({"lr": 0.0}, "--lr must be positive"),
        ({"data": "/no/such/dir"}, "no such file or directory"),
    ],
)
def test_bad_values_are_user_errors(change, message):
    with pytest.raises(UserError, match=message):
        validate(TrialSpec(**{"framework": "torch", **change}))


@pytest.mark.parametrize(
    "argv",
    [
        ["trial", "--framework", "mxnet"],
        ["trial", "--mode", "distributed", "--workers", "0"],
        ["trial", "--data", "/no/such/dir"],
        ["trial", "--suite", "huge"],
        ["trial", "--print-launch"],
        ["trial", "--print-launch", "--nodes", "a,a"],
    ],
)
def test_cli_bad_values_exit_2_without_traceback(argv, capsys):
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # argparse's own `choices=` check
        status = exc.code
    assert status == 2
    err = capsys.readouterr().err
    assert ("chooser: error: " in err or "chooser trial: error: " in err) and "Traceback" not in err


async def test_missing_framework_gives_status_missing_with_install_hint(monkeypatch):
    monkeypatch.setattr(trials, "find_spec", lambda name: None)
    result = await run_trial(TrialSpec("tensorflow", steps=5))
    assert result["status"] == "missing"
    assert "pip install" in result["message"] and "tensorflow" in result["message"]
    assert set(trials.RESULT_KEYS) <= set(result)


async def test_invalid_spec_is_an_error_result_not_an_exception():
    result = await run_trial(TrialSpec("torch", steps=0))
    assert result["status"] == "error" and "--steps" in result["message"]


def test_suites_hold_the_six_trials():
    assert set(SUITE_BUDGETS) == {"quick", "full"}
    for name in ("quick", "full"):
        # full adds one time_to_accuracy trial per installed framework (its own test)
        ids = [s.id for s in suite_specs(name) if s.kind == "throughput" and s.variant == "tuned"]
        assert ids == [
            "throughput/torch/single",
            "throughput/tensorflow/single",
            "throughput/jax/single",
            "throughput/torch/distributed",
            "throughput/tensorflow/distributed",
            "throughput/jax/distributed",
        ]
        assert all(s.workers == 2 for s in suite_specs(name) if s.mode == "distributed")


def _result(fw, mode, median, world=1, device="cpu"):
    return {
        "id": f"{fw}_{mode}",
        "framework": fw,
        "mode": mode,
        "status": "ok",
        "world_size": world,
        "device": device,
        "samples_per_second": {"median": median},
    }


def test_scaling_efficiency_cpu_and_gpu():
    results = [
        _result("torch", "single", 1000.0),
        _result("torch", "distributed", 800.0, 2),
        _result("tensorflow", "distributed", 900.0, 2),
    ]
    add_scaling(results)
    assert results[1]["scaling"]["ideal_speedup"] == 1.0
    assert results[1]["scaling_efficiency"] == pytest.approx(0.8)
    assert "scaling" not in results[2]  # no single TF run measured: nothing claimed
    gpu = [
        _result("torch", "single", 1000.0, device="cuda"),
        _result("torch", "distributed", 1600.0, 2, device="cuda"),
    ]
    add_scaling(gpu)
    assert gpu[1]["scaling"]["ideal_speedup"] == 2.0 and gpu[1]["scaling_efficiency"] == 0.8


def test_print_launch_torch_and_tensorflow():
    nodes = parse_nodes("gpu1, gpu2")
    torch_lines = launch_commands(
        TrialSpec("torch", "distributed", workers=4, epochs=1), nodes, 29400
    )
    assert [c.index for c in torch_lines] == [0, 1]
    line = torch_lines[1].shell()
    for part in (
        "torchrun --nnodes 2 --nproc-per-node 4 --node-rank 1",
        "--rdzv-backend c10d",
        "--rdzv-endpoint gpu1:29400",
        "--max-restarts 0",
        "-m probes.trials.torch_trial --mode distributed",
        "--epochs 1",
    ):
        assert part in line
    tf_lines = launch_commands(TrialSpec("tensorflow", "distributed", workers=1), nodes, 12345)
    config = json.loads(tf_lines[1].env["TF_CONFIG"])
    assert config == {
        "cluster": {"worker": ["gpu1:12345", "gpu2:12345"]},
        "task": {"type": "worker", "index": 1},
    }
    assert "-m probes.trials.tensorflow_trial --mode distributed" in tf_lines[1].shell()


def test_cli_print_launch(capsys):
    assert (
        cli.main(["trial", "--print-launch", "--nodes", "h1,h2", "--framework", "tensorflow"]) == 0
    )
    out = capsys.readouterr().out
    assert out.count("TF_CONFIG=") == 2 and "# node 1: h2" in out


def test_chooser_trials_never_imports_a_framework():
    code = (
        "import sys, chooser.measure.trials, chooser.cli.trial, chooser.views.trials, "
        "chooser.measure.launch; bad = [m for m in ('torch', 'tensorflow', 'keras') "
        "if m in sys.modules]; print(bad); raise SystemExit(bool(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_result_table_renders_every_status():
    from rich.console import Console

    from chooser.views.trials import print_results

    console = Console(record=True, width=100)
    ok = {
        **dict.fromkeys(trials.RESULT_KEYS),
        **_result("torch", "distributed", 900.0, 2),
        "samples_per_second": {"median": 900.0, "min": 800.0, "max": 950.0, "method": "m"},
        "param_checksums": ["a" * 64, "a" * 64],
        "checksums_equal": True,
        "command": "python -m x",
    }
    bad = {
        **dict.fromkeys(trials.RESULT_KEYS),
        "id": "throughput/tensorflow/single",
        "status": "missing",
        "message": "tensorflow is not installed here",
    }
    print_results([ok, bad], console)
    text = console.export_text()
    assert "identical across 2 rank(s)" in text and "tensorflow is not installed" in text
    assert "900 samples/s" in text


def test_busy_monitor_counts_other_processes_not_ours():
    from chooser.measure.busy import BusyMonitor

    spin = [sys.executable, "-c", "while True: pass"]

    async def scenario():
        ours = subprocess.Popen(spin)
        # an orphan (its parent shell exits at once) is someone else's load
        shell = subprocess.run(
            ["sh", "-c", f"{shlex.join(spin)} >/dev/null 2>&1 & echo $!"],
            capture_output=True,
            text=True,
        )
        other = int(shell.stdout.strip())
        try:
            async with BusyMonitor(interval_s=0.3) as monitor:
                await asyncio.sleep(1.5)
            return monitor, ours.pid, other
        finally:
            ours.kill()
            ours.wait()
            os.kill(other, signal.SIGKILL)

    monitor, ours, other = asyncio.run(scenario())
    per_process = {pid: cpu / monitor._elapsed_s for pid, (_, cpu) in monitor._per_process.items()}
    assert ours not in per_process
    assert per_process.get(other, 0) > 0.05  # a busy loop; an idle one is ~0 (shared cores)
    assert monitor.other_cores() >= per_process[other]
