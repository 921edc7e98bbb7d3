"""What a condition may read: the known names under answers.*, probe.*, machine.*, trials.*.

The probe and trial layouts follow their contracts (docs/probe.md, docs/trials.md); each
framework's own probe keys and trials come from the registry (``chooser.core.frameworks``). Where a part's layout is open-ended (each framework's build details,
version maps) the spec says ANY; everything else is checked name by name.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import typing_extensions

from chooser.core import frameworks
from chooser.decide.expressions import ANY, LEAF
from chooser.decide.machine import fact_table, list_facts
from probes.result import TrialResult, alias, trial_id


def trial_ids() -> list[str]:
    """``<kind>/<framework>/<mode>`` for every registered framework's trials."""
    return [
        trial_id(fw.id, mode, kind)
        for fw in frameworks.frameworks()
        for kind in fw.kinds
        for mode in fw.trial_modules
    ]


def _field_spec(hint: Any) -> Any:
    """A TrialResult field's spec: nested TypedDicts by name, lists as [LEAF], mappings ANY."""
    origin = typing.get_origin(hint)
    if origin is list:
        return [LEAF]
    if origin is dict:
        return ANY
    if origin in (typing.Union, types.UnionType):
        specs = [_field_spec(arg) for arg in typing.get_args(hint) if arg is not type(None)]
        return specs[0] if len(specs) == 1 else LEAF
    if typing_extensions.is_typeddict(hint):
        return {name: _field_spec(sub) for name, sub in typing.get_type_hints(hint).items()}
    return LEAF


# Derived from the one result type: adding a field there makes it readable in rules.
TRIAL_SPEC: dict[str, Any] = {
    "ok": LEAF,  # derived: status == "ok"
    **{name: _field_spec(hint) for name, hint in typing.get_type_hints(TrialResult).items()},
}


def trials_spec() -> dict[str, Any]:
    """``trials.<kind>.<framework>.<mode>.<field>``, and the old ``trials.<framework>_<mode>``."""
    spec: dict[str, Any] = {}
    for tid in trial_ids():
        kind, framework, mode = tid.split("/")
        spec.setdefault(kind, {}).setdefault(framework, {})[mode] = TRIAL_SPEC
        if alias(tid) != tid:
            spec[alias(tid)] = TRIAL_SPEC
    return spec


def _keys(*names: str, **nested: Any) -> dict[str, Any]:
    return {**{n: LEAF for n in names}, **nested}


_FRAMEWORK_COMMON = ("status", "version", "message", "hint", "import_time_s", "imported")
_PROBE_COMMON: dict[str, Any] = {
    **_keys("schema_version", "timestamp"),
    "os": ANY,
    "python": ANY,
    "timings_s": ANY,
    "hardware_probe_failure": ANY,
    "cpu": _keys(
        "model",
        "architecture",
        "physical_cores",
        "logical_cores",
        "affinity_cores",
        "cgroup_cpu_quota_cores",
        "cgroup_cpu_quota_source",
        "cgroup_version",
        "usable_cores",
        "usable_cores_limited_by",
        frequency=_keys("current_mhz", "min_mhz", "max_mhz", "source"),
        isa=ANY,
        isa_flags=[LEAF],
        errors=ANY,
    ),
    "memory": _keys(
        "total_bytes",
        "available_bytes",
        "cgroup_limit_bytes",
        "cgroup_limit_source",
        "usable_bytes",
        "swap_total_bytes",
        "source",
        errors=ANY,
    ),
    "gpus": [ANY],
    "gpu_probe": _keys("source", "reason", errors=ANY),
}


def _spec(keys: Any) -> Any:
    """The registry's plain key description (None leaf, "*" anything, dict) as a spec."""
    if keys is None:
        return LEAF
    if keys == "*":
        return ANY
    return {name: _spec(sub) for name, sub in keys.items()}


def probe_spec() -> dict[str, Any]:
    return {
        **_PROBE_COMMON,
        "frameworks": {
            fw.id: _keys(*_FRAMEWORK_COMMON, **_spec(fw.probe_keys))
            for fw in frameworks.frameworks()
        },
    }


def machine_spec() -> dict[str, Any]:
    lists = list_facts()
    return {k: ([LEAF] if k in lists else LEAF) for k in fact_table()}


def specs_for(question_ids: list[str] | set[str]) -> dict[str, Any]:
    """Namespaces a rule condition may read, given the question bank's ids."""
    return {
        "answers": {qid: LEAF for qid in question_ids},
        "probe": probe_spec(),
        "machine": machine_spec(),
        "trials": trials_spec(),
    }


def prefill_specs() -> dict[str, Any]:
    """A question's pre-fill expression reads only the probe."""
    return {"probe": probe_spec(), "machine": machine_spec()}
