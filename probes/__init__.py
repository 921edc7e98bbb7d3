"""Everything that touches the machine or a framework. Each entry point runs as
`python -m probes.…` in a child process and speaks JSON lines (see protocol.py).
Never imports Textual or chooser."""
