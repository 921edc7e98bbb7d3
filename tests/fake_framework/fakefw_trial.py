"""The fake framework's trial (a test fixture): softmax regression on the real MNIST
images in numpy, with the shared flags, data order and measurements of probes/trials, and
the one result type (probes/result.py). Run as ``python -m fakefw_trial --steps N``."""

from __future__ import annotations

import shlex
import sys

import numpy as np

from probes.mnist import normalize
from probes.protocol import run_main
from probes.result import TrialResult
from probes.trials import common


def main() -> TrialResult:
    args = common.build_parser("fakefw_trial", "softmax regression in numpy").parse_args()
    common.positive(args)
    data = common.prepare_data(args)
    x_train = normalize(data.train_images).reshape(len(data.train_images), -1)
    x_test = normalize(data.test_images).reshape(len(data.test_images), -1)
    steps = common.budget_steps(args, len(x_train))
    weights = np.zeros((784, 10), np.float32)
    meter = common.ThroughputMeter(args.warmup_steps, args.window_steps)
    reporter = common.ProgressReporter(steps)
    meter.start()
    loss, first_step_s = 0.0, None
    for step, (_, idx) in enumerate(
        common.batch_plan(len(x_train), args.batch_size, steps, args.seed), start=1
    ):
        logits = x_train[idx] @ weights
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        labels = data.train_labels[idx]
        loss = float(-np.log(probs[np.arange(len(idx)), labels] + 1e-9).mean())
        probs[np.arange(len(idx)), labels] -= 1
        weights -= args.lr * 100 * (x_train[idx].T @ probs) / len(idx)
        meter.step(len(idx))
        if first_step_s is None:
            first_step_s = common.seconds_since_process_start()
        reporter.train(step, lambda value=loss: value)
    accuracy = float(((x_test @ weights).argmax(axis=1) == data.test_labels).mean())
    result = common.base_result(
        args,
        framework="fakefw",
        versions={"numpy": np.__version__},
        data=data,
        world_size=1,
        device="cpu",
        steps=steps,
    )
    result.update(
        common.measured_fields(
            speed=meter.summary(),
            accuracy=accuracy,
            final_loss=loss,
            first_step_s=first_step_s,
            train_time=meter.times[-1] - meter.times[0],
            rss_per_rank=[common.peak_rss_bytes()],
            checksums=[common.param_checksum([weights])],
            tensorboard_dir=None,
        )
    )
    # the FLOP figures in common are the ConvNet's: not this model's, so not reported
    result.update(gflops_per_second=None, flops_per_sample={})
    result["command"] = shlex.join([sys.executable, "-m", "fakefw_trial", *sys.argv[1:]])
    return result


if __name__ == "__main__":
    run_main(main)
