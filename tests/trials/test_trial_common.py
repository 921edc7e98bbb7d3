"""The framework-free parts both trials share: data order, throughput windows, FLOPs, checksums."""

from __future__ import annotations

import numpy as np
import pytest

from probes.trials import common
from probes.trials.measure import ThroughputMeter


def test_batch_plan_shards_like_distributed_sampler():
    n, batch, world = 103, 10, 2
    steps = common.steps_per_epoch(n, batch, world)
    assert steps == 5  # 51 images per rank, last partial batch dropped
    plans = [
        list(common.batch_plan(n, batch, steps, seed=4, rank=r, world=world)) for r in range(world)
    ]
    assert [len(p) for p in plans] == [5, 5]
    seen = [np.concatenate([idx for _, idx in p]) for p in plans]
    assert not set(seen[0]) & set(seen[1])  # ranks never share an image within an epoch
    perm = np.random.default_rng(4).permutation(n)
    assert np.array_equal(seen[0], perm[0::2][:50])


def test_batch_plan_crosses_epochs_with_a_new_order():
    plan = list(common.batch_plan(20, 5, 10, seed=0))
    assert [e for e, _ in plan] == [0] * 4 + [1] * 4 + [2] * 2
    assert not np.array_equal(plan[0][1], plan[4][1])


def test_budget_and_impossible_batch():
    args = common.build_parser("t", "t").parse_args(["--epochs", "2"])
    assert common.budget_steps(args, 8000, 1) == 250 and common.budget_steps(args, 8000, 2) == 124
    with pytest.raises(ValueError, match="fewer than one batch"):
        common.steps_per_epoch(100, 64, 2)


def test_throughput_windows_after_warmup():
    meter = ThroughputMeter(warmup_steps=2, window_steps=3)
    meter.t0 = 0.0
    # step i ends at time i * 0.1, except a slow window later on
    ends = [0.1 * i for i in range(1, 13)]  # 12 steps: windows (2,5], (5,8], (8,11]
    ends[8:] = [e + 0.3 for e in ends[8:]]
    for t in ends:
        meter.times.append(t)
        meter.samples.append(64)
    rates = meter.windows()
    assert len(rates) == 3
    assert rates[0] == pytest.approx(3 * 64 / 0.3)
    summary = meter.summary()
    assert summary["min"] < summary["median"] <= summary["max"] and summary["windows"] == 3
    assert meter.last_window() == pytest.approx(rates[-1])


def test_too_short_run_says_it_is_not_steady_state():
    meter = ThroughputMeter(warmup_steps=5, window_steps=10)
    for t in (0.1, 0.2, 0.3):
        meter.times.append(t)
        meter.samples.append(64)
    assert "not steady state" in meter.summary()["method"]


def test_flops_arithmetic():
    assert common.FORWARD_FLOPS_PER_SAMPLE == 961_000
    assert common.TRAIN_FLOPS_PER_SAMPLE == 3 * 961_000
    assert common.gflops_per_second(1000.0) == pytest.approx(2.883)


def test_checksum_is_exact_and_layout_canonical():
    rng = np.random.default_rng(0)
    torch_like = [
        rng.standard_normal((10, 1, 5, 5)).astype(np.float32),
        rng.standard_normal((50, 320)).astype(np.float32),
    ]
    keras_like = [np.transpose(torch_like[0], (2, 3, 1, 0)), torch_like[1].T]
    a = common.param_checksum(torch_like)
    b = common.param_checksum([common.keras_to_canonical(k) for k in keras_like])
    assert a == b and a["count"] == 250 + 16000
    nudged = [torch_like[0].copy(), torch_like[1]]
    nudged[0].flat[0] = np.nextafter(nudged[0].flat[0], np.float32(1))
    assert common.param_checksum(nudged)["sha256"] != a["sha256"]


def test_positive_rejects_impossible_values():
    args = common.build_parser("t", "t").parse_args(["--batch-size", "0"])
    with pytest.raises(ValueError, match="--batch-size must be at least 1"):
        common.positive(args)
