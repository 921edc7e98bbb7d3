"""The "Beyond speed" section (issue 13), built once as plain rows and shown by every face:
Markdown (``markdown``), HTML (``templates/beyond.html.j2`` through ``register``), the CLI
(chooser/views/beyond.py) and the app (chooser/tui/widgets/beyond_view.py).

What it shows, from the result contract (docs/trials.md): the beginner / tuned / compiled
variants, time to accuracy, the out-of-the-box share per framework, energy per trial, and
the cluster scaling estimate with its validation. Every figure goes through
``chooser.core.numbers``; the scaling rows say "estimate" in their header and every cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chooser.core import frameworks, numbers

ENERGY_NONE = "not available on this machine"
ESTIMATE = "estimate"


@dataclass
class Section:
    key: str  # variants / time_to_accuracy / out_of_box / energy / scaling / validation
    title: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


def name(result: dict[str, Any]) -> str:
    """The trial as people say it; a variant suffix on the id (``single+beginner``) is
    read from the ``variant`` field instead."""
    tid = str(result.get("id") or "").split("+")[0]
    return numbers.trial_name({**result, "id": tid} if tid else result)


def _ok(result: dict[str, Any]) -> bool:
    return result.get("status") == "ok"


def _status(result: dict[str, Any]) -> str:
    status = str(result.get("status") or "–")
    return status if _ok(result) else f"{status}: {result.get('message') or 'no message'}"


def _speed(result: dict[str, Any]) -> str:
    if not _ok(result):
        return numbers.MISSING  # a failed run's figures are not quoted
    sps = result.get("samples_per_second") or {}
    ci = sps.get("ci95") or [None, None]
    return numbers.interval(sps.get("median"), ci[0], ci[1])


def variants(trials: Sequence[dict[str, Any]]) -> Section | None:
    rows = [
        [name(t), str(t.get("variant") or "tuned"), _speed(t), _status(t)]
        for t in trials
        if (t.get("kind") or "throughput") == "throughput" and "variant" in t
    ]
    if not any(r[1] != "tuned" for r in rows):
        return None  # only tuned runs: the trials table already shows them
    return Section(
        "variants",
        "As a beginner writes it, tuned, compiled",
        ["Trial", "Variant", "Samples/s (median, ±95 %)", "Status"],
        rows,
        [
            "beginner: the seed article's style (a DataLoader with per-sample transforms, "
            "Keras model.fit); compiled: the framework's own compiler where it works; one "
            "that is missing or fails says so in its status"
        ],
    )


def time_to_accuracy(trials: Sequence[dict[str, Any]]) -> Section | None:
    rows = []
    for t in trials:
        if t.get("kind") != "time_to_accuracy":
            continue
        reached = t.get("reached_target")
        if not _ok(t):
            outcome = _status(t)
        elif reached:
            outcome = f"reached in {numbers.seconds(t.get('time_to_target_s'))}"
        else:
            outcome = f"did not reach target in {numbers.seconds(t.get('train_time_s') or t.get('wall_time_s'))}"
        rows.append(
            [
                name(t),
                numbers.percent(t.get("target_accuracy")),
                outcome,
                numbers.count(t.get("steps_to_target")),
                numbers.decimal(t.get("epochs_to_target"), 2),
                numbers.count(t.get("eval_every_steps")),
                numbers.seconds(t.get("eval_time_excluded_s")),
                numbers.percent(t.get("test_accuracy"), 2),
            ]
        )
    if not rows:
        return None
    return Section(
        "time_to_accuracy",
        "Time to accuracy",
        [
            "Trial",
            "Target",
            "Outcome",
            "Steps",
            "Epochs",
            "Eval every (steps)",
            "Eval time (excluded)",
            "Test accuracy",
        ],
        rows,
        ["training time only: the validation evaluations are timed and left out"],
    )


def out_of_box(shares: dict[str, Any] | None) -> Section | None:
    if not shares:
        return None
    rows = []
    for fw, share in shares.items():
        share = share or {}
        ci = share.get("ci95") or [None, None]
        span = (
            f"{numbers.percent(ci[0])} – {numbers.percent(ci[1])}"
            if ci[0] is not None and ci[1] is not None
            else numbers.MISSING
        )
        comparable = "yes" if share.get("comparable") else f"no: {share.get('reason') or '–'}"
        rows.append(
            [
                frameworks.label(fw) if frameworks.known(fw) else fw,
                numbers.percent(share.get("share")),
                span,
                name({"id": share["beginner_id"]}) + " (beginner)"
                if share.get("beginner_id")
                else "–",
                _best(share.get("best_id")),
                comparable,
            ]
        )
    return Section(
        "out_of_box",
        "Out-of-the-box share",
        ["Framework", "Share", "95 % interval", "Beginner run", "Best run", "Comparable"],
        rows,
        [
            "beginner samples/s ÷ the best variant's samples/s: how much speed a framework "
            "gives before you learn its tricks"
        ],
    )


def _best(best_id: Any) -> str:
    if not best_id:
        return numbers.MISSING
    variant = str(best_id).partition("+")[2] or "tuned"
    return f"{name({'id': best_id, 'variant': variant})} ({variant})"


def energy(trials: Sequence[dict[str, Any]]) -> Section | None:
    rows = []
    for t in trials:
        if not any(k in t for k in ("energy_joules", "energy_note")):
            continue
        joules = t.get("energy_joules")
        note = str(t.get("energy_note") or "")
        if joules is None:
            why = (
                note
                if note.startswith(ENERGY_NONE)
                else f"{ENERGY_NONE}: {note or 'no counter was read'}"
            )
            rows.append([name(t), why, numbers.MISSING, numbers.MISSING])
            continue
        rows.append(
            [
                name(t),
                f"{numbers.decimal(joules, 1)} J",
                f"{numbers.decimal(t.get('energy_joules_per_1000_samples'), 2)} J",
                note or numbers.MISSING,
            ]
        )
    if not rows:
        return None
    return Section(
        "energy",
        "Energy",
        ["Trial", "Energy (whole trial)", "Per 1,000 samples", "How"],
        rows,
        ["read from RAPL counters (CPU) or NVML (NVIDIA GPU) over the timed training"],
    )


def scaling(estimate: dict[str, Any] | None) -> list[Section]:
    """The scaling estimate's rows and its validation (chooser/report/beyond_scaling.py)."""
    from chooser.report.beyond_scaling import scaling_sections  # it imports Section from here

    return scaling_sections(estimate)


