"""One module per step of the flow, plus the export modal."""
