"""The `chooser` terminal app: questions → hardware → trials → recommendation → export.

Built by ``create_app`` so tests inject their own services (a fake runner that
replays recorded events); ``run_app`` is what ``chooser`` / ``chooser tui`` call.
Each step is a Textual mode holding one screen, so switching steps keeps every
screen (and the App's workers keep running whatever screen is shown).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.tui.commands import ChooserCommands
from chooser.tui.jobs import JobsMixin
from chooser.tui.messages import ProbeUpdated, TrialsChanged, TrialUpdated
from chooser.tui.quitting import QuittingMixin
from chooser.tui.services import Services
from chooser.tui.state import Session


# Each mode's screen module is imported when the step is first shown (a quick start).
def _welcome() -> Screen:
    from chooser.tui.screens.welcome import WelcomeScreen

    return WelcomeScreen()


def _review() -> Screen:
    from chooser.tui.screens.review import ReviewScreen

    return ReviewScreen()


def _hardware() -> Screen:
    from chooser.tui.screens.hardware import HardwareScreen

    return HardwareScreen()


def _trials() -> Screen:
    from chooser.tui.screens.trials import TrialsScreen

    return TrialsScreen()


def _recommendation() -> Screen:
    from chooser.tui.screens.recommendation import RecommendationScreen

    return RecommendationScreen()


class ChooserApp(QuittingMixin, JobsMixin, App[int]):
    TITLE = "chooser"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    COMMANDS = App.COMMANDS | {ChooserCommands}
    DEFAULT_MODE = "questions"
    MODES = {
        "questions": _welcome,
        "review": _review,
        "hardware": _hardware,
        "trials": _trials,
        "recommendation": _recommendation,
    }
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit_now", "Quit at once", show=False, priority=True),
        Binding("ctrl+t", "toggle_dark", "Theme", show=False),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
    ]

    def __init__(
        self,
        services: Services,
        session: Session,
        *,
        probe_on_start: bool = True,
        animations: bool = True,
    ) -> None:
        super().__init__()
        self.sub_title = f"{frameworks.labels_text()} — for me, on this machine?"
        self.services, self.session = services, session
        self.probe_on_start = probe_on_start
        self.animations = animations  # snapshot tests turn blinking and animation off
        if not animations:
            self.animation_level = "none"
        self.bank = services.load_questions()  # a bad bank is a UserError before any drawing
        self._rules: Any = None
        self._scored_key: str | None = None
        self._init_jobs()
        self.editing: str | None = None  # the question the review page sent us to edit
        self.theme = "textual-dark"

    def on_mount(self) -> None:
        if not self.is_headless:
            self._catch_hangup()
        if self.probe_on_start:  # after the first paint, so the first question shows at once
            self.call_after_refresh(self.run_probe)

    # -- navigation ----------------------------------------------------------------------
    def goto(self, step: str) -> None:
        if step != self.current_mode:
            self.switch_mode(step)

    def action_goto(self, step: str) -> None:
        self.goto(step)

    def edit_answer(self, qid: str) -> None:
        """From the review page: open question ``qid``; Enter there comes back to the review."""
        self.editing = qid
        self.goto("questions")

    def action_help(self) -> None:
        from chooser.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_export(self) -> None:
        from chooser.tui.screens.export import ExportScreen

        if self.recommend_now() is not None:
            self.push_screen(ExportScreen())

    async def action_start_trials(self, budget: str = "quick") -> None:
        if self.current_mode != "trials":
            await self.switch_mode("trials")
        self.screen.start(budget)

    # -- answers, prefill, recommendation -----------------------------------------------
    def apply_prefill(self) -> None:
        """Answers the probe can give, for questions the user has not answered yet."""
        try:
            self.session.prefill = dict(
                self.services.prefill_from_probe(self.bank, self.session.probe_so_far())
            )
        except Exception as exc:  # a half-finished probe must not break the questions
            self.log.warning(f"prefill failed: {exc}")

    def save_answers(self) -> Path | None:
        path = self.session.answers_path
        try:
            self.services.save_answers(path, self.session.answers)
        except (OSError, UserError) as exc:
            self.notify(f"Could not save answers to {path}: {exc}", severity="error")
            return None
        return path

    def load_answers(self, path: Path) -> None:
        """Resume: raises UserError naming the file and line when it is bad."""
        self.session.answers = dict(self.services.load_answers(path, self.bank))
        self.session.accepted_from = {}
        self.session.answers_note = f"Loaded {len(self.session.answers)} answers from {path}"

    def load_trials(self, path: str | Path) -> bool:
        """Show saved trial results as this session's (chooser.measure.saved)."""
        try:
            results, what = self.services.load_trials(path)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return False
        self.session.show_results(results, f"saved: {path}")
        self.notify(f"Loaded {len(results)} trial result(s) from {path} ({what}).")
        self.post_message(TrialsChanged())
        return True

    def recommend_now(self) -> Any:
        """Score with what is known now (answers, probe, finished trials)."""
        session = self.session
        key = repr(
            (
                sorted(session.answers.items()),
                session.probe_status,
                sorted(session.probe_parts),
                [(r.get("id"), r.get("status")) for r in session.results()],
            )
        )
        if key == self._scored_key:  # scoring takes ~0.3 s: only on change
            return session.recommendation
        try:
            if self._rules is None:
                self._rules = self.services.load_rules(bank=self.bank)
            session.recommendation = self.services.recommend(
                self.bank, self._rules, session.answers, session.probe_so_far(), session.results()
            )
            self._scored_key = key
        except UserError as exc:
            self.notify(str(exc), title="Rules", severity="error", timeout=10)
            session.recommendation = None
        return session.recommendation

    def export_report(self, path: Path, *, force: bool = False) -> Path:
        """Build the report from what is known now and write it (format from the suffix)."""
        written, failures = self.export_reports([path], force=force)
        if failures:
            raise UserError(failures[0])
        return written[0]

    def export_reports(
        self, paths: list[Path], *, force: bool = False
    ) -> tuple[list[Path], list[str]]:
        """One report, built from what is known now, written to every path (format from
        each suffix, one atomic write each): (written, one line per failure)."""
        rec = self.recommend_now()
        if rec is None:
            raise UserError("nothing to export: the rules could not be scored")
        session = self.session
        source = (
            f"answered in the terminal app (saved to {session.answers_path})"
            if session.answers
            else "defaults and probe pre-fill"
        )
        report = self.services.build_report(
            self.bank,
            self._rules,
            rec,
            session.probe_so_far(),
            session.results(),
            answers_source=source,
            trials_suite=session.suite_name,
            command_line=["chooser", "tui"],
            extras=session.suite_extras,
        )
        written: list[Path] = []
        failures: list[str] = []
        for path in paths:
            try:
                out = self.services.write_report(report, path, force=force)
            except (UserError, OSError) as exc:
                failures.append(str(exc))
                continue
            written.append(Path(out) if isinstance(out, (str, Path)) else path)
            session.last_export = written[-1]
        return written, failures

    # -- messages from the workers -------------------------------------------------------
    # Only the screen on show hears of a change; others read the Session when shown again.
    def on_probe_updated(self, message: ProbeUpdated) -> None:
        self.apply_prefill()
        self.screen.post_message(ProbeUpdated(message.part))

    def on_trial_updated(self, message: TrialUpdated) -> None:
        self.trial_update_seen(message.spec_id)
        self.screen.post_message(TrialUpdated(message.spec_id))

    def on_trials_changed(self, message: TrialsChanged) -> None:
        self.screen.post_message(TrialsChanged())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:  # one place for every worker's failure
            self.notify(
                f"{event.worker.name} failed: {event.worker.error}", severity="error", timeout=10
            )


