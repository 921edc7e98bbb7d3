"""Score only what the measurement supports.

A rule that fired and reads trial results keeps its weight only when the measurement
can carry it; otherwise it weighs nothing (weight 0: it adds to no criterion) and stays
as a note that says why:

1. **Where it was measured.** The answers say the user trains on hardware this machine
   does not have (NVIDIA/AMD/Apple GPUs, TPUs, several GPUs, a cluster) and the trials
   ran on this CPU: "measured on this CPU, not on your training hardware".
2. **Comparable.** A measure rule whose trial results are not ``comparable``
   (chooser.measure.comparable): "not measurable on this machine now: <reason>".
3. **Beyond the noise.** A measure rule compares one number per framework; the test is
   applied pairwise, between the best framework and each other one it measures. A
   framework within the noise of the best gets the best's score; when every one is,
   the rule weighs nothing. What is compared decides the test:
   - throughput (``samples_per_second``, ``gflops_per_second``): the 95 % bootstrap
     interval of the ratio of the two must lie wholly above ``RATIO_BAND`` or below
     its inverse;
   - ``scaling_efficiency``: the interval of the difference of the two efficiencies
     must lie wholly beyond ±``EFFICIENCY_BAND``, and both scalings be comparable;
   - ``test_accuracy``: the difference must exceed the binomial standard error of the
     two held-out sets (1,000 images: about ±1 point);
   - ``time_to_first_step_s`` (one start-up each, no interval): the ratio must lie
     beyond ``RATIO_BAND``;
   - ``time_to_target_s`` (one run each, no interval): both reached the target, and
     the ratio must lie beyond ``RATIO_BAND`` even with the slower run's time taken at
     its evaluation before the hit (the cadence's bracket: chooser.decide.to_target).
   Otherwise: "equal within measurement noise".
A framework whose trial did not run (not installed) is neutral in the rule
(chooser.decide.rules), so it never holds the others back. The verdict of each gate is
kept in the rule's evidence under ``measurement``.
"""

from __future__ import annotations

import math
from typing import Any

from chooser.core import frameworks, numbers
from chooser.core.figures import comparable_of, compare_pair
from chooser.core.stats import derived_ci, groups_of, method_text
from chooser.decide.rule_results import RuleResult
from chooser.decide.rules import Rule
from chooser.decide.to_target import beyond_cadence
from probes.result import alias, split_id, trial_id

RATIO_BAND = 1.2
EFFICIENCY_BAND = 0.1
ELSEWHERE = "measured on this CPU, not on your training hardware"
NOISE = "equal within measurement noise"
NOT_NOW = "not measurable on this machine now"
HARDWARE_ANSWERS = frozenset({"train_hardware", "scale"})  # the answers hardware_elsewhere reads


def hardware_elsewhere(answers: dict[str, Any], machine: dict[str, Any]) -> str | None:
    """What the user trains on that this machine lacks, in words, or None."""
    have = machine.get("accelerator") or "cpu"
    wanted = [h for h in answers.get("train_hardware") or [] if h != "cpu" and h != have]
    lacking = [
        {"nvidia": "NVIDIA GPUs", "amd": "AMD GPUs", "apple": "Apple silicon", "tpu": "TPUs"}.get(
            h, h
        )
        for h in wanted
    ]
    if answers.get("scale") == "multi_node":
        lacking.append("a cluster of several machines")
    elif answers.get("scale") == "multi_gpu" and (machine.get("nvidia_gpus") or 0) < 2:
        lacking.append("several GPUs in one machine")
    return ", ".join(lacking) or None


_KINDS = (
    "time_to_target_s",
    "samples_per_second",
    "gflops_per_second",
    "scaling_efficiency",
    "test_accuracy",
    "time_to_first_step_s",
)


def _sides(rule: Rule) -> tuple[dict[str, str], str]:
    """({framework: the trial id its value reads}, what is compared) of a measure rule."""
    sides: dict[str, str] = {}
    chains = ""
    for fw, checked in (rule._measure or {}).items():
        ids = sorted(checked.trial_ids)
        if ids:
            sides[fw] = ids[0]
        chains += " " + " ".join(checked.chains)
    kind = next((k for k in _KINDS if k in chains), "")
    return sides, kind


