"""Turn a pydantic ValidationError into one UserError at the right line and column."""

from __future__ import annotations

import typing
from typing import Any, NoReturn

from pydantic import BaseModel, ValidationError

from chooser.core.yamlfile import Loc, YamlDoc, describe


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _model_at(model: type[BaseModel], parts: Loc) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``parts`` below ``model``."""
    current: Any = model
    for part in parts:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def raise_validation(
    doc: YamlDoc, exc: ValidationError, model: type[BaseModel], base: Loc = (), label: str = ""
) -> NoReturn:
    """Report the first problem pydantic found, where it is in the YAML file."""
    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if not isinstance(p, str) or not p.startswith("function-"))
    full = (*base, *loc)
    prefix = f"{label}: " if label else ""
    kind = err["type"]
    if kind == "missing":
        raise doc.error(
            f"{prefix}missing required key {loc[-1]!r} in {dotted(full[:-1])}", full[:-1]
        )
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        expected = ", ".join(parent.model_fields) if parent else "a known key"
        raise doc.error(
            f"{prefix}unknown key {loc[-1]!r} in {dotted(full[:-1])}; expected one of: {expected}",
            full,
            key=True,
        )
    message = str(err["msg"]).removeprefix("Value error, ")
    got = err.get("input")
    detail = "" if kind.startswith("value_error") else f" (got {describe(got)})"
    where = dotted(full) if loc else dotted(base)
    raise doc.error(f"{prefix}{where}: {message}{detail}", full)
