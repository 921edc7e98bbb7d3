"""A real interleaved comparison while another process keeps a core busy (slow: ~30 s).

The honest outcome on a busy machine is a thread budget that leaves the busy core alone
and results that say they are not comparable, so no rule scores them."""

from __future__ import annotations

import asyncio
import time

import pytest

from chooser.measure.budget import measure_budget, usable_cores
from chooser.measure.trials import TrialSpec
from chooser.pipeline.suite_run import SuiteRun
from tests.busy_process import start_hog, stop_hog

pytestmark = pytest.mark.slow


def test_busy_core_is_seen_and_nothing_busy_is_scored():
    from chooser.decide.questionnaire import load_questions
    from chooser.decide.recommendation import recommend
    from chooser.decide.rules import load_rules

    steps = 3 * 46  # 3 rounds: 5 warm-up steps and 2 windows of 20 each
    specs = [
        TrialSpec(fw, "single", steps=steps, timeout_s=120, extra_args=("--window-steps", "20"))
        for fw in ("torch", "tensorflow")
    ]
    hog = start_hog()
    try:
        time.sleep(1.0)
        budget = asyncio.run(measure_budget())
        results = asyncio.run(SuiteRun(specs, rounds=3, budget=budget).run())
    finally:
        stop_hog(hog)
    assert [r["status"] for r in results] == ["ok", "ok"], [r.get("message") for r in results]
    for r in results:
        budget = r["thread_budget"]
        assert budget["busy"] is True, budget  # the hog alone is about one core
        assert budget["threads"] == max(1, usable_cores() - 1)
        assert r["threads_per_rank"] == budget["threads"]
        assert len(r["samples_per_second"]["rounds"]) == 3
        assert r["comparable"] is False, r["machine_load"]
        assert (
            "other processes" in r["comparable_reason"]
            or "rounds ran while" in r["comparable_reason"]
        )
    bank = load_questions()
    rec = recommend(bank, load_rules(bank=bank), {"goals": ["research"]}, None, results)
    for rule in rec.fired:
        if any(k.startswith("trials.") for k in rule.evidence):
            assert rule.weight == 0.0, rule.id
            assert rule.reason.startswith("not measurable on this machine now")
