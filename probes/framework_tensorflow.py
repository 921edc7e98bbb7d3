"""`python -m probes.framework_tensorflow [--full-import]`: what this machine's TensorFlow is.

By default it loads TensorFlow's native runtime only: the C++ library (through
``tensorflow.python.pywrap_tensorflow``), the eager bindings ``_pywrap_tfe`` (the same
``TF_ListPhysicalDevices`` call that ``tf.config.list_physical_devices`` makes), the kernel
registry (``_pywrap_tf_session``) and the generated ``build_info``. It skips
``tensorflow/__init__.py`` — the Python API and Keras, about 4 s on a 2-core machine — by
putting a bare package object for ``tensorflow`` in ``sys.modules``. The result says so
(``import_mode: "native"``). ``--full-import`` (also chosen automatically when a device
plugin is installed, since plugins load in ``tensorflow/__init__.py``) runs a complete
``import tensorflow`` and ``import keras`` and times both.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
import time
import traceback
import types
from typing import Any

from probes import framework_common as common
from probes import protocol
from probes.tf_native import tensorflow_facts

NATIVE_NOTE = (
    "TensorFlow native runtime only (pywrap_tensorflow, _pywrap_tfe, _pywrap_tf_session,"
    " build_info); tensorflow/__init__.py, the Python API and Keras were not imported"
)


def _plugins_installed() -> list[str]:
    """Device plugins that only a full ``import tensorflow`` loads."""
    found = [
        os.path.join(p, "tensorflow-plugins")
        for p in sys.path
        if os.path.isdir(os.path.join(p, "tensorflow-plugins"))
    ]
    if os.environ.get("TF_PLUGGABLE_DEVICE_LIBRARY_PATH"):
        found.append("TF_PLUGGABLE_DEVICE_LIBRARY_PATH")
    if common.find_package("libtpu")[0]:
        found.append("libtpu")
    return found


def _load_native() -> None:
    """Load the native runtime without running tensorflow/__init__.py."""
    spec = importlib.util.find_spec("tensorflow")
    assert spec is not None and spec.submodule_search_locations is not None
    bare = types.ModuleType("tensorflow")
    bare.__path__ = list(spec.submodule_search_locations)
    bare.__spec__ = spec
    sys.modules["tensorflow"] = bare
    try:
        importlib.import_module("tensorflow.python.pywrap_tfe")
        importlib.import_module("tensorflow.python.client._pywrap_tf_session")
    except BaseException:
        for name in [m for m in sys.modules if m == "tensorflow" or m.startswith("tensorflow.")]:
            del sys.modules[name]  # leave a clean slate for the full import fallback
        raise


def _full_import() -> dict[str, Any]:
    started = time.perf_counter()
    import tensorflow  # noqa: F401

    tf_s = time.perf_counter() - started
    started = time.perf_counter()
    import keras

    keras_s = time.perf_counter() - started
    return {
        "import_time_s": round(tf_s + keras_s, 3),
        "import_breakdown_s": {"tensorflow": round(tf_s, 3), "keras": round(keras_s, 3)},
        "keras": {"version": keras.__version__, "imported": True},
    }


def probe_tensorflow(full_import: bool = False) -> dict[str, Any]:
    present, why = common.find_package("tensorflow")
    if not present:
        return common.not_ok("tensorflow", "tensorflow", why=why)
    plugins = _plugins_installed()
    mode, light_error = "native", None
    if plugins:
        full_import = True
    started = time.perf_counter()
    try:
        if full_import:
            mode = "full"
            timing = _full_import()
        else:
            try:
                _load_native()
            except Exception as exc:  # an unfamiliar TF layout: fall back, say why
                light_error = f"{type(exc).__name__}: {exc}"
                mode = "full"
                started = time.perf_counter()
                timing = _full_import()
            else:
                timing = {"import_time_s": round(time.perf_counter() - started, 3)}
    except Exception as exc:
        return common.not_ok("tensorflow", "tensorflow", exc)
    try:
        facts = tensorflow_facts()
    except Exception as exc:  # loaded, but an API this probe relies on changed
        traceback.print_exc(file=sys.stderr)
        return {
            "status": "error",
            "version": common.distribution_version("tensorflow"),
            "import_mode": mode,
            **timing,
            "message": f"tensorflow loaded but probing it failed: {type(exc).__name__}: {exc}",
            "hint": "run `python -m probes.framework_tensorflow`: the traceback is on stderr",
        }
    keras = timing.pop("keras", None) or {
        "version": common.distribution_version("keras"),
        "imported": False,
        "how": "importlib.metadata (package installed; not imported)",
    }
    keras["tf_keras_version"] = common.distribution_version("tf-keras", "tf_keras")
    return {
        "status": "ok",
        "version": facts.pop("version"),
        **timing,
        "import_mode": mode,
        "imported": NATIVE_NOTE if mode == "native" else "import tensorflow; import keras",
        "full_import_reason": (
            f"device plugins installed: {', '.join(plugins)}"
            if plugins
            else f"native load failed: {light_error}"
            if light_error
            else None
        ),
        **facts,
        "keras": keras,
        "horovod": common.horovod_info(),
    }


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m probes.framework_tensorflow")
    parser.add_argument(
        "--full-import",
        action="store_true",
        help="import tensorflow and keras completely (slower, ~4 s here)",
    )
    args = parser.parse_args()
    protocol.die_with_parent()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    common.reserve_stdout_for_protocol()
    return probe_tensorflow(args.full_import)


if __name__ == "__main__":
    protocol.run_main(main, skip_teardown=True)
