"""Output that survives any locale: ASCII stand-ins for glyphs a stream cannot encode.

Under ``LC_ALL=C`` (with UTF-8 mode off) Python's stdout is ASCII, and a single ``•`` in
a verdict raised UnicodeEncodeError after the trials ran, before the export was written.
:func:`install` registers a codec error handler that writes a readable stand-in (``*``
for ``•``, ``#`` for ``█``, ``+-|`` for box drawing, ``->`` for ``→``) and puts it on the
standard streams whose encoding cannot write those glyphs, so no print can fail and the
terminal app (which writes through ``sys.__stderr__``) draws ASCII instead of ``\\u2590``.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

HANDLER = "chooser-ascii"
SAMPLE = "•█✓→—…≥×━▐"  # glyphs chooser prints; a stream that takes these needs nothing

_STAND_INS = {
    "•": "*",
    "●": "*",
    "○": "o",
    "✓": "v",
    "✔": "v",
    "✗": "x",
    "✘": "x",
    "×": "x",
    "→": "->",
    "←": "<-",
    "↑": "^",
    "↓": "v",
    "—": "-",
    "–": "-",
    "…": "...",
    "≥": ">=",
    "≤": "<=",
    "≈": "~",
    "±": "+/-",
    "·": ".",
    "°": "deg",
    "µ": "u",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "▶": ">",
    "◀": "<",
    "▲": "^",
    "▼": "v",
    "⚠": "!",
    "│": "|",
    "─": "-",
}


def stand_in(char: str) -> str:
    """An ASCII stand-in for one character."""
    if char in _STAND_INS:
        return _STAND_INS[char]
    code = ord(char)
    if 0x2500 <= code <= 0x257F:  # box drawing
        name = unicodedata.name(char, "")
        if "VERTICAL AND" in name or "DOWN AND" in name or "UP AND" in name:
            return "+"
        return "|" if "VERTICAL" in name else "-"
    if 0x2580 <= code <= 0x259F:  # block elements: bars, sparklines
        return "#" if code in (0x2588, 0x2589, 0x258A, 0x2590, 0x258C, 0x2593) else "="
    if 0x2800 <= code <= 0x28FF:  # braille (plots)
        return "." if code != 0x2800 else " "
    ascii_text = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return ascii_text or "?"


def _handler(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(stand_in(c) for c in exc.object[exc.start : exc.end]), exc.end


def can_encode(stream: object, text: str = SAMPLE) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        text.encode(encoding)
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def install() -> list[str]:
    """Give every standard stream that cannot write chooser's glyphs the ASCII stand-ins.
    Returns the names of the streams changed (for tests)."""
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _handler)
    changed = []
    for name in ("stdout", "stderr", "__stdout__", "__stderr__"):
        stream = getattr(sys, name, None)
        if stream is None or can_encode(stream) or not hasattr(stream, "reconfigure"):
            continue
        try:
            stream.reconfigure(errors=HANDLER)
            changed.append(name)
        except (ValueError, OSError):  # a closed or unusual stream: leave it
            continue
    return changed
