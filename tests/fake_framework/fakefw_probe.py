"""The fake framework's probe (a test fixture): what a framework probe reports, measured
for real on a tiny 'framework' (numpy as the engine). Run as ``python -m fakefw_probe``."""

from __future__ import annotations

import time

from probes.protocol import run_main


def main() -> dict:
    started = time.perf_counter()
    import numpy

    return {
        "status": "ok",
        "version": numpy.__version__,
        "imported": True,
        "import_time_s": round(time.perf_counter() - started, 3),
        "devices": {"gpu_count": 0},
        "distributed": {"backends": {"loopback": True}},
    }


if __name__ == "__main__":
    run_main(main)
