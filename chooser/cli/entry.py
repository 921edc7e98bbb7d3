"""The `chooser` command line. With no subcommand it starts the terminal app.

Each subcommand lives in ``chooser/cli/<name>.py`` and exposes
``register(subparsers)``, which adds its parser and sets ``func(args) -> int``.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from chooser import __version__
from chooser.cli.parsing import OneLineParser
from chooser.core import frameworks
from chooser.core.errors import EXIT_USER_ERROR, UserError


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="chooser",
        description=f"{frameworks.labels_text()} — for me, on this machine? "
        "Run with no command for the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"chooser {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Each module imports what its command needs only when it runs: --help stays quick.
    from chooser.cli import compare, probe, recommend, report, trial

    for command in (probe, trial, recommend, report, compare):
        command.register(subparsers)
    tui = subparsers.add_parser(
        "tui",
        help="start the terminal app (the default)",
        description="The terminal app: questions, probe, trials, recommendation, export.",
    )
    tui.add_argument(
        "--answers",
        metavar="FILE",
        type=Path,
        help="resume from a saved answers YAML (as ctrl+o does in the app)",
    )
    tui.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="where answers and reports are written (default: this directory)",
    )
    tui.add_argument(
        "--trials-from",
        metavar="FILE",
        type=Path,
        help="show and score saved trial results (`chooser trial --suite … --json` output "
        "or a JSON report; `l` on the trials screen does the same)",
    )
    tui.set_defaults(func=_run_tui)
    return parser


def _run_tui(args: argparse.Namespace) -> int:
    from chooser.tui.app import create_app  # Textual is imported only for the app

    out = getattr(args, "out", None)
    if out is not None and not out.is_dir():
        raise UserError(f"--out {out}: not a directory")
    app = create_app(  # checks files
        answers_path=getattr(args, "answers", None),
        out_dir=out,
        trials_from=getattr(args, "trials_from", None),
    )
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "the terminal app needs a terminal (stdin and stdout are not one); "
            "for a headless run use: chooser recommend --help"
        )
    return int(app.run() or 0)


def _interrupt(signum: int, frame: object) -> None:
    # SIGTERM/SIGHUP take the same path as Ctrl-C, so running children are killed and
    # partial results are written instead of the process vanishing mid-write.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    from chooser.core import ascii_fallback

    ascii_fallback.install()  # an ASCII-only locale gets stand-ins, never an encoding error
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", _run_tui)
    if func is not _run_tui:  # the app handles these signals itself (chooser/tui/app.py)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _interrupt)
    try:
        return int(func(args) or 0)
    except UserError as exc:
        print(f"chooser: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("chooser: interrupted; child processes were stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a safety net: the file sites turn these into UserError first
        from chooser.core.inputs import clip, os_reason

        where = f"{clip(str(exc.filename), 120)}: " if exc.filename else ""
        print(f"chooser: error: {where}{os_reason(exc)}", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
