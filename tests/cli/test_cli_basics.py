"""The installable command: version, help, bad flags, architecture contracts, the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import chooser


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chooser", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"chooser {chooser.__version__}"


def test_help_lists_every_subcommand() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    for name in ("probe", "trial", "recommend", "report", "compare", "tui"):
        assert name in proc.stdout


@pytest.mark.parametrize("args", [["--bogus"], ["probe", "--no-such-flag"], ["nonsense"]])
def test_bad_flag_is_exit_2_without_traceback(args: list[str]) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "error:" in proc.stderr


def test_import_contracts_hold(repo_root: Path) -> None:
    """import-linter: chooser never imports a framework; probes never import textual/chooser."""
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run(
        [str(lint), "--no-cache"], capture_output=True, text=True, cwd=repo_root, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "BROKEN" not in proc.stdout


def test_cli_import_loads_no_framework_or_textual() -> None:
    code = (
        "import sys, chooser.cli.entry; chooser.cli.entry.build_parser(); "
        "bad = [m for m in ('torch', 'tensorflow', 'keras', 'textual') if m in sys.modules]; "
        "print(bad)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_wheel_ships_packages_and_question_data(repo_root: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(repo_root),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("chooser-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "chooser/cli/entry.py" in names and "probes/protocol.py" in names
    shipped = {Path(n).name for n in names if n.startswith("chooser/data/questions/")}
    expected = {p.name for p in (repo_root / "questions").rglob("*.yaml")}
    assert expected and expected <= shipped
    templates = {p.name for p in (repo_root / "chooser" / "report" / "templates").iterdir()}
    assert "report.html.j2" in templates  # the HTML report's Jinja2 templates ship too
    assert {f"chooser/report/templates/{name}" for name in templates} <= set(names)
    entry = [n for n in names if n.endswith("entry_points.txt")]
    assert entry and "chooser = chooser.cli:main" in zipfile.ZipFile(wheel).read(entry[0]).decode()


def test_tui_refuses_a_bad_answers_file_before_starting(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("goals: [nope]\n")
    proc = run("tui", "--answers", str(answers))
    assert proc.returncode == 2
    assert f"{answers}:1:" in proc.stderr and "'nope' is not an option" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_tui_out_must_be_a_directory(tmp_path: Path) -> None:
    proc = run("tui", "--out", str(tmp_path / "missing"))
    assert proc.returncode == 2 and "not a directory" in proc.stderr


@pytest.mark.parametrize(
    "args, words",
    [
        (("trial", "--suite", "quick", "--wait-quiet", "-1"), "--wait-quiet must be 0 or more"),
        (
            ("recommend", "--trials", "quick", "--wait-quiet", "-1"),
            "--wait-quiet must be 0 or more",
        ),
        (
            ("recommend", "--trials", "quick", "--data", "/no/such/dir"),
            "/no/such/dir: no such file",
        ),
        (("tui", "--trials-from", "/no/such.json"), "/no/such.json: trial results not found"),
    ],
)
def test_measurement_flags_reject_bad_values_in_one_line(args, words) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert words in proc.stderr and "Traceback" not in proc.stderr
