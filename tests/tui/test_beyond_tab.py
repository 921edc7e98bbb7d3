"""The "Beyond speed" tab: it shows variants, time to accuracy, the out-of-the-box share,
energy and the scaling estimate from results with the issue-13 fields; the app's full
suite runs the suite-level step it is given, and the exported report carries its object."""

from __future__ import annotations

import json
from pathlib import Path

from tui_fakes import Replay, fake_services, settle

from chooser.tui.app import create_app
from chooser.tui.widgets.beyond_view import EMPTY, BeyondView
from tests.beyond.fixtures import OUT_OF_BOX, SCALING, TRIALS


def _body(app) -> str:
    view = app.screen.query_one(BeyondView)
    content = view.query_one("#beyond-body").content
    if isinstance(content, str):
        return content
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(content)
    return console.export_text()


async def _show_fixture(pilot) -> None:
    await settle(pilot)
    session = pilot.app.session
    session.show_results(TRIALS, "full")
    session.suite_extras = {"out_of_box_share": OUT_OF_BOX, "scaling_estimate": SCALING}
    pilot.app.goto("recommendation")
    await pilot.pause()
    pilot.app.screen.query_one("#rec-tabs").active = "tab-beyond"
    await pilot.pause()


async def test_tab_shows_every_part(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _show_fixture(pilot)
        text = _body(app)
        for title in (
            "As a beginner writes it, tuned, compiled",
            "Time to accuracy",
            "Out-of-the-box share",
            "Energy",
            "Cluster scaling (estimate, not a measurement)",
            "Scaling estimate checked here",
        ):
            assert title in text
        assert "not available on this machine" in text
        assert "did not reach target in 1 min 00 s" in text


async def test_tab_says_what_would_fill_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.goto("recommendation")
        await pilot.pause()
        assert str(app.screen.query_one(BeyondView).query_one("#beyond-body").content) == EMPTY


async def test_full_suite_runs_the_estimate_and_the_report_carries_it(tmp_path: Path) -> None:
    asked: list[tuple[str, int | None]] = []

    def estimate_for(suite: str, threads: int | None):
        asked.append((suite, threads))

        async def after(results):
            return {**SCALING, "validation": SCALING["validation"]}

        return after

    services = fake_services(Replay(), scaling_estimate=estimate_for)
    app = create_app(services, out_dir=tmp_path, animations=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.goto("trials")
        await pilot.pause()
        await pilot.click("#budget-full")  # the choice lands before the start (as a user does)
        await pilot.pause()
        await pilot.press("s")
        await settle(pilot)
        assert asked and asked[0][0] == "full"
        assert app.session.suite_extras["scaling_estimate"]["estimate"] is True
        written = app.export_report(tmp_path / "report.json")
        data = json.loads(Path(written).read_text())
        assert data["scaling_estimate"]["rows"] == SCALING["rows"]
        app.goto("recommendation")
        await pilot.pause()
        assert "Cluster scaling (estimate" in _body(app)


def test_beyond_tab_80x24(snap_compare) -> None:
    services = fake_services(frozen_bank=True)
    app = create_app(services, out_dir=Path("/nonexistent/chooser-snapshot"), animations=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_show_fixture)
