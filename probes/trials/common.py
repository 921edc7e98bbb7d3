"""What the torch and TensorFlow trials share: flags, data order, measurements, result fields.

API (no framework imported here)::

    build_parser(prog, description) -> argparse.ArgumentParser   the shared flags
    budget_steps(args, train_samples, world_size) -> int          --steps or --epochs -> steps
    batch_plan(n, batch, steps, seed, rank=0, world=1)            yields (epoch, index array)
    prepare_data(args) -> MnistData                               load + optional label shuffle
    threads_for(args, world_size) -> int                          cores ÷ ranks unless --threads
    ThroughputMeter(warmup_steps, window_steps, sync=None)        .start(); .step(samples);
                                                                  .last_window(); .summary()
    TRAIN_FLOPS_PER_SAMPLE, FORWARD_FLOPS_PER_SAMPLE              analytic, see net_flops()
    gflops_per_second(samples_per_second) -> float
    peak_rss_bytes() -> int                                       this process, getrusage
    param_checksum(arrays) -> {"sha256", "sum", "count"}          canonical OIHW/(out,in) order
    keras_to_canonical(array) -> np.ndarray                       HWIO -> OIHW, (in,out) -> (out,in)
    seconds_since_process_start() -> float                        for time_to_first_step_s
    T0_ENV = "CHOOSER_TRIAL_T0"                                    launcher start, set for workers
    machine_load() -> dict                                        loadavg + cores, for the record
    base_result(args, ...) -> TrialResult                         the common result fields
                                                                  (probes/result.py: every field)
    ProgressReporter(total_steps, enabled)                        throttled progress events
    TB_LOSS, TB_ACCURACY, TB_SPEED                                TensorBoard tags both write
(the measurement helpers live in ``measure.py`` and are re-exported here.)

Conventions both frameworks follow, so their numbers compare:
- ``--batch-size`` is per replica (the torch DDP convention); the global batch is
  batch_size × world_size and ``samples_per_second`` counts global samples.
- Data order: each epoch is a numpy permutation seeded with ``seed + epoch``; rank r of w
  takes ``perm[r::w]`` cut to the same length on every rank; the last partial batch is
  dropped (static shapes for ``tf.function``, equal step counts on every rank).
- Default budget when neither ``--steps`` nor ``--epochs`` is given: one epoch.
- Checksums compare within one framework: the two frameworks start from different
  random weights, so only replicas of the same run can (and must) match exactly.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable, Iterator

import numpy as np

from probes.result import TrialResult
from probes.trials import to_target
from probes.trials.measure import (  # noqa: F401  (re-exported: the API listed above)
    FORWARD_FLOPS_PER_SAMPLE,
    T0_ENV,
    TRAIN_FLOPS_PER_SAMPLE,
    ThroughputMeter,
    available_cores,
    gflops_per_second,
    keras_to_canonical,
    machine_load,
    net_flops,
    param_checksum,
    peak_rss_bytes,
    seconds_since_process_start,
)

TB_LOSS, TB_ACCURACY, TB_SPEED = "train/loss", "test/accuracy", "train/samples_per_second"


# --------------------------------------------------------------------------- flags
def build_parser(prog: str, description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("--mode", choices=("single", "distributed"), default="single")
    p.add_argument("--workers", type=int, default=1, help="ranks / workers (distributed)")
    budget = p.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=int, default=None, help="optimizer steps")
    budget.add_argument("--epochs", type=int, default=None, help="passes over the train split")
    p.add_argument("--batch-size", type=int, default=64, help="per replica")
    p.add_argument("--optimizer", choices=("adam", "sgd"), default="adam")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--momentum", type=float, default=0.9, help="SGD only")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=None, help="MNIST dir (IDX .gz/raw) or mnist.npz")
    p.add_argument("--download", action="store_true", help="download official MNIST if absent")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--tensorboard", default=None, metavar="DIR", help="write event files here")
    p.add_argument("--threads", type=int, default=0, help="0: cores ÷ ranks")
    p.add_argument("--warmup-steps", type=int, default=5, help="steps left out of throughput")
    p.add_argument("--window-steps", type=int, default=10, help="steps per throughput window")
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="split the steps into N rounds, each with its own warm-up (rounds.py)",
    )
    p.add_argument(
        "--wait-between-rounds",
        action="store_true",
        help="after each round wait for a line on stdin (the parent interleaves)",
    )
    p.add_argument("--max-eval", type=int, default=0, help="cap on test images (0: all)")
    p.add_argument(
        "--variant",
        choices=("tuned", "beginner", "compiled"),
        default="tuned",
        help="how the training code is written (beginner: its own module; docs/trials.md)",
    )
    p.add_argument(
        "--shuffle-labels",
        action="store_true",
        help="shuffle train labels (honesty check: accuracy must fall to chance)",
    )
    to_target.add_flags(p)  # --kind time_to_accuracy and its flags (to_target.py)
    return p


def positive(args: argparse.Namespace) -> None:
    """Reject values no trial can run with (argparse cannot express these)."""
    for name in ("workers", "batch_size", "steps", "epochs", "rounds"):
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be at least 1, got {value}")
    if args.lr <= 0:
        raise ValueError(f"--lr must be positive, got {args.lr}")
    to_target.check_flags(args)


# --------------------------------------------------------------------------- data order
def steps_per_epoch(train_samples: int, batch_size: int, world_size: int = 1) -> int:
    per_rank = train_samples // world_size
    if per_rank < batch_size:
        raise ValueError(
            f"each of {world_size} replica(s) gets {per_rank} train images, fewer "
            f"than one batch of {batch_size}"
        )
    return per_rank // batch_size


def budget_steps(args: argparse.Namespace, train_samples: int, world_size: int = 1) -> int:
    per_epoch = steps_per_epoch(train_samples, args.batch_size, world_size)
    if args.steps is not None:
        return args.steps
    return per_epoch * (args.epochs or 1)


def batch_plan(
    n: int, batch: int, steps: int, seed: int, rank: int = 0, world: int = 1
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``steps`` (epoch, indices) batches for this rank: the DistributedSampler
    policy (same permutation on every rank, strided shard, equal lengths), drop_last."""
    per_rank = n // world
    epoch, done = 0, 0
    while done < steps:
        perm = np.random.default_rng(seed + epoch).permutation(n)
        shard = perm[rank::world][:per_rank]
        for start in range(0, per_rank - batch + 1, batch):
            if done == steps:
                return
            yield epoch, shard[start : start + batch]
            done += 1
        epoch += 1


