"""The TensorFlow MNIST trial: ``python -m probes.trials.tensorflow_trial [flags from common.py]``.

Single process on CPU or one GPU; one MultiWorkerMirrored worker when ``TF_CONFIG`` is
set (``probes.trials.tf_launch`` on one machine, a per-node ``TF_CONFIG`` on a cluster);
MirroredStrategy over the local GPUs with ``--mode distributed`` and several GPUs.
A ``tf.function`` training step (no XLA: jit_compile ran ~3x slower for this net on
this 2-core CPU, measured interleaved in one process; oneDNN as
TensorFlow ships it) fed by ``tf.data`` with prefetch over the preloaded, normalised
arrays; each call runs one throughput window of steps (see ``tf_training.chunk_plan``).
Batches follow ``common.batch_plan``, as in the torch trial. Only the chief reports.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import sys

# Before TensorFlow loads: its C++ logging goes to stderr; level 2 keeps only errors.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from probes.energy import EnergyMeter  # noqa: E402
from probes.protocol import die_with_parent, run_main  # noqa: E402
from probes.trials import common  # noqa: E402
from probes.trials.rounds import RoundPlan  # noqa: E402


def local_workers() -> tuple[int, int]:
    """(my index among, number of) the TF_CONFIG workers on this host, which share its
    cores and GPUs: all of them under tf_launch (127.0.0.1), one per node on a cluster."""
    config = json.loads(os.environ["TF_CONFIG"])
    task = config["task"]
    addresses = [
        (job, i, addr) for job, addrs in config["cluster"].items() for i, addr in enumerate(addrs)
    ]
    host = config["cluster"][task["type"]][int(task["index"])].rsplit(":", 1)[0]
    here = [(job, i) for job, i, addr in addresses if addr.rsplit(":", 1)[0] == host]
    return here.index((task["type"], int(task["index"]))), len(here)


def command_line() -> str:
    """The command that reproduces this process (tf_launch replaces it with its own)."""
    cmd = shlex.join([sys.executable, "-m", "probes.trials.tensorflow_trial", *sys.argv[1:]])
    if os.environ.get("TF_CONFIG"):
        cmd = f"TF_CONFIG={shlex.quote(os.environ['TF_CONFIG'])} {cmd}"
    return cmd


def open_tensorboard(tf, directory: str | None, run_name: str):
    return tf.summary.create_file_writer(os.path.join(directory, run_name)) if directory else None


def main() -> dict | None:
    args = common.build_parser("tensorflow_trial", __doc__.splitlines()[0]).parse_args()
    common.positive(args)
    in_cluster = bool(os.environ.get("TF_CONFIG"))
    if in_cluster:
        die_with_parent()  # a worker never outlives its launcher
    import keras
    import tensorflow as tf

    from probes.mnist import normalize
    from probes.trials import tf_training as tft
    from probes.trials.net_tensorflow import build_loss, build_net

    local_index, local_count = local_workers() if in_cluster else (0, 1)
    threads = common.threads_for(args, local_count)
    gpus = tft.configure_runtime(threads, args.device, local_index, local_count)
    strategy = tft.make_strategy(args.mode, gpus)  # joins the cluster under TF_CONFIG
    chief = tft.is_chief()
    if args.kind == "time_to_accuracy":  # its own loop: probes/trials/tf_to_target.py
        from probes.trials import tf_to_target

        return tf_to_target.main(args, strategy=strategy, gpus=gpus, chief=chief)
    world = strategy.num_replicas_in_sync if strategy else 1
    reporter = common.ProgressReporter(0, enabled=chief)
    device = "cuda" if gpus else "cpu"
    reporter.phase("startup", message=f"loading data on {device}")

    data = common.prepare_data(args)
    steps = common.budget_steps(args, len(data.train_labels), world)
    reporter.total = steps
    keras.utils.set_random_seed(
        args.seed
    )  # python, numpy and TF seeds: same weights on every worker
    with strategy.scope() if strategy else contextlib.nullcontext():
        model = build_net()
        optimizer = tft.make_optimizer(args.optimizer, args.lr, args.momentum)
        optimizer.build(model.trainable_variables)  # slots now, not inside a replica context
    jit = args.variant == "compiled"  # XLA
    train_steps = tft.make_train_steps(
        strategy, model, optimizer, build_loss(), args.batch_size * world, jit
    )
    batches = tft.make_input(
        strategy,
        normalize(data.train_images),
        data.train_labels,
        batch=args.batch_size,
        steps=steps,
        seed=args.seed,
    )
    writer = (
        open_tensorboard(
            tf, args.tensorboard, f"tensorflow_{'distributed' if strategy else 'single'}"
        )
        if chief
        else None
    )
    plan = RoundPlan(
        steps,
        1 if strategy else args.rounds,
        args.wait_between_rounds,
        args.warmup_steps,
        args.window_steps,
        report=chief,
    )

    first_step_s = loss = None
    step = 0
    plan.energy = energy = EnergyMeter()
    meter = plan.meter()
    for round_steps in plan.sizes:
        for chunk in tft.chunk_plan(round_steps, args.warmup_steps, args.window_steps):
            loss = train_steps(batches, tf.constant(chunk))
            if gpus:
                loss.numpy()  # wait for the device before taking the time
            for _ in range(chunk):  # the call ends at a window boundary: see chunk_plan
                meter.step(args.batch_size * world)
            step += chunk
            if first_step_s is None:
                first_step_s = common.seconds_since_process_start()  # imports + graphs
            speed = meter.last_window()
            reporter.train(step, loss.numpy, samples_per_second=speed)
            if writer is not None:
                with writer.as_default(step=step):
                    tf.summary.scalar(common.TB_LOSS, float(loss.numpy()))
                    if speed:
                        tf.summary.scalar(common.TB_SPEED, speed)
        meter = plan.close_round(meter)
    speed_summary = plan.summary(meter)
    train_time = plan.elapsed
    energy.stop()

    # Every worker takes part: each replica's own weights and RSS end up on the chief.
    weights, rss = tft.gather_replicas(strategy, model, common.peak_rss_bytes())
    if not chief:
        return None
    reporter.phase("eval", step=steps, of=steps, message=f"{len(data.test_labels)} held-out images")
    accuracy = tft.evaluate(model, normalize(data.test_images), data.test_labels)
    if writer is not None:
        with writer.as_default(step=steps):
            tf.summary.scalar(common.TB_ACCURACY, accuracy)
        writer.close()

    rss[0] = common.peak_rss_bytes()  # the chief's peak now includes evaluation
    result = common.base_result(
        args,
        framework="tensorflow",
        world_size=world,
        device=device,
        steps=steps,
        data=data,
        versions={"tensorflow": tf.__version__, "keras": keras.__version__},
    )
    result.update(
        {
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
            "variant": args.variant,
            **energy.fields(steps * args.batch_size * world),
            **common.measured_fields(
                speed=speed_summary,
                accuracy=accuracy,
                final_loss=float(loss.numpy()) if loss is not None else None,
                first_step_s=first_step_s,
                train_time=train_time,
                rss_per_rank=rss,
                checksums=tft.checksums(weights),
                tensorboard_dir=args.tensorboard,
            ),
        }
    )
    return result


if __name__ == "__main__":
    run_main(main)
