"""`chooser report FILE.json --format md|html|json [-o PATH]`: re-render a saved report."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="re-render a saved JSON report as Markdown or HTML",
        description="Re-render a JSON report written by `chooser recommend --export X.json`.",
    )
    parser.add_argument("file", metavar="FILE.json", nargs="?", help="a JSON report")
    parser.add_argument(
        "--format",
        choices=("md", "html", "json"),
        help="output format (default: from -o's extension, else md)",
    )
    parser.add_argument("-o", "--output", metavar="PATH", help="write here (default: stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    parser.add_argument(
        "--schema", action="store_true", help="print the JSON Schema of the report format and exit"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from chooser.core.atomic import write_text_atomic
    from chooser.core.errors import UserError
    from chooser.report import format_for, load_report, render, report_json_schema

    if args.schema:
        print(json.dumps(report_json_schema(), indent=2))
        return 0
    if not args.file:
        raise UserError("give a JSON report to re-render (chooser report FILE.json --format md)")
    report = load_report(args.file)
    fmt = args.format or (format_for(args.output) if args.output else "md")
    if args.output and args.format and format_for(args.output) != args.format:
        raise UserError(f"--format {args.format} does not match the extension of {args.output}")
    text = render(report, fmt)
    if args.output:
        from pathlib import Path

        write_text_atomic(Path(args.output), text, force=args.force)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
