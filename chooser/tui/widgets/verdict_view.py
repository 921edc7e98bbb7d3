"""The recommendation as rich renderables: verdict, score bars, rules, what-ifs, trials.

Only formatting of the Recommendation object and trial result dicts; no scoring here.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from chooser.core.registry import colour
from chooser.decide.criteria import label

BAR_WIDTH = 30


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def verdict_text(rec: Any) -> Text:
    verdict = _get(rec, "verdict")
    conf = _get(rec, "confidence")
    text = Text("Recommendation: ", style="bold")
    text.append(label(str(verdict)), style="bold reverse")
    text.append(
        f"   margin {_get(rec, 'margin', 0):.3g} of {_get(rec, 'stake', 0):.3g} "
        f"weighted points, confidence {_get(conf, 'level', '?')}\n"
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
        table.add_row(Text(label(framework), style="bold"), bar, f"{points:g} points")
    return table


def needs_and_changes(rec: Any) -> Group:
    parts: list[Any] = []
    needs = _get(rec, "needs_trials") or []
    if needs:
        parts.append(Text("\nWaiting for trials", style="bold"))
        for need in needs:
            flip = " — could change the verdict" if _get(need, "could_flip") else ""
            parts.append(
                Text(
                    f"• {_get(need, 'rule_id')}: needs "
                    f"{', '.join(_get(need, 'trials') or [])}{flip}. "
                    f"{_get(need, 'detail', '')}"
                )
            )
    parts.append(Text("\nWhat would change the verdict", style="bold"))
    changes = _get(rec, "what_would_change") or []
    for what_if in changes:
        steps = "; ".join(str(_get(c, "description")) for c in _get(what_if, "changes") or [])
        parts.append(
            Text(
                f"• {steps} → {label(str(_get(what_if, 'verdict', '?')))} "
                f"(margin {_get(what_if, 'margin', 0):g})"
            )
        )
    note = _get(rec, "what_would_change_note")
    if note or not changes:
        parts.append(Text(str(note or "Nothing within reach changes it."), style="dim"))
    return Group(*parts)


def _points(rule: Any) -> str:
    """A rule's score per framework and its weight, a knock-out, or a note."""
    if _get(rule, "knocks_out"):
        return "knocks out " + ", ".join(label(k) for k in _get(rule, "knocks_out"))
    scores = _get(rule, "scores") or {}
    if not scores:
        return "note"
    return (
        ", ".join(f"{label(k)} {v:.2g}" for k, v in scores.items())
        + f" (weight {_get(rule, 'weight', 0):g})"
    )


def rules_table(rec: Any) -> Table:
    table = Table(expand=True, show_lines=True, title="Rules that fired")
    table.add_column("rule", ratio=2, overflow="fold")
    table.add_column("scores", ratio=2)
    table.add_column("reason and evidence", ratio=5)
    for rule in _get(rec, "fired") or []:
        evidence = _get(rule, "evidence") or {}
        body = Text(str(_get(rule, "reason", "")))
        if evidence:
            body.append("\n" + ", ".join(f"{k} = {v}" for k, v in evidence.items()), style="dim")
        table.add_row(str(_get(rule, "id")), _points(rule), body)
    return table


def _num(value: Any, fmt: str) -> str:
    return format(value, fmt) if isinstance(value, (int, float)) else "—"


def trials_table(results: list[dict[str, Any]]) -> Group:
    if not results:
        return Group(
            Text(
                "No trial results yet: run the trials (step 3) for measured speed and accuracy.",
                style="dim",
            )
        )
    table = Table(expand=True, title="Trial results (measured in this session)")
    for name in (
        "trial",
        "status",
        "samples/s (min–max)",
        "test acc",
        "1st step",
        "wall",
        "peak RSS",
        "in sync",
    ):
        table.add_column(name, overflow="fold")
    notes = []
    for r in results:
        sps = r.get("samples_per_second") or {}
        spread = (
            (
                f"{_num(sps.get('median'), ',.0f')} ({_num(sps.get('min'), ',.0f')}–"
                f"{_num(sps.get('max'), ',.0f')})"
            )
            if sps
            else "—"
        )
        sync = {True: "yes", False: "NO"}.get(r.get("checksums_equal"), "—")  # type: ignore[arg-type]
        peak = r.get("peak_rss_bytes")
        apart = r.get("status") == "ok" and r.get("comparable") is not True
        dim = "dim" if apart else ""  # never a plain number when not comparable
        table.add_row(
            str(r.get("id")),
            str(r.get("status")),
            Text(spread + (" not comparable" if apart else ""), style=dim),
            _num(r.get("test_accuracy"), ".2%"),
            Text(_num(r.get("time_to_first_step_s"), ".1f") + " s", style=dim),
            _num(r.get("wall_time_s"), ".1f") + " s",
            f"{peak / 2**20:,.0f} MiB" if isinstance(peak, (int, float)) else "—",
            sync,
        )
        if r.get("status") != "ok":
            notes.append(
                Text(f"• {r.get('id')}: {r.get('message') or r.get('status')}", style="red")
            )
        elif apart:
            notes.append(
                Text(
                    f"• {r.get('id')} not comparable: "
                    f"{r.get('comparable_reason') or 'not assessed'}",
                    style="yellow",
                )
            )
        if r.get("status") == "ok" and r.get("data_source"):
            notes.append(
                Text(
                    f"• {r.get('id')}: {r.get('steps')} steps × batch "
                    f"{r.get('batch_size')}, seed {r.get('seed')}, "
                    f"{r.get('data_source')}; {r.get('command', '')}",
                    style="dim",
                )
            )
    return Group(table, *notes)
