"""Leaving the app without leaving a process behind: q asks while trials run, ctrl+c /
SIGTERM / a confirmed q cancel every worker (the runner kills each child's process group)
and wait for them; SIGHUP stops the children and leaves at once."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

from textual.worker import WorkerCancelled, WorkerFailed


class QuittingMixin:
    """Mixed into ChooserApp (which provides ``workers``, ``trials_running``, ``exit``…)."""

    workers: Any
    trials_running: bool

    def _catch_hangup(self) -> None:
        """SIGTERM quits like q; SIGHUP (the terminal closed) stops the children and
        leaves at once. Left to the CLI's handler, either raises KeyboardInterrupt inside
        Textual's loop, which left a process with a dead terminal spinning a core."""
        loop = asyncio.get_running_loop()
        for sig, handler in ((signal.SIGTERM, self._on_sigterm), (signal.SIGHUP, self._on_hangup)):
            try:
                loop.add_signal_handler(sig, handler)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not the main thread, or a platform without them

    def _on_sigterm(self) -> None:
        self.call_next(self.action_quit_now)

    def _on_hangup(self) -> None:
        async def leave() -> None:
            await self._stop_workers()
            # Textual's normal exit restores a terminal that no longer exists and can
            # block on it; the children are gone and there is nothing left to draw.
            os._exit(128 + signal.SIGHUP)

        self.call_next(leave)

    async def _stop_workers(self) -> None:
        """Cancel the workers and wait: the runner kills each child's process group."""
        workers = [w for w in self.workers if not w.is_finished]
        for worker in workers:
            worker.cancel()
        for worker in workers:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass  # cancelled is what we asked for; a failure was already reported

    async def action_quit(self) -> None:
        """q: at once, unless trials run; then ask (quit and stop them, or keep going)."""
        if not self.trials_running:
            await self.action_quit_now()
            return
        from chooser.tui.screens.quit_confirm import QuitConfirmScreen

        if not isinstance(self.screen, QuitConfirmScreen):
            self.push_screen(QuitConfirmScreen(), self._quit_answered)

    async def _quit_answered(self, stop: bool | None) -> None:
        if stop:
            await self.action_quit_now()

    async def action_quit_now(self) -> None:
        """ctrl+c, SIGTERM and a confirmed q: stop every child process group, then leave."""
        if any(not w.is_finished for w in self.workers):
            self.notify("Stopping child processes…")
        await self._stop_workers()
        self.exit(0)
