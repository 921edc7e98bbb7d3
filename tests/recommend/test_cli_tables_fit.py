"""The CLI's tables adapt to the console's width (issue 12): at 80 and 160 columns no word
or number is broken across lines, trials carry names for people, figures have units."""

from __future__ import annotations

import pytest

from chooser.decide.questionnaire import load_questions
from chooser.decide.recommendation import recommend
from chooser.decide.rules import load_rules
from chooser.measure.scaling import add_scaling
from chooser.views import probe as probe_view
from chooser.views import recommendation as view
from chooser.views import trials as trials_view
from tests.unbroken import assert_unbroken, render

WIDTHS = (80, 100, 160)


@pytest.fixture
def suite(make_trial):
    trials = [
        make_trial(fw, mode, sps=12207.14603658348, peak_rss_bytes=371_195_904)
        for mode in ("single", "distributed")
        for fw in ("torch", "tensorflow", "jax")
    ]
    trials[0].update(status="cancelled", message="cancelled by you at step 12 of 528")
    trials[1].update(comparable=False, comparable_reason="other processes used 1.10 cores")
    add_scaling(trials)
    return trials


@pytest.fixture
def rec(suite):
    bank = load_questions()
    answers = {"scale": "multi_node", "serving_stack": "torchserve"}
    return recommend(bank, load_rules(None, bank), answers, None, suite)


def test_recommend_tables_keep_words_whole(rec, suite):
    for table in (view.trials_table(suite), view.fired_table(rec), view.criteria_table(rec)):
        assert_unbroken(table, *WIDTHS)


def test_trial_tables_keep_words_whole(suite):
    assert_unbroken(trials_view.suite_table(suite), *WIDTHS)
    assert_unbroken(trials_view.result_table(suite[1]), *WIDTHS)


def test_probe_tables_keep_words_whole(repo_root):
    import json

    probe = json.loads((repo_root / "tests" / "tui" / "fixtures" / "probe.json").read_text())[
        "probe"
    ]
    assert probe.get("frameworks"), "the recorded probe has every framework"
    for table in (probe_view.machine_table(probe), probe_view.frameworks_table(probe)):
        assert_unbroken(table, *WIDTHS)
    assert " GiB" in render(probe_view.machine_table(probe), 100)


def test_narrow_tables_move_columns_to_a_line_under(suite):
    narrow, wide = render(view.trials_table(suite), 80), render(view.trials_table(suite), 160)
    assert "Peak RSS" not in narrow.splitlines()[2] and "Peak RSS" in wide
    assert "Peak RSS 354 MiB" in narrow  # the figure is kept, under the table
    for text in (narrow, wide):
        assert "TensorFlow · 1 process" in text and "PyTorch · 2 processes" in text
        assert "12.2k samples/s" in text
        assert "torch_single" not in text and "throughput/" not in text
        assert "12207.1" not in text and "e+04" not in text


def test_points_have_one_decimal_and_a_unit(rec):
    text = render(view.recommendation_panel(rec), 120)
    assert "points" in text and "1 points" not in text
    for total in rec.totals.values():
        assert f"{total:.3f}" not in text or round(total, 1) == round(total, 3)