def _note(
    result: RuleResult, text: str, facts: dict[str, Any], comparable: bool = True
) -> RuleResult:
    """``result`` as a note that weighs nothing. A figure that is not comparable is never
    shown as a plain number: the rule's own reason (which quotes the figures) is left out
    and each trial figure in the evidence says "not comparable"."""
    evidence = dict(result.evidence)
    if not comparable:
        evidence = {
            k: _not_comparable(v) if k.startswith("trials.") else v for k, v in evidence.items()
        }
    evidence.update(measurement=text, **facts)
    reason = f"{text}. {result.reason}" if comparable else f"{text}. It weighs nothing."
    return result.model_copy(
        update={
            "weight": 0.0,
            "scores": {},  # shown as a note: no score per framework
            "reason": reason,
            "evidence": evidence,
            "detail": text,
            "measured": result.measured if comparable else None,
        }
    )


def _not_comparable(value: Any) -> Any:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    return (
        f"{value:,.0f} (not comparable)" if abs(value) >= 1000 else f"{value:.4g} (not comparable)"
    )


def _fmt(ci: tuple[float, float] | list[float] | None, spec: str = ".2f") -> str:
    return "no interval" if not ci else f"95 % interval [{ci[0]:{spec}}, {ci[1]:{spec}}]"


def _beyond_noise(kind: str, a: dict[str, Any], b: dict[str, Any]) -> tuple[bool, str]:
    """(supported, the words that say what was tested) for trial results a (the best framework), b."""
    if kind in ("samples_per_second", "gflops_per_second"):
        pair = compare_pair(a, b)
        if pair is None or pair["ci95"] is None:
            return False, f"{NOT_NOW}: no interval for the throughput ratio (needs 2+ rounds)"
        lo, hi = pair["ci95"]
        ok = lo > RATIO_BAND or hi < 1 / RATIO_BAND
        return ok, (
            f"throughput ratio {pair['ratio']:.2f} ({_fmt(pair['ci95'])}, "
            f"{pair['interval_method']}); it weighs only with the interval wholly beyond "
            f"{RATIO_BAND:g}× either way"
        )
    if kind == "scaling_efficiency":
        return _scaling(a, b)
    if kind == "test_accuracy":
        p, q = a.get("test_accuracy"), b.get("test_accuracy")
        n, m = a.get("test_samples") or 0, b.get("test_samples") or 0
        if p is None or q is None or not n or not m:
            return False, f"{NOT_NOW}: accuracy or test-set size missing"
        se = 100 * math.sqrt(p * (1 - p) / n + q * (1 - q) / m)
        diff = 100 * (p - q)
        return abs(diff) > se, (
            f"accuracy difference {diff:+.2f} points against a binomial "
            f"standard error of ±{se:.2f} points ({n:,} and {m:,} images)"
        )
    if kind == "time_to_target_s":
        return beyond_cadence(a, b, RATIO_BAND, NOT_NOW)
    if kind == "time_to_first_step_s":
        s, t = a.get("time_to_first_step_s"), b.get("time_to_first_step_s")
        if not s or not t:
            return False, f"{NOT_NOW}: a start-up time is missing"
        ratio = t / s
        return (ratio > RATIO_BAND or ratio < 1 / RATIO_BAND), (
            f"start-up ratio {ratio:.2f} (one start-up each, no interval); it weighs only with it "
            f"beyond {RATIO_BAND:g}× either way"
        )
    return True, ""


