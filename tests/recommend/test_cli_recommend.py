"""`chooser recommend` end to end (the probe runs for real; trials: none)."""

from __future__ import annotations

import json
import re

import pytest
from markupsafe import escape

EXAMPLES = {"researcher": "torch", "mobile-production": "tensorflow"}
LABEL = {"torch": "PyTorch", "tensorflow": "TensorFlow"}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_answers_same_verdict_in_every_format(name, repo_root, tmp_path, cli):
    answers = repo_root / "questions" / "examples" / f"{name}.yaml"
    out = {ext: tmp_path / f"r.{ext}" for ext in ("json", "md", "html")}
    result = cli(
        "recommend",
        "--answers",
        answers,
        "--trials",
        "none",
        "--export",
        out["json"],
        "--export",
        out["md"],
        "--export",
        out["html"],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    expected = EXAMPLES[name]
    assert f"Recommended: {LABEL[expected]}" in result.stdout

    data = json.loads(out["json"].read_text())
    rec = data["recommendation"]
    assert rec["verdict"] == expected
    assert (
        rec["totals"][expected]
        > rec["totals"][{"torch": "tensorflow", "tensorflow": "torch"}[expected]]
    )
    assert data["inputs"]["answers_source"] == str(answers)
    assert data["probe"]["frameworks"]["torch"]["status"] in ("ok", "missing", "error")
    assert data["command_line"][:2] == ["chooser", "recommend"]
    reasons = [
        r["reason"] for r in rec["fired"] if r["weighed"] and len(set(r["scores"].values())) > 1
    ]
    assert len(reasons) >= 3
    md, page = out["md"].read_text(), out["html"].read_text()
    assert f"Recommended: {LABEL[expected]}" in md
    assert re.search(rf'class="verdict {expected}"[^>]*>Recommended: {LABEL[expected]}', page)
    for reason in reasons:
        assert reason in md
        assert str(escape(reason)) in page  # escaped as Jinja2's autoescape does
    # no trials ran: the rules that need them say so rather than counting zero
    assert any("which were not run" in n["detail"] for n in rec["needs_trials"])


def test_defaults_are_used_and_said(tmp_path, cli):
    result = cli("recommend", "--trials", "none", "--export", tmp_path / "r.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No --answers given: using each question's default" in result.stdout
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["inputs"]["answers_source"] == "defaults"
    origins = {a["id"]: a["origin"] for a in data["inputs"]["answers"]}
    assert origins["goals"] == "default"
    assert origins["train_hardware"] == "probe"  # pre-filled from the real probe
    assert "answered" not in origins.values()


def test_existing_export_refused_before_any_work(tmp_path, cli):
    target = tmp_path / "r.md"
    target.write_text("old")
    result = cli("recommend", "--trials", "none", "--export", target, cwd=tmp_path)
    assert result.returncode == 2 and "--force" in result.stderr and "r.md" in result.stderr
    assert "Probe:" not in result.stdout  # refused before probing
    assert target.read_text() == "old"
    result = cli("recommend", "--trials", "none", "--export", tmp_path / "r.pdf", cwd=tmp_path)
    assert result.returncode == 2 and ".json, .md or .html" in result.stderr


@pytest.mark.parametrize(
    "name,words,section",
    [
        ("keras-course", "Either — write it in Keras 3", "## Criteria"),
        (
            "coral-edge-camera",
            "the only one that meets your hard requirements",
            "## Hard requirements (knock-outs)",
        ),
    ],
)
def test_either_and_knockout_outcomes_in_every_format(
    name, words, section, repo_root, tmp_path, cli
):
    answers = repo_root / "questions" / "examples" / f"{name}.yaml"
    exports = [tmp_path / f"r.{ext}" for ext in ("json", "md", "html")]
    result = cli("recommend", "--answers", answers, "--trials", "none", "--export", *exports)
    assert result.returncode == 0, result.stderr
    assert words in result.stdout and "Criteria (weight × score per framework)" in result.stdout
    rec = json.loads(exports[0].read_text())["recommendation"]
    assert words in rec["outcome"] and rec["confidence"]["sensitivity"]["tried"] >= 0
    assert all(r["checked"] == "2026-12" for r in rec["fired"])
    md, page = exports[1].read_text(), exports[2].read_text()
    assert words in md and section in md and "| 2026-12 |" in md
    assert words in page and section.removeprefix("## ") in page
