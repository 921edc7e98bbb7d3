"""Saved trial results, read back to re-score without re-running (``chooser recommend
--trials-from FILE``, the TUI's "load results").

Accepted: the output of ``chooser trial --suite … --json`` ({"results": [...]}), a JSON
report ({"tool": "chooser", "trials": [...]}), the output of a single ``chooser trial
--json`` (one result), or a plain list of results. Results saved before chooser checked
comparability have no ``comparable`` field: they are read as not comparable (so they
weigh nothing), never guessed. Old trial ids (``<framework>_single``) are read as the new ones
(``throughput/<framework>/single``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chooser.core.errors import UserError
from chooser.core.figures import NOT_ASSESSED
from chooser.core.inputs import read_user_json
from probes.result import split_id, trial_id


def _items(data: Any) -> tuple[list[Any], str]:
    if isinstance(data, list):
        return data, "a list of trial results"
    if isinstance(data, dict):
        if data.get("tool") == "chooser" and isinstance(data.get("trials"), list):
            return data["trials"], "a chooser report's trials"
        if isinstance(data.get("results"), list):
            return data["results"], f"a saved `chooser trial --suite {data.get('suite')}` run"
        if "framework" in data and "status" in data:
            return [data], "one saved trial result"
    raise ValueError(
        'expected `chooser trial --json` output (an object with "results"), '
        'a chooser JSON report (with "trials"), or a list of trial results'
    )


def load_trials(path: str | Path) -> tuple[list[dict[str, Any]], str]:
    """The trial results in ``path`` and a phrase saying what the file was."""
    path = Path(path)
    data = read_user_json(path, "trial results")  # regular file, capped, UTF-8, depth checked
    try:
        items, what = _items(data)
    except ValueError as exc:
        raise UserError(str(exc), path=str(path)) from None
    results = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not (item.get("id") or item.get("framework")):
            raise UserError(
                f'trial result {index} is not an object with an "id" or a "framework"',
                path=str(path),
            )
        item = dict(item)
        item.setdefault("id", f"{item.get('framework')}_{item.get('mode', 'single')}")
        parts = split_id(str(item["id"]))  # an old id (<framework>_single): the new one
        if parts is not None:
            item["id"] = trial_id(parts[1], parts[2], parts[0])
        item.setdefault("status", "error")
        if item["status"] == "ok" and "comparable" not in item:
            item.update(comparable=False, comparable_reason=NOT_ASSESSED)
        results.append(item)
    if not results:
        raise UserError("holds no trial results", path=str(path))
    return results, what
