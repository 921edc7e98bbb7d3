"""`chooser trial --print-launch` without --framework prints every registered framework's
launch, not only PyTorch's (issue 12)."""

from __future__ import annotations

from chooser import cli
from chooser.core import frameworks


def test_print_launch_without_framework_covers_every_framework(capsys):
    assert cli.main(["trial", "--print-launch", "--nodes", "h1,h2"]) == 0
    out = capsys.readouterr().out
    for fw in frameworks.ids():
        assert f"# {fw} across 2 node(s)" in out, fw
    assert "torchrun" in out and out.count("TF_CONFIG=") == 2


def test_print_launch_with_framework_prints_only_it(capsys):
    assert cli.main(["trial", "--print-launch", "--nodes", "h1,h2", "--framework", "jax"]) == 0
    out = capsys.readouterr().out
    assert "# jax across 2 node(s)" in out and "torchrun" not in out
