"""Export: the report in several formats at once (Markdown, JSON, HTML) into one folder.

Everything that would stop the write is checked first (``chooser.report.export_set``), so a
refused Write changes no file; then one report is written in each chosen format, each file
atomically, and the dialog lists what it wrote.
"""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from chooser.core import numbers
from chooser.core.errors import UserError
from chooser.report import export_set
from chooser.tui.widgets.marks import MarkedCheckbox

DEFAULT_FORMATS = ("md",)


class ExportScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export"):
            yield Label("[b]Export the report[/b]")
            with Horizontal(id="formats"):
                for ext, label in export_set.FORMAT_LABELS.items():
                    yield MarkedCheckbox(
                        label, value=ext in DEFAULT_FORMATS, id=f"fmt-{ext}", compact=True
                    )
            yield Label(f"Folder (files are named {export_set.STEM}.<format>):")
            yield Input(str(self.app.session.out_dir), id="export-folder")
            yield MarkedCheckbox("Overwrite files that exist", id="force", compact=True)
            yield Static(id="export-status")
            with Horizontal(classes="nav"):
                yield Button("Write", id="write", variant="primary", compact=True)
                yield Button("Close", id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = self.app.animations
        self.query_one("#write").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.write()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.write()
        elif event.button.id == "close":
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(self.app.session.last_export)

    def chosen_formats(self) -> list[str]:
        return [
            ext for ext in export_set.FORMAT_LABELS if self.query_one(f"#fmt-{ext}", Checkbox).value
        ]

    def folder(self) -> Path:
        folder = Path(self.query_one("#export-folder", Input).value.strip() or ".").expanduser()
        return folder if folder.is_absolute() else self.app.session.out_dir / folder

    def write(self) -> list[Path]:
        """Check every target, then write them all; the dialog says what happened."""
        folder = self.folder()
        paths = export_set.targets(folder, self.chosen_formats())
        overwrite = self.query_one("#force", Checkbox).value
        refused = export_set.problems(folder, paths, overwrite)
        if refused:
            return self.show([], refused)
        try:
            written, failures = self.app.export_reports(paths, force=overwrite)
        except UserError as exc:
            return self.show([], [str(exc)])
        if written:
            note = export_set.saved_note(written)
            self.app.notify(note, title="Saved", timeout=4)
            self.query_one("#close").focus()
        return self.show(written, failures)

    def show(self, written: list[Path], failures: list[str]) -> list[Path]:
        lines = []
        if written:
            lines.append("[green]Wrote[/green] " + escape(str(written[0])) + size_of(written[0]))
            lines += ["      " + escape(str(p)) + size_of(p) for p in written[1:]]
        if failures:
            lead = "Not written" if not written else "These were not written"
            lines += [f"[red]{lead}:[/red] {escape(failures[0])}"]
            lines += [escape(line) for line in failures[1:]]
        self.query_one("#export-status", Static).update("\n".join(lines))
        return written


def size_of(path: Path) -> str:
    try:
        return f" ({numbers.size(path.stat().st_size)})"
    except OSError:
        return ""
