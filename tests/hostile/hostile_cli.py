"""Helpers for the hostile-input tests (issue 11): the real CLI in a subprocess, bounded in
time and memory, must answer with exit status 2 and one line naming the file or flag and
the cause."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1 << 30  # address space for a CLI that refuses its input: 1 GiB
SECONDS = 30  # "within seconds": a hang or a gigabyte-eating input would hit these


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    wall_s: float

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING",)}
    env["PYTHONPATH"] = str(REPO)  # this checkout's chooser, whatever the cwd
    env.update(extra)
    return env


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = SECONDS, memory: int | None = MEMORY_LIMIT,
            obey_permissions: bool = False) -> Run:
    """``python -m chooser ARGS`` with stdin closed, a wall-clock timeout and (by default) an
    address-space limit; ``obey_permissions`` makes file permissions apply even to root."""

    def limits() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    started = time.monotonic()
    prefix = without_root_override() if obey_permissions else []
    proc = subprocess.run([*prefix, sys.executable, "-m", "chooser", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd or REPO, env=env or cli_env(),
                          stdin=subprocess.DEVNULL, preexec_fn=limits)
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


def assert_one_line_error(run: Run, *needles: str) -> str:
    """Exit 2, no traceback, one ``chooser: error:`` line holding every needle."""
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    lines = run.error_lines
    assert len(lines) == 1, lines[:5]
    line = lines[0]
    assert line.startswith("chooser: error: "), line
    assert len(line) < 1_200, len(line)
    for needle in needles:
        assert needle in line, (needle, line)
    return line


def without_root_override() -> list[str]:
    """A command prefix under which root obeys file permissions (it drops the capabilities
    that let root read anything), or [] when not root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


# The rules format in one place (docs/rules.md): what comes before `rules:`, and a rule's
# body besides id, condition and reason. A format change is an edit here only.
RULES_HEADER = "criteria:\n  - {id: c, label: Criterion}\n"
RULE_BODY = ("criterion: c\n    scores: {torch: 1.0, tensorflow: 0.5, jax: 0.5}\n    source: test\n"
             "    checked: 2026-12")
NUMBER_PLACEHOLDER = "best"  # a number a rule's reason may format ({best:.1f})


def _first_rule() -> str:
    return RULES_HEADER + "rules:\n  - id: fine\n    " + RULE_BODY + "\n    reason: r\n"


HOSTILE_LINE = _first_rule().count("\n") + 1  # where rule 'hostile' starts
CONDITION_LINE = HOSTILE_LINE + 1  # and its condition


def write_rules(path: Path, condition: str = "True", reason: str = "because",
                body: str = RULE_BODY) -> Path:
    """A rules file whose second rule, 'hostile', starts on HOSTILE_LINE with ``condition``
    on CONDITION_LINE; both texts written as JSON strings (valid YAML double quotes)."""
    path.write_text(_first_rule() + "  - id: hostile\n    condition: " + json.dumps(condition)
                    + "\n    " + body + "\n    reason: " + json.dumps(reason) + "\n")
    return path
