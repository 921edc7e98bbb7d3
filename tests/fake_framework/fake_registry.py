"""The fake third framework's registry entry, registered only while a test needs it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from chooser.core import frameworks, registry

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

FAKE = frameworks.Framework(
    id="fakefw",
    label="FakeFW",
    colour=frameworks.next_colour(),
    import_name="numpy",
    pip_extra="fakefw",
    install_hint="pip install numpy",
    probe_module="fakefw_probe",
    trial_modules={"single": "fakefw_trial"},
    network_file="tests/fake_framework/fakefw_trial.py",
    launcher="cluster_env",
    launcher_env="FAKEFW_CLUSTER",
    facts={
        "backends": frameworks.Fact(
            "names", ("distributed.backends",), "FakeFW distributed back-ends"
        )
    },
    probe_keys={"devices": "*", "distributed": "*"},
    gpu_count="devices.gpu_count",
    backends="distributed.backends",
)

# One rule in the v2 format, appended to a rules file whose criteria include "hardware". It
# scores all three frameworks; the file's other rules do not list FakeFW, so they are
# neutral for it (docs/rules.md, "Frameworks a rule does not list").
RULE = """
  - id: fakefw_measured_here
    criterion: hardware
    condition: trials.throughput.fakefw.single.ok and trials.throughput.fakefw.single.test_accuracy > 0.5
    weight: 2
    scores: {fakefw: 1.0, torch: 0.0, tensorflow: 0.0}
    reason: FakeFW trained here on real MNIST images (a test rule).
    source: tests/fake_framework
    checked: 2026-12
"""


@contextlib.contextmanager
def fake_framework_registered(keep_jax: bool = False) -> Iterator[frameworks.Framework]:
    """Register FakeFW in JAX's place (the registry restored after), and put its probe and trial modules where children find them."""
    old_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), str(HERE), old_path) if p)
    saved = dict(registry._REGISTRY)
    if not keep_jax:  # FakeFW the third framework (rules that name JAX need keep_jax)
        frameworks.unregister("jax")
    frameworks.register(FAKE)
    try:
        yield FAKE
    finally:
        registry._REGISTRY.clear()
        registry._REGISTRY.update(saved)
        if old_path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old_path
