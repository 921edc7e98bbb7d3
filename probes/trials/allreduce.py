"""Measure what a cluster scaling estimate needs (issue 13): one training step's compute time
and all-reduces of the seed Net's gradient size (and a few larger sizes), at the world sizes
this machine has.

``python -m probes.trials.allreduce [--world-sizes 2] [--sizes 262144,1048576,…]``

For each world size p (and p = 1 for the compute time alone) this process starts p ranks
(``--rank``), each ``python -m probes.trials.allreduce`` in this process group, dying with
it (``die_with_parent``). Ranks meet through a ``file://`` rendezvous in a fresh temporary
folder (no port to pick, so no race), on gloo over 127.0.0.1, or NCCL when every rank has
its own CUDA GPU. Each rank takes ``--threads`` (default: the cores) ÷ p threads, times ``--compute-steps``
forward + backward + Adam steps on real MNIST images while its peers do the same, then
``--repeats`` all-reduces of each size (a barrier before each; the slowest rank's median
counts). The gradient size is counted from the model (``Net().parameters()``), never
written down. Rank 0 prints its figures; this process joins them into one result line.
The fit and the estimate are chooser's (``chooser/measure/scaling_estimate.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from probes.protocol import die_with_parent, emit, log, run_main
from probes.trials.measure import available_cores

EXTRA_SIZES = (262_144, 1_048_576, 4_194_304, 16_777_216)  # bytes, beside the gradient's


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="allreduce", description=__doc__.splitlines()[0])
    p.add_argument("--world-sizes", default=None, help="e.g. 2 or 2,4 (default: GPUs or 2)")
    p.add_argument("--sizes", default=",".join(map(str, EXTRA_SIZES)), help="extra bytes")
    p.add_argument("--repeats", type=int, default=20, help="timed all-reduces per size")
    p.add_argument("--compute-steps", type=int, default=30, help="timed training steps")
    p.add_argument("--batch-size", type=int, default=64, help="per rank (default 64)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--threads", type=int, default=None, help="one rank's threads; p ranks take ÷ p")
    p.add_argument("--data", default=None, help="MNIST folder or mnist.npz (default: found)")
    p.add_argument("--rank-timeout", type=float, default=240.0, help="seconds per world size")
    # rank side (set by the coordinator)
    p.add_argument("--rank", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--world", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--init", default=None, help=argparse.SUPPRESS)
    p.add_argument("--backend", default="gloo", help=argparse.SUPPRESS)
    return p


def _timed(torch, cuda: bool, fn) -> float:
    if cuda:
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    fn()
    if cuda:
        torch.cuda.synchronize()
    return time.perf_counter() - t0


def rank_main(args: argparse.Namespace) -> None:
    """One rank: compute steps, then all-reduces; rank 0 prints one JSON line."""
    die_with_parent()
    import numpy as np
    import torch
    import torch.distributed as dist
    import torch.nn.functional as F

    from probes.mnist import load_mnist, normalize
    from probes.trials.net_torch import Net

    rank, world = args.rank, args.world
    cuda = args.backend == "nccl"
    threads = max(1, (args.threads or available_cores()) // world)
    torch.set_num_threads(threads)
    device = torch.device("cuda", rank) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group(args.backend, init_method=args.init, rank=rank, world_size=world)
    torch.manual_seed(0)
    model = Net().to(device)
    grad_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    data = load_mnist(args.data)
    steps = args.compute_steps + 5
    need = args.batch_size * steps
    idx = np.arange(need) % len(data.train_labels)
    images = torch.from_numpy(normalize(data.train_images[idx])).unsqueeze(1).to(device)
    labels = torch.from_numpy(data.train_labels[idx].astype(np.int64)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(i: int) -> None:
        sl = slice(i * args.batch_size, (i + 1) * args.batch_size)
        opt.zero_grad(set_to_none=True)
        F.nll_loss(model(images[sl]), labels[sl]).backward()
        opt.step()

    if world > 1:
        dist.barrier()  # every rank computes at the same time, sharing the machine as in DDP
    times = [_timed(torch, cuda, lambda i=i: step(i)) for i in range(steps)][5:]
    compute_s = statistics.median(times)
    sizes = [grad_params * 4, *(int(s) for s in args.sizes.split(",") if s)]
    reduces = []
    for size in sizes if world > 1 else []:
        buf = torch.ones(max(1, size // 4), dtype=torch.float32, device=device)
        for _ in range(3):  # warm-up: connections, buffers
            dist.all_reduce(buf)
        got = []
        for _ in range(args.repeats):
            dist.barrier()
            got.append(_timed(torch, cuda, lambda b=buf: dist.all_reduce(b)))
        slowest = torch.tensor([statistics.median(got)], dtype=torch.float64)
        if cuda:
            slowest = slowest.to(device)
        dist.all_reduce(slowest, op=dist.ReduceOp.MAX)
        reduces.append({"bytes": size, "seconds": float(slowest.item()), "repeats": args.repeats})
    compute = torch.tensor([compute_s], dtype=torch.float64, device=device)
    if world > 1:
        dist.all_reduce(compute, op=dist.ReduceOp.MAX)
        dist.destroy_process_group()
    if rank == 0:
        line = {
            "world_size": world,
            "compute_s": float(compute.item()),
            "threads_per_rank": torch.get_num_threads(),
            "gradient_params": grad_params,
            "allreduce": reduces,
            "data_source": data.source,
            "torch": torch.__version__,
        }
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()


def run_world(args: argparse.Namespace, world: int, backend: str) -> dict:
    """Start ``world`` ranks, wait for them (``--rank-timeout``), return rank 0's line."""
    with tempfile.TemporaryDirectory(prefix="chooser-allreduce-") as tmp:
        init = f"file://{os.path.join(tmp, 'rendezvous')}"
        argv = [sys.executable, "-m", "probes.trials.allreduce", "--world", str(world)]
        argv += ["--init", init, "--backend", backend, "--sizes", args.sizes]
        argv += ["--repeats", str(args.repeats), "--compute-steps", str(args.compute_steps)]
        argv += ["--batch-size", str(args.batch_size)]
        argv += ["--threads", str(args.threads)] if args.threads else []
        argv += ["--data", args.data] if args.data else []
        procs = [
            subprocess.Popen(
                [*argv, "--rank", str(r)],
                stdout=subprocess.PIPE if r == 0 else subprocess.DEVNULL,
                text=True,
            )
            for r in range(world)
        ]
        try:
            out, _ = procs[0].communicate(timeout=args.rank_timeout)
            codes = [p.wait(timeout=30) for p in procs]
        finally:
            for p in procs:  # a failed peer must not leave the others waiting
                if p.poll() is None:
                    p.kill()
                    p.wait()
        if any(codes):
            raise RuntimeError(f"{world}-rank all-reduce run failed: exit statuses {codes}")
        return json.loads(out.strip().splitlines()[-1])


