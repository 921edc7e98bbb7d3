"""The recommendation as rich renderables: verdict, score bars, rules, what-ifs, trials.

Only formatting of the Recommendation object and trial result dicts; no scoring here.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from chooser.core import numbers
from chooser.core.registry import colour
from chooser.decide.criteria import label
from chooser.views import results as results_view
from chooser.views import rules as rules_view

BAR_WIDTH = 30


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def verdict_text(rec: Any) -> Text:
    verdict = _get(rec, "verdict")
    conf = _get(rec, "confidence")
    text = Text("Recommendation: ", style="bold")
    text.append(label(str(verdict)), style="bold reverse")
    text.append(
        f"   margin {numbers.points(_get(rec, 'margin', 0), unit=False)} of "
        f"{numbers.points(_get(rec, 'stake', 0))} at stake, "
        f"confidence {_get(conf, 'level', '?')}\n"
    )
    if _get(rec, "outcome"):
        text.append(f"{_get(rec, 'outcome')}\n")
    text.append(str(_get(conf, "explanation", "")), style="dim")
    return text


def score_bars(totals: dict[str, float]) -> Table:
    """One bar per framework, scaled to the larger total (negative totals show no bar)."""
    top = max([abs(v) for v in totals.values()] + [1e-9])
    table = Table.grid(padding=(0, 1))
    for framework, points in totals.items():
        filled = round(BAR_WIDTH * max(points, 0) / top)
        bar = Text("█" * filled, style=colour(framework))
        bar.append("░" * (BAR_WIDTH - filled), style="dim")
        table.add_row(Text(label(framework), style="bold"), bar, numbers.points(points))
    return table


def needs_and_changes(rec: Any) -> Group:
    parts: list[Any] = []
    needs = _get(rec, "needs_trials") or []
    if needs:
        parts.append(Text("\nWaiting for trials", style="bold"))
        for need in needs:
            flip = " — could change the verdict" if _get(need, "could_flip") else ""
            # the detail is the whole sentence: which trials, why, how to run them
            parts.append(Text(f"• {_get(need, 'rule_id')}: {_get(need, 'detail', '')}{flip}"))
    parts.append(Text("\nWhat would change the verdict", style="bold"))
    changes = _get(rec, "what_would_change") or []
    for what_if in changes:
        steps = "; ".join(str(_get(c, "description")) for c in _get(what_if, "changes") or [])
        parts.append(
            Text(
                f"• {steps} → {label(str(_get(what_if, 'verdict', '?')))} "
                f"(margin {numbers.points(_get(what_if, 'margin', 0))})"
            )
        )
    note = _get(rec, "what_would_change_note")
    if note or not changes:
        parts.append(Text(str(note or "Nothing within reach changes it."), style="dim"))
    return Group(*parts)


def rules_table(rec: Any) -> Any:
    """The rules that fired, laid out for the width the tab has (chooser.views.rules)."""
    return rules_view.rules_table(rec)


def trials_table(results: list[dict[str, Any]]) -> Any:
    if not results:
        return Group(
            Text(
                "No trial results yet: run the trials (step 3) for measured speed and accuracy.",
                style="dim",
            )
        )
    return results_view.results_table(results)
