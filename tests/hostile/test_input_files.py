"""Every file a user names goes through one gate (chooser/core/inputs.py): regular files
only, a size cap that holds for devices, depth limits before parsing, NUL bytes with their
line and column, and echoed values clipped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile_cli import assert_one_line_error, run_cli

FILE_FLAGS = {
    "recommend --answers": lambda p: ["recommend", "--answers", str(p)],
    "recommend --rules": lambda p: ["recommend", "--rules", str(p)],
    "recommend --questions": lambda p: ["recommend", "--questions", str(p)],
    "tui --answers": lambda p: ["tui", "--answers", str(p)],
    "report": lambda p: ["report", str(p)],
    "compare": lambda p: ["compare", str(p), str(p)],
}


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("flag", list(FILE_FLAGS))
@pytest.mark.parametrize(
    "target, kind",
    [
        ("fifo", "a FIFO"),
        ("/dev/zero", "a character device"),
        ("/dev/urandom", "a character device"),
    ],
)
def test_special_files_are_refused_at_once(flag, target, kind, fifo):
    path = fifo if target == "fifo" else Path(target)
    run = run_cli(*FILE_FLAGS[flag](path))
    assert_one_line_error(run, str(path), kind, "expected a regular file")
    assert run.wall_s < 15


@pytest.mark.parametrize("flag", ["recommend --answers", "recommend --rules", "report"])
def test_a_directory_where_a_file_is_meant(flag, tmp_path):
    assert_one_line_error(run_cli(*FILE_FLAGS[flag](tmp_path)), str(tmp_path), "a directory")


def test_over_the_cap_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "answers.yaml"
    big.write_text("# " + "x" * 1_100_000 + "\n")
    assert_one_line_error(
        run_cli("recommend", "--answers", str(big)), str(big), "1,000,000-byte limit"
    )


def _deep_list(depth: int) -> str:
    return "questions: " + "[" * depth + "]" * depth + "\n"


def _deep_mapping(depth: int) -> str:
    return "a: " + "{a: " * depth + "1" + "}" * depth + "\n"


@pytest.mark.parametrize(
    "flag", ["recommend --answers", "recommend --rules", "recommend --questions", "tui --answers"]
)
@pytest.mark.parametrize("shape", ["10,000-deep lists", "3,000 nested mappings"])
def test_deep_nesting_is_refused_before_parsing(flag, shape, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(_deep_list(10_000) if shape.endswith("lists") else _deep_mapping(3_000))
    line = assert_one_line_error(
        run_cli(*FILE_FLAGS[flag](path)), f"{path}:", "nested more than 50 levels"
    )
    assert "Recursion" not in line


def test_alias_expansion_is_bounded(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n")
    run = run_cli("recommend", "--answers", str(path))
    assert_one_line_error(run, str(path), "through aliases")


def test_report_with_100000_nested_brackets(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert_one_line_error(run_cli("report", str(path)), str(path), "nested more than")


def test_nul_byte_in_yaml_names_line_and_column(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"goals: [research]\nstyle: ab\x00c\n")
    assert_one_line_error(run_cli("recommend", "--answers", str(path)), f"{path}:2:10:", "NUL byte")


def test_control_character_in_yaml_is_one_line(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"goals: [research]\nstyle: a\x07\n")
    assert_one_line_error(run_cli("recommend", "--answers", str(path)), f"{path}:2:", "#x0007")


def test_a_900_kb_answer_is_not_echoed_whole(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("style: " + "a" * 900_000 + "\n")
    line = assert_one_line_error(
        run_cli("recommend", "--answers", str(path)), f"{path}:1:", "(900,002 characters)"
    )
    assert len(line) < 600


def test_a_long_unknown_key_is_not_echoed_whole(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("b" * 1_000 + ": 1\n")  # PyYAML's longest plain key is 1,024 characters
    line = assert_one_line_error(
        run_cli("recommend", "--answers", str(path)), "unknown question id", "(1,002 characters)"
    )
    assert len(line) < 600


def test_empty_answers_name_is_an_error_not_the_defaults():
    assert_one_line_error(run_cli("recommend", "--answers", ""), "answers file name is empty")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1.0e+400"])
def test_non_finite_number_answers_are_refused(value, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(f"gpus_per_machine: {value}\n")
    assert_one_line_error(
        run_cli("recommend", "--answers", str(path)),
        f"{path}:1:",
        "gpus_per_machine",
        "finite number",
    )


def test_report_schema_version_as_a_number_says_so(saved_report, tmp_path):
    data = json.loads(saved_report.read_text())
    data["schema_version"] = 1
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    from chooser.report import SCHEMA_VERSION

    assert_one_line_error(
        run_cli("report", str(path)),
        str(path),
        "schema_version 1 (a number (1), not text)",
        f'and "{SCHEMA_VERSION}" (text)',
    )


LONG = "x" * 300


@pytest.mark.parametrize(
    "args, needle",
    [
        (["recommend", "--export", f"{LONG}.md"], LONG[:50]),
        (["recommend", "--questions", f"{LONG}.yaml"], LONG[:50]),
        (["recommend", "--answers", f"{LONG}.yaml"], LONG[:50]),
        (["report", "SAVED", "-o", f"{LONG}.md"], LONG[:50]),
        (["trial", "--data", LONG], LONG[:50]),
        (["trial", "--tensorboard", LONG], LONG[:50]),
    ],
)
def test_names_over_255_bytes(args, needle, saved_report, tmp_path):
    args = [str(saved_report) if a == "SAVED" else a for a in args]
    run = run_cli(*args, cwd=tmp_path)
    assert_one_line_error(run, needle, "too long")


def test_unreadable_questions_directory(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text("questions: []\n")
    bank.chmod(0o000)
    run = run_cli("recommend", "--questions", str(bank), obey_permissions=True)
    assert_one_line_error(run, str(bank), "permission denied")
