"""What the app needs from the headless parts, gathered in one injectable object.

The real services are imported lazily from chooser.measure.probe, chooser.measure.trials,
chooser.decide.questionnaire, chooser.decide.rules, chooser.decide.recommendation and chooser.report,
so starting the app costs nothing until a service is first used, and tests can
pass their own (a fake runner replaying recorded events) to ``create_app``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Awaitable, Callable

OnPart = Callable[[str, dict], None]
OnTrialEvent = Callable[[str, dict], None]


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """A callable that imports ``module.name`` on first call."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


def _real_suites() -> dict[str, list[Any]]:
    return import_module("chooser.measure.trials").SUITES


@dataclass
class Services:
    """Every headless entry point the TUI calls; each field mirrors a contract name."""

    run_probe: Callable[..., Awaitable[dict]] = field(
        default_factory=lambda: _lazy("chooser.measure.probe", "run_probe"))
    """``await run_probe(on_part=..., timeout=...)`` -> probe dict."""
    run_trial: Callable[..., Awaitable[dict]] = field(
        default_factory=lambda: _lazy("chooser.measure.trials", "run_trial"))
    """``await run_trial(spec, on_event)`` -> result dict; raises only CancelledError."""
    add_scaling: Callable[[list[dict]], None] = field(
        default_factory=lambda: _lazy("chooser.measure.trials", "add_scaling"))
    """Adds scaling efficiency to distributed results whose single run was measured."""
    suites: Callable[[], dict[str, list[Any]]] = _real_suites
    """``suites()`` -> {"quick": [TrialSpec, ...], "full": [...]}."""
    load_questions: Callable[..., Any] = field(
        default_factory=lambda: _lazy("chooser.decide.questionnaire", "load_questions"))
    prefill_from_probe: Callable[..., dict] = field(
        default_factory=lambda: _lazy("chooser.decide.questionnaire", "prefill_from_probe"))
    load_answers: Callable[..., dict] = field(
        default_factory=lambda: _lazy("chooser.decide.questionnaire", "load_answers"))
    save_answers: Callable[..., None] = field(
        default_factory=lambda: _lazy("chooser.decide.questionnaire", "save_answers"))
    load_rules: Callable[..., Any] = field(
        default_factory=lambda: _lazy("chooser.decide.rules", "load_rules"))
    recommend: Callable[..., Any] = field(
        default_factory=lambda: _lazy("chooser.decide.recommendation", "recommend"))
    build_report: Callable[..., Any] = field(
        default_factory=lambda: _lazy("chooser.report", "build_report"))
    write_report: Callable[..., Any] = field(
        default_factory=lambda: _lazy("chooser.report", "write_report"))
    look: Callable[..., Awaitable[Any]] = field(
        default_factory=lambda: _lazy("chooser.measure.budget", "measure_budget"))
    """``await look()`` -> Budget: others' CPU now and the thread budget (budget.py)."""
    budgeted: Callable[..., list[Any]] = field(
        default_factory=lambda: _lazy("chooser.measure.suite", "budgeted"))
    """``budgeted(specs, budget)`` -> the specs with the budget's threads per rank."""
    run_interleaved: Callable[..., Awaitable[list[dict]]] | None = field(
        default_factory=lambda: _lazy("chooser.measure.rounds", "run_interleaved"))
    """``await run_interleaved(specs, rounds, on_event)``: single trials as alternating
    rounds (rounds.py); None runs every trial on its own."""
    finish_result: Callable[..., dict] = field(
        default_factory=lambda: _lazy("chooser.measure.suite", "finish_result"))
    """``finish_result(result, spec, budget)`` -> result with ``comparable``."""
    load_trials: Callable[..., Any] = field(
        default_factory=lambda: _lazy("chooser.measure.saved", "load_trials"))
    """``load_trials(path)`` -> (results, what the file was); UserError when unreadable."""
    model_files: tuple[Path, Path] = field(default_factory=lambda: model_file_paths())
    """The two trial networks shown side by side, read as text (never imported)."""


def model_file_paths() -> tuple[Path, Path]:
    root = Path(__file__).resolve().parents[2]
    trials = root / "probes" / "trials"
    return trials / "net_torch.py", trials / "net_tensorflow.py"
