"""The tools the field expects, run as tests: ruff (lint and format) and mypy (strict on the
headless packages), both configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _run(repo_root: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *argv], capture_output=True, text=True, cwd=repo_root, timeout=300
    )


def test_ruff_lint_passes(repo_root: Path) -> None:
    pytest.importorskip("ruff", reason="ruff is in the test extra: pip install 'chooser[test]'")
    proc = _run(repo_root, "ruff", "check", "--no-cache", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_is_applied(repo_root: Path) -> None:
    pytest.importorskip("ruff", reason="ruff is in the test extra: pip install 'chooser[test]'")
    proc = _run(repo_root, "ruff", "format", "--check", "--no-cache", ".")
    assert proc.returncode == 0, "run `ruff format .`:\n" + proc.stdout + proc.stderr


def test_mypy_passes(repo_root: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install 'chooser[test]'")
    proc = _run(repo_root, "mypy", "--no-incremental")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success" in proc.stdout
