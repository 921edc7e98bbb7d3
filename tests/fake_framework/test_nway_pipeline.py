"""A third framework, registered by the test alone (registry entry, probe and trial module
under tests/, one rule), runs the whole pipeline N-way: probe, one real trial, scoring,
what-would-change and the three report formats."""

from __future__ import annotations

import json

from fake_registry import FAKE, RULE, fake_framework_registered

from chooser import pipeline
from chooser.core import frameworks
from chooser.report import load_report, render

QUESTIONS = """\
questions:
  - id: team
    text: Does your team know TensorFlow?
    type: yes_no
    default: false
"""
RULES = (
    """\
criteria:
  - {id: familiar, label: Familiarity}
  - {id: team, label: Team knowledge}
  - {id: hardware, label: Measured here}
rules:
  - id: everyone_knows_it
    criterion: familiar
    weight: 0.5
    scores: {torch: 1, tensorflow: 0}
    reason: A test rule for the runner-up.
    source: test
    checked: 2026-12
  - id: team
    criterion: team
    condition: answers.team
    weight: 3
    scores: {torch: 0, tensorflow: 1, fakefw: 0}
    reason: Your team knows TensorFlow.
    source: test
    checked: 2026-12
"""
    + RULE
)


async def test_a_third_framework_runs_the_whole_pipeline(tmp_path):
    (tmp_path / "q.yaml").write_text(QUESTIONS)
    (tmp_path / "rules.yaml").write_text(RULES)
    with fake_framework_registered():
        assert frameworks.ids() == ["torch", "tensorflow", "fakefw"]
        inputs = pipeline.load_inputs(tmp_path / "q.yaml", tmp_path / "rules.yaml")

        parts: list[str] = []
        probe = await pipeline.probe(on_part=lambda name, part: parts.append(name))
        assert sorted(parts) == ["fakefw", "hardware", "tensorflow", "torch"]
        assert probe["frameworks"]["fakefw"]["status"] == "ok"

        specs = [s for s in pipeline.suite("quick") if s.framework == "fakefw"]
        assert [s.id for s in specs] == ["throughput/fakefw/single"]  # no distributed module
        specs[0].steps, specs[0].timeout_s = 60, 60.0
        results = await pipeline.SuiteRun(specs).run()
        result = results[0]
        assert result["status"] == "ok", result
        assert result["framework"] == "fakefw" and result["kind"] == "throughput"
        assert result["test_accuracy"] > 0.5 and result["samples_per_second"]["median"] > 0

        rec = pipeline.score(inputs, probe, results)
        # FakeFW: 0.5 × 0.5 (everyone_knows_it does not list it: neutral, the mean of the
        # listed scores) + 2 × 1 (its measured rule)
        assert rec.totals == {"torch": 0.5, "tensorflow": 0.0, "fakefw": 2.25}
        assert rec.verdict == "fakefw" and rec.margin == 1.75  # lead over the runner-up
        assert "FakeFW leads PyTorch by 1.8 of 2.5 points" in rec.confidence.explanation
        flips = [w for w in rec.what_would_change if w.verdict == "tensorflow"]
        assert flips and flips[0].changes[0].path == "answers.team"
        assert set(flips[0].totals) == {"torch", "tensorflow", "fakefw"}

        report = pipeline.report(
            inputs, rec, probe, results, suite_name="fakefw only", command_line=["test"]
        )
        markdown, html = render(report, "md"), render(report, "html")
        assert "# chooser: PyTorch, TensorFlow or FakeFW?" in markdown
        assert "| FakeFW | 2.2 | standing |" in markdown  # points: at most one decimal
        assert "`throughput/fakefw/single`" in markdown
        assert "→ TensorFlow (PyTorch 0.5 vs TensorFlow 3 vs FakeFW 2.2 points)" in markdown
        assert FAKE.colour in html and 'id="score-fakefw">2.2<' in html
        assert "Recommended: FakeFW" in html
        written = pipeline.export(report, [tmp_path / "r.json"])
        data = json.loads(written[0].read_text())
        assert data["recommendation"]["verdict"] == "fakefw"
        assert load_report(written[0]).recommendation.totals["fakefw"] == 2.25
    assert frameworks.ids() == ["torch", "tensorflow", "jax"]  # restored


def test_only_the_registry_names_a_framework(repo_root):
    """Everything else asks chooser.core.frameworks (the issue's `grep -rl` check)."""
    naming = sorted(
        str(path.relative_to(repo_root))
        for path in (repo_root / "chooser").rglob("*")
        if path.is_file()
        and path.suffix in (".py", ".tcss")
        and any(name in path.read_text(encoding="utf-8") for name in ("torch", "tensorflow"))
    )
    assert naming == ["chooser/core/frameworks.py"]
