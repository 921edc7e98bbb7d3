"""The cluster side of `chooser trial`: ``--print-launch`` (per-host commands, a Slurm
batch script or Kubernetes manifests) and ``--collect`` (a job's rank files -> results).

Without ``--framework`` every framework is printed: both sections of per-host commands,
one sbatch script with a step per framework, one manifest per framework.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

LAUNCHERS = ("hosts", "slurm", "kubernetes")


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("cluster (--print-launch, --collect; docs/trials.md)")
    g.add_argument(
        "--launcher",
        default="hosts",
        choices=LAUNCHERS,
        help="hosts: one command per node (--nodes HOST1,HOST2); slurm: an sbatch "
        "script; kubernetes: PyTorchJob/TFJob manifests (--nodes N)",
    )
    g.add_argument(
        "--gpus-per-node",
        type=int,
        default=0,
        metavar="G",
        help="GPUs per node (slurm, kubernetes); ranks per node default to G",
    )
    g.add_argument(
        "--cpus-per-task",
        type=int,
        default=4,
        metavar="C",
        help="CPUs (and threads) per rank (slurm, kubernetes; default 4)",
    )
    g.add_argument(
        "--time",
        default="00:30:00",
        help="time limit: Slurm --time, Kubernetes activeDeadlineSeconds (default 00:30:00)",
    )
    g.add_argument("--partition", default=None, help="Slurm partition")
    g.add_argument("--account", default=None, help="Slurm account")
    g.add_argument(
        "--results",
        default=None,
        metavar="DIR",
        help="where the Slurm job writes rank files (default: chooser-results)",
    )
    g.add_argument("--image", default=None, help="container image with chooser (kubernetes)")
    g.add_argument("--namespace", default=None, help="Kubernetes namespace")
    g.add_argument(
        "--collect",
        nargs="+",
        default=None,
        metavar="DIR",
        help="merge a cluster job's rank files into results (with --json: the "
        "`--suite … --json` shape; --launcher names it when the files do not)",
    )


def _node_count(text: str | None, launcher: str) -> int:
    from chooser.core.errors import UserError

    if not text:
        return 1
    if not text.isdigit() or int(text) < 1:
        raise UserError(f"--launcher {launcher} takes --nodes N (a node count), got {text!r}")
    return int(text)


def print_launch(args: argparse.Namespace, spec_from_args: Callable) -> int:
    from chooser.core import frameworks as registry
    from chooser.core.errors import UserError

    frameworks = [args.framework] if args.framework else registry.ids()
    args.mode = "distributed"
    if args.gpus_per_node and args.workers is None:
        args.workers = args.gpus_per_node  # one rank per GPU
    args.workers = args.workers or 1  # ranks per node
    specs = []
    for framework in frameworks:
        args.framework = framework
        specs.append(spec_from_args(args))
    if args.launcher == "hosts":
        from chooser.measure.launch import DEFAULT_PORT, parse_nodes, render
        from chooser.measure.limits import check_port

        if not args.nodes:
            raise UserError("--print-launch needs --nodes HOST1,HOST2 (or --launcher slurm)")
        nodes = parse_nodes(args.nodes)
        port = DEFAULT_PORT if args.port is None else args.port  # 0 is refused, not replaced
        check_port(port)
        sys.stdout.write("\n".join(render(s, nodes, port) for s in specs))
    elif args.launcher == "slurm":
        from chooser.measure.slurm import DEFAULT_RESULTS, SlurmJob, sbatch_script

        job = SlurmJob(
            nodes=_node_count(args.nodes, "slurm"),
            tasks_per_node=args.workers,
            cpus_per_task=args.cpus_per_task,
            gpus_per_node=args.gpus_per_node,
            time=args.time,
            partition=args.partition,
            account=args.account,
            results=args.results or DEFAULT_RESULTS,
            port=args.port,
        )
        sys.stdout.write(sbatch_script(specs, job))
    else:
        from chooser.measure.kubernetes import KubeJob, render_manifests

        kube = KubeJob(
            nodes=_node_count(args.nodes, "kubernetes"),
            procs_per_node=args.workers,
            cpus_per_proc=args.cpus_per_task,
            gpus_per_node=args.gpus_per_node,
            image=args.image,
            namespace=args.namespace,
            time=args.time,
        )
        sys.stdout.write(render_manifests(specs, kube))
    return 0


def collect(args: argparse.Namespace) -> int:
    from chooser.measure.collect import collect as merge

    merged = merge(args.collect, None if args.launcher == "hosts" else args.launcher)
    if args.json:
        sys.stdout.write(json.dumps(merged, indent=2) + "\n")
    else:
        from chooser.views.trials import print_results

        print_results(merged["results"])
        for r in merged["results"]:
            where = r["cluster"]
            print(
                f"{r['id']}: launched by {where['launcher'] or 'an unnamed launcher'}"
                + (f", job {where['job_id']}" if where["job_id"] else "")
                + (f" on {', '.join(where['nodes'])}" if where["nodes"] else "")
                + f"; rank files in {where['results_dir']}"
            )
    return 0 if all(r["status"] == "ok" for r in merged["results"]) else 1
