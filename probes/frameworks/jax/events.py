"""TensorBoard event files for the JAX trial, written with TensorBoard's own event-file
writer (the one torch's SummaryWriter wraps), so the JAX child never imports TensorFlow."""

from __future__ import annotations

import os
import sys


def open_tensorboard(directory: str | None, run_name: str):
    """TensorBoard's own event-file writer (the one torch's SummaryWriter wraps), without
    importing TensorFlow."""
    if not directory:
        return None
    import types

    sys.modules.setdefault("tensorboard.compat.notf", types.ModuleType("tensorboard.compat.notf"))
    try:
        from tensorboard.compat.proto import event_pb2, summary_pb2
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
    except ImportError as exc:
        raise RuntimeError(
            f"--tensorboard needs the tensorboard package (pip install tensorboard): {exc}"
        ) from exc
    writer = EventFileWriter(os.path.join(directory, run_name))

    def add_scalar(tag: str, value: float, step: int) -> None:
        summary = summary_pb2.Summary(
            value=[summary_pb2.Summary.Value(tag=tag, simple_value=float(value))]
        )
        writer.add_event(event_pb2.Event(summary=summary, step=step))

    writer.add_scalar = add_scalar
    return writer
