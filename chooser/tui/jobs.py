"""The probe and the trials, run as async workers owned by the App.

Workers belong to the App, not to a screen, so leaving a screen never stops a
run. Each trial runs as its own task inside the suite worker, so one trial can be
cancelled while the rest go on; cancelling a task makes chooser.measure.runner kill the
child's whole process group. Finished results are kept whatever happens next.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import work

from chooser.tui.messages import ProbeUpdated, TrialsChanged, TrialUpdated
from chooser.tui.state import TrialLive, cancelled_result

ROUNDS = 8  # interleaved rounds per framework, as chooser.measure.trials.SUITE_ROUNDS


class JobsMixin:
    """Mixed into ChooserApp; expects ``self.session`` and ``self.services``."""

    def _init_jobs(self) -> None:
        self._trial_tasks: dict[str, asyncio.Task] = {}
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
        session = self.session
        budget = await self._look_first()  # chooser.measure.budget; None: the user cancelled
        if budget is None:
            return
        specs = self.services.budgeted(specs, budget)
        session.suite_name = suite
        session.trials = {spec.id: TrialLive(spec.id) for spec in specs}
        session.suite_status = "running"
        self.post_message(TrialsChanged())
        try:
            for group in self._groups(specs):
                group = [s for s in group if not session.trials[s.id].done]  # skipped: done
                if not group:
                    continue
                for spec in group:
                    session.trials[spec.id].status = "running"
                self.post_message(TrialsChanged())
                task = asyncio.create_task(
                    self.services.run_interleaved(group, ROUNDS, self._on_trial_event)
                    if len(group) > 1 else self.services.run_trial(group[0], self._on_trial_event))
                self._trial_tasks.update({spec.id: task for spec in group})
                try:
                    out = await task
                    for spec, result in zip(group, out if isinstance(out, list) else [out]):
                        session.trials[spec.id].finish(
                            self.services.finish_result(result, spec, budget))
                except asyncio.CancelledError:
                    if asyncio.current_task().cancelling():  # the whole suite was cancelled
                        raise
                    for spec in group:
                        live = session.trials[spec.id]
                        live.finish(cancelled_result(live, spec))
                except Exception as exc:  # run_trial promises not to raise; say so if it did
                    for spec in group:
                        session.trials[spec.id].finish({
                            "id": spec.id, "status": "error",
                            "message": f"{type(exc).__name__}: {exc}"})
                finally:
                    for spec in group:
                        self._trial_tasks.pop(spec.id, None)
                self.services.add_scaling(session.results())
                self.post_message(TrialsChanged())
        except asyncio.CancelledError:
            for spec in specs:  # keep what finished; say what was stopped
                live = session.trials[spec.id]
                if not live.done:
                    live.finish(cancelled_result(live, spec))
            raise
        finally:
            session.suite_status = "done"
            self.post_message(TrialsChanged())
            counts: dict[str, int] = {}
            for live in session.trials.values():
                counts[live.status] = counts.get(live.status, 0) + 1
            self.notify(", ".join(f"{n} {status}" for status, n in counts.items()),
                        title="Trials finished")

    async def _look_first(self) -> Any:
        """Look at the machine; when busy, offer to wait for it (a countdown) or run anyway."""
        budget = await self.services.look()
        if not budget.busy:
            return budget
        from chooser.tui.screens.busy import BusyScreen

        return await self.push_screen_wait(BusyScreen(budget, self.services.look))

    def _groups(self, specs: list[Any]) -> list[list[Any]]:
        """The single-process trials together (run as interleaved rounds), then the rest
        one by one; every trial on its own when the services cannot interleave."""
        singles = [s for s in specs if s.mode == "single"]
        if self.services.run_interleaved is None or len(singles) < 2:
            return [[s] for s in specs]
        return [singles] + [[s] for s in specs if s.mode != "single"]

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
        """Stop one trial: a running one is killed, a queued one is skipped."""
        task = self._trial_tasks.get(spec_id)
        if task is not None:
            task.cancel()
            return True
        live = self.session.trials.get(spec_id)
        if live is not None and live.status == "queued":
            live.finish({"id": spec_id, "status": "cancelled",
                         "message": "skipped by you before it started"})
            self.post_message(TrialsChanged())
            return True
        return False

    def cancel_all_trials(self) -> None:
        self.workers.cancel_group(self, "trials")

    @property
    def trials_running(self) -> bool:
        return self.session.suite_status == "running"
