"""Export: write the report as Markdown, JSON or HTML through chooser.report, and say where."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Static

from chooser.core.errors import UserError
from chooser.tui.widgets.marks import MarkedCheckbox, MarkedRadioButton

FORMATS = {"md": "Markdown", "json": "JSON", "html": "HTML (self-contained)"}


class ExportScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export"):
            yield Label("[b]Export the report[/b]")
            with RadioSet(id="format"):
                for ext, label in FORMATS.items():
                    yield MarkedRadioButton(label, value=ext == "md", id=f"fmt-{ext}")
            yield Input(str(self.app.session.report_path("md")), id="export-path")
            yield MarkedCheckbox("overwrite if it exists", id="force", compact=True)
            yield Static(id="export-status")
            with Horizontal(classes="nav"):
                yield Button("Write", id="write", variant="primary", compact=True)
                yield Button("Close", id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = self.app.animations
        self.query_one("#write").focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        ext = list(FORMATS)[event.index]
        path_input = self.query_one("#export-path", Input)
        path_input.value = str(Path(path_input.value).with_suffix(f".{ext}"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.write()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.write()
        elif event.button.id == "close":
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(self.app.session.last_export)

    def write(self) -> None:
        path = Path(self.query_one("#export-path", Input).value).expanduser()
        if not path.is_absolute():
            path = self.app.session.out_dir / path
        status = self.query_one("#export-status", Static)
        try:
            written = self.app.export_report(path, force=self.query_one("#force", Checkbox).value)
        except (UserError, OSError) as exc:
            hint = " (tick 'overwrite' to replace it)" if path.exists() else ""
            status.update(f"[red]Not written:[/red] {escape(str(exc))}{hint}")
            return
        size = written.stat().st_size if written.exists() else 0
        status.update(f"[green]Wrote[/green] {escape(str(written))} ({size:,} bytes)")
        self.app.notify(f"Report written to {written}", title="Exported")
        self.query_one("#close").focus()
