"""Checking a trial's spec before any process starts, and naming the child module that
runs it: a wrong value is a UserError (exit 2), never a failed child."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.measure import to_target
from chooser.measure.data_check import check_data
from chooser.measure.limits import check_numbers, check_output_dir

if TYPE_CHECKING:
    from chooser.measure.trials import TrialSpec


def trial_module(framework: str, mode: str, variant: str = "tuned") -> str | None:
    """The child module of a registered framework's trial in ``mode`` (and ``variant``:
    single-process only), or None."""
    if not frameworks.known(framework):
        return None
    if variant != "tuned":
        fw = frameworks.get(framework)
        return fw.variant_modules.get(variant) if mode == "single" else None
    return frameworks.get(framework).trial_modules.get(mode)


def validate(spec: TrialSpec) -> None:
    """Raise UserError for values no trial can run with."""
    if not frameworks.known(spec.framework):
        raise UserError(
            f"unknown framework {spec.framework!r} (choose {frameworks.choices_text()})"
        )
    if spec.mode not in ("single", "distributed"):
        raise UserError(f"unknown mode {spec.mode!r} (choose single or distributed)")
    for name in ("workers", "batch_size", "steps", "epochs"):
        value = getattr(spec, name)
        if value is not None and value < 1:
            raise UserError(f"--{name.replace('_', '-')} must be at least 1, got {value}")
    if spec.steps is not None and spec.epochs is not None:
        raise UserError("give --steps or --epochs, not both")
    if spec.variant != "tuned" and trial_module(spec.framework, spec.mode, spec.variant) is None:
        offered = ", ".join(frameworks.get(spec.framework).variant_modules) or "none"
        raise UserError(
            f"no {spec.variant!r} variant of the {spec.framework} {spec.mode} trial "
            f"(variants are single-process; {spec.framework} has: tuned, {offered})"
        )
    if spec.mode == "single" and spec.workers != 1:
        raise UserError("--workers needs --mode distributed")
    if spec.optimizer not in ("adam", "sgd"):
        raise UserError(f"unknown optimizer {spec.optimizer!r} (choose adam or sgd)")
    if not spec.lr > 0:
        raise UserError(f"--lr must be positive, got {spec.lr}")
    if spec.device not in ("auto", "cpu", "cuda"):
        raise UserError(f"unknown device {spec.device!r} (choose auto, cpu or cuda)")
    if spec.timeout_s <= 0:
        raise UserError(f"--timeout must be positive, got {spec.timeout_s}")
    to_target.validate(spec)
    check_numbers(spec)  # finite and in range (chooser/measure/limits.py)
    if spec.data is not None:
        check_data(spec.data)  # headers only: the child reads the data for real
    if spec.tensorboard is not None:
        check_output_dir(spec.tensorboard, "--tensorboard")
