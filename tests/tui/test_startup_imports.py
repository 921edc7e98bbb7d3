"""Starting the app must not import a framework: probes and trials are child processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def test_app_start_imports_no_framework(repo_root, tmp_path):
    # The real services (lazy), run to the first screen, then list what got imported.
    script = textwrap.dedent(f"""
        import asyncio, json, sys
        from chooser.tui.app import create_app

        async def main():
            app = create_app(out_dir={str(tmp_path)!r}, probe_on_start=False, animations=False)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                shown = "Question&#160;1&#160;of" in app.export_screenshot()
            heavy = sorted(m for m in sys.modules
                           if m.split(".")[0] in ("torch", "tensorflow", "keras"))
            print(json.dumps({{"shown": shown, "heavy": heavy,
                               "textual": "textual" in sys.modules}}))

        asyncio.run(main())
    """)
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=repo_root, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["textual"] and seen["shown"]  # it really started and showed a question
    assert seen["heavy"] == []
