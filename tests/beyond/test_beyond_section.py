"""The "Beyond speed" section: rows, Markdown, the HTML partial (rendered with Jinja2
directly) and the terminal view, from results carrying every issue-13 field."""

from __future__ import annotations

import io
from pathlib import Path

import jinja2
import pytest
from rich.console import Console

from chooser.report import beyond
from chooser.views.beyond import print_beyond
from tests.beyond.fixtures import OUT_OF_BOX, SCALING, TRIALS

TEMPLATES = Path(beyond.__file__).parent / "templates"


def all_sections() -> dict[str, beyond.Section]:
    return {s.key: s for s in beyond.sections(TRIALS, OUT_OF_BOX, SCALING)}


def test_every_part_is_there() -> None:
    assert list(all_sections()) == [
        "variants",
        "time_to_accuracy",
        "out_of_box",
        "energy",
        "scaling",
        "validation",
    ]


def test_nothing_to_show_gives_nothing() -> None:
    tuned_only = [{"id": "throughput/torch/single", "status": "ok", "variant": "tuned"}]
    assert beyond.sections(tuned_only) == []
    assert beyond.markdown([]) == []


def test_variant_rows_name_people_not_ids() -> None:
    rows = all_sections()["variants"].rows
    assert rows[1][:3] == [
        "PyTorch · beginner · 1 process",
        "beginner",
        "4.21k samples/s (±210)",
    ]
    assert rows[2][3] == "error: torch.compile needs a C compiler (cc not found)"
    assert not any("throughput/" in cell for row in rows for cell in row)


def test_time_to_accuracy_rows() -> None:
    reached, missed = all_sections()["time_to_accuracy"].rows
    assert reached == [
        "PyTorch · time to accuracy · 1 process",
        "95.0 %",
        "reached in 12 s",
        "375",
        "6.00",
        "25",
        "1.5 s",
        "96.12 %",
    ]
    assert missed[2] == "did not reach target in 1 min 00 s"
    assert missed[3] == "–"


def test_out_of_box_rows() -> None:
    torch_row, tf_row = all_sections()["out_of_box"].rows
    assert torch_row[:3] == ["PyTorch", "32.6 %", "30.0 % – 35.0 %"]
    assert torch_row[3] == "PyTorch · 1 process (beginner)"
    assert torch_row[4] == "PyTorch · 1 process (tuned)"
    assert tf_row[2] == "–" and tf_row[5] == "no: machine busy during the beginner run"


def test_energy_rows_say_not_available_with_why() -> None:
    rows = all_sections()["energy"].rows
    assert rows[0][1].startswith("not available on this machine: no /sys/class/powercap")
    measured = [r for r in rows if r[1].endswith(" J")]
    assert measured[0][1:3] == ["812.4 J", "33.85 J"]
    bare = beyond.energy([{"id": "throughput/torch/single", "energy_joules": None}])
    assert bare is not None
    assert bare.rows[0][1] == "not available on this machine: no counter was read"


def test_scaling_rows_are_labelled_estimates() -> None:
    scaling = all_sections()["scaling"]
    assert scaling.headers[1:] == [f"{bw} Gb/s (estimate)" for bw in (1, 10, 25, 100, 400)]
    assert scaling.rows[0][0] == "2 nodes × 1 GPU"
    assert all(cell.endswith(" estimate") for row in scaling.rows for cell in row[1:])
    notes = " ".join(scaling.notes)
    assert "α (latency per ring step) = 100.0 µs" in notes
    assert "β (bandwidth) = 954 MiB/s" in notes  # 1e9 B/s
    assert "gradient n = 87,360 bytes (21,840 parameters × 4)" in notes
    assert "t(p, n) = 2(p−1)·α" in notes


def test_validation_row_beside_measurement() -> None:
    (row,) = all_sections()["validation"].rows
    assert row[0] == "2"
    assert row[2] == "90.0 % (PyTorch · 2 processes)"
    assert row[3] in ("yes", "no")


def test_failed_estimate_says_why() -> None:
    (s,) = beyond.scaling({"status": "error", "message": "2-rank all-reduce run failed"})
    assert s.rows == [["not made: 2-rank all-reduce run failed"]]


def test_markdown_section() -> None:
    text = "\n".join(beyond.markdown(beyond.sections(TRIALS, OUT_OF_BOX, SCALING)))
    assert "## Beyond speed" in text
    assert "### Cluster scaling (estimate, not a measurement)" in text
    assert "| 2 nodes × 1 GPU |" in text
    assert "not available on this machine" in text


def _env(**options: object) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined, **options
    )
    beyond.register(env)
    return env


@pytest.mark.parametrize(
    "options",
    [
        {"autoescape": True},
        # as the Jinja2 HTML report sets its environment up (issue 12)
        {
            "autoescape": jinja2.select_autoescape(["html", "j2"]),
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    ],
)
def test_html_partial_renders_and_escapes(options: dict) -> None:
    hostile = {**TRIALS[2], "message": "<script>alert(1)</script>"}
    report = {
        "trials": [*TRIALS[:2], hostile],
        "out_of_box_share": OUT_OF_BOX,
        "scaling_estimate": SCALING,
    }
    html = _env(**options).get_template("beyond.html.j2").render(report=report)
    assert '<section id="beyond">' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Gb/s (estimate)" in html and "32.6 %" in html


def test_html_partial_without_the_function_or_content_is_empty() -> None:
    bare = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    assert bare.get_template("beyond.html.j2").render(report={}).strip() == ""
    assert (
        _env(autoescape=True).get_template("beyond.html.j2").render(report={"trials": []}).strip()
        == ""
    )


def test_html_helper_matches_partial() -> None:
    html = beyond.html(
        {"trials": TRIALS, "out_of_box_share": OUT_OF_BOX, "scaling_estimate": SCALING}
    )
    assert html.count("<table") == 6


def test_terminal_view() -> None:
    out = io.StringIO()
    print_beyond(
        TRIALS, OUT_OF_BOX, SCALING, console=Console(file=out, width=120, color_system=None)
    )
    text = out.getvalue()
    assert "Cluster scaling (estimate, not a measurement)" in text
    assert "Scaling estimate checked here" in text
    assert "not available on this machine" in text
    quiet = io.StringIO()
    print_beyond([], console=Console(file=quiet))
    assert quiet.getvalue() == ""
