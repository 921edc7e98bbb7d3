"""The suite's trials as one table that fits the console's width (`chooser trial --suite`),
and how a figure is shown when it is not comparable (issue 12)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text

from chooser.core import numbers
from chooser.views.fit import ByWidth, Column, fitted
from chooser.views.results import as_plain


def measured(text: str, ok: bool | None, reason: str | None, short: bool = False) -> Text:
    """A figure as shown: plain when comparable, dimmed with its reason when not (in a
    narrow table cell ``short`` says only "not comparable"; the reason is printed below)."""
    if ok is not False or text in ("—", numbers.MISSING, ""):
        return Text(text)
    if short:
        return Text(f"{text} (not comparable)", style="dim")
    return Text(f"{text} (not comparable: {reason or 'no reason recorded'})", style="dim")


def figure(result: dict[str, Any], text: str, short: bool = False) -> Text:
    return measured(
        text,
        result.get("comparable", False) if result.get("status") == "ok" else None,
        result.get("comparable_reason")
        or "not assessed (recorded before chooser checked comparability)",
        short,
    )


def _interval(result: dict[str, Any]) -> str:
    """``12.9k samples/s (±0.6k)``, as in `recommend` and the app."""
    sps = result.get("samples_per_second") or {}
    low, high = sps.get("ci95") or (None, None)
    return numbers.interval(sps.get("median"), low, high)


def _ok(result: dict[str, Any], text: str) -> str:
    """A figure of a trial that finished; a failed run's partial numbers are not shown."""
    return text if result.get("status") == "ok" else numbers.MISSING


def with_unit(text: str, unit: str) -> str:
    return text if text == numbers.MISSING else text + unit


def suite_table(results: list[dict[str, Any]]) -> Any:
    """The suite's trials, fitted to the console's width; what does not fit is a line under."""

    def scaling(r: dict[str, Any]) -> Any:
        s = r.get("scaling")
        if not s:
            return numbers.MISSING
        return measured(
            numbers.percent(s["efficiency"], 0),
            s.get("comparable", False),
            s.get("comparable_reason"),
            True,
        )

    def checks(r: dict[str, Any]) -> str:
        if not r.get("param_checksums"):
            return numbers.MISSING
        return "equal" if r.get("checksums_equal") else "[red]differ[/red]"

    def build(width: int) -> Any:
        columns = [
            Column("Trial", [numbers.trial_name(r) for r in results], nowrap=True, keep=True),
            Column("Status", [r.get("status", "?") for r in results], keep=True),
            Column(
                "Speed",
                [figure(r, _ok(r, _interval(r)), short=True) for r in results],
                numeric=True,
                keep=True,
            ),
            Column(
                "Test acc.",
                [_ok(r, numbers.percent(r.get("test_accuracy"), 2)) for r in results],
                numeric=True,
            ),
            Column(
                "First step",
                [
                    figure(r, _ok(r, numbers.seconds(r.get("time_to_first_step_s"))), short=True)
                    for r in results
                ],
                numeric=True,
            ),
            Column(
                "Wall",
                [_ok(r, numbers.seconds(r.get("wall_time_s"))) for r in results],
                numeric=True,
            ),
            Column("Checksums", [checks(r) for r in results]),
            Column("Scaling", [scaling(r) for r in results], numeric=True),
        ]
        table, left_out = fitted(columns, width, title="Trials", title_justify="left")
        lines = [
            Text(
                f"  {numbers.trial_name(r)}: "
                + " · ".join(
                    f"{c.header} {as_plain(c.cells[i])}"
                    for c in left_out
                    if as_plain(c.cells[i]) != numbers.MISSING
                ),
                style="dim",
            )
            for i, r in enumerate(results)
            if left_out and r.get("status") == "ok"
        ]
        lines += [
            Text(f"  {numbers.trial_name(r)}: {r.get('message')}", style="red")
            for r in results
            if r.get("status") != "ok"
        ]
        return Group(table, *lines)

    return ByWidth(build)
