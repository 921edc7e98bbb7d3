"""The one definition of a trial result: what a trial child writes and `chooser` reads.

Framework-free and `chooser`-free (the children import it; so does ``chooser``): the
rules' ``trials.*`` names, the report's JSON schema, the identity fields a failed run
keeps and the views are derived from these classes. Adding a field is one line in
``TrialResult`` (with its meaning in docs/trials.md). Every field is optional
(``total=False``): a failed or cancelled trial has only its identity.
"""

from __future__ import annotations

from typing import Any

try:  # pydantic validates TypedDicts only from typing_extensions before Python 3.12
    from typing_extensions import TypedDict
except ImportError:  # pragma: no cover - the child side works without it
    from typing import TypedDict

KINDS = ("throughput", "time_to_accuracy")  # what a trial measures; the first part of its id
VARIANTS = ("tuned", "beginner", "compiled")  # how the training code is written (docs/trials.md)


def trial_id(framework: str, mode: str, kind: str = "throughput", variant: str = "tuned") -> str:
    """``throughput/torch/single``: kind, framework and mode, so new kinds never collide;
    a variant other than the tuned one is appended to the mode: ``…/single+beginner``."""
    suffix = f"+{variant}" if variant and variant != "tuned" else ""
    return f"{kind}/{framework}/{mode}{suffix}"


def split_variant(mode: str) -> tuple[str, str]:
    """(mode, variant) of an id's last part: ``single+beginner`` -> (single, beginner)."""
    mode, _, variant = mode.partition("+")
    return mode, variant or "tuned"


def split_id(tid: str) -> tuple[str, str, str] | None:
    """(kind, framework, mode) of a trial id; the old ``<framework>_<mode>`` form is read as
    a throughput trial. None when it is neither. A variant stays on the mode
    (``single+beginner``: ``split_variant`` parts it), so ids round-trip unchanged."""
    parts = tid.split("/")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    framework, _, mode = tid.rpartition("_")
    return ("throughput", framework, mode) if framework and mode else None


def alias(tid: str) -> str:
    """The old id (``torch_single``) of a throughput trial, still accepted in rules; other
    kinds have no old id (their own id is returned)."""
    parts = split_id(tid)
    return f"{parts[1]}_{parts[2]}" if parts and parts[0] == "throughput" else tid


class Throughput(TypedDict, total=False):
    median: float | None
    min: float | None
    max: float | None
    windows: Any  # the number of timed windows (a list of rates in older results)
    method: str
    window_rates: list[float]  # every window's samples/s (the interval resamples them)
    rounds: list[dict[str, Any]]  # interleaved rounds: windows, others' load, used or not
    quiet_rounds: int  # rounds used while others stayed under the busy limit
    ci95: list[float] | None  # 95 % bootstrap interval of the median
    interval_method: str


class TrialResult(TypedDict, total=False):
    # identity: what ran, and how it ended (chooser fills these; a failed run keeps them)
    id: str
    kind: str
    status: str  # ok / missing / error / timeout / cancelled
    message: str | None
    framework: str
    mode: str  # single / distributed
    variant: str  # tuned / beginner / compiled: how the training code is written
    world_size: int
    device: str
    data_source: str | None
    steps: int | None
    batch_size: int
    seed: int
    command: str
    busy_warning: str | None
    # how it was set up (the child)
    device_name: str | None
    backend: str | None
    threads_per_rank: int | None  # what the framework took
    threads_asked: int | None  # what the suite's thread budget asked for
    channels_last: bool | None
    data_kind: str | None
    train_samples: int
    test_samples: int
    labels_shuffled: bool
    epochs: int | None
    global_batch_size: int
    optimizer: str
    lr: float
    momentum: float | None
    versions: dict[str, Any]
    flops_per_sample: dict[str, Any]
    load_at_start: dict[str, Any]
    # what was measured (the child)
    samples_per_second: Throughput
    gflops_per_second: float | None
    test_accuracy: float | None
    final_loss: float | None
    time_to_first_step_s: float | None
    train_time_s: float | None
    wall_time_s: float | None
    peak_rss_bytes: int | None
    peak_rss_bytes_per_rank: list[int]
    peak_gpu_memory_bytes: int | None
    param_checksums: list[str]
    param_sums: list[float]
    checksums_equal: bool | None
    tensorboard_dir: str | None
    finished_at: float | None
    energy_joules: float | None  # over the timed training (probes/energy.py); None: not read
    energy_joules_per_1000_samples: float | None
    energy_note: str  # where the energy figure came from, or why there is none
    energy_sources: list[dict[str, Any]]  # each counter read: name, joules
    # added by chooser after the run
    scaling: dict[str, Any]
    scaling_efficiency: float | None
    machine_load: dict[str, Any] | None
    runner_wall_s: float | None
    stderr_tail: str
    comparable: bool | None  # may be compared with another run (docs/trials.md)
    comparable_reason: str | None  # why not, when it may not
    thread_budget: dict[str, Any]  # the suite's one thread budget and what was seen
    interleaved: bool  # ran as alternating rounds with the other frameworks
    rounds_planned: int
    waited_for_quiet_s: float
    # time_to_accuracy trials (probes/trials/to_target.py; docs/trials.md)
    target_accuracy: float | None  # validation accuracy to reach
    reached_target: bool | None
    time_to_target_s: float | None  # training seconds, evaluation excluded; None: not reached
    steps_to_target: int | None
    epochs_to_target: float | None
    validation_accuracy: float | None  # at the evaluation that reached the target
    eval_every_steps: int | None
    eval_time_excluded_s: float | None
    evaluations: list[dict[str, Any]]  # every evaluation: step, accuracy, train_s
    validation_samples: int | None
    split: str | None  # how validation and test were kept apart
    max_train_s: float | None  # the training-time cap
    max_steps: int | None  # the step cap
    stop_step_per_rank: list[int]  # torch DDP: the step each rank stopped on


# Reading a report keeps fields this version does not know (a newer child may add some).
TrialResult.__pydantic_config__ = {"extra": "allow"}  # type: ignore[attr-defined]

FIELDS: tuple[str, ...] = tuple(TrialResult.__annotations__)
IDENTITY: tuple[str, ...] = FIELDS[: FIELDS.index("busy_warning") + 1]
