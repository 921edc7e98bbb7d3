"""Flags: numbers finite and in their documented ranges, paths checked before a trial
starts, argparse errors as one line, the terminal app refusing to run without a terminal."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from hostile_cli import assert_one_line_error, run_cli

TRIAL = ["trial", "--framework", "torch"]


@pytest.mark.parametrize(
    "flags, needle",
    [
        (["--lr", "inf"], "--lr must be"),
        (["--lr", "nan"], "--lr must be"),
        (["--lr", "-1"], "--lr must be"),
        (["--lr", "1e9"], "--lr must be"),
        (["--timeout", "nan"], "--timeout must be"),
        (["--timeout", "inf"], "--timeout must be"),
        (["--timeout", "1e12"], "--timeout must be"),
        (["--seed", "-1"], "--seed must be 0 to 4,294,967,295"),
        (["--seed", str(2**70)], "--seed must be 0 to 4,294,967,295"),
        (["--batch-size", "10000000"], "--batch-size must be 1 to 65,536"),
        (["--steps", str(10**12)], "--steps must be 1 to 10,000,000"),
        (["--epochs", "100000"], "--epochs must be 1 to 1,000"),
        (["--mode", "distributed", "--workers", "1000"], "--workers must be 1 to"),
        (["--mode", "distributed", "--workers", "0"], "--workers must be at least 1"),
    ],
)
def test_trial_numbers_out_of_range(flags, needle):
    run = run_cli(*TRIAL, *flags)
    assert_one_line_error(run, needle)
    assert run.wall_s < 15  # refused before any child starts


def test_workers_bound_follows_the_usable_cores():
    from chooser.measure.limits import max_local_workers, usable_cores

    high = max_local_workers()
    assert high == max(2, 2 * usable_cores())
    run = run_cli(*TRIAL, "--mode", "distributed", "--workers", str(high + 1))
    assert_one_line_error(run, f"--workers must be 1 to {high}", "usable core")


@pytest.mark.parametrize(
    "port, needle", [("0", "--port must be 1 to 65535"), ("70000", "--port must be 1 to 65535")]
)
def test_print_launch_port(port, needle):
    run = run_cli("trial", "--print-launch", "--nodes", "a,b", "--port", port)
    assert_one_line_error(run, needle)


def test_print_launch_allows_many_processes_per_node_but_not_unbounded():
    ok = run_cli("trial", "--print-launch", "--nodes", "a,b", "--workers", "8")
    assert ok.returncode == 0 and "--nproc-per-node 8" in ok.stdout
    assert_one_line_error(
        run_cli("trial", "--print-launch", "--nodes", "a,b", "--workers", "5000"),
        "--workers must be 1 to 1024",
    )


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "file"
    path.write_text("x")
    return path


@pytest.mark.parametrize("where", ["at a file", "under a file", "unwritable"])
def test_tensorboard_is_checked_before_the_trial(where, a_file, tmp_path):
    from hostile_cli import without_root_override

    prefix = where == "unwritable"
    target = {
        "at a file": a_file,
        "under a file": a_file / "tb",
        "unwritable": tmp_path / "locked" / "tb",
    }[where]
    if prefix:
        (tmp_path / "locked").mkdir()
        (tmp_path / "locked").chmod(0o500)
        without_root_override()  # skips when root cannot drop its override
    run = run_cli(*TRIAL, "--tensorboard", str(target), obey_permissions=prefix)
    assert_one_line_error(run, "--tensorboard", str(target) if not prefix else "not writable")
    assert run.wall_s < 15


def _idx(path: Path, magic: int, shape: tuple[int, ...], body: bytes = b"") -> None:
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in shape)
    with gzip.open(path, "wb") as fh:
        fh.write(header + body)


@pytest.mark.parametrize(
    "case, needle",
    [
        ("zero images", "holds no images or labels (count 0)"),
        ("corrupt mnist.npz", "not a valid .npz (zip) file"),
        ("labels without images", "has t10k files but no t10k-images IDX file"),
        ("wrong magic", "not an MNIST images IDX file"),
        ("a FIFO", "not a directory or a regular file"),
        ("empty folder", "no MNIST files here"),
        ("a text file", "expected a directory of IDX files or a mnist.npz file"),
    ],
)
def test_bad_data_is_refused_up_front(case, needle, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    if case == "zero images":
        _idx(data / "t10k-images-idx3-ubyte.gz", 2051, (0, 28, 28))
        _idx(data / "t10k-labels-idx1-ubyte.gz", 2049, (0,))
    elif case == "corrupt mnist.npz":
        (data / "mnist.npz").write_bytes(b"PK\x03\x04 cut short")
    elif case == "labels without images":
        _idx(data / "t10k-labels-idx1-ubyte.gz", 2049, (10,), bytes(10))
    elif case == "wrong magic":
        _idx(data / "t10k-images-idx3-ubyte.gz", 2049, (10, 28, 28))
        _idx(data / "t10k-labels-idx1-ubyte.gz", 2049, (10,), bytes(10))
    elif case == "a FIFO":
        data.rmdir()
        os.mkfifo(data)
    elif case == "a text file":
        data.rmdir()
        data.write_text("not data")
    run = run_cli(*TRIAL, "--data", str(data))
    assert_one_line_error(run, "--data", needle)
    assert run.wall_s < 15


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus"],
        ["trial", "--workers", "x"],
        ["recommend", "--trials", "huge"],
        ["nonsense"],
        ["report", "--format", "pdf"],
    ],
)
def test_argparse_errors_are_one_line_then_a_short_hint(argv):
    run = run_cli(*argv)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    lines = run.error_lines
    assert len(lines) == 2, lines
    assert lines[0].startswith("chooser") and "error: " in lines[0]
    assert lines[1].strip().startswith("(see: chooser") and lines[1].strip().endswith("--help)")
    assert "usage:" not in run.stderr


@pytest.mark.parametrize("argv", [[], ["tui"]])
def test_the_terminal_app_without_a_terminal(argv):
    run = run_cli(*argv, timeout=20)
    assert_one_line_error(run, "needs a terminal")
    assert run.wall_s < 15 and "\x1b[" not in run.stdout
