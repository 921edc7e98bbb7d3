"""Rule and question conditions: checked up front with ``ast``, evaluated by simpleeval.

A condition is one Python-like expression over four namespaces: ``answers.<question id>``,
``probe.<probe field>``, ``machine.<derived fact>`` and ``trials.<trial id>.<result key>``.
Before anything runs, every node type, function and name chain is checked against what
is known, so a typo is an error with the file and line, not a rule that silently never
fires. Evaluation (``chooser.decide.evaluation``) goes through simpleeval; reading a value the
inputs do not have raises :class:`MissingValue`, which the rules engine reports ("needs
trial X").
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from typing import Any

from chooser.decide.expr_limits import (
    LimitError,
    check_below_open_spec,
    parse_bounded,
)
from probes.result import KINDS, split_id, trial_id

ANY = "*"  # in a namespace spec: anything below this key is accepted
LEAF = None  # a plain value: no attributes below it


def _log2(x: float) -> float:
    return math.log2(x)


FUNCTIONS: dict[str, Any] = {
    "len": len,
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "any": any,
    "all": all,
    "log2": _log2,
    "float": float,
    "int": int,
}
CONSTANTS = {"True": True, "False": False, "None": None}

_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.Name,
    ast.Load,
    ast.Attribute,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Call,
    ast.IfExp,
    ast.Subscript,
)


class ConditionError(ValueError):
    """A condition that does not parse or names something unknown. ``offset`` is the
    0-based column inside the expression text, when known."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


class MissingValue(Exception):
    """The inputs lack a value the expression reads (a trial not run, a probe field absent).
    Deliberately not an AttributeError, so simpleeval lets it through."""

    def __init__(self, path: str, why: str = "") -> None:
        super().__init__(path)
        self.path, self.why = path, why


@dataclass
class Checked:
    """A validated expression: its text, parsed tree and the name chains it reads."""

    text: str
    tree: ast.Expression
    chains: list[str] = field(default_factory=list)

    @property
    def answer_ids(self) -> set[str]:
        return {c.split(".")[1] for c in self.chains if c.startswith("answers.")}

    @property
    def trial_ids(self) -> set[str]:
        """Canonical ids (``throughput/<framework>/single``) of the trials this reads, whether
        written ``trials.throughput.<framework>.single.…`` or by the old alias
        ``trials.<framework>_single.…``."""
        return {chain_trial_id(c) for c in self.chains if c.startswith("trials.")}


def chain_trial_id(chain: str) -> str:
    """The canonical trial id a ``trials.…`` chain reads."""
    parts = chain.split(".")
    if len(parts) >= 4 and parts[1] in KINDS:
        return trial_id(parts[2], parts[3], parts[1])
    split = split_id(parts[1]) if len(parts) > 1 else None
    return trial_id(split[1], split[2], split[0]) if split else ".".join(parts[1:2])


