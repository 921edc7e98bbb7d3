"""The vocabulary of the decision model (docs/rules.md): which frameworks are scored, the
criteria they are scored on, the alternatives a rule may point to, and which answers mean
"not decided". Framework ids and labels come from the registry (chooser.core.frameworks),
asked each time: a framework registered at run time (a plug-in, a test) is scored too."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from chooser.core import frameworks


def framework_ids() -> tuple[str, ...]:
    """The frameworks the model scores now, in registry (display) order."""
    return tuple(frameworks.ids())


# Outcomes that are not one framework.
EITHER = "either"
NONE = "none"
OUTCOME_LABELS = {EITHER: "either", NONE: "none of them"}

# What a rule may point to beyond the registry's frameworks (`suggests:` in rules.yaml).
ALTERNATIVES = {
    "keras3": "Keras 3: write the model once in Keras and choose the backend (TensorFlow, "
    "JAX or PyTorch) later",
}

# Option values that mean "not decided / don't know / no preference": never a reason.
UNDECIDED = frozenset({"undecided", "unknown", "no_preference", "not_sure"})

# The largest weight a criterion can carry, and the weights a rule may give.
MAX_WEIGHT = 3.0


def label(framework_or_outcome: str) -> str:
    if frameworks.known(framework_or_outcome):
        return frameworks.label(framework_or_outcome)
    return OUTCOME_LABELS.get(framework_or_outcome, framework_or_outcome)


class Criterion(BaseModel):
    """One thing a team weighs. Its weight is the largest weight among its rules that fired
    on answers the user gave (capped), so a fact repeated by several rules counts once."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", strict=True)
    label: str = Field(min_length=1, strict=True)
    cap: float = Field(default=MAX_WEIGHT, gt=0, le=MAX_WEIGHT, strict=True)
