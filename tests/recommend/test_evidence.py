"""Score only what the measurement supports (chooser.decide.evidence), on recorded results."""

from __future__ import annotations

import json

import pytest

from chooser.decide.questionnaire import load_questions
from chooser.decide.recommendation import recommend
from chooser.decide.rules import load_rules
from chooser.measure.scaling import add_scaling

TWO_GPUS = {"gpus": [{"name": "GPU 0"}, {"name": "GPU 1"}]}
MULTI = {"scale": "multi_gpu", "train_hardware": ["nvidia"]}


def rounds(sps: float, noise: list[float]) -> list[dict]:
    """Five rounds of three windows; ``noise`` gives each round's relative offset."""
    return [
        {"round": i + 1, "windows": [sps * (1 + n), sps * (1 + n * 0.5), sps * (1 - n)]}
        for i, n in enumerate(noise)
    ]


@pytest.fixture(scope="module")
def shipped():
    bank = load_questions()
    return bank, load_rules(bank=bank)


def fired(shipped, trials, answers=None, probe=None):
    bank, rules = shipped
    return {r.id: r for r in recommend(bank, rules, answers or {}, probe, trials).fired}


def test_clear_difference_scores(shipped, make_trial):
    rules = fired(shipped, [make_trial("torch", sps=2000.0), make_trial("tensorflow", sps=1000.0)])
    speed = rules["single_process_throughput"]
    # JAX ran no trial: neutral, the mean of the two measured
    assert speed.weight > 0 and speed.scores == {"torch": 1.0, "tensorflow": 0.5, "jax": 0.75}
    assert speed.evidence["measurement"].startswith(
        "beyond noise: PyTorch vs TensorFlow: throughput ratio 2.00"
    )


def test_busy_trial_scores_nothing_and_says_why(shipped, make_trial):
    busy = make_trial(
        "torch",
        sps=2000.0,
        comparable=False,
        comparable_reason="other processes used 1.02 cores on average",
    )
    rules = fired(shipped, [busy, make_trial("tensorflow", sps=1000.0)])
    for rule_id in ("single_process_throughput", "single_process_accuracy"):
        assert rules[rule_id].weight == 0.0
        assert rules[rule_id].reason.startswith(
            "not measurable on this machine now: PyTorch · 1 process: other processes used 1.02"
        )
        assert rules[rule_id].scores == {}  # a note: no score per framework
    speed = rules["single_process_throughput"]  # the figure is never a plain number
    assert "2000" not in speed.reason and speed.measured is None
    assert (
        speed.evidence["trials.torch_single.samples_per_second.median"] == "2,000 (not comparable)"
    )


def test_overlapping_interval_is_equal_within_noise(shipped, make_trial):
    noisy = [0.3, -0.3, 0.2, -0.25, 0.1]  # 1.1× apart, rounds scattered ±30 %
    torch = make_trial("torch", sps=1100.0)
    torch["samples_per_second"]["rounds"] = rounds(1100.0, noisy)
    tf = make_trial("tensorflow", sps=1000.0)
    tf["samples_per_second"]["rounds"] = rounds(1000.0, noisy[::-1])
    speed = fired(shipped, [torch, tf])["single_process_throughput"]
    assert speed.weight == 0.0
    assert speed.reason.startswith("equal within measurement noise")
    assert (
        "it weighs only with the interval wholly beyond 1.2×" in speed.evidence["measurement test"]
    )


def test_ratio_inside_the_band_is_noise_even_with_a_tight_interval(shipped, make_trial):
    speed = fired(shipped, [make_trial("torch", sps=1100.0), make_trial("tensorflow", sps=1000.0)])[
        "single_process_throughput"
    ]
    assert speed.weight == 0.0  # 1.1× is not beyond 1.2×
    assert speed.detail == "equal within measurement noise"


@pytest.mark.parametrize("torch_acc, scores", [(0.955, False), (0.975, True)])
def test_accuracy_counts_only_beyond_the_binomial_error(shipped, make_trial, torch_acc, scores):
    rule = fired(shipped, [make_trial("torch", acc=torch_acc), make_trial("tensorflow", acc=0.95)])[
        "single_process_accuracy"
    ]
    assert (rule.weight > 0) is scores
    assert "binomial standard error of ±0." in (
        rule.evidence.get("measurement test") or rule.evidence["measurement"]
    )


def _distributed(make_trial, torch_dist_sps: float) -> list[dict]:
    trials = [
        make_trial("torch", sps=1000.0),
        make_trial("tensorflow", sps=1000.0),
        make_trial("torch", "distributed", sps=torch_dist_sps),
        make_trial("tensorflow", "distributed", sps=600.0),
    ]
    add_scaling(trials)
    return trials


def test_impossible_scaling_efficiency_scores_nothing(shipped, make_trial):
    rule = fired(shipped, _distributed(make_trial, 7500.0), MULTI, TWO_GPUS)["scaling_efficiency"]
    assert rule.weight == 0.0
    assert "impossible scaling efficiency 7.50" in rule.reason


def test_real_scaling_difference_scores(shipped, make_trial):
    rule = fired(shipped, _distributed(make_trial, 800.0), MULTI, TWO_GPUS)["scaling_efficiency"]
    assert rule.weight > 0  # 0.2 behind on a span of 0.5 → 0.6
    assert rule.scores == {
        "torch": 1.0,
        "tensorflow": pytest.approx(0.6),
        "jax": pytest.approx(0.8),
    }


