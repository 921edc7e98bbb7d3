"""Per-node commands for a multi-node trial (`chooser trial --print-launch --nodes …`).

The trial modules run unchanged on a cluster, launched the way the registry's entry says
(``chooser.core.frameworks``): ``elastic`` — ranks under the framework's elastic launcher
command with a c10d rendezvous on the first node; ``cluster_env`` — one worker per node,
each with an environment variable holding a JSON cluster description naming every node;
``process_env`` — one process per rank, told the coordinator (the first node), the process
count and its own id in environment variables (JAX's ``jax.distributed.initialize``). Each command is meant to be run from a checkout of this project (or with
chooser installed) on that node; rank 0 / the chief prints the result as JSON lines.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.measure.trials import TrialSpec, trial_argv

DEFAULT_PORT = 29500


@dataclass
class NodeCommand:
    node: str
    index: int
    env: dict[str, str]
    argv: list[str]

    def shell(self) -> str:
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        return (env + " " if env else "") + shlex.join(self.argv)


def parse_nodes(text: str) -> list[str]:
    nodes = [n.strip() for n in text.split(",") if n.strip()]
    if len(nodes) < 1:
        raise UserError("--nodes needs at least one host name, e.g. --nodes host1,host2")
    if len(set(nodes)) != len(nodes):
        raise UserError(f"--nodes lists a host twice: {text}")
    for node in nodes:
        if any(c.isspace() or c in "/'\"" for c in node) or node.count(":") > 0:
            raise UserError(f"--nodes: {node!r} is not a host name (give ports with --port)")
    return nodes


def trial_flags(spec: TrialSpec) -> list[str]:
    """The trial module's flags, as chooser would pass them (the module part dropped)."""
    argv = trial_argv(TrialSpec(**{**spec.__dict__, "mode": "single", "workers": 1}))
    flags = argv[3:]  # [python, -m, module, *flags]
    i = flags.index("--mode")
    return flags[:i] + ["--mode", "distributed"] + flags[i + 2 :]


def launch_commands(
    spec: TrialSpec, nodes: list[str], port: int = DEFAULT_PORT, python: str = "python"
) -> list[NodeCommand]:
    if not 1 <= port <= 65535:
        raise UserError(f"--port must be 1-65535, got {port}")
    flags = trial_flags(spec)
    per_node = max(1, spec.workers)
    commands = []
    fw = frameworks.get(spec.framework)
    module = fw.trial_modules["single"]  # the launcher starts the plain trial on each node
    for i, node in enumerate(nodes):
        if fw.launcher == "elastic":
            argv = [
                fw.launcher_command,
                "--nnodes",
                str(len(nodes)),
                "--nproc-per-node",
                str(per_node),
                "--node-rank",
                str(i),
                "--rdzv-backend",
                "c10d",
                "--rdzv-endpoint",
                f"{nodes[0]}:{port}",
                "--rdzv-id",
                f"chooser-{spec.seed}",
                "--max-restarts",
                "0",
                "-m",
                module,
                *flags,
            ]
            commands.append(NodeCommand(node, i, {}, argv))
        elif fw.launcher == "process_env":
            # one process per rank: node i hosts ranks i*per_node …; rank 0 is the coordinator
            for local in range(per_node):
                names = fw.process_env
                env = {
                    names["coordinator"]: f"{nodes[0]}:{port}",
                    names["num_processes"]: str(len(nodes) * per_node),
                    names["process_id"]: str(i * per_node + local),
                    names["local_processes"]: str(per_node),
                }
                commands.append(NodeCommand(node, i, env, [python, "-m", module, *flags]))
        else:
            config = {
                "cluster": {"worker": [f"{n}:{port}" for n in nodes]},
                "task": {"type": "worker", "index": i},
            }
            argv = [python, "-m", module, *flags]
            commands.append(NodeCommand(node, i, {fw.launcher_env: json.dumps(config)}, argv))
    return commands


def render(spec: TrialSpec, nodes: list[str], port: int) -> str:
    lines = [
        f"# {spec.framework} across {len(nodes)} node(s); run each line on its node,",
        "# from a checkout of chooser (or with it installed). Rank 0 / the chief",
        "# prints the result as JSON lines.",
    ]
    fw = frameworks.get(spec.framework)
    if fw.launcher == "cluster_env" and spec.workers > 1:
        lines.append(
            f"# {fw.label}: one worker per node ({fw.launcher_env} lists one task per host)."
        )
    if fw.launcher == "process_env":
        lines.append(
            f"# {fw.label}: one process per rank ({spec.workers} per node); start them all, "
            "process 0 on the first node hosts the coordinator."
        )
    for command in launch_commands(spec, nodes, port):
        lines += [f"# node {command.index}: {command.node}", command.shell()]
    return "\n".join(lines) + "\n"
