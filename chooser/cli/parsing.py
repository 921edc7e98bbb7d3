"""argparse that reports a bad flag as one line (then a short hint), exit status 2.

argparse prints the whole usage block before its error; with a dozen flags that pushes
the one line that matters off the screen. Subparsers inherit the class, so every
subcommand behaves the same; ``--help`` is unchanged.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from chooser.core.errors import EXIT_USER_ERROR


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        text = " ".join(message.split())
        if len(text) > 300:
            text = text[:300] + "…"
        sys.stderr.write(f"chooser: error: {text}\n  (see: {self.prog} --help)\n")
        raise SystemExit(EXIT_USER_ERROR)
