"""The readable summary: text with brackets (install hints) survives rich markup, and a
failed hardware probe or a timed-out framework still renders."""

from __future__ import annotations

from rich.console import Console

from chooser.views.probe import print_probe

PROBE = {
    "os": {"system": "Linux", "machine": "x86_64", "release": "6.1", "distribution": None},
    "python": {"version": "3.11.7", "implementation": "CPython"},
    "cpu": None,
    "memory": None,
    "gpus": [],
    "gpu_probe": {"source": "none", "errors": [], "reason": "hardware probe timed out [x]"},
    "frameworks": {
        "torch": {
            "status": "missing",
            "version": None,
            "message": "torch is not installed",
            "hint": "pip install 'chooser[torch]'",
        },
        "tensorflow": {
            "status": "error",
            "version": None,
            "message": "tensorflow probe timed out after 60.0 s; process group killed",
            "hint": "run `python -m probes.framework_tensorflow`",
        },
    },
    "timings_s": {"torch": 0.1, "tensorflow": 60.0, "hardware": 60.0, "total": 60.0},
}


def render(probe: dict) -> str:
    console = Console(record=True, width=200, color_system=None)
    print_probe(probe, console)
    return console.export_text()


def test_hints_keep_their_brackets_and_failures_render():
    text = render(PROBE)
    assert "pip install 'chooser[torch]'" in text
    assert "hardware probe timed out [x]" in text
    assert "unknown: hardware probe failed" in text
    assert "timed out after 60.0 s; process group killed" in text
