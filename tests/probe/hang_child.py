"""Test-only probe child that never answers: it starts a grandchild, writes both pids to
the file named in argv[1], ignores SIGTERM and sleeps. The runner must kill the group."""

import signal
import subprocess
import sys
import time

grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # forces the SIGKILL step
with open(sys.argv[1], "w") as pids:
    pids.write(f"{grandchild.pid} {__import__('os').getpid()}\n")
print('{"event": "progress", "phase": "startup"}', flush=True)
time.sleep(600)
