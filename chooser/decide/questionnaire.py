"""The question bank (``questions/*.yaml``), answers files and probe pre-fill.

Every file is validated before anything runs; a mistake is a UserError naming the file,
line and column, the key and what was expected (see docs/rules.md for the formats).
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from chooser.core.errors import UserError
from chooser.core.inputs import clip
from chooser.core.schema_errors import raise_validation
from chooser.core.yamlfile import YamlDoc, describe, load_yaml
from chooser.decide.expressions import Checked, ConditionError, check_expression
from chooser.decide.namespaces import prefill_specs

QuestionType = Literal["single", "multi", "number", "yes_no"]
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
NOT_QUESTION_FILES = {"rules.yaml", "rules.yml"}
MAX_NUMBER = 1e15  # a number answer beyond this is a typo (and would overflow a float)


def shipped_questions_dir() -> Path:
    """Inside a wheel the bank is chooser/data/questions; in a checkout, ../questions."""
    import chooser

    packaged = Path(chooser.__file__).parent / "data" / "questions"
    return packaged if packaged.is_dir() else Path(chooser.__file__).parent.parent / "questions"


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    value: str = Field(pattern=ID_PATTERN)
    label: str
    unmaintained: bool = False  # archived / no longer maintained: never proposed as a change


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    id: str = Field(pattern=ID_PATTERN, strict=True)
    text: str = Field(min_length=1, strict=True)
    help: str = Field(default="", strict=True)
    type: QuestionType
    options: list[Option] = []
    default: Any = None
    min: float | None = None
    max: float | None = None
    section: str = Field(default="", strict=True)
    kind: Literal["choice", "fact"] = "choice"  # fact: the team cannot change it (skills, code)
    condition: str | None = Field(default=None, strict=True)
    prefill: str | None = Field(default=None, strict=True)
    _condition: Checked | None = PrivateAttr(default=None)
    _prefill: Checked | None = PrivateAttr(default=None)
    _where: tuple[str, int] | None = PrivateAttr(default=None)  # file and line, for messages

    @property
    def option_values(self) -> list[str]:
        return [o.value for o in self.options]

    def empty_value(self) -> Any:
        """What a hidden question contributes to conditions."""
        return [] if self.type == "multi" else None


def check_answer(question: Question, value: Any) -> Any:
    """The answer in canonical form, or ValueError saying what was expected."""
    kind = question.type
    if kind == "yes_no":
        if isinstance(value, bool):
            return value
        raise ValueError(f"expected yes or no, got {describe(value)}")
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, got {describe(value)}")
        if isinstance(value, float) and not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise ValueError(
                f"expected a finite number of at most {MAX_NUMBER:g} in size, got {clip(value)}"
            )
        if question.min is not None and value < question.min:
            raise ValueError(f"expected a number ≥ {question.min:g}, got {value}")
        if question.max is not None and value > question.max:
            raise ValueError(f"expected a number ≤ {question.max:g}, got {value}")
        return value
    options = question.option_values
    if kind == "single":
        return _check_option(value, options)
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ValueError(f"expected a list of options like [{options[0]}], got {describe(value)}")
    checked = [_check_option(v, options) for v in items]
    if len(set(checked)) != len(checked):
        raise ValueError("an option is listed twice")
    return [o for o in options if o in checked]  # canonical order: as in the question


def _check_option(value: Any, options: list[str]) -> str:
    if isinstance(value, bool):
        raise ValueError(
            f"YAML read this as {str(value).lower()}; quote it, or use one of: {', '.join(options)}"
        )
    if not isinstance(value, str) or value not in options:
        near = difflib.get_close_matches(str(value)[:100], options, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(
            f"{describe(value)} is not an option{hint}; expected one of: {', '.join(options)}"
        )
    return value


class QuestionBank(BaseModel):
    questions: list[Question]
    sources: list[str] = []

    def get(self, question_id: str) -> Question:
        return self.by_id()[question_id]

    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def options_map(self) -> dict[str, set[str]]:
        return {q.id: set(q.option_values) for q in self.questions if q.options}

    def visible(self, answers: dict[str, Any]) -> list[Question]:
        """The questions to ask given ``answers`` so far (unanswered ones count as their
        default); a question whose condition is false is hidden, and so are its dependants."""
        from chooser.decide.answers import resolve_answers  # answers builds on this module

        origin = resolve_answers(self, answers)[1]
        return [q for q in self.questions if origin[q.id] != "hidden"]


def load_questions(path: str | Path | None = None) -> QuestionBank:
    """Load a question file, or every ``*.yaml`` in a directory (in name order, except
    rules.yaml). Default: the shipped bank."""
    path = Path(path) if path is not None else shipped_questions_dir()
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix in (".yaml", ".yml") and p.is_file() and p.name not in NOT_QUESTION_FILES
        )
        if not files:
            raise UserError("no question files (*.yaml) in this directory", path=str(path))
    else:
        files = [path]
    questions: list[Question] = []
    seen: dict[str, tuple[YamlDoc, int]] = {}
    for file in files:
        doc = load_yaml(file, "questions file", expect="a mapping with a 'questions:' list")
        for index, question in enumerate(_parse_file(doc)):
            if question.id in seen:
                first_doc, first_index = seen[question.id]
                line = first_doc.mark(("questions", first_index))[0]
                raise doc.error(
                    f"duplicate question id {question.id!r} (first defined at "
                    f"{first_doc.path}:{line})",
                    ("questions", index, "id"),
                )
            seen[question.id] = (doc, index)
            _compile(question, doc, index, questions)
            questions.append(question)
    return QuestionBank(questions=questions, sources=[str(f) for f in files])


def _parse_file(doc: YamlDoc) -> list[Question]:
    extra = sorted(set(doc.data) - {"questions"})
    if extra:
        raise doc.error(
            f"unknown top-level key {extra[0]!r}; a questions file has one key, "
            "'questions:', holding a list",
            (extra[0],),
            key=True,
        )
    items = doc.data.get("questions")
    if not isinstance(items, list) or not items:
        raise doc.error(
            f"'questions' must be a non-empty list of questions, got {describe(items)}",
            ("questions",),
        )
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise doc.error(
                f"questions[{index}] must be a mapping with id, text, type, …, got "
                f"{describe(item)}",
                ("questions", index),
            )
        label = f"question {item.get('id')!r}" if isinstance(item.get("id"), str) else ""
        try:
            question = Question.model_validate(item)
        except ValidationError as exc:
            raise_validation(doc, exc, Question, ("questions", index), label)
        _check_options_and_default(doc, index, question, label)
        out.append(question)
    return out


def _check_options_and_default(doc: YamlDoc, index: int, q: Question, label: str) -> None:
    """Checks that span fields, reported at the key to fix."""
    base = ("questions", index)
    pre = f"{label}: " if label else f"questions[{index}]: "
    choice = q.type in ("single", "multi")
    if choice and len(q.options) < 2:
        raise doc.error(
            f"{pre}a {q.type!r} question needs 'options' with at least 2 "
            "entries ({value: …, label: …})",
            (*base, "options"),
        )
    if not choice and q.options:
        raise doc.error(
            f"{pre}a {q.type!r} question takes no 'options'", (*base, "options"), key=True
        )
    values = q.option_values
    for i, value in enumerate(values):
        if value in values[:i]:
            raise doc.error(
                f"{pre}duplicate option value {value!r}", (*base, "options", i, "value")
            )
    if q.default is None:
        raise doc.error(
            f"{pre}missing 'default' (every question needs one, so that "
            "`chooser recommend` can run without answers)",
            base,
        )
    try:
        q.default = check_answer(q, q.default)
    except ValueError as exc:
        raise doc.error(f"{pre}default: {exc}", (*base, "default")) from None


def _compile(question: Question, doc: YamlDoc, index: int, earlier: list[Question]) -> None:
    """Check the condition (earlier answers only) and the pre-fill (probe only)."""
    base = ("questions", index)
    question._where = (doc.path, doc.mark(base)[0])
    if question.condition is not None:
        specs = {"answers": {q.id: None for q in earlier}}
        options = {q.id: set(q.option_values) for q in earlier if q.options}
        question._condition = _check(
            question.condition,
            specs,
            options,
            doc,
            (*base, "condition"),
            f"question {question.id!r} condition (it may read answers of earlier questions only)",
        )
    if question.prefill is not None:
        question._prefill = _check(
            question.prefill,
            prefill_specs(),
            None,
            doc,
            (*base, "prefill"),
            f"question {question.id!r} prefill",
        )


def _check(
    text: str,
    specs: dict[str, Any],
    options: dict[str, set[str]] | None,
    doc: YamlDoc,
    loc: tuple[str | int, ...],
    label: str,
) -> Checked:
    try:
        return check_expression(text, specs, options)
    except ConditionError as exc:
        line, column = doc.mark(loc)
        raise UserError(
            f"{label}: {exc} in {clip(repr(text))}", path=doc.path, line=line, column=column
        ) from None
