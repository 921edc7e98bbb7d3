"""How chooser describes a framework (Framework, Fact, Kubeflow), the registry itself
(register, look-ups, labels, the Okabe-Ito palette) and reading a framework's probe part
by the paths its entry declares. The entries live in chooser.core.frameworks, the one
module that names frameworks; import that module, not this one, so they are registered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# Okabe-Ito, in the order entries take them.
PALETTE = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")


TIE_LABEL = "either (a tie)"


@dataclass(frozen=True)
class Fact:
    """One ``machine.<framework>_<name>`` fact read from the framework's probe part.

    ``kind``: ``flag`` — true when any of ``paths`` holds ``True``; ``count`` — the number
    at ``paths[0]`` (or the length of the list there); ``names`` — the names whose flag is
    true in the mapping at ``paths[0]`` (``{"gloo": true}`` or ``{"RING": {"usable": true}}``);
    ``value`` — the plain value at ``paths[0]``. Paths are dotted, inside the part."""

    kind: Literal["flag", "count", "names", "value"]
    paths: tuple[str, ...]
    meaning: str
    accelerator: str | None = None  # a true flag means this accelerator is usable here


@dataclass(frozen=True)
class Kubeflow:
    """The Kubeflow training operator job (API ``kubeflow.org/v1``) that runs a framework's
    distributed trial on Kubernetes (chooser.measure.kubernetes): the job ``kind``, the key
    of its replica specs, and the operator's container name, port name and default port."""

    kind: str
    replicas_key: str
    container: str
    port_name: str
    port: int


@dataclass(frozen=True)
class Framework:
    id: str  # the key in rules, probe JSON and trial ids
    label: str
    colour: str  # hex, from PALETTE
    import_name: str  # what `find_spec` looks for before a trial starts
    pip_extra: str  # `pip install 'chooser[<extra>]'`
    install_hint: str
    probe_module: str  # `python -m <probe_module>` prints the framework's probe part
    trial_modules: dict[str, str]  # mode -> module (`single`, `distributed`)
    network_file: str  # the network's source, relative to the repository root (shown side by side)
    # How a cluster run is launched: "elastic" (an elastic launcher command, e.g. a
    # `*run --nnodes …` tool, then the trial module) or "cluster_env" (each node runs the
    # trial module with a JSON cluster description in an environment variable).
    # "process_env": every rank runs the trial module with the coordinator address, the
    # process count and its own id in the variables ``process_env`` names.
    launcher: Literal["elastic", "cluster_env", "process_env"]
    launcher_command: str = ""  # elastic: the launcher's command name
    launcher_env: str = ""  # cluster_env: the environment variable's name
    # process_env: role (coordinator, num_processes, process_id, local_processes) -> variable
    process_env: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    # Extra keys of this framework's probe part that rules may read, beyond the common ones:
    # name -> None (a leaf), "*" (anything below) or a nested mapping of the same form.
    probe_keys: dict[str, Any] = field(default_factory=dict)
    gpu_list: str = ""  # dotted path to the list of GPUs it sees (each with "name")
    gpu_count: str = ""  # or: dotted path to a count
    device_list: tuple[str, str] = ("", "")  # (path to devices list, key naming each)
    backends: str = ""  # dotted path to its distributed back-ends (see Fact "names")
    extra_versions: dict[str, str] = field(default_factory=dict)  # label -> dotted path
    # what its trial modules measure (probes.result.KINDS; `--kind` of the trial child)
    kinds: tuple[str, ...] = ("throughput",)
    # Cluster launchers (chooser.measure.slurm / kubernetes): what each Slurm task runs as,
    # in words, and the Kubeflow job; None: no Kubernetes manifest for this framework.
    slurm_ranks: str = "one rank per task"
    kubeflow: Kubeflow | None = None
    # Single-process variants besides the tuned trial (docs/trials.md, "Variants"):
    # variant ("beginner", "compiled") -> module run with ``--variant <variant>``.
    variant_modules: dict[str, str] = field(default_factory=dict)


_REGISTRY: dict[str, Framework] = {}


def register(framework: Framework) -> Framework:
    """Add (or replace) a framework; order of registration is the order of display."""
    _REGISTRY[framework.id] = framework
    return framework


def unregister(framework_id: str) -> None:
    _REGISTRY.pop(framework_id, None)


def frameworks() -> list[Framework]:
    return list(_REGISTRY.values())


def ids() -> list[str]:
    return list(_REGISTRY)


def get(framework_id: str) -> Framework:
    return _REGISTRY[framework_id]


def known(framework_id: str) -> bool:
    return framework_id in _REGISTRY


def label(framework_id: str) -> str:
    """A framework's label for its id; ``tie`` reads as a tie; an unknown id as itself."""
    if framework_id == "tie":
        return TIE_LABEL
    entry = _REGISTRY.get(framework_id)
    return entry.label if entry else framework_id


def colour(framework_id: str) -> str:
    entry = _REGISTRY.get(framework_id)
    return entry.colour if entry else "#999999"


def next_colour() -> str:
    """The first palette colour no registered framework uses (for new entries)."""
    used = {fw.colour for fw in _REGISTRY.values()}
    return next((c for c in PALETTE if c not in used), PALETTE[-1])


def _one_of(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


def labels_text(framework_ids: list[str] | None = None) -> str:
    """The labels as ``A or B`` (``A, B or C`` for three): the question chooser answers —
    about the registered frameworks, or those given (a report's own)."""
    return _one_of([label(fw) for fw in (ids() if framework_ids is None else framework_ids)])


def choices_text() -> str:
    """The ids as ``a, b or c`` — for messages."""
    return _one_of(ids())


def path_get(data: Any, dotted: str, default: Any = None) -> Any:
    """``data["a"]["b"]`` for ``"a.b"``; ``default`` when any step is missing."""
    for key in dotted.split(".") if dotted else ():
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def gpus_seen(framework_id: str, part: dict[str, Any]) -> int | None:
    """How many GPUs the framework's probe part says it sees (None: not reported)."""
    fw = get(framework_id)
    if fw.gpu_list:
        found = path_get(part, fw.gpu_list)
        return len(found) if isinstance(found, list) else None
    count = path_get(part, fw.gpu_count) if fw.gpu_count else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def device_names(framework_id: str, part: dict[str, Any]) -> list[str]:
    path, key = get(framework_id).device_list
    found = path_get(part, path) if path else None
    return (
        [str(d.get(key, "?")) for d in found if isinstance(d, dict)]
        if isinstance(found, list)
        else []
    )


def backend_flags(framework_id: str, part: dict[str, Any]) -> dict[str, bool | None]:
    """Distributed back-ends and whether each is usable: ``{"gloo": True, "nccl": False}``
    (``{"RING": {"usable": true}}`` mappings are read the same way; other keys skipped)."""
    path = get(framework_id).backends
    found = path_get(part, path) if path else None
    out: dict[str, bool | None] = {}
    for name, flag in found.items() if isinstance(found, dict) else ():
        if isinstance(flag, dict):
            out[str(name)] = flag.get("usable", flag.get("available"))
        elif isinstance(flag, bool) or flag is None:
            out[str(name)] = flag
    return out


def extra_versions(framework_id: str, part: dict[str, Any]) -> dict[str, Any]:
    """Versions of companion libraries (e.g. Keras) from the probe part."""
    return {name: path_get(part, path) for name, path in get(framework_id).extra_versions.items()}
