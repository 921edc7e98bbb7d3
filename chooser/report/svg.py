"""Inline SVG bar charts: no scripts, no fonts or images fetched, just shapes and text."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass
class Bar:
    label: str
    value: float | None  # None: not measured (drawn as a note, not a zero bar)
    text: str
    color: str
    low: float | None = None  # optional spread (min–max whisker)
    high: float | None = None


def bar_chart(
    title: str,
    bars: list[Bar],
    *,
    width: int = 560,
    max_value: float | None = None,
    css_class: str = "chart",
) -> str:
    label_w, text_w, row_h, pad = 170, 150, 28, 8
    plot_w = width - label_w - text_w
    values = [v for b in bars for v in (b.value, b.high) if v is not None]
    top = max_value if max_value is not None else (max(values) if values else 1.0)
    top = top if top > 0 else 1.0
    height = pad * 2 + row_h * max(len(bars), 1)
    parts = [
        f'<svg class="{css_class}" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = pad + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" '
            f'class="label">{escape(bar.label)}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + 18}" class="note">{escape(bar.text)}</text>'
            )
            continue
        w = max(0.0, min(1.0, bar.value / top)) * plot_w
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" '
            f'rx="3" fill="{bar.color}"><title>{escape(bar.text)}</title></rect>'
        )
        if bar.low is not None and bar.high is not None:
            x1 = label_w + max(0.0, min(1.0, bar.low / top)) * plot_w
            x2 = label_w + max(0.0, min(1.0, bar.high / top)) * plot_w
            mid = y + 4 + (row_h - 10) / 2
            parts.append(
                f'<line x1="{x1:.1f}" y1="{mid:.1f}" x2="{x2:.1f}" y2="{mid:.1f}" class="whisker"/>'
            )
        parts.append(
            f'<text x="{label_w + plot_w + 8}" y="{y + 18}" class="value">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
