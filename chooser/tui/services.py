"""What the app needs from the headless parts: one typed seam (``AppServices``).

``Services`` is the real implementation: each entry point is a plain function whose
import of the headless module is written out (inside the function, so starting the app
costs nothing until a service is first used). Tests build ``Services(...)`` with their
own callables (a fake runner replaying recorded events) and pass it to ``create_app``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from chooser.decide.questionnaire import QuestionBank
    from chooser.decide.recommendation import Recommendation
    from chooser.decide.rules import RuleSet
    from chooser.report import Report

OnPart = Callable[[str, dict[str, Any]], None]
OnTrialEvent = Callable[[str, dict[str, Any]], None]


class AppServices(Protocol):
    """Every headless entry point the app calls (the names follow the headless modules)."""

    run_probe: Callable[..., Awaitable[dict[str, Any]]]
    run_trial: Callable[..., Awaitable[dict[str, Any]]]
    add_scaling: Callable[[list[dict[str, Any]]], None]
    suites: Callable[[], dict[str, list[Any]]]
    load_questions: Callable[..., QuestionBank]
    prefill_from_probe: Callable[..., dict[str, Any]]
    load_answers: Callable[..., dict[str, Any]]
    save_answers: Callable[..., None]
    load_rules: Callable[..., RuleSet]
    recommend: Callable[..., Recommendation]
    build_report: Callable[..., Report]
    write_report: Callable[..., Any]
    look: Callable[..., Awaitable[Any]]
    run_interleaved: Callable[..., Awaitable[list[dict[str, Any]]]] | None
    load_trials: Callable[..., tuple[list[dict[str, Any]], str]]
    scaling_estimate: Callable[[str, int | None], Any] | None


async def run_probe(on_part: OnPart | None = None, timeout: float = 60.0) -> dict[str, Any]:
    """The probe's parts as child processes -> the probe dict."""
    from chooser import pipeline

    return await pipeline.probe(on_part=on_part, timeout=timeout)


async def run_trial(spec: Any, on_event: OnTrialEvent | None = None) -> dict[str, Any]:
    """One trial -> its result; raises only CancelledError."""
    from chooser.measure.trials import run_trial as run

    return await run(spec, on_event)


def add_scaling(results: list[dict[str, Any]]) -> None:
    from chooser.measure.scaling import add_scaling as add

    add(results)


def suites() -> dict[str, list[Any]]:
    """{"quick": [TrialSpec, ...], "full": [...]} for the registered frameworks."""
    from chooser import pipeline
    from chooser.measure.trials import SUITE_BUDGETS

    return {name: pipeline.suite(name) for name in SUITE_BUDGETS}


async def look(wait_quiet_s: float = 0.0) -> Any:
    """Others' CPU use now and the thread budget for every framework (measure.budget)."""
    from chooser.measure.budget import measure_budget

    return await measure_budget(wait_quiet_s)


async def run_interleaved(
    specs: list[Any], rounds: int, on_event: OnTrialEvent | None = None, wait_quiet_s: float = 0.0
) -> list[dict[str, Any]]:
    """Single trials as alternating rounds (chooser.measure.rounds), one result each."""
    from chooser.measure.rounds import run_interleaved as run

    return await run(specs, rounds, on_event, wait_quiet_s)


def load_trials(path: str | Path) -> tuple[list[dict[str, Any]], str]:
    """Saved trial results -> (results, what the file was); UserError when unreadable."""
    from chooser.measure.saved import load_trials as load

    return load(path)


def load_questions(path: str | Path | None = None) -> QuestionBank:
    from chooser.decide.questionnaire import load_questions as load

    return load(path)


def prefill_from_probe(bank: QuestionBank, probe: dict[str, Any] | None) -> dict[str, Any]:
    from chooser.decide.answers import prefill_from_probe as prefill

    return prefill(bank, probe)


def load_answers(path: str | Path, bank: QuestionBank) -> dict[str, Any]:
    from chooser.decide.answers import load_answers as load

    return load(path, bank)


def save_answers(path: str | Path, answers: dict[str, Any]) -> None:
    from chooser.decide.answers import save_answers as save

    save(path, answers)


def load_rules(path: str | Path | None = None, bank: QuestionBank | None = None) -> RuleSet:
    from chooser.decide.rules import load_rules as load

    return load(path, bank=bank)


def recommend(
    bank: QuestionBank,
    rules: RuleSet,
    answers: dict[str, Any],
    probe: dict[str, Any] | None,
    trials: list[dict[str, Any]],
) -> Recommendation:
    from chooser import pipeline

    return pipeline.score(pipeline.Inputs(bank, rules), probe, trials, answers)


def build_report(
    bank: QuestionBank,
    rules: RuleSet,
    rec: Recommendation,
    probe: dict[str, Any] | None,
    trials: list[dict[str, Any]],
    **details: Any,
) -> Report:
    from chooser.report import build_report as build

    return build(bank, rules, rec, probe, trials, **details)


def write_report(report: Report, path: str | Path, force: bool = False) -> Path:
    from chooser import pipeline

    return pipeline.export(report, [path], force=force)[0]


def scaling_estimate(suite: str, threads: int | None) -> Any:
    """What a named suite runs after its trials (the full suite: the scaling estimate)."""
    from chooser import pipeline

    return pipeline.suite_estimate(suite, threads=threads)


@dataclass
class Services:
    """The real services; any field can be replaced (tests pass a replaying runner)."""

    run_probe: Callable[..., Awaitable[dict[str, Any]]] = run_probe
    run_trial: Callable[..., Awaitable[dict[str, Any]]] = run_trial
    add_scaling: Callable[[list[dict[str, Any]]], None] = add_scaling
    suites: Callable[[], dict[str, list[Any]]] = suites
    load_questions: Callable[..., QuestionBank] = load_questions
    prefill_from_probe: Callable[..., dict[str, Any]] = prefill_from_probe
    load_answers: Callable[..., dict[str, Any]] = load_answers
    save_answers: Callable[..., None] = save_answers
    load_rules: Callable[..., RuleSet] = load_rules
    recommend: Callable[..., Recommendation] = recommend
    build_report: Callable[..., Report] = build_report
    write_report: Callable[..., Any] = write_report
    look: Callable[..., Awaitable[Any]] = look
    # None: every trial runs on its own (tests replaying recorded trials one by one)
    run_interleaved: Callable[..., Awaitable[list[dict[str, Any]]]] | None = run_interleaved
    load_trials: Callable[..., tuple[list[dict[str, Any]], str]] = load_trials
    # None: no suite-level step (tests replaying recorded trials)
    scaling_estimate: Callable[[str, int | None], Any] | None = scaling_estimate
