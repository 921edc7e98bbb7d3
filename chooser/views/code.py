"""The model code each framework's trials run, cut from the real sources (headless).

``code_view()`` reads ``questions/code/code-view.yaml`` (which parts of which files, and
notes on the differences) and slices each excerpt out of its file by the line range
``ast.parse`` gives: the files are read as text, never imported (the UI process must not
load a framework), and the tab cannot drift from what runs. A part that is no longer
where the YAML says is shown as a problem line, and a test fails on it.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chooser.core import frameworks
from chooser.core.schema_errors import raise_validation
from chooser.core.yamlfile import load_yaml
from chooser.decide.questionnaire import shipped_questions_dir

Defs = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


# -- the YAML file's schema ------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ExcerptSpec(_Strict):
    file: str  # relative to the folder holding chooser/ and probes/
    symbol: str | None = None  # a def or class; dotted for nested ones; None: the whole file
    start: str | None = Field(None, alias="from")  # keep statements from the one containing this
    to: str | None = None  # ... to the first one from there containing this


class SectionSpec(_Strict):
    name: str
    notes: list[str] = []  # shown beside this section's code
    excerpts: list[ExcerptSpec] = Field(min_length=1)


class PathSpec(_Strict):
    optional: bool = False  # shown only when every file it names exists
    notes: list[str] = []
    sections: list[SectionSpec] = Field(min_length=1)


class CodeViewSpec(_Strict):
    paths: dict[str, str]  # path key -> title, in the order offered
    notes: list[str] = []
    frameworks: dict[str, dict[str, PathSpec]] = {}


# -- what the view shows ---------------------------------------------------------------
@dataclass(frozen=True)
class Excerpt:
    file: str
    symbol: str | None
    first_line: int  # 1-based, in the file (line numbers shown are the file's)
    last_line: int
    code: str  # dedented
    problem: str | None = None  # set when the part was not found: shown instead of code

    @property
    def where(self) -> str:
        name = f" {self.symbol}" if self.symbol else ""
        return f"{self.file}{name}, lines {self.first_line}–{self.last_line}"


@dataclass(frozen=True)
class Section:
    name: str
    notes: tuple[str, ...]
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True)
class CodePath:
    key: str  # "tuned", "beginner"
    title: str
    notes: tuple[str, ...]
    sections: tuple[Section, ...]

    @property
    def line_count(self) -> int:
        return sum(e.last_line - e.first_line + 1 for s in self.sections for e in s.excerpts)


@dataclass(frozen=True)
class FrameworkCode:
    id: str
    label: str
    paths: tuple[CodePath, ...]

    def path(self, key: str) -> CodePath | None:
        return next((p for p in self.paths if p.key == key), None)


@dataclass(frozen=True)
class CodeView:
    notes: tuple[str, ...]
    path_titles: dict[str, str]
    frameworks: tuple[FrameworkCode, ...]

    def path_keys(self) -> list[str]:
        """The paths at least one framework has, in the YAML's order."""
        have = {p.key for fw in self.frameworks for p in fw.paths}
        return [key for key in self.path_titles if key in have]


def source_root() -> Path:
    """The folder holding ``chooser/`` and ``probes/`` (the checkout, or site-packages)."""
    return Path(__file__).resolve().parents[2]


def spec_file() -> Path:
    return shipped_questions_dir() / "code" / "code-view.yaml"


def load_spec(path: Path | None = None) -> CodeViewSpec:
    doc = load_yaml(path or spec_file(), "code view file", expect="paths, notes, frameworks")
    try:
        return CodeViewSpec.model_validate(doc.data)
    except ValidationError as exc:
        raise_validation(doc, exc, CodeViewSpec)


