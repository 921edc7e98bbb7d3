"""The ring all-reduce model, its fit and the estimate, with numbers worked by hand."""

from __future__ import annotations

import math

import pytest

from chooser.measure import scaling_estimate as se

GRAD = 87_360  # the seed Net: 21,840 float32 parameters (checked against the model elsewhere)


def test_ring_time_by_hand() -> None:
    # p = 4: 2·3·α + 2·3/4 · n/β = 6·1e-5 + 1.5 · 1e6/1e9 = 6e-5 + 1.5e-3
    assert se.ring_seconds(4, 1e6, 1e-5, 1e9) == pytest.approx(1.56e-3)
    assert se.ring_seconds(1, 1e9, 1.0, 1.0) == 0.0  # one rank reduces nothing


def test_fit_recovers_alpha_and_beta() -> None:
    alpha, beta = 50e-6, 2.0e9
    points = [(p, n, se.ring_seconds(p, n, alpha, beta)) for p in (2, 3) for n in (GRAD, 1e6, 16e6)]
    got_alpha, got_beta = se.fit(points)
    assert got_alpha == pytest.approx(alpha, rel=1e-9)
    assert got_beta == pytest.approx(beta, rel=1e-9)


def test_fit_weights_small_reduces() -> None:
    # a 10 % error on the largest reduce must not swamp the latency seen at small sizes
    alpha, beta = 100e-6, 1e9
    points = [(2, n, se.ring_seconds(2, n, alpha, beta)) for n in (GRAD, 262_144, 1e6)]
    points.append((2, 16e6, se.ring_seconds(2, 16e6, alpha, beta) * 1.1))
    got_alpha, _ = se.fit(points)
    assert got_alpha == pytest.approx(alpha, rel=0.3)


def test_negative_latency_is_clamped() -> None:
    points = [(2, 1e6, 0.9e-3), (2, 2e6, 2.0e-3)]  # intercept below zero
    alpha, beta = se.fit(points)
    assert alpha == 0.0
    assert 1e9 < beta < 2.5e9


def test_fit_needs_two_sizes() -> None:
    with pytest.raises(ValueError, match="two sizes"):
        se.fit([(2, GRAD, 1e-4), (2, GRAD, 1.1e-4)])


def test_rows_by_hand() -> None:
    # 2 nodes × 8 GPUs at 10 Gb/s: p = 16, β = 1.25e9 B/s, α = 10 µs, t_c = 10 ms
    rows = se.rows(0.010, GRAD, 10e-6, bandwidths_gbps=(10,), layouts=((2, 8),))
    t = 2 * 15 * 10e-6 + 2 * 15 / 16 * GRAD / 1.25e9
    assert rows[0]["allreduce_s"] == pytest.approx(t)
    assert rows[0]["predicted_efficiency"] == pytest.approx(0.010 / (0.010 + t), abs=1e-4)
    assert rows[0]["estimate"] is True


def test_more_bandwidth_never_lowers_efficiency() -> None:
    rows = se.rows(0.01, GRAD, 20e-6)
    for layout in se.LAYOUTS:
        effs = [
            r["predicted_efficiency"] for r in rows if (r["nodes"], r["gpus_per_node"]) == layout
        ]
        assert effs == sorted(effs)
        assert all(0 < e <= 1 for e in effs)


CHILD = {
    "framework": "torch",
    "device": "cpu",
    "backend": "gloo",
    "batch_size": 64,
    "gradient_params": 21_840,
    "gradient_bytes": GRAD,
    "compute_s": {"1": 0.012, "2": 0.020},
    "allreduce": [
        {"world_size": 2, "bytes": n, "seconds": se.ring_seconds(2, n, 100e-6, 1e9)}
        for n in (GRAD, 1_048_576, 16_777_216)
    ],
}


def test_estimate_contract_and_validation() -> None:
    trials = [
        {
            "framework": "torch",
            "mode": "distributed",
            "world_size": 2,
            "id": "throughput/torch/distributed",
            "scaling_efficiency": 1.1,
        },
        {
            "framework": "tensorflow",
            "mode": "distributed",
            "world_size": 2,
            "scaling_efficiency": 0.2,
        },
    ]
    made = se.estimate(CHILD, trials)
    assert made["estimate"] is True and made["status"] == "ok"
    assert {"rows", "validation", "formula", "inputs"} <= set(made)
    assert set(made["rows"][0]) >= {
        "nodes",
        "gpus_per_node",
        "bandwidth_gbps",
        "predicted_efficiency",
    }
    inputs = made["inputs"]
    assert inputs["alpha_s"] == pytest.approx(100e-6)
    assert inputs["beta_bytes_per_s"] == pytest.approx(1e9)
    assert inputs["gradient_bytes"] == GRAD and inputs["compute_s"] == 0.012
    assert inputs["measured_sizes"] == [GRAD, 1_048_576, 16_777_216]
    (check,) = made["validation"]
    # CPU ranks share the cores: 2 · 0.012 / (0.020 + t_ar) with ideal speed-up 1
    t_ar = se.ring_seconds(2, GRAD, 100e-6, 1e9)
    assert check["predicted_efficiency"] == pytest.approx(2 * 0.012 / (0.020 + t_ar), abs=1e-4)
    assert check["measured_efficiency"] == 1.1  # the torch trial, not the TensorFlow one
    assert check["within_25pct"] is True


def test_validation_says_when_nothing_to_compare() -> None:
    (check,) = se.estimate(CHILD, [])["validation"]
    assert check["measured_efficiency"] is None and check["within_25pct"] is None
    assert "no measured 2-rank distributed trial" in check["note"]


def test_within_tolerance() -> None:
    assert se.within(1.01, 0.8) is False  # 25 % of 0.8 is 0.2; 0.21 away is outside
    assert se.within(0.99, 0.8) is True
    assert se.within(None, 0.8) is None
    assert math.isclose(se.TOLERANCE, 0.25)


def test_gpu_validation_uses_ranks_as_ideal() -> None:
    child = {**CHILD, "device": "cuda", "compute_s": {"1": 0.004, "2": 0.004}}
    (check,) = se.estimate(child, [])["validation"]
    t_ar = se.ring_seconds(2, GRAD, 100e-6, 1e9)
    assert check["predicted_efficiency"] == pytest.approx(0.004 / (0.004 + t_ar), abs=1e-4)


def test_busy_machine_marks_the_check_unfair() -> None:
    from chooser.report.beyond import scaling

    trial = {
        "framework": "torch",
        "mode": "distributed",
        "world_size": 2,
        "scaling_efficiency": 0.9,
    }
    made = se.estimate(CHILD, [trial], busy_warning="machine busy: others used 1.2 of 2 cores")
    (check,) = made["validation"]
    assert check["comparable"] is False
    assert check["comparable_reason"] == "machine busy: others used 1.2 of 2 cores"
    row = scaling(made)[1].rows[0]
    assert row[3] == "no (not a fair check: the machine was busy)"
    quiet = se.estimate(CHILD, [{**trial, "comparable": True}])["validation"][0]
    assert quiet["comparable"] is True and quiet["comparable_reason"] is None
