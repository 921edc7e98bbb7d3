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

from chooser.views.to_target import time_to_target_text

MIB = 1024**2


class TrialProgress:
    """Context manager: ``on_event(spec_id, event)`` moves that trial's bar."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]{task.fields[trial]:<22}"),
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
                "", total=None, trial=spec_id, detail="starting…"
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
            detail += f"  {event['samples_per_second']:,.0f} samples/s"
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


def _num(value: Any, fmt: str = "{:,.0f}", unit: str = "") -> str:
    return "—" if value is None else fmt.format(value) + unit


def _speed(sps: dict[str, Any] | None) -> str:
    if not sps or sps.get("median") is None:
        return "—"
    ci = f", 95 % interval {sps['ci95'][0]:,.0f}–{sps['ci95'][1]:,.0f}" if sps.get("ci95") else ""
    return (
        f"{sps['median']:,.0f} samples/s (min {sps['min']:,.0f}, max {sps['max']:,.0f}"
        f"{ci}; {sps.get('method', '')})"
    )


def measured(text: str, ok: bool | None, reason: str | None, short: bool = False) -> Text:
    """A figure as shown: plain when comparable, dimmed with its reason when not (in a
    narrow table cell ``short`` says only "not comparable"; the reason is printed below)."""
    if ok is not False or text in ("—", ""):
        return Text(text)
    if short:
        return Text(f"{text} (not comparable)", style="dim")
    return Text(f"{text} (not comparable: {reason or 'no reason recorded'})", style="dim")


def _figure(result: dict[str, Any], text: str, short: bool = False) -> Text:
    return measured(
        text,
        result.get("comparable", False) if result.get("status") == "ok" else None,
        result.get("comparable_reason")
        or "not assessed (recorded before chooser checked comparability)",
        short,
    )


def comparisons_table(pairs: list[dict[str, Any]]) -> Table:
    table = Table(title="Framework comparison (interleaved rounds)", title_justify="left")
    for column in ("what", "ratio", "95 % interval", "how"):
        table.add_column(column, overflow="fold")
    for p in pairs:
        ci = f"{p['ci95'][0]:.2f}–{p['ci95'][1]:.2f}" if p.get("ci95") else "—"
        how = p["interval_method"]
        if not p["comparable"]:
            how += f"; not comparable: {p.get('comparable_reason')}"
        table.add_row(
            p["what"],
            measured(f"{p['ratio']:.2f}", p["comparable"], p.get("comparable_reason"), short=True),
            measured(ci, p["comparable"], None, short=True),
            Text(how, style="dim"),
        )
    return table


def print_comparisons(pairs: list[dict[str, Any]], console: Console | None = None) -> None:
    if pairs:
        (console or Console()).print(comparisons_table(pairs))


def result_table(result: dict[str, Any]) -> Table:
    table = Table(
        title=f"{result['id']}: {result.get('status')}", show_header=False, title_justify="left"
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
            f"{_num(result.get('train_samples'))} train / "
            f"{_num(result.get('test_samples'))} held-out test",
        ),
        (
            "budget",
            f"{_num(result.get('steps'))} steps, batch {result.get('batch_size')} per "
            f"replica, {result.get('optimizer')} lr {result.get('lr')}, seed "
            f"{result.get('seed')}",
        ),
        ("throughput", _figure(result, _speed(result.get("samples_per_second")))),
        (
            "compute",
            _figure(
                result, _num(result.get("gflops_per_second"), "{:.1f}", " GFLOP/s (analytic FLOPs)")
            ),
        ),
        ("test accuracy", _num(result.get("test_accuracy"), "{:.4f}")),
        ("time to accuracy", (t := time_to_target_text(result)) and _figure(result, t)),
        (
            "first step",
            _figure(result, _num(result.get("time_to_first_step_s"), "{:.2f}", " s after start")),
        ),
        ("wall time", _num(result.get("wall_time_s"), "{:.2f}", " s")),
        (
            "peak memory",
            _num(
                result.get("peak_rss_bytes") and result["peak_rss_bytes"] / MIB,
                "{:,.0f}",
                " MiB RSS",
            )
            + (
                f", {result['peak_gpu_memory_bytes'] / MIB:,.0f} MiB GPU"
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
            f", 95 % interval {s['efficiency_ci95'][0]:.0%}–{s['efficiency_ci95'][1]:.0%}"
            if s.get("efficiency_ci95")
            else ""
        )
        rows.append(
            (
                "scaling",
                measured(
                    f"{s['speedup']:.2f}× vs {s['baseline_id']}, efficiency {s['efficiency']:.0%}{ci} "
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
        elif value not in (None, "", "—") or name in ("throughput", "test accuracy"):
            table.add_row(name, str(value))
    return table


def suite_table(results: list[dict[str, Any]]) -> Table:
    table = Table(title="Trials", title_justify="left")
    for column in (
        "trial",
        "status",
        "samples/s (median)",
        "test acc.",
        "first step",
        "wall",
        "checksums",
        "scaling",
    ):
        table.add_column(column)
    for r in results:
        sps = (r.get("samples_per_second") or {}).get("median")
        checks = "—"
        if r.get("param_checksums"):
            checks = "equal" if r.get("checksums_equal") else "[red]differ[/red]"
        scaling = r.get("scaling")
        table.add_row(
            r["id"],
            r.get("status", "?")
            if r.get("status") == "ok"
            else f"[red]{r.get('status')}[/red]: {r.get('message')}",
            _figure(r, _num(sps), True),
            _num(r.get("test_accuracy"), "{:.3f}"),
            _figure(r, _num(r.get("time_to_first_step_s"), "{:.1f}", " s"), True),
            _num(r.get("wall_time_s"), "{:.1f}", " s"),
            checks,
            measured(
                f"{scaling['efficiency']:.0%}",
                scaling.get("comparable", False),
                scaling.get("comparable_reason"),
                True,
            )
            if scaling
            else "—",
        )
    return table


def print_results(results: list[dict[str, Any]], console: Console | None = None) -> None:
    console = console or Console()
    if len(results) > 1:
        console.print(suite_table(results))
        for r in results:
            if r.get("status") == "ok" and not r.get("comparable", False):
                console.print(
                    Text(
                        f"  {r['id']} not comparable: {r.get('comparable_reason')}", style="yellow"
                    )
                )
    for result in results:
        console.print(result_table(result))
