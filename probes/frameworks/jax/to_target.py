"""The JAX time-to-accuracy loop (``probes.frameworks.jax.trial --kind time_to_accuracy``).

Set up as in ``trial.py`` (one process, or one process of a ``jax.distributed`` run);
every ``eval_every`` steps process 0 measures validation accuracy with a jitted
prediction on its own replica (the time is left out of training time), and the
processes all-gather the stop flag, so every process stops on the same step.
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from probes.trials import common, to_target

EVAL_BATCH = 1000


def main(args: argparse.Namespace, ctx: dict[str, Any]) -> dict | None:
    """``ctx``: what trial.main set up (jax, mesh shardings, rank, world, device, cpus)."""
    jax, rank, world, device = ctx["jax"], ctx["rank"], ctx["world"], ctx["device"]
    import jax.numpy as jnp
    import optax
    from flax import nnx
    from jax.experimental import multihost_utils

    from probes.frameworks.jax import trial
    from probes.frameworks.jax.net import Net, canonical_params, nll_loss
    from probes.mnist import normalize

    replicated, sharded = ctx["replicated"], ctx["sharded"]
    reporter = common.ProgressReporter(0, enabled=rank == 0)
    reporter.phase("startup", message=f"loading data on {device.platform}")
    data, val_images, val_labels, split, per_epoch, max_steps = to_target.set_up(
        args, world, reporter
    )
    train_x = normalize(data.train_images)[..., None]
    train_y = data.train_labels.astype(np.int32)

    model = Net(nnx.Rngs(params=args.seed, dropout=args.seed + 1))
    optimizer = nnx.Optimizer(model, trial.make_optimizer(optax, args), wrt=nnx.Param)
    graphdef, state = nnx.split((model, optimizer))
    state = jax.tree.map(lambda a: trial.replicate(jax, a, replicated), state)

    def train_step(state, x, y):
        model, optimizer = nnx.merge(graphdef, state)
        loss, grads = nnx.value_and_grad(lambda m: nll_loss(m(x), y))(model)
        optimizer.update(model, grads)
        return loss, nnx.state((model, optimizer))

    def predict_fn(local_state, images):
        model, _ = nnx.merge(graphdef, local_state)
        model.set_attributes(deterministic=True)  # dropout off
        return jnp.argmax(model(images), axis=1)

    step_fn = jax.jit(train_step, donate_argnums=0, out_shardings=(replicated, replicated))
    predict = jax.jit(predict_fn)

    def accuracy_of(images: np.ndarray, labels: np.ndarray) -> float:
        local = jax.tree.map(lambda a: a.addressable_data(0), state)  # this process's replica
        correct = 0
        for start in range(0, len(labels), EVAL_BATCH):
            with jax.default_device(device):
                pred = np.asarray(predict(local, images[start : start + EVAL_BATCH]))
            correct += int((pred == labels[start : start + EVAL_BATCH]).sum())
        return correct / max(1, len(labels))

    val_x = normalize(val_images)[..., None]

    def agree(stop: bool) -> bool:
        if world == 1:
            return stop
        return bool(multihost_utils.process_allgather(np.array([int(stop)], np.int32)).any())

    tracker = to_target.TargetTracker(
        to_target.target_for(args, data.source_kind),
        to_target.eval_every_for(args, per_epoch),
        args.max_train_s,
        per_epoch,
        agree=agree,
        samples_per_step=args.batch_size * world,
    )
    first_step_s = loss = None
    step = 0
    tracker.start()
    for step, (_epoch, idx) in enumerate(
        common.batch_plan(len(train_y), args.batch_size, max_steps, args.seed, rank, world), 1
    ):
        x = jax.make_array_from_process_local_data(sharded, train_x[idx])
        y = jax.make_array_from_process_local_data(sharded, train_y[idx])
        loss, state = step_fn(state, x, y)
        loss.block_until_ready()
        if first_step_s is None:
            first_step_s = common.seconds_since_process_start()
        reporter.train(step, loss.item)
        if tracker.due(step, last=step == max_steps):
            evaluate = (lambda: accuracy_of(val_x, val_labels)) if rank == 0 else lambda: None
            if tracker.check(step, evaluate):
                break
    train_time = tracker.train_seconds()

    local_state = jax.tree.map(lambda a: a.addressable_data(0), state)
    mine = common.param_checksum(canonical_params(nnx.merge(graphdef, local_state)[0]))
    rss = common.peak_rss_bytes()
    if world > 1:
        digests = multihost_utils.process_allgather(trial.checksum_bytes(mine))
        sums = multihost_utils.process_allgather(np.array([mine["sum"]], np.float64))
        rss_all = multihost_utils.process_allgather(np.array([rss], np.int64))
        checksums = [{"sha256": bytes(d).hex(), "sum": float(s[0])} for d, s in zip(digests, sums)]
        rss_per_rank = [int(r[0]) for r in rss_all]
    else:
        checksums, rss_per_rank = [mine], [rss]
    accuracy = None
    if rank == 0:
        reporter.phase("eval", step=step, of=max_steps, message="test images")
        accuracy = accuracy_of(normalize(data.test_images)[..., None], data.test_labels)
    if world > 1:
        multihost_utils.sync_global_devices("chooser-trial-done")
    if rank != 0:
        return None
    result = common.base_result(
        args,
        framework="jax",
        versions=trial.versions(),
        data=data,
        world_size=world,
        device="cuda" if device.platform == "gpu" else device.platform,
        steps=step,
    )
    result.update(
        {
            "device_name": getattr(device, "device_kind", device.platform),
            "backend": ctx["backend"],
            "threads_per_rank": len(ctx["cpus"]),
            "threads_asked": args.threads or None,
            "cpus_pinned": ctx["cpus"],
            "peak_gpu_memory_bytes": trial.peak_device_memory(device),
            **common.measured_fields(
                speed=tracker.speed(),
                accuracy=accuracy,
                final_loss=float(loss) if loss is not None else None,
                first_step_s=first_step_s,
                train_time=train_time,
                rss_per_rank=rss_per_rank,
                checksums=checksums,
                tensorboard_dir=None,
            ),
            **tracker.fields(validation_samples=len(val_labels), split=split, max_steps=max_steps),
        }
    )
    return result
