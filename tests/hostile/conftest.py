"""Fixtures for the hostile-input and fault tests (issue 11)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # hostile_cli, as tests/tui does for tui_fakes

from hostile_cli import run_cli  # noqa: E402


@pytest.fixture(scope="session")
def saved_report(tmp_path_factory) -> Path:
    """A real JSON report (default answers, no trials) written by the CLI."""
    out = tmp_path_factory.mktemp("report") / "r.json"
    run = run_cli("recommend", "--export", str(out), memory=None, timeout=120)
    assert run.returncode == 0, run.stderr
    return out
