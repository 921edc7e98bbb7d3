"""A rule waiting for trials says it in one clean sentence: the trials in people's words,
why each is missing and how to run them; never an empty list, never twice (issue 12)."""

from __future__ import annotations

import io

from rich.console import Console

from chooser.decide.questionnaire import load_questions
from chooser.decide.recommendation import recommend
from chooser.decide.rules import load_rules
from chooser.measure.scaling import add_scaling
from chooser.tui.widgets.verdict_view import needs_and_changes
from chooser.views.recommendation import print_recommendation

ANSWERS = {"scale": "multi_node"}


def _cancelled_torch_single(make_trial):
    """Every trial of the quick suite finished except PyTorch's single run, cancelled."""
    trials = [
        make_trial(fw, mode)
        for mode in ("single", "distributed")
        for fw in ("torch", "tensorflow", "jax")
    ]
    trials[0].update(status="cancelled", message="cancelled by you at step 12 of 528")
    add_scaling(trials)
    return trials


def _need(rec, rule_id):
    return next(n for n in rec.needs_trials if n.rule_id == rule_id)


def _render(renderable_or_fn, width=80) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    renderable_or_fn(console) if callable(renderable_or_fn) else console.print(renderable_or_fn)
    return console.file.getvalue()


def test_cancelled_baseline_names_it_and_how_to_run_it(make_trial):
    bank = load_questions()
    rec = recommend(
        bank, load_rules(None, bank), ANSWERS, None, _cancelled_torch_single(make_trial)
    )
    need = _need(rec, "scaling_efficiency")
    assert need.trials == ["throughput/torch/single"]
    assert need.detail.startswith("needs PyTorch · 1 process (the single-process baseline")
    assert "which did not succeed (cancelled: cancelled by you at step 12 of 528)" in need.detail
    assert "`chooser recommend --trials quick`" in need.detail
    assert " . " not in need.detail and "trials ," not in need.detail


def test_trials_not_run_are_named_for_people(make_trial):
    bank = load_questions()
    singles = [make_trial(fw) for fw in ("torch", "tensorflow", "jax")]
    rec = recommend(bank, load_rules(None, bank), ANSWERS, None, singles)
    detail = _need(rec, "scaling_efficiency").detail
    assert detail.startswith(
        "needs the trials PyTorch · distributed, TensorFlow · distributed and "
        "JAX · distributed, which were not run; run them from"
    )


def test_views_say_it_once(make_trial):
    """The app's verdict tab, the CLI and a resumed run (the same answers again) each show
    the sentence once: the view adds nothing in front of it."""
    bank = load_questions()
    rules = load_rules(None, bank)
    trials = _cancelled_torch_single(make_trial)
    for rec in (
        recommend(bank, rules, ANSWERS, None, trials),
        recommend(bank, rules, dict(ANSWERS), None, [dict(t) for t in trials]),
    ):
        detail = _need(rec, "scaling_efficiency").detail
        app = " ".join(_render(needs_and_changes(rec), 200).split())
        cli = " ".join(
            _render(lambda c, rec=rec: print_recommendation(c, rec, trials), 300).split()
        )
        for shown in (app, cli):
            assert shown.count("needs PyTorch · 1 process (the single-process") == 1
            assert "needs ." not in shown and "needs trials" not in shown
        assert f"scaling_efficiency: {detail}" in app


def test_cli_resumed_with_answers_says_it_once(cli, make_trial, tmp_path):
    """`chooser recommend --answers … --trials-from …`, the path that doubled the text, and
    the Markdown report it writes: the sentence once, the trials named for people."""
    import json

    saved = tmp_path / "suite.json"
    saved.write_text(json.dumps({"suite": "quick", "results": _cancelled_torch_single(make_trial)}))
    answers = tmp_path / "answers.yaml"
    answers.write_text("scale: multi_node\n")
    out = tmp_path / "r.md"
    done = cli("recommend", "--answers", answers, "--trials-from", saved, "--export", out)
    assert done.returncode == 0, done.stderr
    for text in (" ".join(done.stdout.split()), out.read_text()):
        assert text.count("scaling_efficiency") >= 1
        assert text.count("needs PyTorch · 1 process (the single-process baseline") == 1
        assert "needs ." not in text and "needs trials" not in text


def test_trials_only_the_full_suite_runs_point_to_full():
    """Time to accuracy and the variants are not in the quick suite: the hint says full."""
    from chooser.decide.waiting import waiting_sentence

    tta = waiting_sentence(["time_to_accuracy/torch/single"], "trials.x", {})
    assert "`chooser recommend --trials full`" in tta and "(full budget)" in tta
    quick = waiting_sentence(["throughput/torch/single"], "trials.x", {})
    assert "`chooser recommend --trials quick`" in quick
    variant = waiting_sentence(["throughput/torch/single+beginner"], "trials.x", {})
    assert "--trials full" in variant