def _scaling(a: dict[str, Any], b: dict[str, Any]) -> tuple[bool, str]:
    sa, sb = a.get("scaling") or {}, b.get("scaling") or {}
    for s, r in ((sa, a), (sb, b)):
        if s.get("comparable") is False:
            return False, (
                f"{NOT_NOW}: {numbers.trial_name(r)} scaling: {s.get('comparable_reason')}"
            )
    base_a, base_b = a.get("_baseline"), b.get("_baseline")
    groups = [groups_of(r)[0] for r in (a, base_a, b, base_b) if r is not None]
    if len(groups) < 4 or not all(groups):
        return False, f"{NOT_NOW}: no interval for the scaling efficiencies"
    ideal_a, ideal_b = sa.get("ideal_speedup", 1.0), sb.get("ideal_speedup", 1.0)
    diff, ci = derived_ci(groups, lambda m: m[0] / m[1] / ideal_a - m[2] / m[3] / ideal_b)
    if ci is None:
        return False, f"{NOT_NOW}: no interval for the scaling efficiencies"
    ok = ci[0] > EFFICIENCY_BAND or ci[1] < -EFFICIENCY_BAND
    return ok, (
        f"efficiency difference {diff:+.2f} ({_fmt(ci)}, "
        f"{method_text('windows')}); it weighs only with the interval wholly beyond "
        f"±{EFFICIENCY_BAND:g}"
    )


def gate(
    rule: Rule,
    result: RuleResult,
    trials: list[dict[str, Any]],
    answers: dict[str, Any],
    machine: dict[str, Any],
) -> RuleResult:
    """``result`` as the measurement supports it (see the module docstring)."""
    if result.status != "fired" or not rule.trial_ids:
        return result
    by_id = {str(t.get("id")): t for t in trials}
    for t in trials:  # a trial is named by its id and by its old one (<framework>_single)
        parts = split_id(str(t.get("id")))
        if parts is not None:
            by_id.setdefault(trial_id(parts[1], parts[2], parts[0]), t)
        by_id.setdefault(alias(str(t.get("id"))), t)
    read = [by_id[i] for i in sorted(rule.trial_ids) if i in by_id]
    read = [t for t in read if t.get("status") != "missing"]  # neutral, not a fault
    apart = [
        f"{numbers.trial_name(t)}: {comparable_of(t)[1]}" for t in read if not comparable_of(t)[0]
    ]
    elsewhere = hardware_elsewhere(answers, machine)
    if elsewhere and any(str(t.get("device", "cpu")).startswith("cpu") for t in read):
        text = ELSEWHERE + (f"; and not comparable: {apart[0]}" if apart else "")
        return _note(result, text, {"your training hardware": elsewhere}, comparable=not apart)
    if rule.measure is None or not result.weight:
        return result
    if apart:
        return _note(result, f"{NOT_NOW}: {apart[0]}", {}, comparable=False)
    sides, kind = _sides(rule)
    ran = {fw: by_id[tid] for fw, tid in sides.items() if tid in by_id}
    ran = {fw: t for fw, t in ran.items() if t.get("status") == "ok"}
    if len(ran) < 2:
        return result
    best = max(ran, key=lambda fw: result.scores.get(fw, 0.0))
    tied, tests = [], []
    for fw, other in ran.items():
        if fw == best:
            continue
        a, b = dict(ran[best]), dict(other)
        for r in (a, b):  # a distributed result's single-process baseline, for scaling
            base = (r.get("scaling") or {}).get("baseline_id")
            r["_baseline"] = by_id.get(base) if base else None
        supported, words = _beyond_noise(kind, a, b)
        if not supported and words.startswith(NOT_NOW):
            return _note(result, words, {}, comparable=False)
        if not supported:
            tied.append(fw)
        if words:
            tests.append(f"{frameworks.label(best)} vs {frameworks.label(fw)}: {words}")
    if len(tied) == len(ran) - 1:
        return _note(result, NOISE, {"measurement test": "; ".join(tests)})
    scores = {fw: result.scores[best] if fw in tied else v for fw, v in result.scores.items()}
    words = "; ".join(tests)
    if tied:
        words += (
            f"; within noise of {frameworks.label(best)}, scored as {frameworks.label(best)}: "
            + ", ".join(frameworks.label(fw) for fw in tied)
        )
    measurement = f"beyond noise: {words}" if words else result.evidence.get("measurement")
    return result.model_copy(
        update={"scores": scores, "evidence": {**result.evidence, "measurement": measurement}}
    )
