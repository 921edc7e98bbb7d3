"""TensorFlow pieces of the trial: runtime settings, the distribution strategy, the
input pipeline, the training step, evaluation and the per-replica parameter gather.

Import it only after ``TF_CPP_MIN_LOG_LEVEL`` is set (``tensorflow_trial`` does).
One code path serves three set-ups: no strategy (one CPU or GPU), MultiWorkerMirrored
(``TF_CONFIG``: one process per worker, RING all-reduce over gRPC) and Mirrored
(several local GPUs). Keras 3 ``model.fit`` fails under MultiWorkerMirrored, so the
loop is the custom ``strategy.run`` loop of the tf.distribute guide.
"""

from __future__ import annotations

import json
import os

import keras
import numpy as np
import tensorflow as tf

from probes.trials import common

SUM = tf.distribute.ReduceOp.SUM


class PortInUse(RuntimeError):
    """This worker's gRPC server could not bind its TF_CONFIG port (another process took
    it after the launcher chose it). ``tf_launch`` retries with fresh ports on this kind."""


def configure_runtime(
    threads: int, device: str, local_index: int = 0, local_count: int = 1
) -> list:
    """Thread pools and visible GPUs; must run before TensorFlow's runtime starts.
    Several workers on one host (tf_launch) take one GPU each, round-robin, as torch
    ranks do with LOCAL_RANK; a worker alone on its host uses all of them."""
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    gpus = tf.config.list_physical_devices("GPU")
    if device == "cpu":
        tf.config.set_visible_devices([], "GPU")
        return []
    if device == "cuda" and not gpus:
        raise RuntimeError(
            "--device cuda: TensorFlow sees no GPU (no CUDA build of "
            "TensorFlow, no driver, or CUDA_VISIBLE_DEVICES hides them)"
        )
    if gpus and local_count > 1:
        gpus = [gpus[local_index % len(gpus)]]
        tf.config.set_visible_devices(gpus, "GPU")
    for gpu in gpus:  # take GPU memory as needed rather than all of it up front
        tf.config.experimental.set_memory_growth(gpu, True)
    return gpus


def is_chief() -> bool:
    """The chief reports: job "chief" if the cluster has one, else worker 0."""
    raw = os.environ.get("TF_CONFIG")
    if not raw:
        return True
    config = json.loads(raw)
    task = config["task"]
    if "chief" in config.get("cluster", {}):
        return task["type"] == "chief"
    return task["type"] == "worker" and int(task["index"]) == 0


def make_strategy(mode: str, gpus: list) -> tf.distribute.Strategy | None:
    """MultiWorkerMirrored under TF_CONFIG, Mirrored over several GPUs in distributed
    mode, otherwise None (plain single-device training)."""
    if os.environ.get("TF_CONFIG"):
        implementation = tf.distribute.experimental.CommunicationImplementation.RING
        options = tf.distribute.experimental.CommunicationOptions(implementation=implementation)
        try:
            return tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
        except tf.errors.UnknownError as exc:
            if "Could not start gRPC server" in str(exc):
                raise PortInUse(f"gRPC server could not bind its TF_CONFIG port ({exc})") from exc
            raise
    if mode == "distributed":
        if len(gpus) > 1:
            return tf.distribute.MirroredStrategy()
        raise ValueError(
            "distributed TensorFlow needs TF_CONFIG (start it with `python -m "
            "probes.trials.tf_launch --workers N ...`) or several visible GPUs"
        )
    return None


def make_optimizer(name: str, lr: float, momentum: float) -> keras.optimizers.Optimizer:
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate=lr, momentum=momentum)
    return keras.optimizers.Adam(learning_rate=lr, epsilon=1e-8)  # torch's epsilon


# --------------------------------------------------------------------------- input
def index_batches(n: int, batch: int, steps: int, seed: int, rank: int, world: int) -> np.ndarray:
    """(steps, batch) image indices for one rank, in the order common.batch_plan fixes
    for both frameworks (a seeded permutation per epoch, strided shard, drop_last)."""
    plan = [idx for _, idx in common.batch_plan(n, batch, steps, seed, rank, world)]
    return np.stack(plan).astype(np.int32)


def batches_dataset(images: tf.Tensor, labels: tf.Tensor, order: np.ndarray) -> tf.data.Dataset:
    """tf.data over the preloaded arrays: one batched gather per step, prefetched so the
    next batch is ready while the current step runs."""
    ds = tf.data.Dataset.from_tensor_slices(order)
    ds = ds.map(lambda idx: (tf.gather(images, idx), tf.gather(labels, idx)))
    return ds.prefetch(tf.data.AUTOTUNE)


def preload(images: np.ndarray, labels: np.ndarray) -> tuple[tf.Tensor, tf.Tensor]:
    """Normalised float32 (N, 28, 28, 1) channels-last images and int32 labels, kept in
    host memory where tf.data runs."""
    with tf.device("/CPU:0"):
        return tf.constant(images[..., None]), tf.constant(labels.astype(np.int32))


