"""The JAX MNIST trial: ``python -m probes.frameworks.jax.trial [flags from common.py]``.

Single process on this machine's default JAX backend (CPU here; the first GPU/TPU when
jaxlib was built for one), or one process of a distributed run when ``launch.py`` (or a
cluster launcher) sets ``CHOOSER_JAX_COORDINATOR`` / ``_NUM_PROCESSES`` / ``_PROCESS_ID``:
then ``jax.distributed.initialize`` joins the processes, the CPU backend's collectives are
gloo over TCP on 127.0.0.1, the state is replicated over a one-axis device mesh and each
process feeds its shard of the global batch (``jax.make_array_from_process_local_data``):
XLA inserts the gradient all-reduce, the same data parallelism as DDP.

The step is the functional training loop of Flax's performance guide: the NNX module and
optax optimizer are split into (graphdef, state) once and one pure step is ``jax.jit``-ed
with the state donated. Each step blocks on its loss before the throughput meter reads
the clock (JAX dispatches asynchronously; unblocked, the meter would time dispatch).
Threads: XLA's CPU thread pool sizes itself from the CPUs this process may run on, so
the thread budget is applied as CPU affinity (``os.sched_setaffinity``), one disjoint
slice of cores per local process.
"""

from __future__ import annotations

import os

import numpy as np

from probes.energy import EnergyMeter
from probes.frameworks.jax import events
from probes.protocol import die_with_parent, run_main
from probes.trials import common
from probes.trials.rounds import RoundPlan

COORDINATOR_ENV = "CHOOSER_JAX_COORDINATOR"
NUM_PROCESSES_ENV = "CHOOSER_JAX_NUM_PROCESSES"
PROCESS_ID_ENV = "CHOOSER_JAX_PROCESS_ID"
LOCAL_PROCESSES_ENV = "CHOOSER_JAX_LOCAL_PROCESSES"
EVAL_BATCH = 1000


def process_env() -> tuple[str, int, int, int] | None:
    """(coordinator, num_processes, process_id, processes on this host) when distributed."""
    if COORDINATOR_ENV not in os.environ:
        return None
    world = int(os.environ[NUM_PROCESSES_ENV])
    return (
        os.environ[COORDINATOR_ENV],
        world,
        int(os.environ[PROCESS_ID_ENV]),
        int(os.environ.get(LOCAL_PROCESSES_ENV, world)),
    )


def pin_threads(threads: int, local_index: int) -> list[int]:
    """Restrict this process to ``threads`` of its allowed CPUs (local process i gets
    slice i), before JAX creates its thread pool. Returns the CPUs kept."""
    allowed = sorted(os.sched_getaffinity(0))
    if threads >= len(allowed):
        return allowed
    start = (local_index * threads) % len(allowed)
    keep = (allowed + allowed)[start : start + threads]
    os.sched_setaffinity(0, keep)
    return sorted(keep)


def make_optimizer(optax, args):
    if args.optimizer == "sgd":
        return optax.sgd(args.lr, momentum=args.momentum)
    return optax.adam(args.lr)  # torch's Adam defaults: b1 0.9, b2 0.999, eps 1e-8


def checksum_bytes(checksum: dict) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(checksum["sha256"]), dtype=np.uint8)


