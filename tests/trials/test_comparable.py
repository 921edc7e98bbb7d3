"""Thread budget, rounds, intervals and `comparable`, on recorded results (no trial runs)."""

from __future__ import annotations

import random

import pytest

from chooser.core.stats import median_ci, ratio_ci
from chooser.measure import comparable
from chooser.measure.budget import Load, choose_threads, load_between
from chooser.measure.rounds import quiet_rounds
from chooser.measure.scaling import add_scaling
from probes.trials.rounds import round_sizes


def result(
    framework="torch",
    mode="single",
    sps=1000.0,
    spread=0.01,
    rounds=5,
    others=0.05,
    threads=2,
    accuracy=0.95,
    **extra,
) -> dict:
    """A recorded trial result, shaped like chooser.measure.suite's."""
    rng = random.Random(f"{framework}{mode}{sps}")  # recorded, so fixed: the same every run
    windows = [[sps * (1 + rng.uniform(-spread, spread)) for _ in range(3)] for _ in range(rounds)]
    flat = [w for ws in windows for w in ws]
    out = {
        "id": f"{framework}_{mode}",
        "status": "ok",
        "framework": framework,
        "mode": mode,
        "world_size": 1 if mode == "single" else 2,
        "device": "cpu",
        "samples_per_second": {
            "median": sps,
            "min": min(flat),
            "max": max(flat),
            "window_rates": flat,
            "rounds": [{"round": i + 1, "windows": w} for i, w in enumerate(windows)],
        },
        "machine_load": {"other_cores_avg": others, "cores": 2},
        "threads_per_rank": threads,
        "test_accuracy": accuracy,
        "test_samples": 1000,
    }
    out.update(extra)
    return out


def test_thread_budget_leaves_busy_cores_alone():
    assert choose_threads(2, 0.05) == 2
    assert choose_threads(2, 0.4) == 1  # a light load already costs torch's second thread
    assert choose_threads(2, 1.0) == 1
    assert choose_threads(2, 2.5) == 1  # never zero
    assert choose_threads(8, 2.1) == 6


def test_load_between_counts_only_processes_seen_twice():
    before = {1: (10.0, "a"), 2: (5.0, "b")}
    after = {1: (10.5, "a"), 2: (5.0, "b"), 3: (99.0, "new")}
    load = load_between(before, after, 1.0, cores=2)
    assert load.other_cores == pytest.approx(0.5)
    assert [t[0] for t in load.top] == ["a"]
    assert not load.quiet


def test_quiet_result_is_comparable():
    r = comparable.mark(result())
    assert r["comparable"] is True and r["comparable_reason"] is None
    assert r["samples_per_second"]["ci95"][0] <= 1000 <= r["samples_per_second"]["ci95"][1]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"others": 1.02}, "other processes used 1.02 cores"),
        ({"spread": 0.6}, "(max ÷ min; limit 2.5×)"),
        ({"threads": 2, "asked": 1}, "ran with 2 threads per rank; the suite asked for 1"),
        ({"accuracy": 1.3}, "impossible accuracy 1.3"),
    ],
)
def test_each_reason_makes_a_result_not_comparable(kwargs, words):
    asked = kwargs.pop("asked", None)
    r = comparable.mark(result(**kwargs), asked)
    assert r["comparable"] is False
    assert words in r["comparable_reason"]


def test_failed_and_unassessed_results_are_not_comparable():
    assert comparable.mark({"id": "x", "status": "timeout"})["comparable"] is False
    assert comparable.comparable_of({"id": "x", "status": "ok"}) == (False, comparable.NOT_ASSESSED)


def test_impossible_scaling_efficiency_is_not_comparable():
    single = comparable.mark(result(sps=1000.0))
    dist = comparable.mark(result(mode="distributed", sps=7500.0))  # "7.5× on the same cores"
    results = [single, dist]
    add_scaling(results)
    scaling = dist["scaling"]
    assert scaling["efficiency"] == 7.5
    assert scaling["comparable"] is False
    assert "impossible scaling efficiency 7.50" in scaling["comparable_reason"]


