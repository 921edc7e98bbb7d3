"""TensorFlow as a beginner writes it: ``python -m probes.trials.beginner_tensorflow [flags]``.

The seed article's style, next to the tuned ``tensorflow_trial`` (docs/trials.md,
"Variants"): the Keras ``Sequential`` model, ``model.compile`` and ``model.fit`` on the
normalised numpy arrays with ``batch_size=64`` and Keras' defaults (shuffled each epoch,
one step per call, the last partial batch kept), TensorFlow's default threads, then
``model.evaluate``. The network is the same ``Net``; the data the same images
(probes/mnist.py). A callback times each batch in the same windows after the same warm-up
as the tuned trial, so the figure compares with it. Single process only (Keras 3 ``fit``
works in one process; under MultiWorkerMirrored it fails).
"""

from __future__ import annotations

import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow loads

from probes.energy import EnergyMeter  # noqa: E402
from probes.protocol import run_main  # noqa: E402
from probes.trials import common  # noqa: E402


def build_model(optimizer: str = "adam", learning_rate: float = 1e-3, momentum: float = 0.9):
    import keras

    from probes.trials.net_tensorflow import build_net

    model = build_net()
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum)
        if optimizer == "sgd"
        else keras.optimizers.Adam(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def make_timer(meter, reporter, steps: int, batch_size: int, train_samples: int):
    """A Keras callback that feeds the throughput meter after every batch and stops
    training after ``steps`` batches (Keras checks ``stop_training`` after each batch)."""
    import keras

    per_epoch = math.ceil(train_samples / batch_size)

    class BatchTimer(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.done, self.samples, self.first_step_s, self.loss = 0, 0, None, None

        def on_train_begin(self, logs=None) -> None:
            meter.start()

        def on_train_batch_end(self, batch, logs=None) -> None:
            size = min(batch_size, train_samples - (batch % per_epoch) * batch_size)
            meter.step(size)
            self.done += 1
            self.samples += size
            self.loss = (logs or {}).get("loss")
            if self.first_step_s is None:
                self.first_step_s = common.seconds_since_process_start()
            loss = self.loss
            reporter.train(self.done, lambda: float(loss or 0.0), meter.last_window())
            if self.done >= steps:
                self.model.stop_training = True

    return BatchTimer(), math.ceil(steps / per_epoch)


def train(model, images, labels, batch_size: int, epochs: int, timer) -> None:
    model.fit(images, labels, batch_size=batch_size, epochs=epochs, callbacks=[timer], verbose=0)


def main() -> dict:
    args = common.build_parser("beginner_tensorflow", __doc__.splitlines()[0]).parse_args()
    common.positive(args)
    if args.mode != "single" or args.rounds != 1 or args.wait_between_rounds:
        raise ValueError("the beginner variant runs single-process, in one round")
    import keras
    import tensorflow as tf

    from probes.mnist import normalize

    if args.threads:  # the suite's thread budget; alone, TensorFlow's default is kept
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    if args.device == "cpu":
        tf.config.set_visible_devices([], "GPU")
    reporter = common.ProgressReporter(0)
    reporter.phase("startup", message="loading data (beginner: Sequential + fit)")
    data = common.prepare_data(args)
    steps = common.budget_steps(args, len(data.train_labels))
    reporter.total = steps
    keras.utils.set_random_seed(args.seed)
    x_train, y_train = normalize(data.train_images)[..., None], data.train_labels
    x_test, y_test = normalize(data.test_images)[..., None], data.test_labels

    model = build_model(args.optimizer, args.lr, args.momentum)
    meter = common.ThroughputMeter(args.warmup_steps, args.window_steps)
    timer, epochs = make_timer(meter, reporter, steps, args.batch_size, len(y_train))
    energy = EnergyMeter()
    train(model, x_train, y_train, args.batch_size, epochs, timer)
    train_time = meter.elapsed()
    energy.stop()
    reporter.phase("eval", step=steps, of=steps, message=f"{len(y_test)} held-out images")
    _, accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)

    gpus = tf.config.list_logical_devices("GPU")
    result = common.base_result(
        args,
        framework="tensorflow",
        versions={"tensorflow": tf.__version__, "keras": keras.__version__},
        data=data,
        world_size=1,
        device="cuda" if gpus else "cpu",
        steps=timer.done,
    )
    weights = [common.keras_to_canonical(w.numpy()) for w in model.trainable_variables]
    result.update(
        {
            "variant": "beginner",
            "device_name": ", ".join(g.name for g in gpus) if gpus else "cpu",
            "backend": None,
            "threads_per_rank": tf.config.threading.get_intra_op_parallelism_threads() or None,
            "threads_asked": args.threads or None,
            **common.measured_fields(
                speed=meter.summary(),
                accuracy=float(accuracy),
                final_loss=float(timer.loss) if timer.loss is not None else None,
                first_step_s=timer.first_step_s,
                train_time=train_time,
                rss_per_rank=[common.peak_rss_bytes()],
                checksums=[common.param_checksum(weights)],
                tensorboard_dir=None,
            ),
            **energy.fields(timer.samples),
        }
    )
    return result


if __name__ == "__main__":
    run_main(main)
