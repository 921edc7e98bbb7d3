"""Run the MNIST trials as child process groups and shape their results.

``TrialSpec`` says what to run; ``trial_argv`` turns it into the exact child command
(``python -m probes.trials.<module> …``); ``run_trial`` runs one through
``chooser.measure.runner`` and returns a flat result dict (never raises, except when it is
cancelled); ``suite_specs`` names a suite's trials and ``add_scaling`` adds scaling
efficiency to distributed results. The one loop that runs a suite (one trial after the
other, never in parallel: they would compete for the cores and every timing would be
wrong) is ``chooser.pipeline.SuiteRun``. No framework is imported here: whether one is
installed is asked with ``importlib.util.find_spec``.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.measure import comparable, to_target
from chooser.measure.busy import BusyMonitor
from chooser.measure.runner import child_env, module_argv, run_child
from chooser.measure.spec_check import trial_module as trial_module  # re-exported: the API
from chooser.measure.spec_check import validate as validate
from probes.result import IDENTITY, trial_id

# Keys every result carries (None where not measured); all fields: probes.result.TrialResult.
RESULT_KEYS = (
    *IDENTITY,
    "samples_per_second",
    "test_accuracy",
    "time_to_first_step_s",
    "wall_time_s",
    "peak_rss_bytes",
    "param_checksums",
    "checksums_equal",
    "gflops_per_second",
    "train_samples",
    "test_samples",
    "optimizer",
    "lr",
    "versions",
    "energy_joules",
    "energy_note",
)

TrialEventHandler = Callable[[str, dict[str, Any]], None]


@dataclass
class TrialSpec:
    framework: str  # a registered framework id
    mode: str = "single"  # "single" | "distributed"
    workers: int = 1
    steps: int | None = None
    epochs: int | None = None
    batch_size: int = 64
    optimizer: str = "adam"
    lr: float = 1e-3
    seed: int = 0
    data: str | None = None
    download: bool = False
    device: str = "auto"
    tensorboard: str | None = None
    timeout_s: float = 300.0
    extra_args: tuple[str, ...] = ()  # further common.py flags, e.g. ("--shuffle-labels",)
    kind: str = "throughput"  # what the trial measures (probes.result.KINDS)
    threads: int | None = None  # per rank; None: the child takes cores ÷ ranks
    # time_to_accuracy only (probes/trials/to_target.py): None takes the child's default
    target: float | None = None  # validation accuracy to reach
    eval_every: int | None = None  # steps between evaluations
    variant: str = "tuned"  # tuned / beginner / compiled (chooser.measure.variants)

    @property
    def id(self) -> str:
        """``throughput/<framework>/single`` (probes.result.trial_id), ``…/single+beginner``."""
        return trial_id(self.framework, self.mode, self.kind, self.variant)


def trial_argv(spec: TrialSpec) -> list[str]:
    """The exact child command for ``spec`` (flags as in probes/trials/common.py)."""
    args = ["--mode", spec.mode]
    if spec.mode == "distributed":
        args += ["--workers", str(spec.workers)]
    if spec.steps is not None:
        args += ["--steps", str(spec.steps)]
    if spec.epochs is not None:
        args += ["--epochs", str(spec.epochs)]
    if spec.threads is not None:
        args += ["--threads", str(spec.threads)]
    args += [
        "--batch-size",
        str(spec.batch_size),
        "--optimizer",
        spec.optimizer,
        "--lr",
        repr(spec.lr),
        "--seed",
        str(spec.seed),
        "--device",
        spec.device,
    ]
    if spec.data is not None:
        args += ["--data", str(Path(spec.data).expanduser().resolve())]
    if spec.download:
        args.append("--download")
    if spec.tensorboard is not None:
        args += ["--tensorboard", str(Path(spec.tensorboard).expanduser().resolve())]
    args += to_target.argv(spec)
    if spec.variant != "tuned":
        args += ["--variant", spec.variant]
    args += list(spec.extra_args)
    module = trial_module(spec.framework, spec.mode, spec.variant)
    assert module is not None, "validate() first"
    return module_argv(module, *args)


def _skeleton(spec: TrialSpec, argv: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = dict.fromkeys(RESULT_KEYS)
    result.update(
        id=spec.id,
        kind=spec.kind,
        framework=spec.framework,
        mode=spec.mode,
        world_size=spec.workers if spec.mode == "distributed" else 1,
        steps=spec.steps,
        batch_size=spec.batch_size,
        optimizer=spec.optimizer,
        lr=spec.lr,
        seed=spec.seed,
        command=shlex.join(argv),
        variant=spec.variant,
        energy_note="not measured: the trial did not report energy",
    )
    return result


skeleton = _skeleton  # the empty result of a spec (chooser.measure.rounds shapes its own)


async def run_trial(spec: TrialSpec, on_event: TrialEventHandler | None = None) -> dict[str, Any]:
    """Run one trial; returns its result with ``status`` ok/missing/error/timeout/cancelled
    (and ``message`` when not ok). Cancelling kills the trial's process group."""
    module = trial_module(spec.framework, spec.mode, spec.variant)
    argv = trial_argv(spec) if module else [sys.executable]
    result = _skeleton(spec, argv)
    try:
        validate(spec)
    except UserError as exc:
        return {**result, "status": "error", "message": str(exc)}
    fw = frameworks.get(spec.framework)
    if not installed(fw.id):
        return {
            **result,
            "status": "missing",
            "message": f"{spec.framework} is not installed here; install it with: "
            f"{fw.install_hint}",
        }

    def forward(event: dict[str, Any]) -> None:
        if on_event is not None:
            on_event(spec.id, event)

    try:
        async with BusyMonitor() as monitor:
            outcome = await run_child(
                argv, timeout=spec.timeout_s, on_event=forward, env=child_env()
            )
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # e.g. the interpreter could not be started
        return {**result, "status": "error", "message": f"{type(exc).__name__}: {exc}"}
    if outcome.result is not None and outcome.ok:
        result.update(outcome.result)
    status = {"ok": "ok", "timeout": "timeout", "cancelled": "cancelled"}.get(
        outcome.status, "error"
    )
    message: str | None
    if status == "timeout":
        message = f"timed out after {spec.timeout_s:g} s; the whole process group was killed"
    else:  # an ok time-to-accuracy trial may say why it did not reach its target
        message = result.get("message") if status == "ok" else outcome.message
    result.update(
        id=spec.id,
        status=status,
        message=message,
        command=shlex.join(argv),
        busy_warning=monitor.warning(),
        machine_load=monitor.record(),
        runner_wall_s=round(outcome.wall_s, 3),
    )
    if status != "ok":
        result["stderr_tail"] = outcome.stderr_tail[-2000:]
    return comparable.mark(result, spec.threads)


