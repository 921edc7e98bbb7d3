"""The model-code tab and the export dialog through the Pilot (replayed trials)."""

from __future__ import annotations

import json
import shutil

from rich.syntax import Syntax
from rich.text import Text
from tui_fakes import screen_text, settle

from chooser.tui.widgets import code_pair
from chooser.views.code import code_view


async def open_code_tab(app, pilot) -> None:
    await settle(pilot)
    app.goto("recommendation")
    await pilot.pause()
    app.screen.query_one("#rec-tabs").active = "tab-code"
    await pilot.pause()
    await pilot.pause()


def syntaxes(app) -> list[Syntax]:
    found = []
    for static in app.screen.query(".code Static"):
        parts = getattr(static.content, "renderables", [])  # a Group; Text when no code
        found += [r for r in parts if isinstance(r, Syntax)]
    return found


async def test_code_tab_is_tabs_at_80_and_side_by_side_at_160(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_code_tab(app, pilot)
        tabs = app.screen.query_one("#code-frameworks")
        assert [p.id for p in tabs.query("TabPane")] == [
            "code-torch",
            "code-tensorflow",
            "code-jax",
        ]
        assert not app.screen.query("#code-columns")
        text = screen_text(app)
        assert "PyTorch — " in text and " lines" in text
        # the file's own line numbers (the screenshot drops spaces between coloured runs)
        assert "16classNet(nn.Module):" in text.replace(" ", "")
        assert all(s.word_wrap and s.line_numbers for s in syntaxes(app))
        for line in text.splitlines():  # nothing runs past the terminal's edge
            assert len(line) <= 80, line
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        await pilot.pause()
        columns = app.screen.query_one("#code-columns")
        assert len(columns.query(".code")) == 3
        text = screen_text(app)
        assert "PyTorch — " in text and "TensorFlow — " in text and "JAX — " in text


async def test_code_tab_shows_the_training_step_and_the_notes(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await open_code_tab(app, pilot)
        code = "\n".join(s.code for s in syntaxes(app))
        for text in ("loss.backward()", "tf.GradientTape()", "apply_gradients", "jax.jit("):
            assert text in code, text
        notes = "\n".join(
            str(part)
            for static in app.screen.query(".code Static")
            for part in static.content.renderables
            if isinstance(part, Text)
        )
        assert "Define-by-run" in notes and "@tf.function" in notes


async def test_code_colours_follow_the_theme(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_code_tab(app, pilot)
        dark = {id(s._theme) for s in syntaxes(app)}
        dark_style = syntaxes(app)[0]._theme.get_background_style()
        app.action_toggle_dark()
        await pilot.pause()
        await pilot.pause()
        assert not app.current_theme.dark
        light = syntaxes(app)
        assert light and {id(s._theme) for s in light}.isdisjoint(dark)
        assert light[0]._theme.get_background_style() != dark_style


async def test_a_beginner_path_appears_when_its_file_exists(
    make_app, repo_root, tmp_path, monkeypatch
):
    root = tmp_path / "src"
    shutil.copytree(repo_root / "probes", root / "probes")
    stub = repo_root / "tests" / "views" / "fixtures" / "beginner_torch_stub.py"
    shutil.copy(stub, root / "probes" / "trials" / "beginner_torch.py")
    (root / "probes" / "trials" / "beginner_tensorflow.py").unlink(missing_ok=True)
    monkeypatch.setattr(code_pair, "code_view", lambda: code_view(root=root))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_code_tab(app, pilot)
        assert app.screen.query_one("#path-tuned").value
        await pilot.click("#path-beginner")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#code").path_key == "beginner"
        code = "\n".join(s.code for s in syntaxes(app))
        assert "DataLoader(MnistDataset(transform=transform)" in code
        app.screen.query_one("#code-frameworks").active = "code-tensorflow"
        await pilot.pause()
        assert "has no “beginner” code path" in screen_text(app)


async def open_export(app, pilot) -> None:
    await settle(pilot)
    app.goto("recommendation")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()


async def press_write(app, pilot) -> str:
    await pilot.pause(0.3)  # a Button ignores presses during its 0.2 s "pressed" effect
    app.screen.query_one("#write").focus()
    await pilot.press("enter")
    await pilot.pause()
    return str(app.screen.query_one("#export-status").content)


async def test_export_writes_three_formats_that_parse(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_export(app, pilot)
        await pilot.click("#fmt-json")
        await pilot.click("#fmt-html")
        status = await press_write(app, pilot)
        md, js, html = (tmp_path / f"chooser-report.{ext}" for ext in ("md", "json", "html"))
        data = json.loads(js.read_text())
        assert data["tool"] == "chooser" and data["recommendation"]["verdict"]
        assert "<html" in html.read_text()
        assert md.read_text().startswith("# ")
        for path in (md, js, html):
            assert str(path) in status  # the dialog lists what it wrote
        assert app.session.last_export == html
        toasts = [n.message for n in app._notifications]
        assert any("chooser-report.md, .json, .html" in t for t in toasts), toasts


async def test_overwrite_refused_without_the_box_and_done_with_it(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_export(app, pilot)
        await pilot.click("#fmt-json")
        old_json = tmp_path / "chooser-report.json"
        old_json.write_text("keep me")
        status = await press_write(app, pilot)
        assert "chooser-report.json exists — tick Overwrite to replace it" in status
        assert "--force" not in status
        assert old_json.read_text() == "keep me"
        assert not (tmp_path / "chooser-report.md").exists()  # refused means none written
        await pilot.click("#force")
        status = await press_write(app, pilot)
        assert "Wrote" in status
        assert json.loads(old_json.read_text())["tool"] == "chooser"
        assert (tmp_path / "chooser-report.md").exists()


async def test_folder_errors_stay_in_the_dialog(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_export(app, pilot)
        folder = app.screen.query_one("#export-folder")
        folder.value = str(tmp_path / "missing")
        status = await press_write(app, pilot)
        assert "does not exist" in status and str(tmp_path / "missing") in status
        assert app.screen.query("#export")  # still open
        for ext in ("md", "json", "html"):
            if app.screen.query_one(f"#fmt-{ext}").value:
                await pilot.click(f"#fmt-{ext}")
        folder.value = "sub"  # relative: inside the app's output folder
        (tmp_path / "sub").mkdir()
        status = await press_write(app, pilot)
        assert "Tick at least one format" in status
        await pilot.click("#fmt-md")
        status = await press_write(app, pilot)
        assert (tmp_path / "sub" / "chooser-report.md").exists() and "Wrote" in status
