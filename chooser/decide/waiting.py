"""What a rule waiting for trials says: one sentence naming the trials in people's words
("PyTorch · 1 process"), why each is missing, and how to run them (issue 12).

A measured figure can be missing from a trial that ran: scaling efficiency is computed
against the single-process run of the same framework, so a distributed trial has none
when that baseline was cancelled, failed or not run. The sentence then names the
baseline, not the distributed trial that did run."""

from __future__ import annotations

from typing import Any

from chooser.core import frameworks, numbers
from chooser.decide.expressions import chain_trial_id
from probes.result import split_id, trial_id

HOW_TO_RUN = (
    "from the app's Trials step ({suite} budget) or with `chooser recommend --trials {suite}`"
)
# fields computed from another trial: that trial is what is missing
DERIVED_FROM_SINGLE = {"scaling", "scaling_efficiency"}


def baseline_of(path: str) -> str | None:
    """The single-process trial a derived field (``….scaling_efficiency``) of the trial at
    ``path`` is computed from; None for a field the trial measures itself."""
    if not path.startswith("trials.") or not DERIVED_FROM_SINGLE & set(path.split(".")[2:]):
        return None
    parts = split_id(chain_trial_id(path))
    return trial_id(parts[1], "single", parts[0]) if parts else None


def lacking_trials(rule_trials: set[str], path: str, trials: dict[str, Any]) -> list[str]:
    """The trials a rule waits for: those it reads that did not run or succeed, or else the
    baseline a derived field it reads was computed from."""
    lacking = sorted(
        (t for t in rule_trials if t not in trials or not trials[t].ok), key=_registry_order
    )
    base = baseline_of(path)
    if not lacking and base is not None and (base not in trials or not trials[base].ok):
        lacking = [base]
    return lacking


def _registry_order(tid: str) -> tuple[int, str]:
    """Trials in the registry's order of frameworks (PyTorch, TensorFlow, JAX), as shown."""
    parts = split_id(tid)
    order = frameworks.ids()
    return (order.index(parts[1]) if parts and parts[1] in order else len(order), tid)


def _name(tid: str, trials: dict[str, Any]) -> str:
    record = trials.get(tid)
    size = record._data.get("world_size") if record is not None else None
    return numbers.trial_name(tid, world_size=size if isinstance(size, int) else None)


def _why(tid: str, trials: dict[str, Any]) -> str:
    return str(trials[tid]._blocked) if tid in trials else "was not run"


def waiting_sentence(lacking: list[str], path: str, trials: dict[str, Any]) -> str:
    """``needs the trials PyTorch · distributed and JAX · distributed, which were not run;
    run them …``. With nothing lacking (a field missing from a trial that ran), names the
    trial and the field."""
    if not lacking:
        tid = chain_trial_id(path)
        field = path.split(".")[-1]
        return (
            f"needs {field.replace('_', ' ')} from {_name(tid, trials)}, which did not "
            "report it; run that trial again"
        )
    base = baseline_of(path)
    role = " (the single-process baseline its scaling efficiency is measured against)"
    names = [_name(t, trials) + (role if t == base else "") for t in lacking]
    if not any(t in trials for t in lacking):
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        which = "which was not run" if len(names) == 1 else "which were not run"
        lead = "the trial" if len(names) == 1 else "the trials"
        return f"needs {lead} {listed}, {which}; {_how(lacking)}"
    parts = [f"{name}, which {_why(t, trials)}" for t, name in zip(lacking, names)]
    return f"needs {'; '.join(parts)}; {_how(lacking)}"


def _suite_for(lacking: list[str]) -> str:
    """quick runs the tuned throughput trials; time to accuracy and the beginner/compiled
    variants (``…/single+beginner``) are only in full."""
    parts = [split_id(t) for t in lacking]
    quick = all(p is not None and p[0] == "throughput" and "+" not in p[2] for p in parts)
    return "quick" if quick else "full"


def _how(lacking: list[str]) -> str:
    how = HOW_TO_RUN.format(suite=_suite_for(lacking))
    return f"run {'it' if len(lacking) == 1 else 'them'} {how}"
