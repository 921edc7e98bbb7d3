"""The HTML report: Jinja2 templates with autoescape, nothing loaded, sources as links, a
Machine section, charts with a legend, the one number style, colours told apart without
colour vision. (Chromium renders it at two widths in test_html_chromium.py.)"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader, PackageLoader

from chooser.core import frameworks, registry
from chooser.decide.recommendation import recommend
from chooser.report import Report, build_report, render
from chooser.report.html import context, make_environment, render_html
from chooser.report.html_parts import PATTERNS, linkify
from tests.recommend.colour_vision import MACHADO_2009, ciede2000, distance

TEMPLATES = Path(__file__).resolve().parents[2] / "chooser" / "report" / "templates"
PROBE = {
    "timestamp": "2026-01-01T00:00:00+00:00",
    "os": {"system": "Linux", "distribution": "Debian 12", "machine": "x86_64", "release": "6.1"},
    "python": {"version": "3.11.7", "implementation": "CPython"},
    "cpu": {"model": "Test CPU", "usable_cores": 2, "physical_cores": 2, "logical_cores": 4},
    "memory": {"total_bytes": 8 * 1024**3, "available_bytes": 6 * 1024**3},
    "gpus": [],
    "gpu_probe": {"reason": "no NVIDIA driver"},
    "frameworks": {
        "torch": {"status": "ok", "version": "2.13.0+cpu", "build": {"is_cuda_build": False}},
        "tensorflow": {
            "status": "ok",
            "version": "2.21.0",
            "build": {"is_cuda_build": True, "cuda_version": "12.5.1", "cudnn_version": "9"},
        },
    },
}
SOURCE = "https://example.org/a?id=1 (the deck); see https://example.org/b."


@pytest.fixture
def report(mini, make_trial) -> Report:
    bank, rules = mini
    ci = {"ci95": [2350.0, 2480.0], "interval_method": "bootstrap over rounds"}
    torch = make_trial("torch", sps=2400.0, acc=0.962)
    torch["samples_per_second"].update(ci, method="median of 15 windows of 20 steps")
    trials = [
        torch,
        make_trial("tensorflow", sps=1600.0, acc=0.951, busy_warning="others used 0.4 cores"),
        make_trial(
            "torch",
            "distributed",
            sps=13_000.0,
            comparable=False,
            comparable_reason="throughput windows spread 3.1× (max ÷ min; limit 2.5×)",
        ),
        make_trial("tensorflow", "distributed", status="timeout"),
    ]
    answers = {"goal": "mobile", "runtime": "litert", "libs": ["keras"]}
    rec = recommend(bank, rules, answers, PROBE, trials)
    rec.fired[0].source = SOURCE
    rec.fired[0].reason = "LiteRT is mature <img src=x onerror=alert(1)> & well kept."
    return build_report(bank, rules, rec, PROBE, trials, command_line=["chooser", "recommend"])


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.row_titles: list[str] = []
        self._in_row_th = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_row_th = tag == "th" and ("scope", "row") in attrs
        if self._in_row_th:
            self.row_titles.append("")

    def handle_endtag(self, tag):
        self._in_row_th = self._in_row_th and tag != "th"

    def handle_data(self, data):
        self.text.append(data)
        if self._in_row_th:
            self.row_titles[-1] += data


def _page(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_rendered_from_autoescaped_templates(report):
    env = make_environment()
    assert env.autoescape("report.html.j2") and env.autoescape("trials.html.j2")
    text = render(report, "html")
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt; &amp; well kept." in text
    main = (TEMPLATES / "report.html.j2").read_text()
    assert '{% include "beyond.html.j2" ignore missing %}' in main


def test_a_beyond_partial_reads_the_report_and_ends_the_body(report):
    """Issue 13's partial drops in beside the others and reads the JSON report dict."""
    partial = (
        '<section id="beyond">{{ report.trials | length }} trials, {{ report.tool }}</section>'
    )
    loader = ChoiceLoader(
        [DictLoader({"beyond.html.j2": partial}), PackageLoader("chooser.report", "templates")]
    )
    text = render_html(report, make_environment(loader))
    assert re.search(
        r'</details>\s*<section id="beyond">4 trials, chooser</section>\s*</main>', text
    )
    assert 'id="beyond"' not in render(report, "html")  # absent: nothing, no error


def test_the_context_is_the_json_export(report):
    assert context(report)["report"] == report.model_dump(mode="json")
    assert context(report)["report"]["trials"][0]["samples_per_second"]["median"] == 2400.0


def test_nothing_is_loaded_and_sources_are_links(report):
    text = render(report, "html")
    page = _page(text)
    assert not [a for _, attrs in page.tags for a in attrs if a in ("src", "srcset", "action")]
    assert {tag for tag, _ in page.tags}.isdisjoint({"script", "link", "img", "iframe", "object"})
    assert set(re.findall(r"url\((.)", text)) == {"#"} and "@import" not in text
    csp = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'"]
    links = [a for t, a in page.tags if t == "a"]
    assert [a["href"] for a in links] == ["https://example.org/a?id=1", "https://example.org/b"]
    assert all(a["rel"] == "noreferrer" for a in links)
    assert '">https://example.org/b</a>.' in text  # the sentence's full stop stays outside


