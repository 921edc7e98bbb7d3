"""How long, and how much memory, chooser takes to refuse hostile input (issue 11).

Each case runs the real CLI in a subprocess (with a wall-clock cap so a hang ends, and a
4 GiB address-space limit so an unbounded read cannot take the machine down); the
wall time and the peak resident memory of that process or any of its children
(``ru_maxrss`` over the waited-for descendants, read in a fresh intermediate process per
case; a case that reaches the probe shows the probe children's memory) are printed as
ratios against a
baseline measured in the same run: ``chooser recommend --rules <a valid one-rule file>``
refused only by a missing answers file, i.e. the cost of starting chooser and loading its
files. A ratio near 1 means the hostile input costs no more than reading a good file.

    /work/main/.venv/bin/python benchmarks/hostile_inputs.py [--repo PATH] [--cap 60]

``--repo`` points at another checkout (e.g. the code before issue 11) to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
from hostile_cli import NUMBER_PLACEHOLDER, write_rules  # noqa: E402

MEASURE = r"""
import json, resource, subprocess, sys, time
cap = float(sys.argv[1])
def limit():  # 4 GiB of address space: an unbounded read must not take the machine down
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
start = time.monotonic()
try:
    proc = subprocess.run(sys.argv[2:], capture_output=True, timeout=cap, preexec_fn=limit)
    code, err = proc.returncode, proc.stderr.decode(errors="replace")
except subprocess.TimeoutExpired:
    code, err = "timeout", ""
wall = time.monotonic() - start
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
lines = [l for l in err.splitlines() if l.strip()]
print(json.dumps({"code": code, "wall": wall, "rss_mb": rss_kb / 1024,
                  "traceback": "Traceback" in err, "lines": len(lines),
                  "last": lines[-1][:110] if lines else ""}))
"""


def cases(tmp: Path) -> dict[str, list[str]]:
    def rules(condition: str, reason: str = "r") -> str:
        path = tmp / f"rules{abs(hash((condition, reason)))}.yaml"
        return str(write_rules(path, condition, reason))  # the tests' one rules-format writer

    fifo = tmp / "fifo.yaml"
    os.mkfifo(fifo)
    deep = tmp / "deep.yaml"
    deep.write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    deep_json = tmp / "deep.json"
    deep_json.write_text("[" * 100_000 + "]" * 100_000)
    return {
        "baseline: good rules, missing answers": [
            "recommend",
            "--rules",
            rules("True"),
            "--answers",
            str(tmp / "missing.yaml"),
        ],
        "--answers FIFO": ["recommend", "--answers", str(fifo)],
        "--answers /dev/zero": ["recommend", "--answers", "/dev/zero"],
        "--rules 10,000-deep lists": ["recommend", "--rules", str(deep)],
        "report 100,000 nested brackets": ["report", str(deep_json)],
        "condition [[1]*99999]*99999": [
            "recommend",
            "--rules",
            rules("len([[1]*99999]*99999) > 0"),
        ],
        "condition not x 20000": ["recommend", "--rules", rules("not " * 20_000 + "True")],
        "reason {x:.999999999f}": [
            "recommend",
            "--rules",
            rules("True", f"{{{NUMBER_PLACEHOLDER}:.999999999f}}"),
        ],
        "reason {x:>500000000}": [
            "recommend",
            "--rules",
            rules("True", f"{{{NUMBER_PLACEHOLDER}:>500000000}}"),
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout to run")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds before a case is cut")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.repo.resolve())}
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name, argv in cases(Path(tmp)).items():
            cmd = [
                sys.executable,
                "-c",
                MEASURE,
                str(args.cap),
                sys.executable,
                "-m",
                "chooser",
                *argv,
            ]
            out = subprocess.run(
                cmd, capture_output=True, text=True, env=env, cwd=tmp, timeout=args.cap + 60
            )
            results[name] = json.loads(out.stdout)
    base = results["baseline: good rules, missing answers"]
    print(f"repo: {args.repo.resolve()}  (baseline {base['wall']:.2f} s, {base['rss_mb']:.0f} MB)")
    print(f"{'case':34} {'exit':>7} {'time×':>7} {'mem×':>6} {'lines':>5} trace  last line")
    for name, r in results.items():
        print(
            f"{name:34} {str(r['code']):>7} {r['wall'] / base['wall']:7.2f} "
            f"{r['rss_mb'] / base['rss_mb']:6.2f} {r['lines']:5d} "
            f"{'yes' if r['traceback'] else 'no ':5}  {r['last']}"
        )


if __name__ == "__main__":
    main()
