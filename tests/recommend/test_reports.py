"""Reports: one object → JSON (schema-valid), Markdown, self-contained HTML."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser

import pytest

from chooser.core.errors import UserError
from chooser.decide.recommendation import recommend
from chooser.report import (
    Report,
    build_report,
    load_report,
    render,
    report_json_schema,
    write_report,
)

PROBE = {
    "schema_version": 1,
    "timestamp": "2026-01-01T00:00:00+00:00",
    "cpu": {"model": "Test CPU", "usable_cores": 2},
    "memory": {"total_bytes": 8e9},
    "gpus": [],
    "frameworks": {
        "torch": {"status": "ok", "version": "2.13.0+cpu"},
        "tensorflow": {"status": "ok", "version": "2.21.0"},
    },
}


@pytest.fixture
def report(mini, make_trial) -> Report:
    bank, rules = mini
    trials = [
        make_trial("torch", sps=2400.0, acc=0.962),
        make_trial("tensorflow", sps=1600.0, acc=0.951),
        make_trial("torch", "distributed", sps=3000.0),
        make_trial("tensorflow", "distributed", status="timeout"),
    ]
    answers = {"goal": "mobile", "runtime": "litert", "libs": ["keras"]}
    rec = recommend(bank, rules, answers, PROBE, trials)
    return build_report(
        bank,
        rules,
        rec,
        PROBE,
        trials,
        answers_source="answers.yaml",
        trials_suite="quick",
        command_line=["chooser", "recommend"],
        timestamps={"started": "2026-01-01T00:00:00+00:00"},
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action")]


def _parse(text: str) -> _Text:
    parser = _Text()
    parser.feed(text)
    return parser


def test_json_round_trips_and_matches_schema(report, tmp_path):
    path = write_report(report, tmp_path / "r.json")
    data = json.loads(path.read_text())
    assert data["schema_version"] == "3" and data["tool"] == "chooser"
    again = Report.model_validate_json(path.read_text())  # pydantic re-validation
    assert again == report
    assert load_report(path) == report
    schema = report_json_schema()
    assert set(schema["required"]) <= set(data)
    assert set(data) <= set(schema["properties"])  # extra="forbid": nothing undocumented
    for key in (
        "inputs",
        "probe",
        "trials",
        "recommendation",
        "versions",
        "timestamps",
        "command_line",
    ):
        assert key in data
    assert data["recommendation"]["fired"][0]["reason"]


def test_schema_command_prints_the_model_schema(cli):
    result = cli("report", "--schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == report_json_schema()


def test_markdown_has_every_reason_and_the_trials(report):
    text = render(report, "md")
    assert report.recommendation.fired
    for rule in report.recommendation.fired:
        assert rule.reason in text
    assert "Recommended: TensorFlow" in text
    assert "## Criteria" in text and "| On device | 3 | 0.5 | 1 |" in text  # every framework scored
    assert "| 2026-12 |" in text  # the month each fact was checked
    assert "Sensitivity: every combination" in text
    assert "throughput/torch/distributed" in text and "timeout" in text
    assert "2,400 samples/s" in text and "96.20 %" in text
    assert "PyTorch · 1 process" in text  # trials named for people, ids kept for reference


def test_html_has_every_reason_and_no_external_requests(report):
    text = render(report, "html")
    parsed = _parse(text)
    visible = "".join(parsed.parts)
    for rule in report.recommendation.fired:
        assert rule.reason in visible
    assert not re.search(r"""\bsrc\s*=""", text, re.I)  # links (sources) yes, loading no
    assert "<script" not in text.lower() and "@import" not in text
    assert set(re.findall(r"url\((.)", text)) == {"#"}  # only the page's own patterns
    assert text.count('<svg class="chart') == 3  # scores, throughput, accuracy
    assert "Criteria" in visible and "2026-12" in visible and "LiteRT is mature." in visible
    assert "TensorFlow · 2 processes" in visible and "timeout: not measured" in visible


def test_write_refuses_overwrite_without_force(report, tmp_path):
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "r.md"
    path.write_text("keep me")
    with pytest.raises(UserError, match="--force"):
        write_report(report, path)
    assert path.read_text() == "keep me"
    write_report(report, path, force=True)
    assert path.read_text().startswith("# chooser")
    assert sorted(os.listdir(tmp_path / "out")) == ["r.md"]  # no temporary file left behind


def test_unknown_extension_is_a_user_error(report, tmp_path):
    with pytest.raises(UserError, match=r"\.json, \.md or \.html"):
        write_report(report, tmp_path / "r.pdf")


def test_report_command_rerenders(report, tmp_path, cli):
    source = write_report(report, tmp_path / "r.json")
    result = cli("report", source, "--format", "md")
    assert result.returncode == 0 and result.stdout == render(report, "md")
    out = tmp_path / "again.html"
    result = cli("report", source, "--format", "html", "-o", out)
    assert result.returncode == 0 and out.read_text() == render(report, "html")
    result = cli("report", source, "--format", "html", "-o", out)
    assert result.returncode == 2 and "--force" in result.stderr


def test_report_command_rejects_a_non_report(tmp_path, cli):
    bad = tmp_path / "bad.json"
    bad.write_text('{"tool": "chooser", "schema_version": "1", "inputs": 3}')
    result = cli("report", bad, "--format", "md")
    assert result.returncode == 2 and "bad.json" in result.stderr
    assert "Traceback" not in result.stderr
    bad.write_text("{not json")
    result = cli("report", bad, "--format", "md")
    assert result.returncode == 2 and "bad.json:1:2" in result.stderr


def test_compare_two_reports(report, tmp_path, cli):
    a = write_report(report, tmp_path / "a.json")
    other = report.model_copy(deep=True)
    other.trials[0]["samples_per_second"]["median"] = 1200.0
    b = write_report(other, tmp_path / "b.json")
    result = cli("compare", a, b)
    assert result.returncode == 0, result.stderr
    assert "2,400 samples/s" in result.stdout and "1,200 samples/s" in result.stdout
    assert "TensorFlow" in result.stdout and "Test CPU" in result.stdout


def test_compare_never_cuts_a_path(report, tmp_path, cli):
    """Long paths (issue 12: they were cut with "…" in the column headers) come whole."""
    deep = tmp_path / ("a-rather-long-folder-name-for-the-first-machine-" * 3) / "reports"
    deep.mkdir(parents=True)
    a = write_report(report, deep / "machine-one.json")
    b = write_report(report, tmp_path / "b.json")
    result = cli("compare", a, b)
    assert result.returncode == 0, result.stderr
    assert f"A: {a}" in result.stdout and f"B: {b}" in result.stdout
    assert "PyTorch · 1 process" in result.stdout


def test_shipped_schema_file_is_current(repo_root):
    shipped = json.loads((repo_root / "docs" / "report.schema.json").read_text())
    assert shipped == report_json_schema(), (
        "regenerate: chooser report --schema > docs/report.schema.json"
    )