def sections(
    trials: Sequence[dict[str, Any]],
    out_of_box_share: dict[str, Any] | None = None,
    scaling_estimate: dict[str, Any] | None = None,
) -> list[Section]:
    """Every part of the section that has something to show, in reading order."""
    found = [
        variants(trials),
        time_to_accuracy(trials),
        out_of_box(out_of_box_share),
        energy(trials),
        *scaling(scaling_estimate),
    ]
    return [s for s in found if s is not None]


def from_report(report: Any) -> list[Section]:
    """The sections of a Report or of its JSON dict."""
    data = report if isinstance(report, dict) else report.model_dump(mode="json")
    return sections(
        [dict(t) for t in data.get("trials") or []],
        data.get("out_of_box_share"),
        data.get("scaling_estimate"),
    )


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(parts: Sequence[Section]) -> list[str]:
    """The section as Markdown lines (nothing when there is nothing to show)."""
    if not parts:
        return []
    out = ["", "## Beyond speed", ""]
    for s in parts:
        out += [f"### {s.title}", "", "| " + " | ".join(s.headers) + " |"]
        out.append("|" + "---|" * len(s.headers))
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in s.rows]
        out += [""] + [f"- {_cell(n)}" for n in s.notes] + ([""] if s.notes else [])
    return out


def register(env: Any) -> None:
    """Give a Jinja2 environment what ``beyond.html.j2`` calls: ``beyond_sections(report)``."""
    env.globals["beyond_sections"] = from_report


def html(report: Any) -> str:
    """The section as an HTML fragment: ``templates/beyond.html.j2`` rendered with
    autoescape (the same partial the Jinja2 HTML report includes)."""
    from importlib.resources import files

    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("chooser.report") / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    register(env)
    data = report if isinstance(report, dict) else report.model_dump(mode="json")
    return env.get_template("beyond.html.j2").render(report=data)
