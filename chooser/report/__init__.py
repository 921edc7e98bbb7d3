"""Reports: one :class:`Report` object rendered as JSON, Markdown or self-contained HTML."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from chooser.core.atomic import write_text_atomic
from chooser.core.errors import UserError
from chooser.core.inputs import clip, read_user_json
from chooser.core.yamlfile import describe
from chooser.report.model import (
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    Report,
    build_report,
    report_json_schema,
    upgrade,
)

FORMATS = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

__all__ = [
    "Report",
    "SCHEMA_VERSION",
    "build_report",
    "format_for",
    "load_report",
    "render",
    "report_json_schema",
    "write_report",
]


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        from chooser.report.markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from chooser.report.html import render_html

        return render_html(report)
    raise UserError(f"unknown report format {fmt!r}; expected json, md or html")


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UserError(
            f"cannot tell the report format from {suffix or 'a missing extension'!r}; "
            "use .json, .md or .html",
            path=str(path),
        )
    return FORMATS[suffix]


def write_report(report: Report, path: str | Path, force: bool = False) -> Path:
    """Write ``report`` in the format its extension names, atomically; an existing file
    is a UserError unless ``force``."""
    path = Path(path)
    write_text_atomic(path, render(report, format_for(path)), force=force)
    return path


def load_report(path: str | Path) -> Report:
    """Read a JSON report back, validated against the Report model."""
    data = read_user_json(path, "report")  # regular file, capped, UTF-8, depth checked
    if not isinstance(data, dict) or data.get("tool") != "chooser":
        raise UserError('not a chooser JSON report (no "tool": "chooser")', path=str(path))
    if data.get("schema_version") not in READABLE_VERSIONS:
        found = data.get("schema_version")
        kind = "" if isinstance(found, str) else f" ({describe(found)}, not text)"
        readable = ", ".join(f'"{v}"' for v in READABLE_VERSIONS[:-1])
        raise UserError(
            f"report schema_version {clip(repr(found), 40)}{kind}; this chooser "
            f'reads {readable} and "{SCHEMA_VERSION}" (text)',
            path=str(path),
        )
    try:
        return Report.model_validate(upgrade(data))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        raise UserError(f"invalid report at {clip(where)}: {err['msg']}", path=str(path)) from None
