"""The review page's data: every visible question, its answer as a person reads it, and
where the answer came from. Plain data, no Textual (tested headless).

Sources: ``answered`` (chosen on a question page, or read from an answers file),
``probe`` (the hardware probe's pre-fill, accepted or not yet seen) and ``default`` (the
question's default, accepted or not yet seen)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chooser.core import numbers
from chooser.tui.state import Session

SOURCES = ("answered", "probe", "default")


@dataclass(frozen=True)
class ReviewRow:
    qid: str
    question: str
    answer: str
    source: str  # one of SOURCES


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def answer_text(question: Any, value: Any) -> str:
    """An answer in the words of its question's options: "Yes", "CPU only, NVIDIA GPU"."""
    labels = {
        _get(o, "value"): str(_get(o, "label") or _get(o, "value")) for o in _options(question)
    }
    if value is None or value == []:
        return "none"
    if isinstance(value, bool):
        return labels.get(value, "Yes" if value else "No")
    if isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value)
    if isinstance(value, (int, float)):
        return numbers.count(value) if float(value).is_integer() else numbers.decimal(value, 2)
    return labels.get(value, str(value))


def _options(question: Any) -> list[Any]:
    return list(_get(question, "options") or [])


def source_of(session: Session, qid: str) -> str:
    """Where the answer the rules will read came from (see the module docstring)."""
    if qid in session.answers:
        return session.accepted_from.get(qid, "answered")
    return "probe" if qid in session.prefill else "default"


def review_rows(bank: Any, session: Session) -> list[ReviewRow]:
    """One row per question the answers so far make visible, in the bank's order."""
    effective = session.effective_answers()
    rows = []
    for question in bank.visible(effective):
        qid = str(_get(question, "id"))
        value = effective.get(qid, _get(question, "default"))
        rows.append(
            ReviewRow(
                qid=qid,
                question=str(_get(question, "text", qid)),
                answer=answer_text(question, value),
                source=source_of(session, qid),
            )
        )
    return rows