def make_input(strategy, images, labels, *, batch: int, steps: int, seed: int):
    """An iterator of per-step batches. With a strategy each input pipeline (one per
    worker) yields, step after step, one batch per local replica: global rank r gets
    the rank-r shard of common.batch_plan, whatever the worker/GPU layout."""
    x, y = preload(images, labels)
    n = len(labels)
    if strategy is None:
        return iter(batches_dataset(x, y, index_batches(n, batch, steps, seed, 0, 1)))

    def dataset_fn(ctx: tf.distribute.InputContext) -> tf.data.Dataset:
        world = ctx.num_replicas_in_sync
        local = world // ctx.num_input_pipelines
        ranks = range(ctx.input_pipeline_id * local, (ctx.input_pipeline_id + 1) * local)
        per_rank = [index_batches(n, batch, steps, seed, r, world) for r in ranks]
        order = np.stack(per_rank, axis=1).reshape(-1, batch)  # step-major, then replica
        return batches_dataset(x, y, order)

    return iter(strategy.distribute_datasets_from_function(dataset_fn))


# --------------------------------------------------------------------------- steps
def chunk_plan(steps: int, warmup: int, window: int) -> list[int]:
    """How many steps each call of the training function runs: 1 (time to first step),
    then the rest of the warm-up, then one throughput window per call, so every call
    ends exactly where common.ThroughputMeter starts or ends a window."""
    plan, done = [], 0
    for size in [1, max(0, warmup)] + [max(1, window)] * steps:
        size = min(size, steps - done)
        if size > 0:
            plan.append(size)
            done += size
        if done == steps:
            return plan
    return plan


def make_train_steps(strategy, model, optimizer, loss_fn, global_batch: int, jit: bool = False):
    """A tf.function running ``n`` optimizer steps on the next ``n`` batches of
    ``iterator`` and returning the last step's mean loss over the global batch
    (all-reduced across replicas when distributed: once per call, not per step).
    Several steps per call and ``next`` inside the graph, as the tf.distribute guide
    does it: the per-call cost of a tf.function (~0.1-0.2 ms here, ~10 % of a step when
    paid every step) is then paid once per throughput window. ``jit``: compiled by XLA
    (``jit_compile=True``, the "compiled" variant)."""
    variables = model.trainable_variables

    def replica_step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            # Sum over the global batch, not a local mean: the optimizer SUM-all-reduces
            # the gradients, so the update is the mean gradient of the global batch.
            loss = tf.nn.compute_average_loss(loss_fn(y, logits), global_batch_size=global_batch)
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        return loss

    def one_step(iterator):
        if strategy is None:
            return replica_step(*next(iterator))
        return strategy.run(replica_step, args=next(iterator))

    if jit:  # the step, not the loop around it: reading the iterator is no XLA op
        replica_step = tf.function(replica_step, jit_compile=True)

    @tf.function
    def train_steps(iterator, n):
        for _ in tf.range(n - 1):
            one_step(iterator)
        loss = one_step(iterator)  # only the last loss is reported: one all-reduce per call
        return loss if strategy is None else strategy.reduce(SUM, loss, axis=None)

    return train_steps


def evaluate(model, images: np.ndarray, labels: np.ndarray, batch: int = 1000) -> float:
    """Accuracy on held-out images (dropout off), in this process only."""
    predict = tf.function(
        lambda x: tf.argmax(model(x, training=False), axis=-1), reduce_retracing=True
    )
    correct = 0
    for start in range(0, len(labels), batch):
        pred = predict(tf.constant(images[start : start + batch, ..., None])).numpy()
        correct += int(np.sum(pred == labels[start : start + batch]))
    return correct / max(1, len(labels))


# --------------------------------------------------------------------------- checksums
def gather_replicas(strategy, model, rss_bytes: int) -> tuple[list[list[np.ndarray]], list[int]]:
    """Every replica's own copy of the trainable weights and its process's peak RSS,
    all-gathered so the chief holds all of them: [replica][variable] arrays, [replica]."""
    variables = model.trainable_variables
    if strategy is None:
        return [[np.asarray(v.numpy()) for v in variables]], [rss_bytes]

    def replica_fn(rss):
        ctx = tf.distribute.get_replica_context()
        flat = tf.concat([tf.reshape(v.value, [-1]) for v in variables], axis=0)
        return ctx.all_gather(flat[None], axis=0), ctx.all_gather(rss[None], axis=0)

    gathered = tf.function(lambda rss: strategy.run(replica_fn, args=(rss,)))(
        tf.constant(rss_bytes, tf.int64)
    )
    flat, rss = (strategy.experimental_local_results(t)[0].numpy() for t in gathered)
    sizes = [int(np.prod(v.shape)) for v in variables]
    per_replica = []
    for row in flat:
        parts = np.split(row, np.cumsum(sizes)[:-1])
        per_replica.append([p.reshape(v.shape) for p, v in zip(parts, variables)])
    return per_replica, [int(r) for r in rss]


def checksums(per_replica: list[list[np.ndarray]]) -> list[dict]:
    """common.param_checksum of each replica, in torch's layouts (OIHW, (out, in))."""
    return [
        common.param_checksum([common.keras_to_canonical(a) for a in arrays])
        for arrays in per_replica
    ]


def gpu_peak_bytes(gpus: list) -> int | None:
    if not gpus:
        return None
    return sum(tf.config.experimental.get_memory_info(f"GPU:{i}")["peak"] for i in range(len(gpus)))
