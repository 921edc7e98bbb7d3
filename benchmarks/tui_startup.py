"""Benchmark the terminal app in a real pseudo-terminal (Textual's real driver).

1. Time to first screen: from spawning `chooser` to "Question 1 of" appearing in the
   terminal output, against a minimal Textual app measured the same way in this run.
2. Responsiveness cost: the UI process's own CPU time while the quick trials run, against
   the trials' CPU time (children's rusage, every rank included) in the same run, and
   against the same suite run headless (pipeline.SuiteRun, no UI) as a baseline.

    python benchmarks/tui_startup.py [--suite quick] [--repeat 3]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLS, ROWS = 100, 30

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Minimal(App):
    def compose(self):
        yield Header(); yield Static("Question 1 of 1"); yield Footer()
Minimal().run()
"""

# Runs the real app (real services) and, once the probe is done, the chosen suite;
# writes getrusage before/after the trials to a JSON file, then exits.
TRIALS_APP = """
import json, resource, sys, time
from pathlib import Path
from chooser.tui.app import ChooserApp
from chooser.tui.services import Services
from chooser.tui.state import Session

suite, out = sys.argv[1], Path(sys.argv[2])

def usage():
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": time.monotonic(), "ui": me.ru_utime + me.ru_stime,
            "children": kids.ru_utime + kids.ru_stime}

class Bench(ChooserApp):
    started = None
    def on_probe_updated(self, message):  # Textual also calls ChooserApp's handler
        if self.session.probe_status == "done" and self.started is None:
            self.started = usage()
            self.run_worker(self.action_start_trials(suite))
    def on_trials_changed(self, message):
        if self.started and self.session.suite_status == "done" and self.session.trials:
            end = usage()
            statuses = {k: [v.status, (v.result or {}).get("runner_wall_s")]
                        for k, v in self.session.trials.items()}
            out.write_text(json.dumps({"start": self.started, "end": end, "statuses": statuses}))
            self.exit(0)

Bench(Services(), Session(out_dir=Path(out).parent)).run()
"""


# The same suite with no UI at all: what the runner alone (reading events, the busy
# monitor, reaping children) costs the parent process.
HEADLESS = """
import asyncio, json, resource, sys, time
from chooser import pipeline
def usage():
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": time.monotonic(), "ui": me.ru_utime + me.ru_stime,
            "children": kids.ru_utime + kids.ru_stime}
start = usage()
results = asyncio.run(pipeline.SuiteRun(pipeline.suite(sys.argv[1])).run())
print(json.dumps({"start": start, "end": usage(),
                  "statuses": {r["id"]: [r["status"], r.get("runner_wall_s")]
                               for r in results}}))
"""


def spawn_in_pty(argv: list[str]) -> tuple[subprocess.Popen, int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS)}
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, start_new_session=True
    )
    os.close(slave)
    return proc, master


def drain(master: int, until: bytes | None, timeout: float) -> tuple[bool, float]:
    """Read the terminal output; (seen, seconds) for the first appearance of ``until``."""
    started, seen, buffer = time.monotonic(), False, b""
    while time.monotonic() - started < timeout:
        ready, _, _ = select.select([master], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        buffer = (buffer + chunk)[-4096:]
        if until and until in buffer:
            return True, time.monotonic() - started
    return seen, time.monotonic() - started


def stop(proc: subprocess.Popen, master: int) -> None:
    os.write(master, b"q")
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
    os.close(master)


def first_screen(argv: list[str], marker: bytes) -> float:
    started = time.monotonic()
    proc, master = spawn_in_pty(argv)
    seen, _ = drain(master, marker, timeout=30)
    elapsed = time.monotonic() - started
    stop(proc, master)
    if not seen:
        raise SystemExit(f"{marker!r} never appeared for {argv}")
    return elapsed


def trials_cpu(suite: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "usage.json"
        proc, master = spawn_in_pty([sys.executable, "-c", TRIALS_APP, suite, str(out)])
        while proc.poll() is None:  # keep the terminal drained so the UI never blocks
            drain(master, None, timeout=1.0)
        os.close(master)
        if not out.exists():
            raise SystemExit("the trials run did not finish (see the app's output)")
        return json.loads(out.read_text())


def headless_cpu(suite: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", HEADLESS, suite],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(title: str, usage: dict) -> float:
    start, end = usage["start"], usage["end"]
    wall = end["wall"] - start["wall"]
    own, kids = end["ui"] - start["ui"], end["children"] - start["children"]
    print(f"{title}:")
    print(
        "  trials            "
        + ", ".join(f"{k} {st} {w} s" for k, (st, w) in usage["statuses"].items())
    )
    print(f"  wall time         {wall:.1f} s")
    print(f"  trials' CPU       {kids:.1f} s  (children's rusage, all ranks)")
    print(
        f"  parent's own CPU  {own:.2f} s  = {100 * own / wall:.1f}% of one core, "
        f"{own / kids:.3f} of the trials' CPU"
        if kids
        else ""
    )
    return own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default="quick", choices=("quick", "full"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-trials", action="store_true")
    parser.add_argument(
        "--skip-headless", action="store_true", help="skip the no-UI baseline run of the same suite"
    )
    args = parser.parse_args()

    chooser = [sys.executable, "-m", "chooser"]
    minimal = [sys.executable, "-c", MINIMAL_APP]
    ours = [first_screen(chooser, b"Question 1 of") for _ in range(args.repeat)]
    base = [first_screen(minimal, b"Question 1 of") for _ in range(args.repeat)]
    print(
        f"first screen, {COLS}x{ROWS} pty, median of {args.repeat} "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
    )
    print(
        f"  chooser           {statistics.median(ours):.2f} s  (runs: "
        f"{', '.join(f'{t:.2f}' for t in ours)})"
    )
    print(f"  minimal Textual   {statistics.median(base):.2f} s  (baseline, same run)")
    print(f"  ratio             {statistics.median(ours) / statistics.median(base):.2f}x")
    if args.skip_trials:
        return
    ui = report(
        f"{args.suite} trials in the app (real terminal driver, pty)", trials_cpu(args.suite)
    )
    if args.skip_headless:
        return
    bare = report(
        f"{args.suite} trials headless (pipeline.SuiteRun, no UI; baseline)",
        headless_cpu(args.suite),
    )
    print(
        f"the UI's own share: {ui - bare:+.2f} s CPU over the headless runner ({ui / bare:.2f}x)"
        if bare
        else ""
    )


if __name__ == "__main__":
    main()