def check_expression(
    text: str, specs: dict[str, Any], options: dict[str, set[str]] | None = None
) -> Checked:
    """Parse ``text`` and check it against ``specs`` (namespace name → spec). ``options``
    maps choice question ids to their option values, to catch misspelt option names."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("the expression is empty")
    try:
        tree = parse_bounded(text)  # length, depth and size budgets (expr_limits.py)
    except SyntaxError as exc:
        offset = (exc.offset - 1) if exc.offset else None
        raise ConditionError(f"does not parse: {exc.msg}", offset) from None
    except LimitError as exc:
        raise ConditionError(str(exc), exc.offset) from None
    chains: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ConditionError(
                f"{type(node).__name__} is not allowed in a condition "
                "(use comparisons, and/or/not, arithmetic, lists and "
                f"the functions {', '.join(FUNCTIONS)})",
                _col(node),
            )
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise ConditionError(
                    f"unknown function {ast.unparse(node.func)!r}; known: {', '.join(FUNCTIONS)}",
                    _col(node),
                )
            if node.keywords:
                raise ConditionError("keyword arguments are not allowed", _col(node))
    _check_names(tree.body, specs, chains)
    if options:
        _check_option_literals(tree, options)
    return Checked(text, tree, sorted(set(chains)))


def _col(node: ast.AST) -> int | None:
    return getattr(node, "col_offset", None)


def _chain(node: ast.AST) -> tuple[list[str | int], ast.AST | None]:
    """``probe.gpus[0].name`` → (["probe", "gpus", 0, "name"], None); a chain that does not
    start at a Name returns the node it starts from instead."""
    parts: list[str | int] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            parts.append(node.slice.value)  # type: ignore[arg-type]  # a key the spec checks
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return parts[::-1], None
        else:
            return parts[::-1], node


def _check_names(node: ast.AST, specs: dict[str, Any], chains: list[str]) -> None:
    if isinstance(node, (ast.Attribute, ast.Name, ast.Subscript)):
        parts, rest = _chain(node)
        if rest is None:
            _check_chain(parts, node, specs, chains)
            return
        if isinstance(node, ast.Attribute) and not isinstance(rest, ast.Subscript):
            raise ConditionError(
                f"attribute '.{node.attr}' is only allowed on {', '.join(specs)} values", _col(node)
            )
        for child in ast.iter_child_nodes(rest):
            _check_names(child, specs, chains)
        if isinstance(rest, ast.Subscript):
            _check_names(rest.value, specs, chains)
        return
    if isinstance(node, ast.Call):  # the function name itself is checked elsewhere
        for arg in node.args:
            _check_names(arg, specs, chains)
        return
    for child in ast.iter_child_nodes(node):
        _check_names(child, specs, chains)


def _check_chain(
    parts: list[str | int], node: ast.AST, specs: dict[str, Any], chains: list[str]
) -> None:
    root = parts[0]
    if root in CONSTANTS:
        return
    if root not in specs:
        raise ConditionError(
            f"unknown name {root!r}; a condition reads {', '.join(n + '.…' for n in specs)}",
            _col(node),
        )
    spec: Any = specs[root]
    walked = [root]
    for index, part in enumerate(parts[1:], start=1):
        if spec == ANY:
            try:
                check_below_open_spec(parts[index:], _col(node))
            except LimitError as exc:
                raise ConditionError(str(exc), exc.offset) from None
            break
        if isinstance(spec, list):  # a list: any integer index, then the item spec
            if not isinstance(part, int):
                raise ConditionError(
                    f"{'.'.join(map(str, walked))} is a list; index it with [0], [1], …", _col(node)
                )
            spec = spec[0]
            walked.append(f"[{part}]")
            continue
        if spec is LEAF or not isinstance(spec, dict) or part not in spec:
            known = sorted(spec) if isinstance(spec, dict) else []
            where = ".".join(map(str, walked))
            hint = f"; known: {', '.join(known)}" if known else f" ({where} is a plain value)"
            raise ConditionError(f"unknown name {where}.{part}{hint}", _col(node))
        spec = spec[part]
        walked.append(str(part))
    chains.append(".".join(p for p in walked))


def _check_option_literals(tree: ast.AST, options: dict[str, set[str]]) -> None:
    """``answers.goal == "reserch"`` can never be true: say so now."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for left, right in zip(operands, operands[1:]):
            for a, b in ((left, right), (right, left)):
                parts, rest = _chain(a)
                if rest is not None or len(parts) != 2 or parts[0] != "answers":
                    continue
                allowed = options.get(str(parts[1]))
                if allowed is None:
                    continue
                for literal in _string_literals(b):
                    if literal.value not in allowed:
                        raise ConditionError(
                            f"{literal.value!r} is not an option of answers.{parts[1]}; "
                            f"options: {', '.join(sorted(allowed))}",
                            _col(literal),
                        )


def _string_literals(node: ast.AST) -> list[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []
