"""Several report formats into one folder (chooser.report.export_set): checked first."""

from __future__ import annotations

import os

from chooser.report import export_set
from chooser.report.export_set import problems, saved_note, targets, where


def test_targets_follow_the_format_order(tmp_path):
    assert [p.name for p in targets(tmp_path, ["html", "md"])] == [
        "chooser-report.md",
        "chooser-report.html",
    ]


def test_nothing_in_the_way_means_no_problems(tmp_path):
    assert problems(tmp_path, targets(tmp_path, ["md", "json", "html"]), overwrite=False) == []


def test_existing_files_are_refused_in_the_apps_words(tmp_path):
    paths = targets(tmp_path, ["md", "json"])
    paths[0].write_text("old")
    (found,) = problems(tmp_path, paths, overwrite=False)
    assert found == "chooser-report.md exists — tick Overwrite to replace it."
    assert "--force" not in found
    paths[1].write_text("old")
    (found,) = problems(tmp_path, paths, overwrite=False)
    assert found.startswith("chooser-report.md and chooser-report.json exist")
    assert problems(tmp_path, paths, overwrite=True) == []


def test_folder_problems(tmp_path):
    missing = tmp_path / "nope"
    (found,) = problems(missing, targets(missing, ["md"]), overwrite=True)
    assert "does not exist" in found and str(missing) in found
    a_file = tmp_path / "file"
    a_file.write_text("x")
    (found,) = problems(a_file, targets(a_file, ["md"]), overwrite=True)
    assert "is a file, not a folder" in found
    assert problems(tmp_path, [], overwrite=False) == ["Tick at least one format."]
    (tmp_path / "chooser-report.md").mkdir()
    (found,) = problems(tmp_path, targets(tmp_path, ["md"]), overwrite=True)
    assert "is a folder here" in found


def test_read_only_folder(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.geteuid() == 0:  # root may write anywhere: ask os.access the question it would
        monkeypatch.setattr(export_set.os, "access", lambda path, mode: path != locked)
    (found,) = problems(locked, targets(locked, ["md"]), overwrite=False)
    assert "not writable" in found


def test_saved_note_is_short(tmp_path):
    paths = targets(tmp_path / "out", ["md", "json", "html"])
    assert saved_note(paths, cwd=tmp_path) == "./out: chooser-report.md, .json, .html"
    assert saved_note(paths[:1], cwd=tmp_path / "elsewhere") == (
        f"{tmp_path / 'out'}: chooser-report.md"
    )
    assert where(tmp_path, cwd=tmp_path) == "./"
