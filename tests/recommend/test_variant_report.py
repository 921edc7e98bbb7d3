"""The report carries the out-of-the-box share of the variant results it holds."""

from __future__ import annotations

import json
from pathlib import Path

from chooser.decide.recommendation import recommend
from chooser.measure.variants import out_of_box_share
from chooser.report import Report, build_report, load_report, write_report

RECORDED = Path(__file__).parent.parent / "trials" / "fixtures" / "variant_results.json"


def test_report_json_has_the_share(mini, tmp_path) -> None:
    bank, rules = mini
    trials = json.loads(RECORDED.read_text())["results"]
    rec = recommend(bank, rules, {}, None, trials)
    report = build_report(bank, rules, rec, None, trials, command_line=["chooser"])
    assert report.out_of_box_share == out_of_box_share(trials)
    assert report.out_of_box_share["torch"]["beginner_id"] == "throughput/torch/single+beginner"
    data = json.loads(write_report(report, tmp_path / "r.json").read_text())
    assert data["out_of_box_share"]["torch"]["share"] == report.out_of_box_share["torch"]["share"]
    assert {t["id"] for t in data["trials"]} >= {"throughput/tensorflow/single+compiled"}
    assert load_report(tmp_path / "r.json") == report
    assert Report.model_validate(data).out_of_box_share == report.out_of_box_share


def test_report_without_variants_has_an_empty_share(mini) -> None:
    bank, rules = mini
    trials = [t for t in json.loads(RECORDED.read_text())["results"] if t.get("variant") == "tuned"]
    rec = recommend(bank, rules, {}, None, trials)
    assert build_report(bank, rules, rec, None, trials, command_line=[]).out_of_box_share == {}
