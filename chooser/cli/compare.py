"""`chooser compare A.json B.json`: two saved reports (two machines) side by side."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="put two JSON reports (e.g. two machines) side by side",
        description="Compare two reports written by `chooser recommend --export X.json`.",
    )
    parser.add_argument("a", metavar="A.json")
    parser.add_argument("b", metavar="B.json")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from chooser.report import load_report
    from chooser.report.compare import comparison_tables, legend

    reports = (load_report(args.a), load_report(args.b))
    console = Console()
    for line in legend((args.a, args.b)):  # whole paths: soft_wrap never cuts them
        console.print(line, soft_wrap=True, highlight=False, markup=False)
    for table in comparison_tables(reports, ("A", "B")):
        console.print(table)
    return 0
