"""Services for UI tests: the real question bank, rules and recommendation, with a fake
runner that replays probe and trial events recorded from real runs (fixtures/)."""

from __future__ import annotations

import asyncio
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chooser.tui.services import Services
from probes.result import trial_id

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class FakeSpec:  # the fields of chooser.measure.trials.TrialSpec the app reads
    framework: str
    mode: str = "single"
    steps: int | None = None
    epochs: int | None = None

    kind: str = "throughput"

    @property
    def id(self) -> str:
        return trial_id(self.framework, self.mode, self.kind)


class Replay:
    """Replays fixtures; ``hold`` keeps a trial 'running' until cancelled (or ``release``d):
    still training, before its last step (``hold_phase="train"``), or evaluating, after
    all its events (``hold_phase="eval"``)."""

    def __init__(
        self, delay: float | None = 0.0, hold: set[str] | None = None, hold_phase: str = "train"
    ) -> None:
        self.probe = json.loads((FIXTURES / "probe.json").read_text())
        self.trials = json.loads((FIXTURES / "trials.json").read_text())
        self.delay, self.hold, self.hold_phase = delay, hold or set(), hold_phase
        self.started: list[str] = []
        self.cancelled: list[str] = []
        self._released: dict[str, asyncio.Event] = {}

    def release(self, spec_id: str) -> None:
        """Let a held trial finish with its recorded result."""
        self._released.setdefault(spec_id, asyncio.Event()).set()

    def _events(self, spec_id: str) -> list[dict]:
        events = self.trials[spec_id]["events"]
        if spec_id in self.hold and self.hold_phase == "train":  # stop before the last step
            last = next(
                (i for i, e in enumerate(events) if e.get("of") and e.get("step", 0) >= e["of"]),
                len(events),
            )
            return events[:last]
        return events

    async def run_probe(self, on_part=None, timeout: float = 60.0) -> dict:
        for name, part in self.probe["parts"]:
            await asyncio.sleep(self.delay or 0)
            if on_part is not None:
                on_part(name, part)
        return self.probe["probe"]

    async def run_trial(self, spec: Any, on_event=None) -> dict:
        record = self.trials[spec.id]
        self.started.append(spec.id)
        try:
            for event in self._events(spec.id):
                if self.delay is not None:  # None: a burst, as from a child's full pipe
                    await asyncio.sleep(self.delay)
                if on_event is not None:
                    on_event(spec.id, dict(event))
            if spec.id in self.hold:  # like a child still training (or evaluating)
                await self._released.setdefault(spec.id, asyncio.Event()).wait()
        except asyncio.CancelledError:
            self.cancelled.append(spec.id)
            raise
        return json.loads(json.dumps(record["result"]))

    def suites(self) -> dict[str, list[FakeSpec]]:
        quick = [FakeSpec("torch", steps=600), FakeSpec("tensorflow", steps=300)]
        return {"quick": quick, "full": quick + [FakeSpec("torch", "distributed", steps=10)]}


BANK = FIXTURES / "bank"  # a frozen copy of questions/ so snapshots do not move with it


def fake_services(
    replay: Replay | None = None, *, frozen_bank: bool = False, **overrides: Any
) -> Services:
    """Real questions, rules, recommendation and reports; replayed probe and trials.
    ``frozen_bank`` uses the copy of the question bank and rules in fixtures/bank."""
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.rules import load_rules
    from chooser.measure.scaling import add_scaling

    replay = replay or Replay()
    if frozen_bank:
        overrides.setdefault("load_questions", lambda path=None: load_questions(BANK))
        overrides.setdefault(
            "load_rules", lambda path=None, bank=None: load_rules(BANK / "rules.yaml", bank)
        )
    overrides.setdefault("look", fixed_look(quiet=True))
    overrides.setdefault("run_interleaved", None)  # recorded trials replay one by one
    return Services(
        run_probe=replay.run_probe,
        run_trial=replay.run_trial,
        suites=replay.suites,
        add_scaling=add_scaling,
        **{"scaling_estimate": None, **overrides},  # no real child after a replayed suite
    )


def fixed_look(quiet: bool, looks: list[Any] | None = None) -> Any:
    """A look before measuring that always sees the same machine (no real sampling:
    snapshots must not depend on what else runs). ``looks`` records each call."""
    from chooser.measure.budget import Budget, Load

    load = Load(
        other_cores=0.05 if quiet else 1.02,
        seconds=1.0,
        cores=2,
        top=[] if quiet else [("stress", 4242, 1.0), ("python", 77, 0.02)],
    )

    async def look(wait_quiet_s: float = 0.0) -> Budget:
        if looks is not None:
            looks.append(load)
        return Budget(threads=2 if quiet else 1, cores=2, load=load)

    return look


# -- Pilot helpers ---------------------------------------------------------------------
_SVG_TEXT = re.compile(r'<text[^>]*\by="([0-9.]+)"[^>]*>([^<]*)</text>')


def screen_text(app) -> str:
    """What the terminal shows now, as plain text, read from Textual's public screenshot
    (SVG: one <text> per styled run, rows by their y)."""
    rows: dict[float, list[str]] = {}
    for y, text in _SVG_TEXT.findall(app.export_screenshot()):
        rows.setdefault(float(y), []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(rows.items()))


async def answer_all_defaults(pilot, limit: int = 60, through_review: bool = True) -> None:
    """Press Enter through every question, accepting each default, then (unless
    ``through_review`` is False) Enter on the review page's focused "Next: hardware"."""
    for _ in range(limit):
        if pilot.app.current_mode != "questions":
            break
        await pilot.press("enter")
        await pilot.pause()
    else:
        raise AssertionError("still on the questions after pressing Enter 60 times")
    assert pilot.app.current_mode == "review", pilot.app.current_mode
    if through_review:
        await pilot.press("enter")
        await pilot.pause()


async def settle(pilot) -> None:
    """Let the App's workers finish and their messages land."""
    from textual.worker import WorkerCancelled, WorkerFailed

    await pilot.pause()  # a worker started after the next refresh exists by now
    while running := [w for w in pilot.app.workers if not w.is_finished]:
        for worker in running:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
    await pilot.pause()
    await pilot.pause()
