"""Snapshots of the model-code tab (tabs at 80 columns, side by side at 160, light theme)
and the export dialog at 80×24. The code is cut from the real trial files, so a change to
a trial's network or training loop changes these on purpose.
Update after an intended change with: pytest tests/tui --snapshot-update"""

from __future__ import annotations

import pytest
from test_snapshots import _code_tab, _export, _light, at, snapshot_app


async def _code_then_light(pilot) -> None:
    await _code_tab(pilot)
    await _light(pilot)
    await pilot.pause()


@pytest.mark.parametrize(
    "name, size, run_before",
    [
        ("model_code_80", (80, 24), at("recommendation", then=_code_tab)),
        ("model_code_160", (160, 45), at("recommendation", then=_code_tab)),
        ("model_code_light_80", (80, 24), at("recommendation", then=_code_then_light)),
        ("export_80", (80, 24), at("recommendation", then=_export)),
    ],
)
def test_code_and_export(snap_compare, name, size, run_before):
    assert snap_compare(snapshot_app(), terminal_size=size, run_before=run_before)