class ResumedChooserApp(ChooserApp):
    """Started with saved answers (``--answers FILE``): opens at the review page, which
    shows what was loaded, instead of at question 1."""

    DEFAULT_MODE = "review"


def create_app(
    services: Services | None = None,
    *,
    out_dir: Path | None = None,
    answers_path: Path | None = None,
    probe_on_start: bool = True,
    animations: bool = True,
    trials_from: Path | None = None,
) -> ChooserApp:
    """Build the app. ``services`` defaults to the real headless modules (imported lazily).
    ``trials_from``: saved trial results to show and score (a bad file: UserError)."""
    services = services or Services()
    session = Session(out_dir=Path(out_dir or Path.cwd()).resolve())
    if trials_from is not None:
        results, _ = services.load_trials(trials_from)
        session.show_results(results, f"saved: {trials_from}")
    app_class = ChooserApp if answers_path is None else ResumedChooserApp
    app = app_class(services, session, probe_on_start=probe_on_start, animations=animations)
    if answers_path is not None:
        app.load_answers(Path(answers_path))
    return app


def run_app(
    answers_path: Path | None = None, out_dir: Path | None = None, trials_from: Path | None = None
) -> int:
    """Run in the terminal; a bad questions/rules/answers file is a UserError (exit 2)."""
    return int(
        create_app(answers_path=answers_path, out_dir=out_dir, trials_from=trials_from).run() or 0
    )
