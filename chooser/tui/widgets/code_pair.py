"""Each framework's model code — network, set-up, training loop, evaluation — side by side
when the terminal is wide enough, one tab per framework when it is not.

The excerpts come from ``chooser.views.code`` (cut from the real trial sources by line
range, never imported); the notes on the differences from ``questions/code/code-view.yaml``.
Code wraps, keeps the file's line numbers, and its colours follow the light/dark theme.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import Label, RadioSet, Static, TabbedContent, TabPane

from chooser.core.errors import UserError
from chooser.tui.widgets.marks import MarkedRadioButton
from chooser.views.code import CodePath, CodeView, FrameworkCode, code_view

COLUMN_MIN = 50  # side by side only when every framework gets this many columns
# dark theme? -> code colours (monokai: pygments; ansi_light: rich's, readable on light grey)
THEMES = {True: "monokai", False: "ansi_light"}


def notes_text(notes: tuple[str, ...]) -> Text:
    text = Text("\n").join(Text.assemble(("• ", "bold"), note) for note in notes)
    text.stylize("italic")
    return text


def path_body(path: CodePath, dark: bool, background: str | None = None) -> RenderableType:
    """The path's notes, then each section: its name, its notes, where each excerpt comes
    from, the code."""
    parts: list[RenderableType] = [notes_text(path.notes), Text("")]
    for section in path.sections:
        parts.append(Text(section.name, style="bold underline"))
        if section.notes:
            parts.append(notes_text(section.notes))
        for excerpt in section.excerpts:
            if excerpt.problem:
                parts.append(Text(f"not shown: {excerpt.problem}\n", style="red"))
                continue
            parts.append(Text(excerpt.where, style="dim italic"))
            parts.append(
                Syntax(
                    excerpt.code,
                    "python",
                    line_numbers=True,
                    start_line=excerpt.first_line,
                    word_wrap=True,
                    theme=THEMES[dark],
                    background_color=background or "default",  # the panel's, not a band
                )
            )
            parts.append(Text(""))
    return Group(*parts)


class CodePair(Vertical):
    """The model-code tab. ``view`` defaults to the shipped code view."""

    wide: reactive[bool] = reactive(False, recompose=True)
    path_key: reactive[str] = reactive("tuned", recompose=True)

    def __init__(self, view: CodeView | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view = view
        self._problem = ""

    @property
    def view(self) -> CodeView | None:
        if self._view is None and not self._problem:
            try:
                self._view = code_view()
            except UserError as exc:  # a broken code-view.yaml: say so, keep the app
                self._problem = str(exc)
        return self._view

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh(recompose=True))
        view = self.view
        if view is not None and view.path_keys() and self.path_key not in view.path_keys():
            self.path_key = view.path_keys()[0]

    def on_resize(self, event: Resize) -> None:
        view = self.view
        count = len(view.frameworks) if view else 1
        self.wide = event.size.width >= COLUMN_MIN * max(2, count)

    def compose(self) -> ComposeResult:
        view = self.view
        if view is None:
            yield Static(Text(f"Model code not shown: {self._problem}", style="red"))
            return
        keys = view.path_keys()
        if len(keys) > 1:
            with RadioSet(id="code-paths"):
                for key in keys:
                    yield MarkedRadioButton(
                        view.path_titles[key], value=key == self.path_key, id=f"path-{key}"
                    )
        else:
            yield Label(view.path_titles.get(self.path_key, self.path_key), id="code-path-title")
        yield Static(notes_text(view.notes), classes="code-notes")
        dark = self.app.current_theme.dark
        if self.wide:
            with Horizontal(id="code-columns"):
                for fw in view.frameworks:
                    yield self._column(fw, dark)
        else:
            with TabbedContent(id="code-frameworks"):
                for fw in view.frameworks:
                    with TabPane(fw.label, id=f"code-{fw.id}"):
                        yield self._column(fw, dark)

    def _column(self, fw: FrameworkCode, dark: bool) -> VerticalScroll:
        path = fw.path(self.path_key)
        body: RenderableType = (
            path_body(path, dark, self.app.current_theme.background)
            if path is not None
            else Text(f"{fw.label} has no “{self.path_key}” code path.", style="dim")
        )
        box = VerticalScroll(Static(body), classes="code")
        box.border_title = f"{fw.label} — {path.line_count} lines" if path else fw.label
        return box

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if event.pressed.id and event.pressed.id.startswith("path-"):
            self.path_key = event.pressed.id.removeprefix("path-")
