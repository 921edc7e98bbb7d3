"""The sbatch script `chooser trial --print-launch --launcher slurm` prints, run by a real
single-host Slurm (slurmctld + slurmd + munged on 127.0.0.1): 1 node x 2 tasks, one srun
step per framework, then the job's own `chooser trial --collect`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import psutil
import pytest

from chooser.measure.runner import child_env
from chooser.measure.trials import TrialSpec, run_trial

pytestmark = pytest.mark.slow
STEPS = 30


def test_printed_sbatch_script_runs_every_framework_under_slurm(slurm, tmp_path, repo_root):
    results = tmp_path / "results"
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "chooser",
            "trial",
            "--print-launch",
            "--launcher",
            "slurm",
            "--nodes",
            "1",
            "--workers",
            "2",
            "--cpus-per-task",
            "1",
            "--steps",
            str(STEPS),
            "--results",
            str(results),
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    script = tmp_path / "chooser-trial.sbatch"
    script.write_text(printed)
    # As a user would: the environment with chooser's Python first on PATH, sbatch run in
    # a working directory of their choice (the job log lands there).
    env = slurm.env(
        child_env({"PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]})
    )
    job_id = slurm.run(["sbatch", "--parsable", str(script)], env=env, cwd=tmp_path).strip()
    submitted = slurm.run(["scontrol", "write", "batch_script", job_id, "-"])
    assert submitted == printed  # Slurm ran exactly what chooser printed

    job = slurm.wait_job(job_id, timeout_s=420)
    log = (tmp_path / f"chooser-trial-{job_id}.out").read_text()
    assert (job["JobState"], job["ExitCode"]) == ("COMPLETED", "0:0"), log
    merged = json.loads((results / f"chooser-trial-{job_id}" / "results.json").read_text())
    by_framework = {r["framework"]: r for r in merged["results"]}
    assert sorted(by_framework) == ["jax", "tensorflow", "torch"]
    for framework, result in by_framework.items():
        assert result["status"] == "ok", (framework, result["message"])
        assert result["launcher"] == "slurm" and result["cluster"]["job_id"] == job_id
        assert result["world_size"] == 2 and result["steps"] == STEPS
        assert len(result["param_checksums"]) == 2 and result["checksums_equal"], result
        assert result["cluster"]["nodes"] == ["localhost"]
        assert result["threads_per_rank"] == 1  # --cpus-per-task 1: two ranks, two cores
        assert result["samples_per_second"]["median"] > 0
        print(
            f"\nslurm job {job_id} {framework}: {result['world_size']} ranks on "
            f"{result['cluster']['nodes']}, median {result['samples_per_second']['median']:.0f}"
            f" samples/s, accuracy {result['test_accuracy']:.3f}, first step "
            f"{result['time_to_first_step_s']:.1f} s, checksums "
            f"{[c[:12] for c in result['param_checksums']]}"
        )  # shown with pytest -s
    torch_env = by_framework["torch"]["command"]
    assert "RANK=0 WORLD_SIZE=2" in torch_env and "MASTER_ADDR=localhost" in torch_env
    assert '"task": {"type": "worker", "index": 0}' in by_framework["tensorflow"]["command"]
    # The same merge, run here from the job's directory, gives the same results.
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "chooser",
            "trial",
            "--collect",
            str(results / f"chooser-trial-{job_id}"),
            "--json",
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["results"] == merged["results"]
    # Bit for bit the training chooser's own launchers do on this machine (same seed, data
    # order, world size and threads): the cluster path changes who starts the ranks only.
    for framework, result in by_framework.items():
        local = asyncio.run(
            run_trial(
                TrialSpec(
                    framework, "distributed", workers=2, steps=STEPS, extra_args=("--threads", "1")
                )
            )
        )
        assert local["status"] == "ok", local["message"]
        assert local["param_checksums"] == result["param_checksums"], framework


def _rank_process(slurm, procid: str):
    for proc in slurm.leftovers():
        try:
            if (
                proc.environ().get("SLURM_PROCID") == procid
                and "probes.trials.tensorflow_trial" in proc.cmdline()
            ):
                return proc
        except psutil.Error:
            continue
    return None


def test_a_killed_rank_fails_the_job_and_leaves_nothing_running(slurm, tmp_path):
    """Rank 1 SIGKILLed mid-training: rank 0 waits for its peer in a collective, ignoring
    SIGTERM; srun --kill-on-bad-exit and Slurm's KillWait end it. The merged result says
    the trial failed, and no process of the job is left."""
    results = tmp_path / "results"
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "chooser",
            "trial",
            "--print-launch",
            "--launcher",
            "slurm",
            "--framework",
            "tensorflow",
            "--nodes",
            "1",
            "--workers",
            "2",
            "--cpus-per-task",
            "1",
            "--steps",
            "100000",
            "--results",
            str(results),
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    (tmp_path / "job.sbatch").write_text(printed)
    env = slurm.env(
        child_env({"PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]})
    )
    job_id = slurm.run(["sbatch", "--parsable", "job.sbatch"], env=env, cwd=tmp_path).strip()
    rank0 = results / f"chooser-trial-{job_id}" / "tensorflow" / "rank-0.jsonl"
    deadline = time.monotonic() + 180
    while not (rank0.exists() and '"phase": "train"' in rank0.read_text()):
        assert time.monotonic() < deadline, "training never started"
        time.sleep(0.5)
    victim = _rank_process(slurm, "1")
    assert victim is not None
    victim.kill()

    job = slurm.wait_job(job_id, timeout_s=120)
    assert job["JobState"] == "FAILED" and job["ExitCode"] != "0:0"
    assert not slurm.leftovers(), "a rank outlived its failed job"
    merged = json.loads((rank0.parent.parent / "results.json").read_text())
    (result,) = merged["results"]
    assert result["status"] == "error" and result["launcher"] == "slurm"
    assert result["test_accuracy"] is None and result["message"]
    print(f"\nslurm job {job_id}: {job['JobState']} {job['ExitCode']}; {result['message']}")
