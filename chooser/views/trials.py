"""Headless display of trials (rich): a progress bar per trial while it runs, then a
readable result table. The TUI has its own widgets; this is for `chooser trial`."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from chooser.core import numbers
from chooser.views.suite import figure as _figure
from chooser.views.suite import measured, suite_table, with_unit
from chooser.views.to_target import time_to_target_text


class TrialProgress:
    """Context manager: ``on_event(spec_id, event)`` moves that trial's bar."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]{task.fields[trial]:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> TrialProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)

    def _task(self, spec_id: str) -> TaskID:
        if spec_id not in self.tasks:
            self.tasks[spec_id] = self.progress.add_task(
                "", total=None, trial=numbers.trial_name(spec_id), detail="starting…"
            )
        return self.tasks[spec_id]

    def start(self, spec_id: str) -> None:
        self._task(spec_id)

    def on_event(self, spec_id: str, event: dict[str, Any]) -> None:
        task = self._task(spec_id)
        phase = event.get("phase", "")
        detail = phase
        if event.get("loss") is not None:
            detail += f"  loss {event['loss']:.3f}"
        if event.get("samples_per_second"):
            detail += f"  {numbers.rate(event['samples_per_second'])}"
        if event.get("message") and phase != "train":
            detail += f"  {event['message']}"
        total = event.get("of") or None
        self.progress.update(task, total=total, completed=event.get("step", 0), detail=detail)

    def finish(self, result: dict[str, Any]) -> None:
        task = self._task(result["id"])
        status = result.get("status")
        colour = "green" if status == "ok" else "yellow" if status == "missing" else "red"
        total = self.progress.tasks[task].total or 1
        self.progress.update(
            task,
            total=total,
            completed=total if status == "ok" else 0,
            detail=f"[{colour}]{status}[/{colour}]",
        )


def _speed(sps: dict[str, Any] | None) -> str:
    if not sps or sps.get("median") is None:
        return numbers.MISSING
    ci = (
        f", 95 % interval {numbers.count(sps['ci95'][0])}–{numbers.count(sps['ci95'][1])}"
        if sps.get("ci95")
        else ""
    )
    return (
        f"{numbers.rate(sps['median'])} (min {numbers.count(sps['min'])}, "
        f"max {numbers.count(sps['max'])}{ci}; {sps.get('method', '')})"
    )


def comparisons_table(pairs: list[dict[str, Any]]) -> Table:
    table = Table(title="Framework comparison (interleaved rounds)", title_justify="left")
    for column in ("what", "ratio", "95 % interval", "how"):
        table.add_column(column, overflow="fold")
    for p in pairs:
        ci = (
            f"{numbers.ratio(p['ci95'][0])}–{numbers.ratio(p['ci95'][1])}" if p.get("ci95") else "–"
        )
        how = p["interval_method"]
        if not p["comparable"]:
            how += f"; not comparable: {p.get('comparable_reason')}"
        table.add_row(
            p["what"],
            measured(
                numbers.ratio(p["ratio"]), p["comparable"], p.get("comparable_reason"), short=True
            ),
            measured(ci, p["comparable"], None, short=True),
            Text(how, style="dim"),
        )
    return table


def print_comparisons(pairs: list[dict[str, Any]], console: Console | None = None) -> None:
    if pairs:
        (console or Console()).print(comparisons_table(pairs))


