"""The three report formats carry "Beyond speed": JSON holds the suite-level objects and
reads them back, Markdown has the section, and the HTML partial renders from the JSON."""

from __future__ import annotations

import json

from chooser import pipeline
from chooser.report import beyond, load_report, render
from tests.beyond.fixtures import OUT_OF_BOX, SCALING, TRIALS


def _report():
    inputs = pipeline.load_inputs()
    rec = pipeline.score(inputs, None, TRIALS)
    return pipeline.report(
        inputs,
        rec,
        None,
        TRIALS,
        suite_name="full",
        command_line=["chooser", "recommend"],
        extras={"out_of_box_share": OUT_OF_BOX, "scaling_estimate": SCALING},
    )


def test_json_carries_and_reads_back(tmp_path) -> None:
    path = tmp_path / "r.json"
    path.write_text(render(_report(), "json"))
    data = json.loads(path.read_text())
    assert data["scaling_estimate"]["estimate"] is True
    assert data["scaling_estimate"]["inputs"]["gradient_bytes"] == 87_360
    assert data["out_of_box_share"]["torch"]["share"] == 0.326
    again = load_report(path)
    assert again.scaling_estimate == data["scaling_estimate"]
    assert render(again, "md") == render(load_report(path), "md")


def test_markdown_has_the_section() -> None:
    text = render(_report(), "md")
    start = text.index("## Beyond speed")
    assert start < text.index("## Answers")
    assert "Cluster scaling (estimate, not a measurement)" in text
    assert "| PyTorch | 32.6 % |" in text


def test_old_report_without_the_objects_has_no_section() -> None:
    report = _report().model_copy(
        update={"scaling_estimate": None, "out_of_box_share": None, "trials": []}
    )
    assert "## Beyond speed" not in render(report, "md")
    assert beyond.html(report).strip() == ""


def test_html_partial_from_the_json_dict() -> None:
    data = json.loads(render(_report(), "json"))
    html = beyond.html(data)
    assert "Scaling estimate checked here" in html and "Out-of-the-box share" in html
