"""Errors that are the user's to fix: reported in one line, exit status 2, no traceback."""

from __future__ import annotations

EXIT_USER_ERROR = 2
MAX_MESSAGE_CHARS = 1000  # a safety net: values echoed in messages are clipped where made


class UserError(Exception):
    """Bad input from the user (a flag, a file, an answer). The message names file and line."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path, self.line, self.column = path, line, column
        where = ""
        if path:
            where = str(path)
            if line is not None:
                where += f":{line}"
                if column is not None:
                    where += f":{column}"
            where += ": "
        text = " ".join(str(message).splitlines())  # one line, whatever a value held
        if len(text) > MAX_MESSAGE_CHARS:
            text = text[:MAX_MESSAGE_CHARS] + "…"
        super().__init__(where + text)
