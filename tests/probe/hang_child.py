"""Test-only probe child that never answers: it starts a grandchild, appends both pids to
the file named by $HANG_PID_FILE, ignores SIGTERM and sleeps. The runner must kill the
group. Run as ``python -m hang_child`` (this folder on PYTHONPATH)."""

import os
import signal
import subprocess
import sys
import time

grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # forces the SIGKILL step
with open(os.environ["HANG_PID_FILE"], "a") as pids:
    pids.write(f"{grandchild.pid} {os.getpid()}\n")
print('{"event": "progress", "phase": "startup"}', flush=True)
time.sleep(600)
