"""`--launcher kubernetes` manifests against the training operator's published CRD schemas
(tests/cluster/schemas, Kubeflow training operator v1.9.0; no cluster at hand).

Unknown fields: a CRD schema leaves ``additionalProperties`` open and the API server
prunes what it does not know, silently; ``kubectl apply --validate=strict`` rejects it
instead. The schemas are made strict the same way before validating, so a misspelt field
fails here rather than vanishing on a cluster.
"""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from chooser import cli

SCHEMAS = Path(__file__).parent / "schemas"
IMAGE = "registry.example.org/ml/chooser:0.1.0"


def _strict(schema):
    """Close every object schema that lists its properties, except where the CRD keeps
    unknown fields on purpose (x-kubernetes-preserve-unknown-fields)."""
    if isinstance(schema, dict):
        schema = {k: _strict(v) for k, v in schema.items()}
        if (
            "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


@pytest.fixture(scope="module")
def validators() -> dict:
    found = {}
    for path in SCHEMAS.glob("*.schema.json.gz"):
        document = json.loads(gzip.decompress(path.read_bytes()))
        schema = _strict(document["openAPIV3Schema"])
        jsonschema.Draft7Validator.check_schema(schema)
        found[document["kind"]] = (
            f"{document['group']}/{document['version']}",
            jsonschema.Draft7Validator(schema),
        )
    assert sorted(found) == ["PyTorchJob", "TFJob"]
    return found


def _errors(validators: dict, manifest: dict) -> list[str]:
    api_version, validator = validators[manifest["kind"]]
    problems = (
        []
        if manifest["apiVersion"] == api_version
        else [f"apiVersion {manifest['apiVersion']} is not {api_version}"]
    )
    return problems + [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(manifest)
    ]


def _print(capsys, *flags: str) -> list[dict]:
    assert cli.main(["trial", "--print-launch", "--launcher", "kubernetes", *flags]) == 0
    return list(yaml.safe_load_all(capsys.readouterr().out))


@pytest.mark.parametrize(
    "flags",
    [
        ["--image", IMAGE],
        ["--image", IMAGE, "--nodes", "3", "--gpus-per-node", "4", "--epochs", "2"],
        [
            "--image",
            IMAGE,
            "--nodes",
            "2",
            "--workers",
            "2",
            "--cpus-per-task",
            "8",
            "--namespace",
            "ml-team",
            "--time",
            "1-00:00:00",
            "--optimizer",
            "sgd",
        ],
    ],
)
def test_manifests_validate_against_the_published_crd_schemas(validators, capsys, flags):
    manifests = _print(capsys, *flags)
    assert [m["kind"] for m in manifests] == ["PyTorchJob", "TFJob"]  # both frameworks
    for manifest in manifests:
        assert _errors(validators, manifest) == []


def test_manifests_say_what_runs_where(capsys):
    torch_job, tf_job = _print(
        capsys,
        "--image",
        IMAGE,
        "--nodes",
        "3",
        "--gpus-per-node",
        "4",
        "--steps",
        "50",
        "--time",
        "02:00:00",
    )
    replicas = torch_job["spec"]["pytorchReplicaSpecs"]
    assert (replicas["Master"]["replicas"], replicas["Worker"]["replicas"]) == (1, 2)
    assert torch_job["spec"]["nprocPerNode"] == "4"  # one rank per GPU
    pod = replicas["Worker"]["template"]["spec"]["containers"][0]
    assert pod["name"] == "pytorch" and pod["image"] == IMAGE
    assert pod["command"][:5] == [
        "torchrun",
        "--max-restarts",
        "0",
        "-m",
        "probes.trials.torch_trial",
    ]
    assert "--steps" in pod["command"] and pod["resources"]["limits"] == {"nvidia.com/gpu": 4}
    assert torch_job["spec"]["runPolicy"]["activeDeadlineSeconds"] == 7200
    workers = tf_job["spec"]["tfReplicaSpecs"]["Worker"]
    assert workers["replicas"] == 3 and "Chief" not in tf_job["spec"]["tfReplicaSpecs"]
    tf_pod = workers["template"]["spec"]["containers"][0]
    assert tf_pod["name"] == "tensorflow" and tf_pod["ports"][0]["name"] == "tfjob-port"
    assert tf_pod["command"][:3] == ["python", "-m", "probes.trials.tensorflow_trial"]


def test_one_framework_only(capsys):
    (only,) = _print(capsys, "--image", IMAGE, "--framework", "tensorflow")
    assert only["kind"] == "TFJob"


@pytest.mark.parametrize(
    "break_it, where",
    [
        (lambda m: m["spec"]["pytorchReplicaSpecs"]["Master"].update(replica=1), "replica"),
        (lambda m: m["spec"]["pytorchReplicaSpecs"]["Master"].update(replicas="1"), "replicas"),
        (lambda m: m["spec"].pop("pytorchReplicaSpecs"), "pytorchReplicaSpecs"),
        (lambda m: m["spec"]["runPolicy"].update(backoffLimit="none"), "backoffLimit"),
        (
            lambda m: m["spec"]["pytorchReplicaSpecs"]["Master"]["template"]["spec"]["containers"][
                0
            ].update(comand=["x"]),
            "comand",
        ),
    ],
)
def test_the_validation_catches_broken_manifests(validators, capsys, break_it, where):
    manifest = copy.deepcopy(_print(capsys, "--image", IMAGE, "--framework", "torch")[0])
    assert _errors(validators, manifest) == []
    break_it(manifest)
    problems = _errors(validators, manifest)
    assert problems and any(where in p for p in problems), problems


@pytest.mark.parametrize(
    "flags, message",
    [
        ([], "needs --image"),
        (["--image", IMAGE, "--nodes", "gpu1,gpu2"], "a node count"),
        (["--image", IMAGE, "--namespace", "Bad_Name"], "not a Kubernetes name"),
        (["--image", IMAGE, "--time", "soon"], "--time"),
    ],
)
def test_bad_kubernetes_flags_exit_2(capsys, flags, message):
    assert cli.main(["trial", "--print-launch", "--launcher", "kubernetes", *flags]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
