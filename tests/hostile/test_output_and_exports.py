"""Nothing is lost to a print or a path: output in an ASCII-only locale, an export target
that appears while the trials run, a full disk, a run killed mid-write."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest
from hostile_cli import HOSTILE_LINE, assert_one_line_error, cli_env, run_cli, write_rules

ASCII_ENV = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}


def test_the_locale_really_is_ascii_only():
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.stdout.encoding)"],
        capture_output=True,
        text=True,
        env=cli_env(**ASCII_ENV),
        timeout=30,
    )
    assert proc.stdout.strip().lower() in ("ascii", "ansi_x3.4-1968")


def test_recommend_in_an_ascii_locale_writes_its_export(tmp_path):
    out = tmp_path / "x.md"
    run = run_cli(
        "recommend", "--export", str(out), env=cli_env(**ASCII_ENV), memory=None, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "UnicodeEncodeError" not in run.stderr
    assert out.is_file() and "# " in out.read_text(encoding="utf-8")
    assert "\\u2022" not in run.stdout and "  * " in run.stdout  # the bullet's stand-in
    assert run.stdout.isascii()


@pytest.mark.parametrize(
    "args", [["probe"], ["compare", "SAVED", "SAVED"], ["report", "SAVED", "--format", "md"]]
)
def test_other_commands_in_an_ascii_locale(args, saved_report):
    args = [str(saved_report) if a == "SAVED" else a for a in args]
    run = run_cli(*args, env=cli_env(**ASCII_ENV), memory=None, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "\\u25" not in run.stdout


@pytest.mark.slow
def test_a_trial_in_an_ascii_locale_prints_its_result(shared_mnist_dir):
    run = run_cli(
        "trial",
        "--framework",
        "torch",
        "--steps",
        "20",
        "--data",
        str(shared_mnist_dir),
        env=cli_env(**ASCII_ENV),
        memory=None,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "samples/s" in run.stdout


def test_the_terminal_app_draws_ascii_in_an_ascii_locale(tmp_path):
    master, slave = pty.openpty()
    env = {**cli_env(**ASCII_ENV), "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "chooser"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=tmp_path,
        start_new_session=True,
        env=env,
    )
    os.close(slave)
    seen, deadline = b"", time.monotonic() + 40
    try:
        while b"Question 1 of" not in seen and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                seen += os.read(master, 65536)
        time.sleep(0.5)
        while select.select([master], [], [], 0.2)[0]:
            seen += os.read(master, 65536)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    assert b"Question 1 of" in seen
    assert b"\\u25" not in seen and b"\\u27" not in seen  # no escaped glyphs on screen
    assert seen.isascii()


def test_an_export_that_appears_during_the_run_loses_nothing(tmp_path):
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "chooser", "recommend", "--export", str(md), str(js)],
        cwd=tmp_path,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = proc.stdout.readline()  # printed after the targets were checked, before the probe
    assert "answers" in first.lower()
    js.write_text("someone else's file\n")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err
    assert f"{js}: already exists" in lines[0] and f"wrote {md}" in lines[0]
    assert js.read_text() == "someone else's file\n"  # not overwritten
    assert md.is_file()
    rescued = sorted(tmp_path.glob("chooser-rescued-*.json"))
    assert len(rescued) == 1 and str(rescued[0].name) in lines[0]
    report = json.loads(rescued[0].read_text())
    assert report["tool"] == "chooser" and report["recommendation"]["verdict"]
    again = run_cli("report", str(rescued[0]), "--format", "md")  # it is a real report
    assert again.returncode == 0 and again.stdout.startswith("#")


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 16 kB tmpfs: real ENOSPC (needs root and mount; skipped otherwise)."""
    mount = tmp_path / "full"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_one_line_and_the_other_formats_are_written(tiny_tmpfs, tmp_path):
    full, ok = tiny_tmpfs / "r.html", tmp_path / "r.md"
    run = run_cli(
        "recommend", "--export", str(full), str(ok), cwd=tmp_path, memory=None, timeout=120
    )
    line = assert_one_line_error(
        run, f"{full}: could not write: no space left on the device", f"wrote {ok}"
    )
    assert ok.is_file() and not full.exists()
    assert not [p for p in tiny_tmpfs.iterdir()]  # no half-written temporary file left
    rescued = sorted(tmp_path.glob("chooser-rescued-*.json"))
    assert len(rescued) == 1 and rescued[0].name in line


def test_a_full_disk_on_report_output(tiny_tmpfs, saved_report):
    target = tiny_tmpfs / "r.html"
    assert_one_line_error(
        run_cli("report", str(saved_report), "-o", str(target)), str(target), "no space left"
    )