def main() -> dict | None:
    parser = common.build_parser("jax_trial", __doc__.splitlines()[0])
    args = parser.parse_args()
    common.positive(args)
    env = process_env()
    if env:
        die_with_parent()
    elif args.mode == "distributed":
        raise ValueError(
            "--mode distributed runs as several processes: start it with "
            "`python -m probes.frameworks.jax.launch --workers N …`"
        )
    coordinator, world, rank, local_world = env or ("", 1, 0, 1)
    threads = common.threads_for(args, local_world)
    cpus = pin_threads(threads, rank % local_world)
    if args.device == "cpu":
        os.environ["JAX_PLATFORMS"] = "cpu"
    import jax

    if env:
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
        jax.distributed.initialize(
            coordinator_address=coordinator, num_processes=world, process_id=rank
        )
    import jax.numpy as jnp
    import optax
    from flax import nnx
    from jax.experimental import multihost_utils
    from jax.sharding import Mesh, NamedSharding
    from jax.sharding import PartitionSpec as P

    from probes.frameworks.jax.net import Net, canonical_params, nll_loss
    from probes.mnist import normalize

    device = jax.local_devices()[0]
    if args.device == "cuda" and device.platform != "gpu":
        raise RuntimeError(
            f"--device cuda, but jax {jax.__version__} sees no GPU "
            f"(backend {jax.default_backend()})"
        )
    mesh = Mesh(np.array(jax.devices()[:world] if env else [device]), ("data",))
    replicated, sharded = NamedSharding(mesh, P()), NamedSharding(mesh, P("data"))
    if args.kind == "time_to_accuracy":  # its own loop: probes/frameworks/jax/to_target.py
        from probes.frameworks.jax import to_target

        backend = "gloo (jax.distributed, CPU collectives)" if world > 1 else None
        ctx = {"jax": jax, "rank": rank, "world": world, "device": device, "cpus": cpus}
        ctx.update(replicated=replicated, sharded=sharded, backend=backend)
        return to_target.main(args, ctx)
    reporter = common.ProgressReporter(0, enabled=rank == 0)
    reporter.phase("startup", message=f"loading data on {device.platform}")

    data = common.prepare_data(args)
    steps = common.budget_steps(args, len(data.train_labels), world)
    reporter.total = steps
    train_x = normalize(data.train_images)[..., None]  # host arrays; batches are gathered here
    train_y = data.train_labels.astype(np.int32)

    model = Net(nnx.Rngs(params=args.seed, dropout=args.seed + 1))
    optimizer = nnx.Optimizer(model, make_optimizer(optax, args), wrt=nnx.Param)
    graphdef, state = nnx.split((model, optimizer))
    state = jax.tree.map(lambda a: replicate(jax, a, replicated), state)

    def train_step(state, x, y):
        model, optimizer = nnx.merge(graphdef, state)
        loss, grads = nnx.value_and_grad(lambda m: nll_loss(m(x), y))(model)
        optimizer.update(model, grads)
        return loss, nnx.state((model, optimizer))

    step_fn = jax.jit(train_step, donate_argnums=0, out_shardings=(replicated, replicated))
    writer = (
        events.open_tensorboard(args.tensorboard, f"jax_{'distributed' if world > 1 else 'single'}")
        if rank == 0
        else None
    )
    plan = RoundPlan(
        steps,
        args.rounds if world == 1 else 1,
        args.wait_between_rounds,
        args.warmup_steps,
        args.window_steps,
        report=rank == 0,
    )
    first_step_s = loss = None
    plan.energy = energy = EnergyMeter()
    meter = plan.meter()
    for step, (_epoch, idx) in enumerate(
        common.batch_plan(len(train_y), args.batch_size, steps, args.seed, rank, world), 1
    ):
        x = jax.make_array_from_process_local_data(sharded, train_x[idx])
        y = jax.make_array_from_process_local_data(sharded, train_y[idx])
        loss, state = step_fn(state, x, y)
        loss.block_until_ready()
        meter.step(len(idx) * world)
        if first_step_s is None:
            first_step_s = common.seconds_since_process_start()
        speed = meter.last_window()
        reporter.train(step, loss.item, samples_per_second=speed)
        if writer is not None and (step % 10 == 0 or step == steps):
            writer.add_scalar(common.TB_LOSS, float(loss), step)
            if speed:
                writer.add_scalar(common.TB_SPEED, speed, step)
        if plan.ends_round(step):
            meter = plan.close_round(meter)
    speed_summary = plan.summary(meter)
    train_time = plan.elapsed
    energy.stop()

    local_state = jax.tree.map(lambda a: a.addressable_data(0), state)  # this process's replica
    model, _ = nnx.merge(graphdef, local_state)
    mine = common.param_checksum(canonical_params(model))
    rss = common.peak_rss_bytes()
    if world > 1:
        digests = multihost_utils.process_allgather(checksum_bytes(mine))
        sums = multihost_utils.process_allgather(np.array([mine["sum"]], np.float64))
        rss_all = multihost_utils.process_allgather(np.array([rss], np.int64))
        checksums = [{"sha256": bytes(d).hex(), "sum": float(s[0])} for d, s in zip(digests, sums)]
        rss_per_rank = [int(r[0]) for r in rss_all]
    else:
        checksums, rss_per_rank = [mine], [rss]
    accuracy = None
    if rank == 0:
        reporter.phase(
            "eval", step=steps, of=steps, message=f"{len(data.test_labels)} held-out images"
        )
        model.set_attributes(deterministic=True)  # dropout off (what nnx's eval mode sets)
        predict = jax.jit(lambda images: jnp.argmax(model(images), axis=1))
        test_x = normalize(data.test_images)[..., None]
        correct = 0
        for start in range(0, len(data.test_labels), EVAL_BATCH):
            with jax.default_device(device):
                pred = np.asarray(predict(test_x[start : start + EVAL_BATCH]))
            correct += int((pred == data.test_labels[start : start + EVAL_BATCH]).sum())
        accuracy = correct / max(1, len(data.test_labels))
        if writer is not None:
            writer.add_scalar(common.TB_ACCURACY, accuracy, steps)
            writer.close()
    if world > 1:
        multihost_utils.sync_global_devices("chooser-trial-done")  # leave together
    if rank != 0:
        return None

    result = common.base_result(
        args,
        framework="jax",
        versions=versions(),
        data=data,
        world_size=world,
        device="cuda" if device.platform == "gpu" else device.platform,
        steps=steps,
    )
    result.update(
        {
            "device_name": getattr(device, "device_kind", device.platform),
            "backend": "gloo (jax.distributed, CPU collectives)"
            if world > 1 and device.platform == "cpu"
            else ("jax.distributed" if world > 1 else None),
            "threads_per_rank": len(cpus),  # the CPUs XLA's pool may use (affinity)
            "threads_asked": args.threads or None,
            "cpus_pinned": cpus,
            "peak_gpu_memory_bytes": peak_device_memory(device),
            **energy.fields(steps * args.batch_size * world),
            **common.measured_fields(
                speed=speed_summary,
                accuracy=accuracy,
                final_loss=float(loss) if loss is not None else None,
                first_step_s=first_step_s,
                train_time=train_time,
                rss_per_rank=rss_per_rank,
                checksums=checksums,
                tensorboard_dir=args.tensorboard,
            ),
        }
    )
    return result


def replicate(jax, array, sharding):
    """One global array holding ``array`` on every device of ``sharding``: each process
    places its own identical copy (``device_put`` only reaches this process's devices)."""
    copies = [jax.device_put(array, d) for d in sorted(sharding.addressable_devices, key=str)]
    return jax.make_array_from_single_device_arrays(array.shape, sharding, copies)


def versions() -> dict:
    import flax
    import jax
    import jaxlib
    import optax

    return {
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "flax": flax.__version__,
        "optax": optax.__version__,
    }


def peak_device_memory(device) -> int | None:
    if device.platform == "cpu":
        return None
    stats = device.memory_stats() or {}
    return stats.get("peak_bytes_in_use")


if __name__ == "__main__":
    run_main(main, skip_teardown=process_env() is not None)
