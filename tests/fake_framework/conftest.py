"""The fake third framework's tests: its registry entry, probe and trial live here."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # fake_registry (unique name: importlib mode)
