"""The PyTorch time-to-accuracy loop (``torch_trial --kind time_to_accuracy``).

Single process or one DDP rank, set up as in ``torch_trial``. Every ``eval_every`` steps
rank 0 measures validation accuracy (the time is left out of training time), and the
ranks all-reduce the stop flag (MAX), so every rank stops on the same step: one rank
leaving early would leave its peers waiting in the next gradient all-reduce.
"""

from __future__ import annotations

import argparse

import numpy as np

from probes.trials import common, to_target
from probes.trials.torch_trial import evaluate, gather, make_optimizer, pick_device


def main(args: argparse.Namespace, env: tuple[int, int, int, int]) -> dict | None:
    rank, world, local_rank, local_world = env
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    from probes.mnist import normalize
    from probes.trials.net_torch import Net, loss_fn

    torch.set_num_threads(common.threads_for(args, local_world))
    device = pick_device(torch, args.device, local_rank)
    cuda = device.type == "cuda"
    backend = None
    if world > 1:
        backend = "nccl" if cuda else "gloo"
        dist.init_process_group(backend=backend, device_id=device if cuda else None)
    reporter = common.ProgressReporter(0, enabled=rank == 0)
    reporter.phase("startup", message=f"loading data on {device}")

    data, val_images, val_labels, split, per_epoch, max_steps = to_target.set_up(
        args, world, reporter
    )
    memory_format = torch.channels_last if args.channels_last == "on" else torch.contiguous_format

    def to_tensor(images):
        t = torch.from_numpy(normalize(images)).unsqueeze(1).to(device)
        return t.contiguous(memory_format=memory_format)

    def labels(values):
        return torch.from_numpy(values.astype(np.int64)).to(device)

    train_x, train_y = to_tensor(data.train_images), labels(data.train_labels)
    val_x, val_y = to_tensor(val_images), labels(val_labels)

    torch.manual_seed(args.seed)
    model = Net().to(device, memory_format=memory_format)
    net = (
        DistributedDataParallel(model, device_ids=[device.index] if cuda else None)
        if world > 1
        else model
    )
    optimizer = make_optimizer(torch, net.parameters(), args)

    def agree(stop: bool) -> bool:
        if world == 1:
            return stop
        flag = torch.tensor([1.0 if stop else 0.0], device=device)
        dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        return bool(flag.item() > 0)

    def validation_accuracy() -> float | None:
        if rank != 0:
            return None
        if cuda:
            torch.cuda.synchronize()
        return evaluate(torch, model, val_x, val_y)

    tracker = to_target.TargetTracker(
        to_target.target_for(args, data.source_kind),
        to_target.eval_every_for(args, per_epoch),
        args.max_train_s,
        per_epoch,
        agree=agree,
        samples_per_step=args.batch_size * world,
    )
    model.train()
    first_step_s = loss = None
    step = 0
    tracker.start()
    for step, (_epoch, idx) in enumerate(
        common.batch_plan(len(train_y), args.batch_size, max_steps, args.seed, rank, world), 1
    ):
        index = torch.from_numpy(idx).to(device)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(train_x.index_select(0, index)), train_y.index_select(0, index))
        loss.backward()
        optimizer.step()
        if first_step_s is None:
            first_step_s = common.seconds_since_process_start()
        reporter.train(step, loss.item)
        if tracker.due(step, last=step == max_steps):
            if tracker.check(step, validation_accuracy):
                break
    train_time = tracker.train_seconds()

    params = [p.detach().cpu().numpy() for p in model.parameters()]
    mine = {"checksum": common.param_checksum(params), "rss": common.peak_rss_bytes(), "step": step}
    everyone = gather(dist, mine, world)
    if rank == 0:
        test_x, test_y = to_tensor(data.test_images), labels(data.test_labels)
        reporter.phase("eval", step=step, of=max_steps, message=f"{len(test_y)} test images")
        accuracy = evaluate(torch, model, test_x, test_y)
    if world > 1:
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
        steps=step,
    )
    result.update(
        {
            "device_name": torch.cuda.get_device_name(device) if cuda else "cpu",
            "backend": backend,
            "threads_per_rank": torch.get_num_threads(),
            "threads_asked": args.threads or None,
            "channels_last": args.channels_last == "on",
            "peak_gpu_memory_bytes": torch.cuda.max_memory_allocated(device) if cuda else None,
            **common.measured_fields(
                speed=tracker.speed(),
                accuracy=accuracy,
                final_loss=float(loss.item()) if loss is not None else None,
                first_step_s=first_step_s,
                train_time=train_time,
                rss_per_rank=[r["rss"] for r in everyone],
                checksums=[r["checksum"] for r in everyone],
                tensorboard_dir=None,
            ),
            "stop_step_per_rank": [r["step"] for r in everyone],  # must all be equal
            **tracker.fields(validation_samples=len(val_labels), split=split, max_steps=max_steps),
        }
    )
    return result