def main() -> dict | None:
    args = build_parser().parse_args()
    if args.rank is not None:
        rank_main(args)
        return None  # rank 0 printed its own line for the coordinator
    # SIGTERM (the runner's cancel) unwinds: the ranks are killed, the rendezvous folder goes
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    import torch  # the coordinator only asks how many GPUs there are

    gpus = torch.cuda.device_count() if args.device != "cpu" else 0
    if args.device == "cuda" and gpus < 1:
        raise RuntimeError(f"--device cuda, but torch {torch.__version__} sees no CUDA GPU")
    backend = "nccl" if gpus >= 2 else "gloo"
    if args.world_sizes:
        worlds = sorted({int(w) for w in args.world_sizes.split(",")})
    else:
        worlds = list(range(2, gpus + 1)) if backend == "nccl" else [2]
    if backend == "nccl" and max(worlds) > gpus:
        backend = "gloo"  # more ranks than GPUs: one device each is impossible
    runs = []
    for world in [1, *worlds]:
        emit("progress", phase="allreduce", message=f"{world} rank(s) over {backend}")
        log(f"allreduce: world size {world} over {backend}")
        runs.append(run_world(args, world, backend))
    first = runs[0]
    return {
        "kind": "scaling_inputs",
        "framework": "torch",  # whose collectives (gloo / NCCL through torch.distributed)
        "status": "ok",
        "backend": backend,
        "device": "cuda" if backend == "nccl" else "cpu",
        "cores": available_cores(),
        "gpus": gpus,
        "batch_size": args.batch_size,
        "gradient_params": first["gradient_params"],
        "gradient_bytes": first["gradient_params"] * 4,
        "compute_s": {str(r["world_size"]): r["compute_s"] for r in runs},
        "threads_per_rank": {str(r["world_size"]): r["threads_per_rank"] for r in runs},
        "allreduce": [{"world_size": r["world_size"], **m} for r in runs for m in r["allreduce"]],
        "data_source": first["data_source"],
        "versions": {"torch": first["torch"]},
    }


if __name__ == "__main__":
    run_main(main, skip_teardown=True)
