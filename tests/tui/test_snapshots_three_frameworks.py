"""The trials and verdict screens with a third, test-registered framework (FakeFW): rows,
score bars and the trials table come from the registry, not from a list of two."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from test_snapshots import SIZE, at
from tui_fakes import BANK, FakeSpec, Replay, fake_services

from chooser.decide.rules import load_rules
from chooser.tui.app import create_app

FAKE_DIR = Path(__file__).resolve().parents[1] / "fake_framework"
sys.path.insert(0, str(FAKE_DIR))
from fake_registry import RULE, fake_framework_registered  # noqa: E402


def three_framework_app(tmp_path: Path):
    rules = tmp_path / "rules.yaml"
    rules.write_text((BANK / "rules.yaml").read_text() + RULE)
    replay = Replay()
    recorded = json.loads((FAKE_DIR / "fixtures" / "fakefw_trial.json").read_text())
    replay.trials.update({k: v for k, v in recorded.items() if not k.startswith("_")})
    quick = [
        FakeSpec("torch", steps=600),
        FakeSpec("tensorflow", steps=300),
        FakeSpec("fakefw", steps=60),
    ]
    replay.suites = lambda: {"quick": quick, "full": quick}
    services = fake_services(
        replay, frozen_bank=True, load_rules=lambda path=None, bank=None: load_rules(rules, bank)
    )
    return create_app(services, out_dir=Path("/nonexistent/chooser-snapshot"), animations=False)


@pytest.mark.parametrize(
    "name, run_before",
    [
        ("trials", at("trials", trials=True)),
        ("recommendation", at("recommendation", trials=True)),
    ],
)
def test_three_frameworks(snap_compare, tmp_path, name, run_before):
    with fake_framework_registered(keep_jax=True):  # the shipped rules score JAX
        assert snap_compare(
            three_framework_app(tmp_path), terminal_size=SIZE, run_before=run_before
        )
