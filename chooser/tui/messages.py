"""Messages the App's workers post to the App, which passes a copy to the screen on show
(screens handle ``on_probe_updated`` etc.; none of them bubbles back up). Progress floods
are merged, Toolong-style: a newer TrialUpdated for the same trial replaces one still
waiting in the queue."""

from __future__ import annotations

from textual.message import Message


class ProbeUpdated(Message, bubble=False):
    """A probe part ("hardware" or a framework id) arrived, or the probe ended (None)."""

    def __init__(self, part: str | None) -> None:
        super().__init__()
        self.part = part


class TrialUpdated(Message, bubble=False):
    """New progress for one trial; the data itself is in the app's Session."""

    def __init__(self, spec_id: str) -> None:
        super().__init__()
        self.spec_id = spec_id

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TrialUpdated) and message.spec_id == self.spec_id


class TrialsChanged(Message, bubble=False):
    """A trial started or finished, or the suite began or ended."""
