"""The app's plain state, without Textual."""

from __future__ import annotations

import json

from tui_fakes import FIXTURES, FakeSpec

from chooser.tui.state import MAX_LOSS_POINTS, Session, TrialLive, cancelled_result


def test_trial_live_folds_recorded_events():
    record = json.loads((FIXTURES / "trials.json").read_text())["throughput/torch/single"]
    live = TrialLive("throughput/torch/single")
    for event in record["events"]:
        live.apply(event)
    assert live.step == live.of == 600 and live.phase == "eval"
    assert [s for s, _ in live.losses] == sorted(s for s, _ in live.losses)
    live.finish(record["result"])
    assert live.status == "ok" and live.accuracy == record["result"]["test_accuracy"]
    assert live.samples_per_second == record["result"]["samples_per_second"]["median"]


def test_loss_history_is_thinned_not_unbounded():
    live = TrialLive("t")
    for step in range(5 * MAX_LOSS_POINTS):
        live.apply({"phase": "train", "step": step, "of": 10**6, "loss": 1.0})
    assert len(live.losses) <= MAX_LOSS_POINTS and live.losses[0][0] == 0


def test_cancelled_result_says_where_it_stopped():
    live = TrialLive("throughput/torch/single", step=120, of=600)
    result = cancelled_result(live, FakeSpec("torch"))
    assert result["status"] == "cancelled" and "step 120 of 600" in result["message"]


def test_probe_so_far_merges_parts(tmp_path):
    session = Session(out_dir=tmp_path)
    session.probe_parts = {"hardware": {"cpu": {"model": "x"}}, "torch": {"status": "ok"}}
    merged = session.probe_so_far()
    assert merged["cpu"] == {"model": "x"} and merged["frameworks"]["torch"]["status"] == "ok"
    session.prefill, session.answers = {"a": 1, "b": 2}, {"b": 3}
    assert session.effective_answers() == {"a": 1, "b": 3}


def test_every_trial_id_of_the_full_suite_makes_a_valid_widget_id():
    """Variant ids carry "+" (``…/single+beginner``): the row's widget id must still be one
    Textual accepts (the full suite's trials screen failed to mount without this)."""
    from textual.widget import Widget

    from chooser.measure.trials import suite_specs
    from chooser.tui.widgets.trial_row import row_dom_id

    ids = [spec.id for spec in suite_specs("full")]
    assert any("+" in tid for tid in ids)
    for tid in ids:
        Widget(id=row_dom_id(tid))  # raises BadIdentifier for an invalid id
    assert len({row_dom_id(t) for t in ids}) == len(ids)
