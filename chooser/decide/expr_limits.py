"""Budgets for rule and question expressions, so no condition can hang or eat memory.

Checked before anything runs: the text's length, then the parse (guarded against the
parser's own recursion), then the tree's depth and node count, and every number literal
finite. While evaluating: sequences built by ``*`` and ``+`` are capped by their total
number of items (nested lists count their items too, so ``[[1]*9999]*9999`` is refused
before it exists), attribute access is allowed on namespace records only, and any
failure that is the expression's own fault becomes :class:`ExpressionFault`, which the
caller turns into one line naming the rule or question, the file and the line.
"""

from __future__ import annotations

import ast
import math
import operator
from collections import deque
from typing import Any

from simpleeval import DEFAULT_OPERATORS, InvalidExpression, IterableTooLong

MAX_EXPRESSION_CHARS = 2_000  # the longest shipped condition has ~120
MAX_EXPRESSION_DEPTH = 30  # nesting of the parsed tree
MAX_EXPRESSION_NODES = 500  # nodes in the parsed tree
MAX_SEQUENCE_ITEMS = 10_000  # items (nested ones included) a computed list or text may hold


class LimitError(ValueError):
    """An expression over a budget; ``offset`` is the 0-based column when known."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


class ExpressionFault(Exception):
    """Evaluation failed because of the expression itself (not a missing or odd value)."""


def parse_bounded(text: str) -> ast.Expression:
    """``ast.parse(text, mode="eval")`` within the budgets above (SyntaxError passes through)."""
    if len(text) > MAX_EXPRESSION_CHARS:
        raise LimitError(f"is {len(text):,} characters long; the limit is {MAX_EXPRESSION_CHARS:,}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (RecursionError, MemoryError):
        raise LimitError(
            f"is nested too deeply (the limit is {MAX_EXPRESSION_DEPTH} levels)"
        ) from None
    except ValueError as exc:  # a NUL or a lone surrogate (YAML's "\0", "\ud800" escapes)
        raise LimitError(f"cannot be read: {' '.join(str(exc).split())[:100]}") from None
    nodes, queue = 0, deque[tuple[ast.AST, int]]([(tree, 0)])
    while queue:  # breadth first, iterative: the recursive checks that follow are safe
        node, depth = queue.popleft()
        nodes += 1
        if depth > MAX_EXPRESSION_DEPTH:
            raise LimitError(
                f"is nested more than {MAX_EXPRESSION_DEPTH} levels deep",
                getattr(node, "col_offset", None),
            )
        if nodes > MAX_EXPRESSION_NODES:
            raise LimitError(
                f"has more than {MAX_EXPRESSION_NODES} parts; split it into several rules"
            )
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, (int, float, complex))
            and not isinstance(node.value, bool)
            and not _finite(node.value)
        ):
            raise LimitError(
                f"the number {ast.get_source_segment(text.strip(), node) or '?'} is not finite",
                node.col_offset,
            )
        queue.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return tree


def _finite(value: int | float | complex) -> bool:
    if isinstance(value, complex):
        return math.isfinite(value.real) and math.isfinite(value.imag)
    return isinstance(value, int) or math.isfinite(value)


def check_below_open_spec(parts: list[str | int], offset: int | None) -> None:
    """Names below an open-ended part of a namespace (``probe.os.…``) cannot be checked
    against a list, but they must still be plain public names or indexes."""
    for part in parts:
        if isinstance(part, int):
            continue
        if not isinstance(part, str) or not part.isidentifier() or part.startswith("_"):
            raise LimitError(
                f"{part!r} cannot be read in a condition (names starting "
                "with '_' are never available)",
                offset,
            )


def _items(value: Any, stop: int) -> int:
    """How many items ``value`` holds, nested ones included; counting stops past ``stop``."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, (list, tuple)):
        return 1
    count, stack = 0, [value]
    while stack and count <= stop:
        current = stack.pop()
        count += len(current)
        stack.extend(v for v in current if isinstance(v, (list, tuple)))
    return count


def _sized(value: Any) -> bool:
    return isinstance(value, (str, bytes, list, tuple))


def _mult(a: Any, b: Any) -> Any:
    for seq, times in ((a, b), (b, a)):
        if _sized(seq) and isinstance(times, int) and not isinstance(times, bool):
            if times > 0 and times * _items(seq, MAX_SEQUENCE_ITEMS) > MAX_SEQUENCE_ITEMS:
                raise IterableTooLong(f"a list or text of more than {MAX_SEQUENCE_ITEMS:,} items")
    return operator.mul(a, b)


def _add(a: Any, b: Any) -> Any:
    if (
        _sized(a)
        and _sized(b)
        and (_items(a, MAX_SEQUENCE_ITEMS) + _items(b, MAX_SEQUENCE_ITEMS)) > MAX_SEQUENCE_ITEMS
    ):
        raise IterableTooLong(f"a list or text of more than {MAX_SEQUENCE_ITEMS:,} items")
    return operator.add(a, b)


OPERATORS = {**DEFAULT_OPERATORS, ast.Mult: _mult, ast.Add: _add}


class PublicNames:
    """simpleeval's ``allowed_attrs`` entry for namespace records: any public name."""

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and not name.startswith("_")


def fault(exc: BaseException) -> ExpressionFault:
    """The one-line cause of an evaluation failure that is the expression's fault."""
    if isinstance(exc, (RecursionError, MemoryError)):
        return ExpressionFault(f"too large to evaluate ({type(exc).__name__})")
    if isinstance(exc, InvalidExpression):
        text = " ".join(str(exc).split())
        return ExpressionFault(f"cannot be evaluated: {text[:200]}")
    return ExpressionFault(
        f"cannot be evaluated: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    )
