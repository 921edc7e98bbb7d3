"""The HTML report in headless Chromium: it renders, and at 1200 px and at 390 px (a
phone) no word in a table cell is broken across lines and the page never scrolls
sideways (wide tables scroll inside their own box).

The measuring script goes into the TEST's copy of the report only; the product carries no
script (test_html_report.py checks that). The copy is shown in an iframe of the width
under test (``srcdoc``: same origin as the page holding it), because a headless window is
at least 500 px wide."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from chooser.core import numbers
from chooser.decide.answers import default_answers, load_answers
from chooser.decide.questionnaire import load_questions
from chooser.decide.recommendation import recommend
from chooser.decide.rules import load_rules
from chooser.report import Report, build_report, render, write_report

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="headless Chromium not installed"),
]
PROBE = {
    "timestamp": "2026-01-01T00:00:00+00:00",
    "os": {"system": "Linux", "distribution": "Debian GNU/Linux 12 (bookworm)"},
    "cpu": {"model": "AMD EPYC 9R14 96-Core Processor", "usable_cores": 2},
    "memory": {"total_bytes": 25_276_510_208, "available_bytes": 24_731_975_680},
    "gpus": [],
    "frameworks": {
        fw: {"status": "ok", "version": v, "build": {"is_cuda_build": fw == "tensorflow"}}
        for fw, v in (("torch", "2.13.0+cpu"), ("tensorflow", "2.21.0"), ("jax", "0.10.2"))
    },
}
# The measuring script: open every <details>, then for each text node in a table cell find
# the words (runs of non-space characters) whose characters sit on more than one line. A
# break right after a hyphen between two letters ("define-by-run") is a hyphenation, not a
# broken word; a URL may wrap anywhere. Writes the findings into the DOM as JSON.
CHECK = r"""
<script>
addEventListener("load", () => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const letter = (c) => /\p{L}/u.test(c || "");
  const broken = [];
  for (const cell of document.querySelectorAll("td, th")) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      if (node.parentElement.closest("svg")) continue;
      const text = node.data;
      const words = text.matchAll(/\S+/g);
      for (const m of words) {
        if (/^https?:/.test(m[0])) continue;
        let last = null;
        for (let i = m.index; i < m.index + m[0].length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const box = range.getClientRects()[0];
          if (!box) continue;
          if (last !== null && Math.abs(box.top - last) > 2) {
            const hyphen = text[i - 1] === "-" && letter(text[i - 2]) && letter(text[i]);
            if (!hyphen) broken.push({word: m[0], cell: cell.textContent.trim().slice(0, 80)});
          }
          last = box.top;
        }
      }
    }
  }
  const out = document.createElement("pre");
  out.id = "layout-check";
  out.textContent = JSON.stringify({
    width: innerWidth,
    page_width: document.documentElement.scrollWidth,
    cells: document.querySelectorAll("td, th").length,
    broken,
  });
  parent.document.body.append(out);  // the frame's own DOM is not in --dump-dom
});
</script>
"""


def _chromium(page: Path, profile: Path, *extra: str) -> str:
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *extra,
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture
def shipped_report(repo_root, make_trial) -> Report:
    """The shipped questions and rules (long reasons, real sources), three frameworks'
    trials: some not comparable with long reasons, one busy, one failed."""
    bank = load_questions()
    rules = load_rules(bank=bank)
    answers = {
        **default_answers(bank),
        **load_answers(repo_root / "questions" / "examples" / "researcher.yaml", bank),
    }
    spread = "throughput windows spread 4.3× (max ÷ min; limit 2.5×)"
    trials = [
        make_trial("torch", sps=23_900.0, acc=0.963),
        make_trial("tensorflow", sps=30_500.0, acc=0.963, busy_warning="others used 0.4 cores"),
        make_trial("jax", sps=11_700.0, acc=0.961, comparable=False, comparable_reason=spread),
        make_trial("torch", "distributed", sps=8_440.0, acc=0.931),
        make_trial("tensorflow", "distributed", status="timeout"),
        make_trial("jax", "distributed", sps=3_020.0, comparable=False, comparable_reason=spread),
    ]
    rec = recommend(bank, rules, answers, PROBE, trials)
    return build_report(
        bank,
        rules,
        rec,
        PROBE,
        trials,
        answers_source=str(repo_root / "questions" / "examples" / "researcher.yaml"),
        trials_suite="quick",
        command_line=["chooser", "recommend", "--trials", "quick", "--export", "r.html"],
    )


def test_html_renders_in_headless_chromium(shipped_report, tmp_path):
    page = write_report(shipped_report, tmp_path / "r.html")
    dom = _chromium(page, tmp_path / "profile")
    totals = shipped_report.recommendation.totals
    assert re.search(r'id="score-torch"[^>]*>[\d.,]+<', dom)
    assert f'id="score-jax">{numbers.points(totals["jax"], unit=False)}<' in dom
    assert "Recommended: PyTorch" in dom
    assert dom.count('<svg class="chart') == 3
    for rule in shipped_report.recommendation.fired:
        assert html.escape(rule.reason, quote=False) in dom


@pytest.mark.parametrize("width", [1200, 390])
def test_no_word_in_a_table_is_broken(shipped_report, tmp_path, width):
    product = render(shipped_report, "html")
    assert "<script" not in product
    test_copy = product.replace(
        "style-src 'unsafe-inline'", "style-src 'unsafe-inline'; script-src 'unsafe-inline'"
    ).replace("</body>", CHECK + "</body>")
    page = tmp_path / "frame.html"
    page.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe width="{width}" height="900" '
        f'style="border:0" srcdoc="{html.escape(test_copy)}"></iframe></body></html>',
        encoding="utf-8",
    )
    dom = _chromium(
        page, tmp_path / "profile", "--window-size=1400,1000", "--virtual-time-budget=5000"
    )
    found = re.search(r'<pre id="layout-check">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    check = json.loads(html.unescape(found.group(1)))
    assert check["width"] == width  # the frame is the width asked for
    assert check["cells"] > 100  # the tables are there, details rows open
    assert check["broken"] == []
    assert check["page_width"] <= width  # wide tables scroll in their box, not the page
