"""Format specs in rule reasons (``{points:.1f}``), bounded so a reason cannot hang or
fill memory: ``{points:.999999999f}`` or ``{points:>500000000}`` are refused when the
rules file is loaded, and anything else a spec might do wrong falls back to ``str``."""

from __future__ import annotations

import re

MAX_WIDTH = 40  # characters a formatted number may take
MAX_PRECISION = 12  # digits after the point

# [[fill]align][sign][z][#][0][width][grouping][.precision][type]
_SPEC = re.compile(
    r"(?:.?[<>=^])?[+\- ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<prec>\d+))?"
    r"[bcdeEfFgGnosxX%]?"
)


def spec_problem(spec: str) -> str | None:
    """Why ``spec`` is not allowed in a reason, or None when it is."""
    match = _SPEC.fullmatch(spec)
    if match is None:
        return f"the format spec {spec[:20]!r} is not a number format like .1f or .0%"
    if match["width"] and int(match["width"]) > MAX_WIDTH:
        return f"the format spec {spec[:20]!r} is wider than {MAX_WIDTH} characters"
    if match["prec"] and int(match["prec"]) > MAX_PRECISION:
        return f"the format spec {spec[:20]!r} asks for more than {MAX_PRECISION} digits"
    return None


def format_value(value: object, spec: str) -> str:
    """``format(value, spec)`` for a checked spec; ``str(value)`` when it does not apply."""
    if spec_problem(spec):
        return str(value)
    try:
        return format(value, spec or "g")
    except (ValueError, TypeError, OverflowError):
        return str(value)