def test_scaling_is_comparable_only_when_both_inputs_are():
    single = comparable.mark(result(sps=1000.0, others=1.1))  # measured while busy
    dist = comparable.mark(result(mode="distributed", sps=800.0))
    add_scaling([single, dist])
    assert dist["scaling"]["comparable"] is False
    assert dist["scaling"]["comparable_reason"].startswith("torch_single: other processes")
    assert dist["scaling"]["efficiency_ci95"][0] < 0.8 < dist["scaling"]["efficiency_ci95"][1]


def test_paired_interval_cancels_a_load_that_hit_both():
    # Round 3 was slow for both frameworks: paired draws keep the ratio near 2.
    torch = [[2000.0, 2010.0], [1990.0, 2000.0], [900.0, 910.0], [2000.0, 2005.0]]
    tf = [[1000.0, 1005.0], [995.0, 1000.0], [450.0, 455.0], [1000.0, 1002.0]]
    _, paired = ratio_ci(torch, tf, paired=True)
    _, independent = ratio_ci(torch, tf, paired=False)
    assert 1.9 < paired[0] <= paired[1] < 2.1
    assert independent[1] - independent[0] > paired[1] - paired[0]


def test_median_interval_needs_two_groups():
    assert median_ci([[1.0, 2.0]]) is None
    lo, hi = median_ci([[1.0], [2.0], [3.0]])
    assert 1.0 <= lo <= hi <= 3.0


def test_overlapping_ratio_interval_for_equal_frameworks():
    pair = comparable.compare_pair(
        comparable.mark(result("torch", sps=1000.0, spread=0.2)),
        comparable.mark(result("tensorflow", sps=1050.0, spread=0.2)),
    )
    assert pair["comparable"] is True
    assert pair["ci95"][0] < 1.0 < pair["ci95"][1]
    assert "paired by round" in pair["interval_method"]


class _Child:
    def __init__(self, others):
        self.loads = [Load(other_cores=o, seconds=1.0, cores=2) for o in others]


def test_busy_rounds_are_left_out_of_both_frameworks_figures():
    used = quiet_rounds([_Child([0.1, 0.9, 0.0, 0.1, 0.2]), _Child([0.0, 0.1, 0.8, 0.1, 0.0])])
    assert used == [True, False, False, True, True]  # round i is dropped for both
    too_few = quiet_rounds([_Child([0.9, 0.9, 0.0, 0.1]), _Child([0.0, 0.1, 0.1, 0.1])])
    assert too_few == [True] * 4  # fewer than 3 quiet rounds: all used, and said so


def test_too_few_quiet_rounds_is_a_reason():
    r = result()
    for i, record in enumerate(r["samples_per_second"]["rounds"]):
        record.update(used=True, other_cores=0.0 if i < 2 else 0.9)
    r["samples_per_second"]["quiet_rounds"] = 2
    assert "only 2 of 5 rounds" in comparable.reasons_for(r)[0]


def test_round_sizes_split_the_budget():
    assert round_sizes(516, 6) == [86] * 6
    assert round_sizes(10, 3) == [4, 3, 3]
    assert round_sizes(2, 5) == [1, 1]


def test_rounds_wait_for_quiet_only_after_a_busy_round_and_within_the_budget():
    import asyncio

    from chooser.measure.rounds import _until_quiet

    busy, quiet = Load(other_cores=1.0, seconds=1.0, cores=2), Load(0.0, 1.0, 2)
    assert asyncio.run(_until_quiet(quiet, 10.0)) == 0.0
    assert asyncio.run(_until_quiet(busy, 0.0)) == 0.0
    spent = asyncio.run(_until_quiet(busy, 1.0))  # looks in half-second windows
    assert 0.4 < spent < 2.5
