"""The Slurm pieces without a Slurm: the printed sbatch script, slurm_rank's reading of
Slurm's environment (checked against TensorFlow's own SlurmClusterResolver), and the
merge of rank files. The real jobs run in test_slurm_job.py."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from chooser import cli
from chooser.measure.collect import collect
from chooser.measure.runner import child_env
from probes.trials.slurm_rank import expand_hostlist, expand_tasks_per_node, tf_config, torch_env

# What srun sets for task 3 of a 2-node x 2-task step (rank 3: node gpu02, local task 1).
STEP = {
    "SLURM_JOB_ID": "77",
    "SLURM_STEP_ID": "0",
    "SLURM_PROCID": "3",
    "SLURM_LOCALID": "1",
    "SLURM_NODEID": "1",
    "SLURM_STEP_NUM_TASKS": "4",
    "SLURM_STEP_NODELIST": "gpu[01-02]",
    "SLURM_STEP_TASKS_PER_NODE": "2(x2)",
    "SLURMD_NODENAME": "gpu02",
    "SLURM_CPUS_PER_TASK": "8",
}


def _print(capsys, *flags: str) -> str:
    assert cli.main(["trial", "--print-launch", "--launcher", "slurm", *flags]) == 0
    return capsys.readouterr().out


def test_sbatch_script_asks_for_the_resources_and_runs_a_step_per_framework(capsys):
    script = _print(
        capsys,
        "--nodes",
        "2",
        "--gpus-per-node",
        "4",
        "--cpus-per-task",
        "8",
        "--partition",
        "gpu",
        "--account",
        "proj-42",
        "--time",
        "02:00:00",
        "--epochs",
        "1",
    )
    lines = script.splitlines()
    assert lines[0] == "#!/bin/bash"
    for directive in (
        "--nodes=2",
        "--ntasks-per-node=4",
        "--cpus-per-task=8",
        "--gpus-per-node=4",
        "--partition=gpu",
        "--account=proj-42",
        "--time=02:00:00",
        "--output=%x-%j.out",
    ):
        assert f"#SBATCH {directive}" in lines
    steps = [line for line in lines if line.strip().startswith("python -m probes.trials")]
    assert [s.split()[3] for s in steps] == ["torch", "tensorflow", "jax"]
    assert all("--epochs 1" in s and "--mode distributed" in s for s in steps)
    assert script.count("srun --kill-on-bad-exit=1 --cpus-per-task=8") == 3
    assert '--output="$RESULTS/torch/rank-%t.jsonl"' in script
    assert 'python -m chooser trial --collect "$RESULTS" --json' in script
    assert "RESULTS=chooser-results/" in script  # relative to the submit directory
    bash = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
    assert bash.returncode == 0, bash.stderr


def test_one_framework_one_step_and_options_left_out(capsys, tmp_path):
    script = _print(
        capsys, "--framework", "tensorflow", "--results", str(tmp_path / "r"), "--port", "31000"
    )
    assert "slurm_rank torch" not in script and "slurm_rank tensorflow --port 31000" in script
    assert "--partition" not in script and "--gpus-per-node" not in script
    assert f"RESULTS={tmp_path / 'r'}/" in script


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--nodes", "gpu1,gpu2"], "a node count"),
        (["--time", "two hours"], "--time"),
        (["--partition", "gpu; rm -rf ~"], "--partition"),
        (["--cpus-per-task", "0"], "--cpus-per-task"),
    ],
)
def test_bad_slurm_flags_exit_2(capsys, flags, message):
    assert cli.main(["trial", "--print-launch", "--launcher", "slurm", *flags]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_hosts_launcher_prints_both_frameworks_without_framework(capsys):
    assert cli.main(["trial", "--print-launch", "--nodes", "h1,h2"]) == 0
    out = capsys.readouterr().out
    assert "torchrun --nnodes 2" in out and "probes.trials.tensorflow_trial" in out


def test_slurm_layout_to_torch_and_tf_environments():
    assert expand_hostlist("gpu[01-03,07],login1") == ["gpu01", "gpu02", "gpu03", "gpu07", "login1"]
    assert expand_tasks_per_node("2(x3),1") == [2, 2, 2, 1]
    assert torch_env(STEP, 29500) == {
        "RANK": "3",
        "WORLD_SIZE": "4",
        "LOCAL_RANK": "1",
        "LOCAL_WORLD_SIZE": "2",
        "MASTER_ADDR": "gpu01",
        "MASTER_PORT": "29500",
    }
    assert tf_config(STEP, 29500) == {
        "cluster": {"worker": ["gpu01:29500", "gpu01:29501", "gpu02:29500", "gpu02:29501"]},
        "task": {"type": "worker", "index": 3},
    }


@pytest.mark.slow  # imports TensorFlow (in a child process)
def test_tf_config_is_the_cluster_slurm_cluster_resolver_builds():
    code = (
        "import json, os\n"
        "import tensorflow as tf\n"
        "r = tf.distribute.cluster_resolver.SlurmClusterResolver(\n"
        "    port_base=29500, gpus_per_node=2, gpus_per_task=1, auto_set_gpu=False)\n"
        "spec = r.cluster_spec().as_dict()\n"
        "print(json.dumps({'cluster': spec, 'task': {'type': r.task_type, "
        "'index': r.task_id}}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=child_env(STEP),
        text=True,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == tf_config(STEP, 29500)


def test_slurm_rank_outside_a_job_step_says_so():
    env = {k: v for k, v in child_env().items() if not k.startswith("SLURM")}
    done = subprocess.run(
        [sys.executable, "-m", "probes.trials.slurm_rank", "torch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    event = json.loads(done.stdout)
    assert event["event"] == "error" and "not set: run this under srun" in event["message"]


def _rank_file(folder, rank: int, *events: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"rank-{rank}.jsonl").write_text(
        "".join(json.dumps(e) + "\n" for e in events) + "not json: a stray line\n"
    )


def _launch(rank: int) -> dict:
    return {
        "event": "launch",
        "launcher": "slurm",
        "framework": "torch",
        "job_id": "9",
        "step_id": "0",
        "procid": rank,
        "node": "n1",
        "env": {"RANK": str(rank)},
        "argv": ["python", "-m", "probes.trials.torch_trial"],
    }


def test_collect_merges_rank_files_and_names_failures(tmp_path):
    good, bad = tmp_path / "job" / "torch", tmp_path / "job" / "tensorflow"
    result = {
        "event": "result",
        "framework": "torch",
        "world_size": 2,
        "param_checksums": ["a", "a"],
        "checksums_equal": True,
        "wall_time_s": 5.0,
    }
    _rank_file(good, 0, _launch(0), {"event": "progress", "step": 1}, result)
    _rank_file(good, 1, _launch(1))
    _rank_file(bad, 0, {**_launch(0), "framework": "tensorflow"})
    _rank_file(
        bad,
        1,
        {**_launch(1), "framework": "tensorflow"},
        {"event": "error", "message": "RuntimeError: peer gone"},
    )
    (bad / "rank-1.log").write_text("Traceback …\nRuntimeError: peer gone\n")
    merged = collect([str(tmp_path / "job")])
    first, second = merged["results"]
    assert (first["id"], first["status"], first["launcher"]) == (
        "throughput/torch/distributed",
        "ok",
        "slurm",
    )
    assert first["cluster"]["nodes"] == ["n1"] and first["command"].startswith("RANK=0 python")
    assert (second["id"], second["status"]) == ("throughput/tensorflow/distributed", "error")
    assert second["message"] == "rank 1: RuntimeError: peer gone"
    assert "peer gone" in second["stderr_tail"]
    assert merged["wall_time_s"] == 5.0


def test_collect_cli_table_names_the_launcher_and_fails_on_a_failed_rank(tmp_path, capsys):
    test_collect_merges_rank_files_and_names_failures(tmp_path)
    assert cli.main(["trial", "--collect", str(tmp_path / "job")]) == 1  # one result failed
    out = capsys.readouterr().out
    assert "throughput/torch/distributed: launched by slurm, job 9 on n1" in out


def test_collect_without_result_or_launch_lines(tmp_path):
    _rank_file(tmp_path / "k8s" / "torch", 0, {"event": "progress", "step": 3})
    (only,) = collect([str(tmp_path / "k8s")], launcher="kubernetes")["results"]
    assert only["status"] == "error" and "rank 0 wrote no result" in only["message"]
    assert only["launcher"] == "kubernetes"


def test_collect_cli_bad_directory_exits_2(tmp_path, capsys):
    assert cli.main(["trial", "--collect", str(tmp_path)]) == 2
    assert "no rank-*.jsonl files here" in capsys.readouterr().err
    assert cli.main(["trial", "--collect", str(tmp_path / "missing")]) == 2
    assert "no such directory" in capsys.readouterr().err


def test_without_slurm_the_job_tests_skip_saying_why(monkeypatch, tmp_path):
    from slurm_cluster import why_not_available  # tests/cluster (conftest puts it on the path)

    monkeypatch.setenv("PATH", str(tmp_path))  # no slurmctld, munged, sbatch … here
    reason = why_not_available()
    assert reason.startswith("Slurm is not installed here") and "slurm-wlm munge" in reason