def test_linkify_escapes_the_rest():
    html = str(linkify('<b>"x"</b> https://a.example/p?q=1&r=2) and "http://b.example/"'))
    assert html.startswith("&lt;b&gt;&#34;x&#34;&lt;/b&gt; ")
    assert '<a href="https://a.example/p?q=1&amp;r=2" rel="noreferrer">' in html
    assert '<a href="http://b.example/" rel="noreferrer">' in html
    assert str(linkify("javascript:alert(1)")) == "javascript:alert(1)"


def test_machine_section_has_what_the_markdown_has(report):
    text = render(report, "html")
    machine = text[text.index("<h2>Machine</h2>") : text.index("<h2>Versions</h2>")]
    for fact in (
        "<dt>CPU</dt><dd>Test CPU</dd>",
        "<dt>Usable cores</dt><dd>2; 2 physical, 4 logical</dd>",
        "<dt>Memory</dt><dd>8.0 GiB total, 6.0 GiB available</dd>",
        "<dt>GPUs</dt><dd>none (no NVIDIA driver)</dd>",
        "<td>PyTorch</td><td><code>2.13.0+cpu</code></td>",
        "CUDA build, CUDA 12.5.1, cuDNN 9",
    ):
        assert fact in machine


def test_trials_are_named_for_people_with_the_one_number_style(report):
    text = render(report, "html")
    page = _page(text)
    assert page.row_titles == [
        "PyTorch · 1 process",
        "TensorFlow · 1 process",
        "PyTorch · 2 processes",
        "TensorFlow · 2 processes",
    ]
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', text)
    assert "2.40k samples/s (±80)" in cells  # median, the wider side of 2,350–2,480
    assert "96.2 %" in cells and "1.5 s" in cells and "286 MiB" in cells  # 300,000,000 B
    assert "2,160–2,640 samples/s" in text  # slowest to fastest window, in the details row
    assert not re.search(r"\d{4,}\.\d|\bMB\b|e\+0", "".join(page.text))  # no raw floats
    # the internal id is a detail, never a title
    assert "<dd><code>throughput/torch/single</code></dd>" in text
    assert not any("/" in title or "_" in title for title in page.row_titles)


def test_not_comparable_and_busy_trials_say_why(report):
    text = render(report, "html")
    assert 'class="num dim">13.0k samples/s' in text
    assert "timings not comparable: throughput windows spread 3.1×" in text
    assert "others used 0.4 cores" in text
    assert "timeout: the child crashed" in text and "timeout: not measured" in text


def test_charts_have_a_legend_patterns_and_explained_whiskers(report):
    text = render(report, "html")
    assert text.count('<svg class="chart') == 3
    torch, tf = frameworks.colour("torch"), frameworks.colour("tensorflow")
    # a pattern per framework (the cue besides colour), in the registry's colours
    assert re.search(rf'<pattern id="fw0"[^>]*>\s*<rect [^>]*fill="{torch}"/>\s*</pattern>', text)
    assert re.search(rf'<pattern id="fw1"[^>]*>\s*<rect [^>]*fill="{tf}"/>\s*<path', text)
    assert PATTERNS[:2] == ("solid", "stripes")
    throughput = text[text.index('<svg class="chart throughput"') :]
    legend = throughput[throughput.index('<ul class="legend">') : throughput.index("</ul>")]
    assert f'fill="url(#fw0)" stroke="{torch}"/></svg>PyTorch' in legend
    assert f'fill="url(#fw1)" stroke="{tf}"/></svg>TensorFlow' in legend
    assert "95 % interval of the median (bootstrap)" in legend
    assert "slowest to fastest timed window" in legend and "grey: not comparable" in legend
    assert "Bar: the median samples per second of the trial" in throughput
    chart = throughput[: throughput.index("</svg>")]
    assert chart.count('class="whisker"') == 1  # only the trial with an interval
    assert chart.count('class="spread"') == 3 * 3  # two ticks and a line, 3 measured


# ΔE2000 2.3 is about one just-noticeable difference (Sharma 2003); 15 is the least we
# accept between two framework colours as a person with protanopia or deuteranopia (the
# commonest deficiencies) sees them, simulated with Machado 2009 at full severity. The
# registered Okabe-Ito colours are 18.2 (protanopia) and 20.5 (deuteranopia) apart at
# worst; matplotlib's default orange and green fall to 1.3 under protanopia, its red and
# green to 4.6 under deuteranopia.
THRESHOLD = 15.0
CONFUSED = {"protanopia": ("#ff7f0e", "#2ca02c"), "deuteranopia": ("#d62728", "#2ca02c")}


def test_the_delta_e_2000_helper_matches_sharmas_published_pairs():
    for a, b, expected in [
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 0, 0), (50, -1, 2), 2.3669),
        ((50, 2.49, -0.001), (50, -2.49, 0.0009), 7.1792),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ]:
        assert ciede2000(a, b) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("deficiency", ["protanopia", "deuteranopia"])
def test_framework_colours_stay_apart_without_colour_vision(deficiency):
    colours = [fw.colour for fw in frameworks.frameworks()]
    assert len(colours) >= 3 and set(colours) <= set(registry.PALETTE)  # Okabe-Ito
    for a, b in itertools.combinations(colours, 2):
        assert distance(a, b, deficiency) >= THRESHOLD, (a, b)
    assert distance(*CONFUSED[deficiency], deficiency) < THRESHOLD  # the test can fail
    assert deficiency in MACHADO_2009


def test_the_report_uses_the_registry_colours(report):
    text = render(report, "html")
    for fw in ("torch", "tensorflow"):
        assert f'stroke="{frameworks.colour(fw)}"' in text
