"""What a condition may read: the known names under answers.*, probe.*, machine.*, trials.*.

The probe and trial layouts follow their contracts (issue 2, issue 3 and docs/probe.md,
docs/trials.md). Where a part's layout is open-ended (each framework's build details,
version maps) the spec says ANY; everything else is checked name by name.
"""

from __future__ import annotations

from typing import Any

from chooser.decide.expressions import ANY, LEAF
from chooser.decide.machine import FACTS

TRIAL_IDS = ("torch_single", "tensorflow_single", "torch_distributed", "tensorflow_distributed")

_SAMPLES = {"median": LEAF, "min": LEAF, "max": LEAF, "windows": ANY, "ci95": [LEAF]}
TRIAL_SPEC: dict[str, Any] = {
    "ok": LEAF,  # derived: status == "ok"
    **{k: LEAF for k in (
        "id", "status", "message", "framework", "mode", "world_size", "device",
        "test_accuracy", "time_to_first_step_s", "wall_time_s", "peak_rss_bytes",
        "checksums_equal", "gflops_per_second", "data_source", "train_samples", "test_samples",
        "steps", "batch_size", "optimizer", "lr", "seed", "command", "busy_warning",
        "scaling_efficiency", "workers", "epochs", "comparable", "comparable_reason",
        "threads_per_rank")},
    "samples_per_second": _SAMPLES,
    "param_checksums": [LEAF],
    "versions": ANY,
    "scaling": ANY,
}

def _keys(*names: str, **nested: Any) -> dict[str, Any]:
    return {**{n: LEAF for n in names}, **nested}


_FRAMEWORK_COMMON = ("status", "version", "message", "hint", "import_time_s", "imported")
PROBE_SPEC: dict[str, Any] = {
    **_keys("schema_version", "timestamp"),
    "os": ANY, "python": ANY, "timings_s": ANY, "hardware_probe_failure": ANY,
    "cpu": _keys("model", "architecture", "physical_cores", "logical_cores", "affinity_cores",
                 "cgroup_cpu_quota_cores", "cgroup_cpu_quota_source", "cgroup_version",
                 "usable_cores", "usable_cores_limited_by",
                 frequency=_keys("current_mhz", "min_mhz", "max_mhz", "source"),
                 isa=ANY, isa_flags=[LEAF], errors=ANY),
    "memory": _keys("total_bytes", "available_bytes", "cgroup_limit_bytes", "cgroup_limit_source",
                    "usable_bytes", "swap_total_bytes", "source", errors=ANY),
    "gpus": [ANY],
    "gpu_probe": _keys("source", "reason", errors=ANY),
    "frameworks": {
        "torch": _keys(*_FRAMEWORK_COMMON, build=ANY, loaded=ANY, devices=ANY, horovod=ANY,
                       distributed=_keys("available", "how",
                                         backends=_keys("gloo", "nccl", "mpi", "ucc"))),
        "tensorflow": _keys(*_FRAMEWORK_COMMON, "import_mode", "full_import_reason",
                            "git_version", build=ANY, loaded=ANY, devices=ANY, horovod=ANY,
                            keras=ANY, distributed=ANY),
    },
}

_LIST_FACTS = {"gpu_names", "torch_backends", "tensorflow_collectives"}
MACHINE_SPEC: dict[str, Any] = {k: ([LEAF] if k in _LIST_FACTS else LEAF) for k in FACTS}


def specs_for(question_ids: list[str] | set[str]) -> dict[str, Any]:
    """Namespaces a rule condition may read, given the question bank's ids."""
    return {
        "answers": {qid: LEAF for qid in question_ids},
        "probe": PROBE_SPEC,
        "machine": MACHINE_SPEC,
        "trials": {tid: TRIAL_SPEC for tid in TRIAL_IDS},
    }


def prefill_specs() -> dict[str, Any]:
    """A question's pre-fill expression reads only the probe."""
    return {"probe": PROBE_SPEC, "machine": MACHINE_SPEC}
