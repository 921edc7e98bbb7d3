"""Results with every issue-13 field (the contract in docs/trials.md), for the views and
reports: built here because the children that write some of them land separately."""

from __future__ import annotations

from typing import Any

from chooser.measure import scaling_estimate as se

GRAD = 87_360


def throughput(framework: str, variant: str, median: float, **more: Any) -> dict[str, Any]:
    suffix = "" if variant == "tuned" else f"+{variant}"
    return {
        "id": f"throughput/{framework}/single{suffix}",
        "kind": "throughput",
        "variant": variant,
        "status": "ok",
        "framework": framework,
        "mode": "single",
        "world_size": 1,
        "samples_per_second": {"median": median, "ci95": [median * 0.95, median * 1.04]},
        "energy_joules": None,
        "energy_joules_per_1000_samples": None,
        "energy_note": "not available on this machine: no /sys/class/powercap/intel-rapl:0 "
        "(RAPL); no NVIDIA GPU or driver",
        **more,
    }


def to_target(framework: str, reached: bool) -> dict[str, Any]:
    return {
        "id": f"time_to_accuracy/{framework}/single",
        "kind": "time_to_accuracy",
        "variant": "tuned",
        "status": "ok",
        "framework": framework,
        "mode": "single",
        "world_size": 1,
        "target_accuracy": 0.95,
        "reached_target": reached,
        "time_to_target_s": 12.34 if reached else None,
        "steps_to_target": 375 if reached else None,
        "epochs_to_target": 6.0 if reached else None,
        "eval_every_steps": 25,
        "eval_time_excluded_s": 1.52,
        "train_time_s": 60.0,
        "test_accuracy": 0.9612 if reached else 0.9023,
        "energy_joules": 812.4,
        "energy_joules_per_1000_samples": 33.85,
        "energy_note": "RAPL package-0 read before and after the timed training",
    }


TRIALS = [
    throughput("torch", "tuned", 12_913.0),
    throughput("torch", "beginner", 4_210.0),
    throughput(
        "torch",
        "compiled",
        0.0,
        status="error",
        message="torch.compile needs a C compiler (cc not found)",
    ),
    throughput("tensorflow", "tuned", 8_100.0),
    throughput("tensorflow", "beginner", 6_075.0),
    to_target("torch", True),
    to_target("tensorflow", False),
    {
        "id": "throughput/torch/distributed",
        "kind": "throughput",
        "status": "ok",
        "framework": "torch",
        "mode": "distributed",
        "world_size": 2,
        "scaling_efficiency": 0.9,
    },
]

OUT_OF_BOX = {
    "torch": {
        "share": 0.326,
        "ci95": [0.30, 0.35],
        "beginner_id": "throughput/torch/single+beginner",
        "best_id": "throughput/torch/single",
        "comparable": True,
        "reason": None,
    },
    "tensorflow": {
        "share": 0.75,
        "ci95": None,
        "beginner_id": "throughput/tensorflow/single+beginner",
        "best_id": "throughput/tensorflow/single",
        "comparable": False,
        "reason": "machine busy during the beginner run",
    },
}

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

SCALING = se.estimate(CHILD, TRIALS)
