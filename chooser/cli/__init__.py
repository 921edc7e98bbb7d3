"""The `chooser` command line: one module per subcommand; `entry` parses and dispatches."""

from chooser.cli.entry import build_parser, main

__all__ = ["build_parser", "main"]
