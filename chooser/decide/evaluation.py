"""Evaluating checked conditions: the records expressions read, and simpleeval over them.

``chooser.decide.expressions`` parses and checks an expression up front; this module
evaluates the checked tree with simpleeval's evaluator (the operators, functions and
budgets of ``expr_limits``). Namespaces are wrapped in :class:`Record`/:class:`Items`, so
a value the inputs do not have raises :class:`MissingValue` instead of reading as zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from simpleeval import EvalWithCompoundTypes

from chooser.decide.expr_limits import OPERATORS, PublicNames, fault
from chooser.decide.expressions import CONSTANTS, FUNCTIONS, Checked, MissingValue


class Record:
    """Read-only view of a dict for expressions: ``rec.key``; a missing key raises
    MissingValue naming the full path. ``blocked`` makes every key but a few missing
    (a trial that failed has no measurements to read)."""

    __slots__ = ("_data", "_path", "_blocked")

    def __init__(self, data: dict[str, Any], path: str, blocked: str = "") -> None:
        self._data, self._path, self._blocked = data, path, blocked

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        full = f"{self._path}.{name}"
        if self._blocked and name not in {"id", "status", "message", "ok", "framework", "mode"}:
            raise MissingValue(full, self._blocked)
        if name not in self._data:
            raise MissingValue(full)
        return wrap(self._data[name], full)

    def __getitem__(self, key: Any) -> Any:
        return self.__getattr__(str(key))

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __repr__(self) -> str:
        return f"<{self._path}>"


class Items(list[Any]):
    """A list read by an expression; an index past the end is a MissingValue."""

    def __init__(self, items: list[Any], path: str) -> None:
        super().__init__(items)
        self.path = path

    def __getitem__(self, index: Any) -> Any:
        try:
            return super().__getitem__(index)
        except (IndexError, TypeError):
            raise MissingValue(f"{self.path}[{index}]") from None


def wrap(value: Any, path: str) -> Any:
    if isinstance(value, dict):
        return Record(value, path)
    if isinstance(value, (list, tuple)):
        return Items([wrap(v, f"{path}[{i}]") for i, v in enumerate(value)], path)
    return value


def unwrap(value: Any) -> Any:
    """Plain JSON-able data back from a wrapped value, for evidence in reports."""
    if isinstance(value, Record):
        return {k: unwrap(wrap(v, "")) for k, v in value._data.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


class Evaluator(EvalWithCompoundTypes):  # type: ignore[misc]
    """simpleeval's evaluator, run on a tree ``check_expression`` already parsed and
    checked (so nothing is parsed twice)."""

    def run(self, checked: Checked) -> Any:
        # What simpleeval's own entry point does before walking a parsed tree: reset the
        # compound-size budget and keep the text for its error messages.
        self._max_count = 0
        self.expr = checked.text
        return self._eval(checked.tree.body)


def make_evaluator(names: dict[str, Any]) -> Evaluator:
    """One simpleeval evaluator over ``names``; reuse it for many expressions."""
    return Evaluator(
        operators=OPERATORS,
        functions=FUNCTIONS,
        names={**CONSTANTS, **names},
        allowed_attrs={Record: PublicNames()},
    )


def evaluate(checked: Checked, names: dict[str, Any] | Evaluator) -> Any:
    """Evaluate a checked expression (``names``: namespaces, or an evaluator from
    make_evaluator). Raises MissingValue, or ArithmeticError/TypeError/ValueError for
    values of the wrong kind (reported by the caller, not a crash), or ExpressionFault when
    the expression itself cannot be evaluated (a budget, an unknown attribute)."""
    evaluator = names if isinstance(names, Evaluator) else make_evaluator(names)
    try:
        return evaluator.run(checked)
    except (MissingValue, ArithmeticError, TypeError, ValueError):
        raise
    except Exception as exc:  # simpleeval's refusals, a bad attribute: the expression's fault
        raise fault(exc) from None


def read_chain(chain: str, names: dict[str, Any]) -> Any:
    """The current value of one dotted chain (``trials.<trial id>.test_accuracy``)."""
    value: Any = names[chain.split(".")[0]]
    for part in chain.split(".")[1:]:
        if part.startswith("[") and isinstance(value, list):
            value = value[int(part[1:-1])]
        elif not part.startswith("[") and isinstance(value, Record):
            value = getattr(value, part)
        else:  # a plain value has no fields: say so instead of reading Python's attributes
            raise MissingValue(chain, f"{part} is not a field of a plain value")
    return value