def installed(framework: str) -> bool:
    """Whether the framework's package can be found here (a blocked or broken finder counts
    as absent), asked without importing it."""
    try:
        return find_spec(frameworks.get(framework).import_name) is not None
    except (ImportError, ValueError):
        return False


def _suite(
    steps: int | None, epochs: int | None, timeout_s: float, single_steps: int | None = None
) -> list[TrialSpec]:
    """Every registered framework's single trial, then every distributed one. The single
    trials run as interleaved rounds (chooser.measure.rounds) timed in windows of 20. A
    framework that is not installed keeps only its first trial, which reports it once as
    ``missing`` with the install hint (it never starts a process); its other trials are
    left out."""
    present = {fw.id: installed(fw.id) for fw in frameworks.frameworks()}
    return [
        TrialSpec(
            fw.id,
            mode,
            workers=2 if mode == "distributed" else 1,
            steps=(single_steps or steps) if mode == "single" else steps,
            epochs=epochs,
            timeout_s=timeout_s,
            extra_args=("--window-steps", "20") if mode == "single" else (),
        )
        for mode in ("single", "distributed")
        for fw in frameworks.frameworks()
        if mode in fw.trial_modules and (present[fw.id] or mode == next(iter(fw.trial_modules)))
    ]


# quick: about 1–1.5 minutes for six (three frameworks) on a 2-core machine (start-up dominates). The single
# trials run as SUITE_ROUNDS interleaved rounds (chooser.measure.rounds) of 66 steps: 5
# warm-up steps and 3 windows of 20 (a window ends at a step, hence the +1); many short
# rounds leave enough quiet ones when a load comes and goes. The distributed trials run
# 100 steps (9 windows of 10 after warm-up). full: single trials in 8 rounds of 126 steps
# (5 warm-up, 6 windows of 20: a round of 3 epochs ÷ 8 of the embedded 4,000 images would be
# 23 steps, too short for one window), distributed ones 3 epochs of whatever data is found,
# then a time-to-accuracy trial and the beginner/compiled variants per framework.
SUITE_ROUNDS = {"quick": 8, "full": 8}
SUITE_BUDGETS: dict[str, dict[str, Any]] = {
    "quick": {"steps": 100, "epochs": None, "timeout_s": 120, "single_steps": 8 * 66},
    "full": {"steps": None, "epochs": 3, "timeout_s": 900, "single_steps": 8 * 126},
}


def suite_specs(name: str) -> list[TrialSpec]:
    """The trials of a named suite, for the frameworks registered now."""
    if name not in SUITE_BUDGETS:
        raise UserError(f"unknown suite {name!r} (choose {', '.join(SUITE_BUDGETS)})")
    budget = SUITE_BUDGETS[name]
    specs = _suite(budget["steps"], budget["epochs"], budget["timeout_s"], budget["single_steps"])
    if name == "full":
        from chooser.measure.variants import variant_specs  # local: variants import this module

        specs += to_target.suite_specs(TrialSpec, budget["timeout_s"], installed)
        specs += variant_specs(budget["epochs"], budget["timeout_s"])
    return specs