def test_enospc_without_a_tmpfs(tmp_path, saved_report):
    """Where no tmpfs can be mounted: the write fails with ENOSPC inside a real CLI process
    (os.fsync patched in that process only), and the same one line comes out."""
    code = (
        "import errno, os, sys\n"
        "def full(fd): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "os.fsync = full\n"
        "from chooser.cli.entry import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    target = tmp_path / "r.md"
    proc = subprocess.run(
        [sys.executable, "-c", code, "report", str(saved_report), "-o", str(target)],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        f"chooser: error: {target}: could not write: no space left "
        "on the device; the file was left as it was"
    )
    assert list(tmp_path.iterdir()) == []  # neither the target nor a temporary file


def test_a_run_killed_mid_write_leaves_a_temp_file_the_next_run_removes(tmp_path, saved_report):
    target = tmp_path / "r.json"
    target.write_text("old\n")
    code = (
        "import os, sys, time\n"
        "os.replace = lambda *a: time.sleep(600)  # hold still at the moment before\n"
        "from chooser.core.atomic import write_text_atomic\n"
        "write_text_atomic(sys.argv[1], 'new' * 100000)\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", code, str(target)], env=cli_env())
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".r.json.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    left = list(tmp_path.glob(".r.json.*.tmp"))
    assert len(left) == 1 and f".{writer.pid}." in left[0].name
    assert target.read_text() == "old\n"  # whole: the old file
    alive = tmp_path / f".r.json.{os.getpid()}.abcd1234.tmp"  # a live writer's: kept
    alive.write_text("in progress")
    other = tmp_path / f".notes.txt.{writer.pid}.abcd1234.tmp"  # another name's: untouched
    other.write_text("not ours")
    run = run_cli("report", str(saved_report), "--format", "json", "-o", str(target), "--force")
    assert run.returncode == 0, run.stderr
    assert not left[0].exists() and alive.exists() and other.exists()
    assert json.loads(target.read_text())["tool"] == "chooser"


@pytest.mark.slow
def test_the_failing_ranks_cause_reaches_the_user(tmp_path):
    """Headers pass the up-front check; the body is cut short, so a DDP rank fails reading it.
    The launcher's "rank 0 exited with status 1" must carry the rank's own cause."""
    import gzip

    def idx(name: str, magic: int, shape: tuple[int, ...], body: bytes) -> None:
        header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in shape)
        with gzip.open(tmp_path / name, "wb") as fh:
            fh.write(header + body)

    idx("t10k-images-idx3-ubyte.gz", 2051, (100, 28, 28), bytes(1000))
    idx("t10k-labels-idx1-ubyte.gz", 2049, (100,), bytes(100))
    run = run_cli(
        "trial",
        "--framework",
        "torch",
        "--mode",
        "distributed",
        "--steps",
        "5",
        "--data",
        str(tmp_path),
        "--json",
        memory=None,
        timeout=180,
    )
    result = json.loads(run.stdout)
    assert result["status"] == "error"
    assert result["message"].startswith("DDP rank")
    assert "truncated IDX file" in result["message"] and "t10k-images" in result["message"]


@pytest.mark.slow
def test_the_race_with_real_trials_keeps_every_result(tmp_path):
    """The case as reported: `recommend --trials quick --export r.md r.json`, r.json made by
    someone else while the trials run. Every trial result must survive."""
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chooser",
            "recommend",
            "--trials",
            "quick",
            "--export",
            str(md),
            str(js),
        ],
        cwd=tmp_path,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.readline()
    js.write_text("someone else's file\n")
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 2 and "Traceback" not in err
    assert js.read_text() == "someone else's file\n" and md.is_file()
    rescued = json.loads(next(tmp_path.glob("chooser-rescued-*.json")).read_text())
    from chooser.measure.trials import suite_specs

    # every trial of the quick suite (two per installed framework) is kept
    assert [t["id"] for t in rescued["trials"]] == [s.id for s in suite_specs("quick")]
    assert len(rescued["trials"]) >= 4
    assert all(t["status"] for t in rescued["trials"])
    assert "samples_per_second" in md.read_text() or "Samples/s" in md.read_text()


@pytest.mark.slow
def test_a_rule_that_fails_after_the_trials_keeps_their_results(tmp_path):
    rules = write_rules(
        tmp_path / "rules.yaml", "trials.torch_single.ok and len([1]*100000000) > 0"
    )
    run = run_cli(
        "recommend",
        "--trials",
        "quick",
        "--rules",
        str(rules),
        cwd=tmp_path,
        memory=None,
        timeout=600,
    )
    line = assert_one_line_error(
        run,
        f"{rules}:{HOSTILE_LINE}: rule 'hostile': cannot be evaluated",
        "trial result(s) were kept in",
    )
    saved = next(tmp_path.glob("chooser-rescued-*.json"))
    assert saved.name in line
    results = json.loads(saved.read_text())["results"]
    from chooser.measure.trials import suite_specs

    assert (
        len(results) == len(suite_specs("quick")) and results[0]["id"] == "throughput/torch/single"
    )
