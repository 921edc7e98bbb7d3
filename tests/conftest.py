"""Fixtures shared by every test area. Each area keeps its own in tests/<area>/conftest.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"

# Every child a test starts (`python -m chooser ...` from a temporary folder, say) runs this
# checkout's code, never another copy of chooser installed in the environment.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_mnist_dir() -> Path:
    """The real MNIST test set (10,000 images, IDX .gz) beside the checkout."""
    if not (SHARED_MNIST / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"real MNIST test set not found at {SHARED_MNIST}")
    return SHARED_MNIST


@pytest.fixture(scope="session")
def python_exe() -> str:
    return sys.executable
