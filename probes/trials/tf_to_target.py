"""The TensorFlow time-to-accuracy loop (``tensorflow_trial --kind time_to_accuracy``).

One process, or one MultiWorkerMirrored worker, set up as in ``tensorflow_trial``. Each
call of the training function runs the ``eval_every`` steps up to the next evaluation
(``tf_training.make_train_steps``); then the chief measures validation accuracy (the
time is left out of training time) and the workers all-gather the stop flags (any set: stop),
so every worker stops on the same step: one leaving early would leave its peers
waiting in the next collective.
"""

from __future__ import annotations

import argparse
import contextlib

from probes.trials import common, to_target


def make_agree(tf, strategy):
    """``agree(stop) -> stop`` over every replica (identity without a strategy)."""
    if strategy is None:
        return lambda stop: stop

    def replica_fn(flag):
        ctx = tf.distribute.get_replica_context()
        return tf.reduce_sum(ctx.all_gather(flag[None], axis=0))  # all_gather, as gather_replicas

    reduce = tf.function(lambda flag: strategy.run(replica_fn, args=(flag,)))

    def agree(stop: bool) -> bool:
        total = reduce(tf.constant(1.0 if stop else 0.0))
        return float(strategy.experimental_local_results(total)[0].numpy()) > 0

    return agree


def describe(tf, tft, strategy, gpus: list, args: argparse.Namespace) -> dict:
    """The set-up fields tensorflow_trial reports, for this kind too."""
    import os

    from probes.trials.tensorflow_trial import command_line

    in_cluster = bool(os.environ.get("TF_CONFIG"))
    return {
        "device_name": ", ".join(g.name for g in gpus) if gpus else "cpu",
        "backend": (
            "MultiWorkerMirroredStrategy (RING over gRPC)"
            if in_cluster
            else "MirroredStrategy"
            if strategy
            else None
        ),
        "threads_per_rank": tf.config.threading.get_intra_op_parallelism_threads(),
        "threads_asked": args.threads or None,
        "peak_gpu_memory_bytes": tft.gpu_peak_bytes(gpus),
        "command": command_line(),
    }


def main(args: argparse.Namespace, *, strategy, gpus: list, chief: bool) -> dict | None:
    import keras
    import tensorflow as tf

    from probes.mnist import normalize
    from probes.trials import tf_training as tft
    from probes.trials.net_tensorflow import build_loss, build_net

    world = strategy.num_replicas_in_sync if strategy else 1
    reporter = common.ProgressReporter(0, enabled=chief)
    reporter.phase("startup", message=f"loading data on {'cuda' if gpus else 'cpu'}")
    data, val_images, val_labels, split, per_epoch, max_steps = to_target.set_up(
        args, world, reporter
    )
    keras.utils.set_random_seed(args.seed)  # the same weights on every worker
    with strategy.scope() if strategy else contextlib.nullcontext():
        model = build_net()
        optimizer = tft.make_optimizer(args.optimizer, args.lr, args.momentum)
        optimizer.build(model.trainable_variables)
    train_steps = tft.make_train_steps(
        strategy, model, optimizer, build_loss(), args.batch_size * world
    )
    batches = tft.make_input(
        strategy,
        normalize(data.train_images),
        data.train_labels,
        batch=args.batch_size,
        steps=max_steps,
        seed=args.seed,
    )
    val_x = normalize(val_images)

    def validation_accuracy() -> float | None:
        return tft.evaluate(model, val_x, val_labels) if chief else None

    tracker = to_target.TargetTracker(
        to_target.target_for(args, data.source_kind),
        to_target.eval_every_for(args, per_epoch),
        args.max_train_s,
        per_epoch,
        agree=make_agree(tf, strategy),
        samples_per_step=args.batch_size * world,
    )
    first_step_s = loss = None
    step = 0
    tracker.start()
    while step < max_steps:
        chunk = min(tracker.eval_every - step % tracker.eval_every, max_steps - step)
        loss = train_steps(batches, tf.constant(chunk))
        loss.numpy()  # the steps have run (a GPU is asynchronous) before the clock is read
        step += chunk
        if first_step_s is None:
            first_step_s = common.seconds_since_process_start()
        reporter.train(step, loss.numpy)
        if tracker.due(step, last=step == max_steps):
            if tracker.check(step, validation_accuracy):
                break
    train_time = tracker.train_seconds()

    weights, rss = tft.gather_replicas(strategy, model, common.peak_rss_bytes())
    if not chief:
        return None
    reporter.phase("eval", step=step, of=max_steps, message=f"{len(data.test_labels)} test images")
    accuracy = tft.evaluate(model, normalize(data.test_images), data.test_labels)
    rss[0] = common.peak_rss_bytes()
    result = common.base_result(
        args,
        framework="tensorflow",
        world_size=world,
        device="cuda" if gpus else "cpu",
        steps=step,
        data=data,
        versions={"tensorflow": tf.__version__, "keras": keras.__version__},
    )
    result.update(
        {
            **describe(tf, tft, strategy, gpus, args),
            **common.measured_fields(
                speed=tracker.speed(),
                accuracy=accuracy,
                final_loss=float(loss.numpy()) if loss is not None else None,
                first_step_s=first_step_s,
                train_time=train_time,
                rss_per_rank=rss,
                checksums=tft.checksums(weights),
                tensorboard_dir=None,
            ),
            **tracker.fields(validation_samples=len(val_labels), split=split, max_steps=max_steps),
        }
    )
    return result
