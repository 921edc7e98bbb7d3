"""The PyTorch MNIST trial: ``python -m probes.trials.torch_trial [flags from common.py]``.

Single process on CPU or one GPU, or one DDP rank when started by torch's launcher
(``RANK``/``WORLD_SIZE``/``LOCAL_RANK`` in the environment: ``probes.trials.torch_launch``
on one machine, ``torchrun --nnodes …`` on several). The data are preloaded tensors
indexed per batch (no per-sample DataLoader); ranks take DistributedSampler-style
shards (see ``common.batch_plan``). Only rank 0 reports progress and the result.
"""

from __future__ import annotations

import os
import sys
import types

import numpy as np

from probes.energy import EnergyMeter
from probes.protocol import die_with_parent, run_main
from probes.trials import common
from probes.trials.rounds import RoundPlan

EVAL_BATCH = 1000


def rank_env() -> tuple[int, int, int, int] | None:
    """(rank, world_size, local_rank, local_world_size) when launched as a DDP rank."""
    if "RANK" not in os.environ or "WORLD_SIZE" not in os.environ:
        return None
    rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    local = int(os.environ.get("LOCAL_RANK", rank))
    return rank, world, local, int(os.environ.get("LOCAL_WORLD_SIZE", world))


def pick_device(torch, wanted: str, local_rank: int):
    if wanted == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"--device cuda, but torch {torch.__version__} sees no CUDA GPU")
    if wanted == "cpu" or not torch.cuda.is_available():
        return torch.device("cpu")
    index = local_rank % torch.cuda.device_count()
    torch.cuda.set_device(index)
    return torch.device("cuda", index)


def make_optimizer(torch, params, args):
    if args.optimizer == "sgd":
        return torch.optim.SGD(params, lr=args.lr, momentum=args.momentum)
    return torch.optim.Adam(params, lr=args.lr)


def open_tensorboard(directory: str | None, run_name: str):
    if not directory:
        return None
    # TensorBoard's writer otherwise imports TensorFlow when it is installed (seconds of
    # start-up and a second framework in a torch trial); a `tensorboard.compat.notf`
    # module is its own switch to the built-in stub (//tensorboard/compat:no_tensorflow).
    sys.modules.setdefault("tensorboard.compat.notf", types.ModuleType("tensorboard.compat.notf"))
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as exc:  # torch raises this when the tensorboard package is absent
        raise RuntimeError(
            f"--tensorboard needs the tensorboard package (pip install tensorboard): {exc}"
        ) from exc
    return SummaryWriter(log_dir=os.path.join(directory, run_name))


def evaluate(torch, model, images, labels) -> float:
    model.train(False)  # inference mode: dropout off (the same switch as eval mode)
    correct = 0
    with torch.inference_mode():
        for start in range(0, len(labels), EVAL_BATCH):
            logits = model(images[start : start + EVAL_BATCH])
            correct += int((logits.argmax(1) == labels[start : start + EVAL_BATCH]).sum())
    model.train()
    return correct / max(1, len(labels))


def compile_model(torch, net):
    """torch.compile, or a clear error when this machine cannot run it: inductor builds
    C++ kernels on the CPU, so it needs a C/C++ compiler on PATH."""
    import shutil

    if not any(shutil.which(c) for c in ("c++", "g++", "cc", "gcc", "clang")):
        raise RuntimeError("torch.compile needs a C compiler (gcc/cc not found on PATH)")
    return torch.compile(net)


def gather(dist, value, world: int) -> list:
    if world == 1:
        return [value]
    out = [None] * world
    dist.all_gather_object(out, value)
    return out


