"""The model-code view (chooser.views.code): excerpts cut from the real trial sources."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from chooser.core import frameworks
from chooser.core.errors import UserError
from chooser.views.code import (
    CodeViewSpec,
    ExcerptSpec,
    check,
    code_view,
    cut,
    load_spec,
    spec_file,
)


def all_code(path) -> str:
    return "\n".join(e.code for s in path.sections for e in s.excerpts)


def test_every_framework_shows_network_and_training_step_without_problems():
    view = code_view()
    assert check(view) == []  # every excerpt in code-view.yaml is where it says
    assert [fw.id for fw in view.frameworks] == frameworks.ids()
    for fw in view.frameworks:
        tuned = fw.path("tuned")
        assert tuned is not None and tuned.notes, fw.id
        names = [s.name for s in tuned.sections]
        assert names[:1] == ["Network"] and "Training loop" in names, (fw.id, names)


@pytest.mark.parametrize(
    "framework, must_show",
    [
        (
            "torch",
            [
                "class Net(nn.Module)",
                "optimizer.zero_grad(",
                "loss.backward()",
                "optimizer.step()",
                "model.train()",
                "inference_mode",
            ],
        ),
        (
            "tensorflow",
            [
                "def build_net()",
                "@tf.function",
                "tf.GradientTape()",
                "apply_gradients",
                "strategy.run",
                "training=False",
            ],
        ),
        (
            "jax",
            [
                "class Net(nnx.Module)",
                "jax.jit(",
                "nnx.value_and_grad",
                "optimizer.update(",
                "block_until_ready",
            ],
        ),
    ],
)
def test_the_training_step_is_the_one_the_trials_run(framework, must_show):
    """The differences the notes talk about are in the code shown."""
    view = code_view()
    fw = next(f for f in view.frameworks if f.id == framework)
    code = all_code(fw.path("tuned"))
    for text in must_show:
        assert text in code, text


def test_excerpts_are_the_files_own_lines(repo_root):
    """Line numbers shown are the file's: the excerpt equals those lines, dedented."""
    for fw in code_view().frameworks:
        for section in fw.path("tuned").sections:
            for excerpt in section.excerpts:
                lines = (repo_root / excerpt.file).read_text().splitlines()
                chunk = "\n".join(lines[excerpt.first_line - 1 : excerpt.last_line])
                assert excerpt.code == textwrap.dedent(chunk)
                assert excerpt.first_line <= excerpt.last_line


def test_a_part_that_moved_is_a_problem_line_not_a_crash(repo_root):
    gone = cut(repo_root, ExcerptSpec(file="probes/trials/net_torch.py", symbol="NoSuchNet"))
    assert gone.problem and "NoSuchNet" in gone.problem and "net_torch.py" in gone.problem
    spec = ExcerptSpec.model_validate(
        {"file": "probes/trials/torch_trial.py", "symbol": "main", "from": "no such statement"}
    )
    moved = cut(repo_root, spec)
    assert moved.problem and "no such statement" in moved.problem
    missing = cut(repo_root, ExcerptSpec(file="probes/trials/nothing_here.py"))
    assert missing.problem and "nothing_here.py" in missing.problem


def test_from_to_keeps_the_statements_between(repo_root):
    spec = ExcerptSpec.model_validate(
        {
            "file": "probes/trials/torch_trial.py",
            "symbol": "main",
            "from": "model = Net()",
            "to": "optimizer = make_optimizer(",
        }
    )
    excerpt = cut(repo_root, spec)
    assert excerpt.code.startswith("model = Net()")
    assert excerpt.code.splitlines()[-1].startswith("optimizer = make_optimizer(")


def test_nested_symbols_are_found(repo_root):
    excerpt = cut(
        repo_root, ExcerptSpec(file="probes/frameworks/jax/trial.py", symbol="main.train_step")
    )
    assert excerpt.code.startswith("def train_step(state, x, y):")


def test_beginner_path_shows_only_when_its_file_exists(repo_root, tmp_path):
    shutil.copytree(repo_root / "probes", tmp_path / "probes")
    for name in ("beginner_torch.py", "beginner_tensorflow.py"):
        (tmp_path / "probes" / "trials" / name).unlink(missing_ok=True)
    view = code_view(root=tmp_path)
    assert view.path_keys() == ["tuned"]
    stub = Path(__file__).parent / "fixtures" / "beginner_torch_stub.py"
    shutil.copy(stub, tmp_path / "probes" / "trials" / "beginner_torch.py")
    view = code_view(root=tmp_path)
    assert view.path_keys() == ["tuned", "beginner"]
    torch_paths = {p.key: p for p in next(f for f in view.frameworks if f.id == "torch").paths}
    assert check(view) == []  # every part the YAML names for the beginner path is found
    assert "DataLoader(MnistDataset(transform=transform)" in all_code(torch_paths["beginner"])
    tf = next(f for f in view.frameworks if f.id == "tensorflow")
    assert tf.path("beginner") is None  # its file is not there yet


def test_a_framework_without_an_entry_shows_its_network_file():
    view = code_view(spec=CodeViewSpec(paths={"tuned": "Tuned"}))
    for fw in view.frameworks:
        (path,) = fw.paths
        (section,) = path.sections
        assert section.excerpts[0].file == frameworks.get(fw.id).network_file
        assert section.excerpts[0].problem is None


def test_a_bad_code_view_file_names_file_and_line(tmp_path):
    bad = tmp_path / "code-view.yaml"
    bad.write_text(
        "paths: {tuned: T}\nframeworks:\n  torch:\n    tuned:\n      sections:\n"
        "        - name: Network\n          excerpts:\n            - {file: a.py, symbl: Net}\n"
    )
    with pytest.raises(UserError) as err:
        load_spec(bad)
    message = str(err.value)
    assert "code-view.yaml:8:" in message and "unknown key 'symbl'" in message


def test_the_shipped_file_is_valid():
    assert load_spec(spec_file()).paths["tuned"]


def test_building_the_view_imports_no_framework(repo_root):
    script = (
        "import json, sys\n"
        "from chooser.views.code import code_view, check\n"
        "view = code_view()\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('torch', 'tensorflow', 'keras', 'jax', 'flax'))\n"
        "print(json.dumps({'problems': check(view), 'heavy': heavy}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=repo_root, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"problems": [], "heavy": []}


def test_spec_path_is_in_the_question_folder_but_not_a_question_file():
    from chooser.decide.questionnaire import load_questions

    assert spec_file().parent.name == "code"
    load_questions()  # the shipped bank still loads (the code folder is not read as questions)
