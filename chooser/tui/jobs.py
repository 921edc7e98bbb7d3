"""The probe and the trials, run as async workers owned by the App.

Workers belong to the App, not to a screen, so leaving a screen never stops a
run. The suite worker runs the pipeline's one suite loop (chooser.pipeline.SuiteRun):
one trial can be cancelled while the rest go on (the single trials run as one group of
interleaved rounds: cancelling one of them cancels the group); cancelling makes
chooser.measure.runner kill the child's whole process group. Before the suite the app
looks at the machine; when it is busy, the busy screen counts down while waiting for it
to quieten (or the user runs anyway, or cancels). Finished results are kept whatever happens next.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import work

from chooser.pipeline.suite_run import SuiteRun, suite_rounds
from chooser.tui.messages import ProbeUpdated, TrialsChanged, TrialUpdated
from chooser.tui.state import CANCELLING, KEPT_NOTE, TrialLive, cancelled_result, trial_name_of

ROUNDS = suite_rounds("quick")  # interleaved rounds per framework (measure.trials.SUITE_ROUNDS)


class JobsMixin:
    """Mixed into ChooserApp; expects ``self.session`` and ``self.services``."""

    def _init_jobs(self) -> None:
        self._suite_run: SuiteRun | None = None
        self._pending_updates: set[str] = set()

    # -- probe -------------------------------------------------------------------------
    @work(group="probe", exclusive=True, exit_on_error=False)
    async def run_probe(self) -> None:
        session = self.session
        session.probe_parts, session.probe, session.probe_error = {}, None, ""
        session.probe_status = "running"
        self.post_message(ProbeUpdated(None))

        def on_part(name: str, part: dict) -> None:
            session.probe_parts[name] = part
            self.post_message(ProbeUpdated(name))

        try:
            session.probe = await self.services.run_probe(on_part=on_part)
            session.probe_status = "done"
        except asyncio.CancelledError:
            session.probe_status = "cancelled"
            raise
        except Exception as exc:  # the probe is data for the user, never a crash of the UI
            session.probe_status, session.probe_error = "error", f"{type(exc).__name__}: {exc}"
        finally:
            self.post_message(ProbeUpdated(None))

    # -- trials ------------------------------------------------------------------------
    @work(group="trials", exclusive=True, exit_on_error=False)
    async def run_trials(self, specs: list[Any], suite: str = "custom") -> None:
        """The pipeline's suite loop (chooser.pipeline.SuiteRun); this only mirrors each
        trial's progress into the Session and asks the screens to repaint."""
        session = self.session
        budget = await self._look_first()  # chooser.measure.budget; None: the user cancelled
        if budget is None:
            return
        interleave = self.services.run_interleaved
        self._suite_run = SuiteRun(
            specs,
            run=self.services.run_trial,
            on_event=self._on_trial_event,
            on_start=self._trial_started,
            on_result=self._trial_ended,
            scale=self.services.add_scaling,
            budget=budget,
            rounds=ROUNDS if interleave is not None else None,
            **({"interleave": interleave} if interleave is not None else {}),
            scaling_estimate=self.services.scaling_estimate(suite, budget.threads)
            if self.services.scaling_estimate is not None
            else None,
        )
        specs = self._suite_run.specs  # with the budget's threads per rank
        session.suite_name = suite
        session.trials = {spec.id: TrialLive(spec.id) for spec in specs}
        session.suite_status = "running"
        self.post_message(TrialsChanged())
        session.suite_extras = {}
        try:
            await self._suite_run.run()
        finally:
            session.suite_extras = dict(self._suite_run.extras) if self._suite_run else {}
            self._suite_run = None
            session.suite_status = "done"
            self.post_message(TrialsChanged())
            counts: dict[str, int] = {}
            for live in session.trials.values():
                counts[live.status] = counts.get(live.status, 0) + 1
            self.notify(
                ", ".join(f"{n} {status}" for status, n in counts.items()), title="Trials finished"
            )

    def _trial_started(self, spec: Any) -> None:
        self.session.trials[spec.id].status = "running"
        self.post_message(TrialsChanged())

    def _trial_ended(self, spec: Any, result: dict[str, Any]) -> None:
        live = self.session.trials[spec.id]
        if live.done:  # skipped while queued: already shown
            return
        if result.get("status") == "cancelled" and live.status == "running":
            result = {**result, **cancelled_result(live, spec)}  # where it stopped
        live.finish(result)
        if live.note in (CANCELLING, KEPT_NOTE):  # a cancel too late to matter: say so
            live.note = KEPT_NOTE if live.status == "ok" else ""
        self.post_message(TrialsChanged())

    async def _look_first(self) -> Any:
        """Look at the machine; when busy, offer to wait for it (a countdown) or run anyway."""
        budget = await self.services.look()
        if not budget.busy:
            return budget
        from chooser.tui.screens.busy import BusyScreen

        return await self.push_screen_wait(BusyScreen(budget, self.services.look))

    def _on_trial_event(self, spec_id: str, event: dict) -> None:
        live = self.session.trials.get(spec_id)
        if live is None:
            return
        live.apply(event)
        if spec_id not in self._pending_updates:  # one queued repaint per trial is enough
            self._pending_updates.add(spec_id)
            self.post_message(TrialUpdated(spec_id))

    def trial_update_seen(self, spec_id: str) -> None:
        self._pending_updates.discard(spec_id)

    def cancel_trial(self, spec_id: str) -> bool:
        """Stop one trial: a running one is killed, a queued one is skipped. A trial that
        has finished training (it is evaluating or writing its result) is kept: stopping
        it then would only throw a finished measurement away (False, and its row says so)."""
        live = self.session.trials.get(spec_id)
        if self._suite_run is None or live is None or live.done:
            return False
        if live.trained:
            live.note = KEPT_NOTE
            self.post_message(TrialsChanged())
            return False
        if self._trained_partners(spec_id):  # interleaved rounds stop together: that
            return False  # would discard a partner's finished training; the pair ends soon
        if not self._suite_run.cancel(spec_id):
            return False
        if live.status == "running":
            live.note = CANCELLING
            self.post_message(TrialsChanged())
        else:  # show it at once; the suite skips it when it gets there
            live.finish(
                {
                    "id": spec_id,
                    "status": "cancelled",
                    "message": "skipped by you before it started",
                }
            )
            self.post_message(TrialsChanged())
        return True

    def cancel_all_trials(self) -> None:
        """Cancel every trial still training or queued; one that has trained is kept."""
        if self._suite_run is None:  # still looking at the machine: stop the worker
            self.workers.cancel_group(self, "trials")
            return
        for spec_id in list(self.session.trials):
            self.cancel_trial(spec_id)

    def _trained_partners(self, spec_id: str) -> list[TrialLive]:
        """Trials running alongside ``spec_id`` (one interleaved group: the suite runs one
        step at a time) that have finished training."""
        live = self.session.trials.get(spec_id)
        if live is None or live.status != "running":
            return []
        return [
            t
            for t in self.session.trials.values()
            if t.spec_id != spec_id and t.status == "running" and t.trained
        ]

    def cancel_outcome(self, spec_id: str) -> str:
        """What pressing cancel did, in a sentence for a toast."""
        live = self.session.trials.get(spec_id)
        name = trial_name_of(spec_id)
        if live is not None and live.note == KEPT_NOTE:
            return f"{name} had finished training: its result is kept, not cancelled."
        if partners := self._trained_partners(spec_id):
            others = ", ".join(trial_name_of(t.spec_id) for t in partners)
            return (
                f"Not cancelled: {name} runs in rounds with {others}, which has finished "
                "training; stopping one stops both, so both finish (in moments)."
            )
        return f"Cancelling {name}…"

    @property
    def trials_running(self) -> bool:
        return bool(self.session.suite_status == "running")