def main() -> dict | None:
    parser = common.build_parser("torch_trial", __doc__.splitlines()[0])
    parser.add_argument(
        "--channels-last",
        choices=("on", "off"),
        default="on",
        help="NHWC memory format (measured faster on CPU too: docs/trials.md)",
    )
    args = parser.parse_args()
    common.positive(args)
    env = rank_env()
    if env:
        die_with_parent()  # a rank never outlives its launcher
    elif args.mode == "distributed":
        raise ValueError(
            "--mode distributed runs as DDP ranks: start it with `python -m "
            "probes.trials.torch_launch --workers N …` or torchrun"
        )
    rank, world, local_rank, local_world = env or (0, 1, 0, 1)
    if args.kind == "time_to_accuracy":  # its own loop: probes/trials/torch_to_target.py
        from probes.trials import torch_to_target

        return torch_to_target.main(args, (rank, world, local_rank, local_world))
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    from probes.mnist import normalize
    from probes.trials.net_torch import Net, loss_fn

    threads = common.threads_for(args, local_world)  # ranks on one machine split its cores
    torch.set_num_threads(threads)
    device = pick_device(torch, args.device, local_rank)
    cuda = device.type == "cuda"
    backend = None
    if world > 1:
        backend = "nccl" if cuda else "gloo"
        dist.init_process_group(backend=backend, device_id=device if cuda else None)
    reporter = common.ProgressReporter(0, enabled=rank == 0)
    reporter.phase("startup", message=f"loading data on {device}")

    data = common.prepare_data(args)
    steps = common.budget_steps(args, len(data.train_labels), world)
    reporter.total = steps
    channels_last = args.channels_last == "on"
    memory_format = torch.channels_last if channels_last else torch.contiguous_format

    def to_tensor(images):
        t = torch.from_numpy(normalize(images)).unsqueeze(1).to(device)
        return t.contiguous(memory_format=memory_format)

    train_x, test_x = to_tensor(data.train_images), to_tensor(data.test_images)
    train_y = torch.from_numpy(data.train_labels.astype(np.int64)).to(device)
    test_y = torch.from_numpy(data.test_labels.astype(np.int64)).to(device)

    torch.manual_seed(args.seed)  # same initial weights on every rank (DDP also broadcasts)
    model = Net().to(device, memory_format=memory_format)
    net = (
        DistributedDataParallel(model, device_ids=[device.index] if cuda else None)
        if world > 1
        else model
    )
    if args.variant == "compiled":  # torch.compile (inductor); the first steps compile
        net = compile_model(torch, net)
    optimizer = make_optimizer(torch, net.parameters(), args)
    writer = (
        open_tensorboard(args.tensorboard, f"torch_{'distributed' if world > 1 else 'single'}")
        if rank == 0
        else None
    )
    sync = torch.cuda.synchronize if cuda else None
    plan = RoundPlan(
        steps,
        args.rounds if world == 1 else 1,
        args.wait_between_rounds,
        args.warmup_steps,
        args.window_steps,
        sync=sync,
        report=rank == 0,
    )
    if cuda:
        torch.cuda.reset_peak_memory_stats(device)

    model.train()
    first_step_s = None
    loss = None
    plan.energy = energy = EnergyMeter()
    meter = plan.meter()
    for step, (_epoch, idx) in enumerate(
        common.batch_plan(len(train_y), args.batch_size, steps, args.seed, rank, world), 1
    ):
        index = torch.from_numpy(idx).to(device)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(train_x.index_select(0, index)), train_y.index_select(0, index))
        loss.backward()
        optimizer.step()
        meter.step(len(idx) * world)
        if first_step_s is None:
            first_step_s = common.seconds_since_process_start()
        speed = meter.last_window()
        reporter.train(step, loss.item, samples_per_second=speed)
        if writer is not None and (step % 10 == 0 or step == steps):
            writer.add_scalar(common.TB_LOSS, loss.item(), step)
            if speed:
                writer.add_scalar(common.TB_SPEED, speed, step)
        if plan.ends_round(step):
            meter = plan.close_round(meter)
    speed_summary = plan.summary(meter)
    train_time = plan.elapsed
    energy.stop()

    params = [p.detach().cpu().numpy() for p in model.parameters()]  # conv1 w,b … fc2 w,b
    mine = {"checksum": common.param_checksum(params), "rss": common.peak_rss_bytes()}
    everyone = gather(dist, mine, world)
    if rank == 0:
        reporter.phase("eval", step=steps, of=steps, message=f"{len(test_y)} held-out images")
        accuracy = evaluate(torch, model, test_x, test_y)
        if writer is not None:
            writer.add_scalar(common.TB_ACCURACY, accuracy, steps)
            writer.close()
    if world > 1:
        # Leave together: a rank that tears down its gloo group while a peer is still
        # inside it was seen to abort ("terminate called without an active exception").
        dist.barrier()
        dist.destroy_process_group()
    if rank != 0:
        return None

    result = common.base_result(
        args,
        framework="torch",
        versions={"torch": torch.__version__},
        data=data,
        world_size=world,
        device=device.type,
        steps=steps,
    )
    result.update(
        {
            "device_name": torch.cuda.get_device_name(device) if cuda else "cpu",
            "backend": backend,
            "threads_per_rank": torch.get_num_threads(),  # what torch took, not what was asked
            "threads_asked": args.threads or None,
            "channels_last": channels_last,
            "variant": args.variant,
            **energy.fields(steps * args.batch_size * world),
            "peak_gpu_memory_bytes": torch.cuda.max_memory_allocated(device) if cuda else None,
            **common.measured_fields(
                speed=speed_summary,
                accuracy=accuracy,
                final_loss=float(loss.item()) if loss is not None else None,
                first_step_s=first_step_s,
                train_time=train_time,
                rss_per_rank=[r["rss"] for r in everyone],
                checksums=[r["checksum"] for r in everyone],
                tensorboard_dir=args.tensorboard,
            ),
        }
    )
    return result


if __name__ == "__main__":
    # A DDP rank skips interpreter teardown once its work is reported: torch's C++
    # destructors at exit were seen to abort a finished rank under load ("terminate called
    # without an active exception", SIGABRT), which the launcher reports as a failed trial.
    run_main(main, skip_teardown=rank_env() is not None)
