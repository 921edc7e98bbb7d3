"""Merge the rank files of a cluster job into trial results: ``chooser trial --collect DIR``.

A job directory holds one folder per framework with each rank's JSON lines
(``rank-<task>.jsonl``: the launch line ``probes.trials.slurm_rank`` writes, then the
trial's own events; rank 0 ends with the result) and its stderr (``rank-<task>.log``).
One result per framework folder, in the shape ``chooser trial --json`` gives (the
``RESULT_KEYS`` fields plus the trial's measured ones), naming its launcher; a rank that
reported an error, or a rank 0 without a result, makes it an error that says which.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.measure.trials import RESULT_KEYS
from probes.result import trial_id

RANK_FILE = re.compile(r"rank-(\d+)\.jsonl$")


def _order(name: str) -> int:
    """Registry order of a framework folder (unknown names last)."""
    ids = frameworks.ids()
    return ids.index(name) if name in ids else len(ids)


def _events(path: Path) -> list[dict[str, Any]]:
    events = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut short by a killed rank
    return events


def _first(events: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    return next((e for e in events if e.get("event") == kind), None)


def _stderr_tail(folder: Path, rank: int) -> str:
    log = folder / f"rank-{rank}.log"
    return log.read_text(errors="replace")[-2000:] if log.is_file() else ""


def collect_folder(folder: Path, launcher: str | None = None) -> dict[str, Any]:
    """One result from one framework folder's rank files. ``launcher`` names it when
    the files have no launch line (e.g. ``kubectl logs`` of a PyTorchJob's master)."""
    ranks = {
        int(m.group(1)): _events(p) for p in folder.iterdir() if (m := RANK_FILE.match(p.name))
    }
    launches = {r: _first(ev, "launch") for r, ev in ranks.items()}
    first = next((e for e in launches.values() if e), None) or {}
    found = _first(ranks.get(0, []), "result")
    framework = first.get("framework") or (found or {}).get("framework") or folder.name
    result: dict[str, Any] = dict.fromkeys(RESULT_KEYS)
    result.update(
        id=trial_id(framework, "distributed"),
        kind="throughput",
        framework=framework,
        mode="distributed",
        world_size=len(ranks),
        launcher=first.get("launcher") or launcher,
    )
    if found:
        result.update({k: v for k, v in found.items() if k != "event"})
    rank0 = launches.get(0)
    if rank0:
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in rank0["env"].items())
        result["command"] = f"{env} {shlex.join(rank0['argv'])}"
    nodes = sorted({e["node"] for e in launches.values() if e and e.get("node")})
    result["cluster"] = {
        "launcher": result["launcher"],
        "job_id": first.get("job_id"),
        "step_id": first.get("step_id"),
        "nodes": nodes,
        "rank_files": len(ranks),
        "results_dir": str(folder),
    }
    problems = [
        f"rank {rank}: {err.get('message')}"
        for rank, events in sorted(ranks.items())
        if (err := _first(events, "error"))
    ]
    if not found and not problems:
        problems.append(
            "rank 0 wrote no result (killed, or the job hit its time limit: "
            f"see {folder}/rank-0.log)"
        )
    result["status"] = "error" if problems else "ok"
    result["message"] = "; ".join(problems) or None
    if problems:
        bad = next((r for r in sorted(ranks) if _first(ranks[r], "error")), 0)
        result["stderr_tail"] = _stderr_tail(folder, bad)
    return result


def rank_folders(directory: Path) -> list[Path]:
    """The folders under ``directory`` (itself included) that hold rank files."""
    folders = {p.parent for p in directory.rglob("rank-*.jsonl") if RANK_FILE.match(p.name)}
    return sorted(folders, key=lambda f: (f.parent, _order(f.name), f.name))


def collect(directories: list[str], launcher: str | None = None) -> dict[str, Any]:
    """The merged results, shaped like ``chooser trial --suite … --json``."""
    results = []
    for text in directories:
        directory = Path(text).expanduser()
        if not directory.is_dir():
            raise UserError("no such directory (give a job's results directory)", path=text)
        folders = rank_folders(directory)
        if not folders:
            raise UserError(
                "no rank-*.jsonl files here: not a chooser job's results directory", path=text
            )
        results += [collect_folder(folder, launcher) for folder in folders]
    walls = [r["wall_time_s"] for r in results if r.get("wall_time_s") is not None]
    launchers = sorted({str(r.get("launcher")) for r in results})
    return {
        "suite": f"collected ({', '.join(launchers)})",
        "interrupted": False,
        "wall_time_s": max(walls) if walls else None,
        "results": results,
    }