def code_view(root: Path | None = None, spec: CodeViewSpec | None = None) -> CodeView:
    """Every registered framework's code paths, cut from the sources under ``root``."""
    root = root or source_root()
    spec = spec or load_spec()
    out = []
    for fw in frameworks.frameworks():
        wanted = spec.frameworks.get(fw.id)
        if not wanted:  # e.g. a plug-in framework: its registered network file
            whole = SectionSpec(
                name="Network", excerpts=[ExcerptSpec.model_validate({"file": fw.network_file})]
            )
            wanted = {next(iter(spec.paths), "tuned"): PathSpec(sections=[whole])}
        paths = []
        for key, path_spec in wanted.items():
            files = {e.file for s in path_spec.sections for e in s.excerpts}
            if path_spec.optional and not all((root / f).is_file() for f in files):
                continue
            paths.append(
                CodePath(
                    key=key,
                    title=spec.paths.get(key, key),
                    notes=tuple(path_spec.notes),
                    sections=tuple(
                        Section(s.name, tuple(s.notes), tuple(cut(root, e) for e in s.excerpts))
                        for s in path_spec.sections
                    ),
                )
            )
        out.append(FrameworkCode(fw.id, fw.label, tuple(paths)))
    return CodeView(tuple(spec.notes), dict(spec.paths), tuple(out))


def cut(root: Path, spec: ExcerptSpec) -> Excerpt:
    """The excerpt's lines from its file; a problem instead when it cannot be found."""

    def problem(text: str) -> Excerpt:
        return Excerpt(spec.file, spec.symbol, 0, -1, "", problem=text)

    try:
        source = (root / spec.file).read_text(encoding="utf-8")
        tree = ast.parse(source, filename=spec.file)
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        return problem(f"{spec.file}: cannot read it ({exc.__class__.__name__}: {exc})")
    lines = source.splitlines()
    if spec.symbol is None:
        return Excerpt(spec.file, None, 1, len(lines), source.rstrip("\n"))
    node = find_symbol(tree, spec.symbol)
    if node is None:
        return problem(f"{spec.file}: no function or class {spec.symbol!r} (code-view.yaml)")
    first, last = start_line(node), node.end_lineno or node.lineno
    if spec.start is not None:
        span = statement_span(node, lines, spec.start, spec.to)
        if span is None:
            wanted = repr(spec.start) + (f" … {spec.to!r}" if spec.to else "")
            return problem(f"{spec.file} {spec.symbol}: no statements {wanted} (code-view.yaml)")
        first, last = span
    code = textwrap.dedent("\n".join(lines[first - 1 : last]))
    return Excerpt(spec.file, spec.symbol, first, last, code)


def find_symbol(tree: ast.Module, dotted: str) -> Defs | None:
    """``a.b``: the def/class ``b`` inside ``a`` (at any depth of ``a``'s body)."""
    scope: ast.AST = tree
    found: Defs | None = None
    for name in dotted.split("."):
        found = next(
            (
                n
                for n in ast.walk(scope)
                if isinstance(n, Defs) and n.name == name and n is not scope
            ),
            None,
        )
        if found is None:
            return None
        scope = found
    return found


def start_line(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def statement_span(
    node: Defs, lines: list[str], start: str, to: str | None
) -> tuple[int, int] | None:
    """(first, last) line of the body's statements from the first containing ``start`` to
    the first one from there containing ``to`` (the same one when ``to`` is None)."""

    def text(stmt: ast.stmt) -> str:
        return "\n".join(lines[start_line(stmt) - 1 : stmt.end_lineno or stmt.lineno])

    body = node.body
    first = next((i for i, s in enumerate(body) if start in text(s)), None)
    if first is None:
        return None
    last = (
        first
        if to is None
        else next((i for i in range(first, len(body)) if to in text(body[i])), None)
    )
    if last is None:
        return None
    return start_line(body[first]), body[last].end_lineno or body[last].lineno


def check(view: CodeView) -> list[str]:
    """Every problem in the view, one line each (empty: every excerpt was found)."""
    return [
        f"{fw.label} · {path.key} · {section.name}: {excerpt.problem}"
        for fw in view.frameworks
        for path in fw.paths
        for section in path.sections
        for excerpt in section.excerpts
        if excerpt.problem
    ]
