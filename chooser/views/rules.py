"""The rules that fired, as a table that fits its width (the app's Rules tab and the CLI):
rule names never wrap, scores one framework a line, the reason and its evidence take the
room left; figures in the one number style (issue 12)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from chooser.core import numbers
from chooser.decide.criteria import label
from chooser.decide.expressions import chain_trial_id
from chooser.views.fit import ByWidth, Column, fitted
from probes.result import KINDS


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def evidence_name(chain: str) -> str:
    """``PyTorch · 1 process: samples per second median`` for
    ``trials.<framework>_single.samples_per_second.median``; other names as written."""
    if not chain.startswith("trials."):
        return chain
    parts = chain.split(".")
    skip = 4 if len(parts) >= 4 and parts[1] in KINDS else 2
    rest = " ".join(p.replace("_", " ") for p in parts[skip:])
    return f"{numbers.trial_name(chain_trial_id(chain))}: {rest}".rstrip(": ")


def evidence_line(evidence: dict[str, Any]) -> str:
    return "; ".join(f"{evidence_name(k)} = {numbers.figure(v)}" for k, v in evidence.items())


def scores_cell(rule: Any) -> Text:
    """A score per framework, one a line, then the weight; a knock-out; or a note."""
    if _get(rule, "knocks_out"):
        return Text("knocks out\n" + "\n".join(label(k) for k in _get(rule, "knocks_out")))
    scores = _get(rule, "scores") or {}
    if not scores:
        return Text("note", style="dim")
    text = Text("\n".join(f"{label(k)} {numbers.score(v)}" for k, v in scores.items()))
    text.append(f"\nweight {numbers.figure(_get(rule, 'weight', 0))}", style="dim")
    return text


def _reason_cell(rule: Any) -> Text:
    body = Text(str(_get(rule, "reason", "")))
    evidence = _get(rule, "evidence") or {}
    if evidence:
        body.append("\n" + evidence_line(evidence), style="dim")
    extra = [_get(rule, "criterion") or "note"]
    if _get(rule, "checked"):
        extra.append(f"checked {_get(rule, 'checked')}")
    body.append(f"\n({', '.join(extra)})", style="dim")
    return body


def rules_table(rec: Any, title: str = "Rules that fired") -> ByWidth:
    fired = list(_get(rec, "fired") or [])

    def build(width: int) -> Any:
        if not fired:
            return Text(f"{title}: none.", style="dim")
        columns = [
            Column("Rule", [Text(str(_get(r, "id")), style="bold") for r in fired], keep=True),
            Column("Scores", [scores_cell(r) for r in fired], keep=True),
            Column("Reason and evidence", [_reason_cell(r) for r in fired], prose=True, keep=True),
        ]
        table, _ = fitted(columns, width, title=title, expand=True, show_lines=True)
        return table

    return ByWidth(build)