def prepare_data(args: argparse.Namespace):
    from probes.mnist import load_mnist

    data = load_mnist(args.data, download=args.download, seed=args.seed)
    if args.shuffle_labels:
        data.train_labels = np.random.default_rng(args.seed + 1).permutation(data.train_labels)
        data.source += "; TRAIN LABELS SHUFFLED (honesty check)"
    if args.max_eval:
        data.test_images = data.test_images[: args.max_eval]
        data.test_labels = data.test_labels[: args.max_eval]
    return data


def threads_for(args: argparse.Namespace, world_size: int = 1) -> int:
    return args.threads or max(1, available_cores() // world_size)


def base_result(
    args: argparse.Namespace,
    *,
    framework: str,
    versions: dict,
    data,
    world_size: int,
    device: str,
    steps: int,
) -> TrialResult:
    """The fields every trial result has, filled from the flags and the data."""
    import platform

    return {
        "framework": framework,
        "mode": "distributed" if world_size > 1 or args.mode == "distributed" else "single",
        "world_size": world_size,
        "device": device,
        "data_source": data.source,
        "data_kind": data.source_kind,
        "train_samples": int(len(data.train_labels)),
        "test_samples": int(len(data.test_labels)),
        "labels_shuffled": bool(args.shuffle_labels),
        "steps": steps,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "global_batch_size": args.batch_size * world_size,
        "optimizer": args.optimizer,
        "lr": args.lr,
        "momentum": args.momentum if args.optimizer == "sgd" else None,
        "seed": args.seed,
        "versions": {**versions, "python": platform.python_version(), "numpy": np.__version__},
        "flops_per_sample": {"forward": FORWARD_FLOPS_PER_SAMPLE, "train": TRAIN_FLOPS_PER_SAMPLE},
        "load_at_start": machine_load(),
    }


def measured_fields(
    *,
    speed: dict,
    accuracy: float,
    final_loss: float | None,
    first_step_s: float | None,
    train_time: float,
    rss_per_rank: list[int],
    checksums: list[dict],
    tensorboard_dir: str | None,
) -> TrialResult:
    """The measured fields of a result, the same keys in both frameworks (docs/trials.md).
    ``checksums`` holds each rank's param_checksum, in rank order."""
    hashes = [c["sha256"] for c in checksums]
    return {
        "samples_per_second": speed,
        "gflops_per_second": gflops_per_second(speed["median"]),
        "test_accuracy": accuracy,
        "final_loss": final_loss,
        "time_to_first_step_s": first_step_s,
        "train_time_s": train_time,
        "wall_time_s": seconds_since_process_start(),
        "peak_rss_bytes": max(rss_per_rank),
        "peak_rss_bytes_per_rank": rss_per_rank,
        "param_checksums": hashes,
        "param_sums": [c["sum"] for c in checksums],
        "checksums_equal": len(set(hashes)) == 1,
        "tensorboard_dir": tensorboard_dir,
        "finished_at": time.time(),
    }


class ProgressReporter:
    """Progress events at most every ``every_s`` seconds (plus the first and last step),
    so a fast trial does not flood the pipe; disabled on ranks other than 0."""

    def __init__(self, total_steps: int, enabled: bool = True, every_s: float = 0.2) -> None:
        self.total, self.enabled, self.every_s = total_steps, enabled, every_s
        self.last = -math.inf

    def train(
        self, step: int, loss_fn: Callable[[], float], samples_per_second=None, **extra
    ) -> None:
        now = time.monotonic()
        if not self.enabled:
            return
        if step not in (1, self.total) and now - self.last < self.every_s:
            return
        self.last = now
        from probes.protocol import progress

        progress(
            phase="train",
            step=step,
            of=self.total,
            loss=round(float(loss_fn()), 5),
            samples_per_second=samples_per_second,
            **extra,
        )

    def phase(self, phase: str, **extra) -> None:
        if self.enabled:
            from probes.protocol import progress

            progress(
                phase=phase, step=extra.pop("step", 0), of=extra.pop("of", self.total), **extra
            )
