"""Without JAX installed nothing changes for the other two (issue 14): the probe says "not
installed" with the install hint, the trial suite reports JAX once as missing, and the
torch/TensorFlow personas get the same verdict and totals as with JAX present. JAX is
hidden from real child processes by a sitecustomize on PYTHONPATH (like the torch shim in
tests/probe/conftest.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chooser.decide.questionnaire import shipped_questions_dir

REPO = Path(__file__).resolve().parents[2]
HIDE_JAX = """
import sys

class _HideJax:
    # Acts as if jax were not installed: the finder raises what a missing module raises.
    def find_spec(self, name, path=None, target=None):
        if name == "jax" or name.startswith(("jax.", "jaxlib", "flax", "optax")):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _HideJax())
"""
PERSONAS = ("researcher", "mobile-production", "tfx-enterprise", "keras-course")


def _chooser(*args: str, hide: Path | None) -> subprocess.CompletedProcess:
    paths = [str(hide)] if hide else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, str(REPO)])}
    return subprocess.run(
        [sys.executable, "-m", "chooser", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def hide_jax_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hide-jax")
    (folder / "sitecustomize.py").write_text(HIDE_JAX)
    return folder


def test_the_probe_says_not_installed_with_the_hint(hide_jax_dir):
    out = subprocess.run(
        [sys.executable, "-m", "probes.frameworks.jax.probe"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": f"{hide_jax_dir}{os.pathsep}{REPO}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    part = json.loads(out.stdout.strip().splitlines()[-1])
    assert part["status"] == "missing", part
    assert "jax is not installed" in part["message"]
    assert part["hint"] == "pip install 'chooser[jax]'"


def test_the_suite_reports_jax_once_and_runs_nothing_for_it(hide_jax_dir):
    code = (
        "from chooser.measure.trials import suite_specs\n"
        "print([s.id for s in suite_specs('quick')])"
    )
    env = {**os.environ, "PYTHONPATH": f"{hide_jax_dir}{os.pathsep}{REPO}"}
    hidden = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    ids = eval(hidden.stdout)  # noqa: S307 - a list literal this test printed
    assert [i for i in ids if "/jax/" in i] == ["throughput/jax/single"]  # once, as missing
    assert "throughput/torch/distributed" in ids and "throughput/tensorflow/distributed" in ids
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import asyncio, json\n"
            "from chooser.measure.trials import TrialSpec, run_trial\n"
            "print(json.dumps(asyncio.run(run_trial(TrialSpec('jax', 'single', steps=5)))))",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    result = json.loads(run.stdout)
    assert result["status"] == "missing"
    assert "pip install 'chooser[jax]'" in result["message"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_torch_and_tensorflow_personas_score_the_same_without_jax(persona, hide_jax_dir, tmp_path):
    answers = shipped_questions_dir() / "examples" / f"{persona}.yaml"
    reports = {}
    for name, hide in (("present", None), ("hidden", hide_jax_dir)):
        target = tmp_path / f"{name}.json"
        done = _chooser(
            "recommend",
            "--answers",
            str(answers),
            "--trials",
            "none",
            "--export",
            str(target),
            hide=hide,
        )
        assert done.returncode == 0, done.stderr
        reports[name] = json.loads(target.read_text())
    present, hidden = (reports[k]["recommendation"] for k in ("present", "hidden"))
    assert hidden["verdict"] == present["verdict"] != "jax"
    assert hidden["totals"] == present["totals"]
    jax_part = reports["hidden"]["probe"]["frameworks"]["jax"]
    assert jax_part["status"] == "missing" and jax_part["hint"] == "pip install 'chooser[jax]'"
    assert reports["present"]["probe"]["frameworks"]["jax"]["status"] == "ok"
