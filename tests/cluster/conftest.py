"""Fixtures for the cluster tests: a real single-host Slurm (slurm_cluster.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # slurm_cluster (unique name: importlib mode)

from slurm_cluster import SlurmCluster, why_not_available  # noqa: E402


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    reason = why_not_available()
    if reason:
        pytest.skip(reason)
    cluster = SlurmCluster(tmp_path_factory.mktemp("slurm"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
    assert not cluster.leftovers(), "processes of the test's Slurm jobs outlived it"