def test_what_if_does_not_score_a_busy_figure(shipped, make_trial):
    """Changing an answer in the what-if search re-applies the gate."""
    bank, rules = shipped
    busy = make_trial("torch", sps=4000.0, comparable=False, comparable_reason="busy")
    rec = recommend(bank, rules, {}, None, [busy, make_trial("tensorflow", sps=1000.0)])
    for w in rec.what_would_change:
        assert all("throughput" not in c.description for c in w.changes)


def test_recommend_rescored_from_saved_trials(cli, make_trial, tmp_path):
    busy = make_trial(
        "torch",
        sps=4000.0,
        comparable=False,
        comparable_reason="other processes used 1.10 cores on average",
    )
    saved = tmp_path / "suite.json"
    saved.write_text(
        json.dumps({"suite": "quick", "results": [busy, make_trial("tensorflow", sps=1000.0)]})
    )
    out = tmp_path / "r.json"
    done = cli("recommend", "--trials-from", saved, "--export", out)
    assert done.returncode == 0, done.stderr
    assert "not re-run" in done.stdout and "not comparable" in done.stdout
    report = json.loads(out.read_text())
    assert report["inputs"]["trials_suite"] == f"saved: {saved}"
    rules = {r["id"]: r for r in report["recommendation"]["fired"]}
    assert rules["single_process_throughput"]["weight"] == 0.0
    assert report["trials"][0]["comparable"] is False
    again = cli("recommend", "--trials-from", out)  # a report's trials load too
    assert again.returncode == 0, again.stderr


def test_bad_saved_trials_file_is_one_line(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"results": [1, 2]}')
    done = cli("recommend", "--trials-from", bad)
    assert done.returncode == 2
    assert done.stderr.strip().endswith(
        'trial result 0 is not an object with an "id" or a "framework"'
    )
    assert "Traceback" not in done.stderr
    both = cli("recommend", "--trials-from", bad, "--trials", "quick")
    assert both.returncode == 2 and "not both" in both.stderr


def test_trained_elsewhere_and_busy_quotes_no_figure(shipped, make_trial):
    busy = make_trial("torch", sps=4000.0, comparable=False, comparable_reason="busy")
    rule = fired(
        shipped, [busy, make_trial("tensorflow", sps=1000.0)], {"train_hardware": ["nvidia"]}
    )["single_process_throughput"]
    assert rule.weight == 0.0
    assert rule.reason == (
        "measured on this CPU, not on your training hardware; and not "
        "comparable: PyTorch · 1 process: busy. It weighs nothing."
    )
    assert (
        rule.evidence["trials.torch_single.samples_per_second.median"] == "4,000 (not comparable)"
    )


THREE_WAY = """\
criteria:
  - {id: speed, label: Speed}
rules:
  - id: speed_three
    criterion: speed
    measure:
      values:
        torch: trials.throughput.torch.single.samples_per_second.median
        tensorflow: trials.throughput.tensorflow.single.samples_per_second.median
        jax: trials.throughput.jax.single.samples_per_second.median
      span: 2
    reason: Measured.
    source: test
    checked: 2026-12
"""


@pytest.fixture
def with_jax():
    """The three frameworks these tests compare: JAX is a registered framework."""
    from chooser.core import frameworks

    assert frameworks.known("jax")
    yield


def _three_way(write, trials):
    from tests.recommend.conftest import MINI_QUESTIONS

    bank = load_questions(write("q.yaml", MINI_QUESTIONS))
    rules = load_rules(write("r.yaml", THREE_WAY), bank=bank)
    return recommend(bank, rules, {}, None, trials).fired[0]


def test_three_frameworks_gate_pairwise_against_the_best(with_jax, write, make_trial):
    """torch 2× tensorflow (beyond noise), jax 1.1× tensorflow's (within noise of nothing
    but tensorflow): jax and tensorflow are each tested against torch, the best."""
    rule = _three_way(
        write,
        [
            make_trial("torch", sps=2000.0),
            make_trial("tensorflow", sps=1000.0),
            make_trial("jax", sps=1900.0),
        ],
    )
    assert rule.weight > 0
    # jax is within noise of torch (1.05×): scored as torch; tensorflow is not
    assert rule.scores == {"torch": 1.0, "tensorflow": 0.5, "jax": 1.0}
    assert "within noise of PyTorch, scored as PyTorch: JAX" in rule.evidence["measurement"]


def test_three_frameworks_all_within_noise_weigh_nothing(with_jax, write, make_trial):
    rule = _three_way(
        write,
        [make_trial(fw, sps=1000.0 + i) for i, fw in enumerate(("torch", "tensorflow", "jax"))],
    )
    assert rule.weight == 0.0 and rule.detail == "equal within measurement noise"


def test_a_framework_not_installed_is_neutral_not_needs_trial(with_jax, write, make_trial):
    """jax's trial did not run (not installed): the rule still compares torch and
    tensorflow, and jax gets their mean."""
    missing = make_trial("jax", status="missing", message="jax is not installed here")
    rule = _three_way(
        write, [make_trial("torch", sps=2000.0), make_trial("tensorflow", sps=1000.0), missing]
    )
    assert rule.status == "fired" and rule.weight > 0
    assert rule.scores == {"torch": 1.0, "tensorflow": 0.5, "jax": 0.75}
