"""Several report formats written into one folder at once (the app's export dialog).

``problems`` says, in the app's words, everything that would stop the write — before a
single file is written, so a refused Write leaves every file as it was. The writing itself
goes through ``write_report`` (one atomic write per file).
"""

from __future__ import annotations

import os
from pathlib import Path

STEM = "chooser-report"
FORMAT_LABELS = {"md": "Markdown", "json": "JSON", "html": "HTML (self-contained)"}


def targets(folder: Path, formats: list[str], stem: str = STEM) -> list[Path]:
    """One file per chosen format, in FORMAT_LABELS' order."""
    return [folder / f"{stem}.{ext}" for ext in FORMAT_LABELS if ext in formats]


def problems(folder: Path, paths: list[Path], overwrite: bool) -> list[str]:
    """What stops writing ``paths`` into ``folder``, one sentence each (empty: go ahead)."""
    if not paths:
        return ["Tick at least one format."]
    try:
        if not folder.exists():
            return [f"The folder {folder} does not exist — create it or choose another."]
        if not folder.is_dir():
            return [f"{folder} is a file, not a folder — choose a folder."]
        if not os.access(folder, os.W_OK | os.X_OK):
            return [f"The folder {folder} is not writable — choose another."]
        found = [f"{p.name} is a folder here — choose another folder." for p in paths if p.is_dir()]
        existing = [p.name for p in paths if not p.is_dir() and p.exists()]
        if existing and not overwrite:
            them = "it" if len(existing) == 1 else "them"
            verb = "exists" if len(existing) == 1 else "exist"
            found.append(f"{and_list(existing)} {verb} — tick Overwrite to replace {them}.")
        return found
    except OSError as exc:  # e.g. a name too long, a folder we may not look into
        return [f"Cannot write into {folder}: {exc.strerror or exc}."]


def and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def where(path: Path, cwd: Path | None = None) -> str:
    """A path as short as it can be said: relative to the current folder when inside it."""
    cwd = cwd or Path.cwd()
    try:
        relative = path.resolve().relative_to(cwd.resolve())
    except (ValueError, OSError):
        return str(path)
    return f"./{relative}" if str(relative) != "." else "./"


def saved_note(paths: list[Path], cwd: Path | None = None) -> str:
    """One short line for a toast: ``./out: chooser-report.md, .json, .html``."""
    if not paths:
        return "nothing written"
    folder = where(paths[0].parent, cwd)
    if any(p.parent != paths[0].parent for p in paths):
        return ", ".join(where(p, cwd) for p in paths)
    names = [paths[0].name] + [p.suffix for p in paths[1:] if p.stem == paths[0].stem]
    names += [p.name for p in paths[1:] if p.stem != paths[0].stem]
    return f"{folder}: {', '.join(names)}"