def result_table(result: dict[str, Any]) -> Table:
    table = Table(
        title=f"{numbers.trial_name(result)}: {result.get('status')}",
        show_header=False,
        title_justify="left",
    )
    table.add_column("what", style="bold")
    table.add_column("value", overflow="fold")
    if result.get("status") != "ok":
        table.add_row("cause", f"[red]{result.get('message')}[/red]")
    if result.get("status") == "ok" and not result.get("comparable", False):
        table.add_row("comparable", Text(f"no: {result.get('comparable_reason')}", style="yellow"))
    elif result.get("busy_warning"):
        table.add_row("warning", f"[yellow]{result['busy_warning']}[/yellow]")
    if result.get("thread_budget"):
        budget = result["thread_budget"]
        table.add_row(
            "thread budget",
            f"{budget['threads']} of {budget['cores']} cores "
            f"({result.get('threads_per_rank')} per rank); {budget['how']}",
        )
    versions = result.get("versions") or {}
    rows = [
        (
            "mode",
            f"{result.get('mode')} × {result.get('world_size')} on {result.get('device')}"
            + (f" ({result['backend']})" if result.get("backend") else ""),
        ),
        ("versions", ", ".join(f"{k} {v}" for k, v in versions.items()) or "—"),
        ("data", result.get("data_source")),
        (
            "samples",
            f"{numbers.count(result.get('train_samples'))} train / "
            f"{numbers.count(result.get('test_samples'))} held-out test",
        ),
        (
            "budget",
            f"{numbers.count(result.get('steps'))} steps, batch {result.get('batch_size')} per "
            f"replica, {result.get('optimizer')} lr {result.get('lr')}, seed "
            f"{result.get('seed')}",
        ),
        ("throughput", _figure(result, _speed(result.get("samples_per_second")))),
        (
            "compute",
            _figure(
                result,
                with_unit(
                    numbers.decimal(result.get("gflops_per_second")), " GFLOP/s (analytic FLOPs)"
                ),
            ),
        ),
        ("test accuracy", numbers.percent(result.get("test_accuracy"), 2)),
        ("time to accuracy", (t := time_to_target_text(result)) and _figure(result, t)),
        (
            "first step",
            _figure(
                result,
                with_unit(numbers.seconds(result.get("time_to_first_step_s")), " after start"),
            ),
        ),
        ("wall time", numbers.seconds(result.get("wall_time_s"))),
        (
            "peak memory",
            with_unit(numbers.size(result.get("peak_rss_bytes")), " RSS")
            + (
                f", {numbers.size(result['peak_gpu_memory_bytes'])} GPU"
                if result.get("peak_gpu_memory_bytes")
                else ""
            ),
        ),
    ]
    checksums = result.get("param_checksums") or []
    if checksums:
        same = (
            ("identical" if result.get("checksums_equal") else "[red]DIFFERENT[/red]")
            if len(checksums) > 1
            else "one replica"
        )
        rows.append(
            (
                "param checksums",
                f"{same} across {len(checksums)} rank(s): " + ", ".join(c[:12] for c in checksums),
            )
        )
    if result.get("scaling"):
        s = result["scaling"]
        ci = (
            f", 95 % interval {numbers.percent(s['efficiency_ci95'][0], 0)}–"
            f"{numbers.percent(s['efficiency_ci95'][1], 0)}"
            if s.get("efficiency_ci95")
            else ""
        )
        rows.append(
            (
                "scaling",
                measured(
                    f"{numbers.ratio(s['speedup'])} vs {numbers.trial_name(s['baseline_id'])}, "
                    f"efficiency {numbers.percent(s['efficiency'], 0)}{ci} "
                    f"({s['basis']})",
                    s.get("comparable", False),
                    s.get("comparable_reason"),
                ),
            )
        )
    rows.append(("command", result.get("command")))
    for name, value in rows:
        if isinstance(value, Text):
            table.add_row(name, value)
        elif value not in (None, "", "—", numbers.MISSING) or name in (
            "throughput",
            "test accuracy",
        ):
            table.add_row(name, str(value))
    return table


def print_results(results: list[dict[str, Any]], console: Console | None = None) -> None:
    console = console or Console()
    if len(results) > 1:
        console.print(suite_table(results))
        for r in results:
            if r.get("status") == "ok" and not r.get("comparable", False):
                console.print(
                    Text(
                        f"  {numbers.trial_name(r)} not comparable: {r.get('comparable_reason')}",
                        style="yellow",
                    )
                )
    for result in results:
        console.print(result_table(result))
