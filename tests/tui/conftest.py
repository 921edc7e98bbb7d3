"""Fixtures for the terminal-app tests: a replaying fake runner and small Pilot helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tui_fakes (unique name: importlib mode)

from tui_fakes import Replay, fake_services  # noqa: E402

from chooser.tui.app import create_app  # noqa: E402


@pytest.fixture
def replay() -> Replay:
    return Replay()


@pytest.fixture
def make_app(tmp_path: Path, replay: Replay):
    def make(replay_: Replay | None = None, frozen_bank: bool = False, **kwargs):
        services = kwargs.pop("services", None) or fake_services(
            replay_ or replay, frozen_bank=frozen_bank
        )
        kwargs.setdefault("out_dir", tmp_path)
        kwargs.setdefault("animations", False)
        return create_app(services, **kwargs)

    return make
