"""Re-create the vendored schemas: ``python extract.py CRD.yaml [...]`` writes, for each
CustomResourceDefinition, its ``v1`` ``openAPIV3Schema`` as ``<plural>.<group>.schema.json.gz``
(sorted keys, so a re-extraction from the same release is byte-identical). See README.md."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import yaml


def extract(crd_path: str) -> Path:
    crd = yaml.safe_load(Path(crd_path).read_text())
    (version,) = [v for v in crd["spec"]["versions"] if v["name"] == "v1"]
    names = crd["spec"]["names"]
    out = Path(__file__).parent / f"{names['plural']}.{crd['spec']['group']}.schema.json.gz"
    document = {
        "kind": names["kind"],
        "group": crd["spec"]["group"],
        "version": "v1",
        "openAPIV3Schema": version["schema"]["openAPIV3Schema"],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    out.write_bytes(gzip.compress(text.encode(), mtime=0))
    return out


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(extract(path))
