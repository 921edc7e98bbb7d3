"""The one number style (chooser.core.numbers)."""

import math

import pytest

from chooser.core import numbers as n


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (20.728, "20.7 points"),
        (3, "3 points"),
        (1, "1 point"),
        (-0.04, "0 points"),
        (17.75, "17.8 points"),
        (1234.0, "1,234 points"),
        (None, "–"),
        (math.nan, "–"),
    ],
)
def test_points_have_at_most_one_decimal(value, text):
    assert n.points(value) == text


def test_counts_and_rates_have_separators_and_units():
    assert n.count(12207.14603658348) == "12,207"
    assert n.rate(12913.4) == "12,913 samples/s"
    assert n.rate(11647, short=True) == "11.6k samples/s"
    assert n.rate(525) == "525 samples/s"
    assert n.rate("x") == "–"


def test_interval_reads_median_plus_minus_half_width():
    assert n.interval(12900, 12300, 13400) == "12.9k samples/s (±600)"
    assert n.interval(12900, 12200, 13100) == "12.9k samples/s (±700)"
    assert n.interval(12900, 11000, 13100) == "12.9k samples/s (±1.9k)"
    assert n.interval(12900, None, None) == "12.9k samples/s"


def test_memory_is_binary_everywhere():
    assert n.size(25.3 * 1024**3) == "25.3 GiB"
    assert n.size(512 * 1024**2) == "512 MiB"
    assert n.size(900) == "900 B"


def test_seconds_and_percent():
    assert n.seconds(0.423) == "0.42 s"
    assert n.seconds(125) == "2 min 05 s"
    assert n.percent(0.9731) == "97.3 %"
    assert n.ratio(1.1799) == "1.18×"


def test_trial_names_are_for_people():
    assert n.trial_name("throughput/torch/single") == "PyTorch · 1 process"
    assert n.trial_name("tensorflow_single") == "TensorFlow · 1 process"
    assert n.trial_name({"id": "throughput/torch/distributed", "world_size": 2}) == (
        "PyTorch · 2 processes"
    )
    assert n.trial_name("time_to_accuracy/jax/single") == "JAX · time to accuracy · 1 process"
    assert n.trial_name({"id": "throughput/torch/single", "variant": "beginner"}) == (
        "PyTorch · beginner · 1 process"
    )


def test_scores_and_figures_are_written_as_people_write_them():
    assert n.score(0.8512) == "0.85"
    assert n.score(1.0) == "1"
    assert n.score(0.5) == "0.5"
    assert n.figure(12207.14603658348) == "12,207"
    assert n.figure(11647.0) == "11,647"
    assert n.figure(0.98431) == "0.984"
    assert n.figure(True) == "yes"
    assert n.figure([1.5, "x"]) == "[1.5, x]"
    assert n.figure("cpu") == "cpu"
    assert "e+" not in n.figure(1.165e4)


def test_compact_keeps_three_figures():
    assert n.compact(13032, pad=True) == "13.0k" and n.compact(13032) == "13k"
    assert n.rate(27038, short=True) == "27.0k samples/s"
    assert n.compact(100_000) == "100k"
    assert n.rate(1_040_000, short=True) == "1.04M samples/s"
