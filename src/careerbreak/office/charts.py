"""Bar charts drawn on the server: the geometry of an inline SVG (``office/includes/bar_chart.html``),
no script and no library. Each bar has its label above it and its figure after it, so the chart reads
on a narrow screen once the SVG scales down; the page gives the same figures in a table beneath."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WIDTH = 480
BAR_MAX = 380
ROW = 46
FONT_SIZE = 16
LABEL_Y = 16
BAR_Y = 22
BAR_HEIGHT = 16


def _n(value: float) -> str:
    """A coordinate as SVG reads it (never the locale's decimal comma)."""
    return f"{value:g}"


def bar_chart(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``rows``: dicts with ``label``, ``value`` (a number) and ``text`` (the value as the page writes it).
    Returns the SVG's size and each bar's position, the longest bar ``BAR_MAX`` wide."""
    largest = max((float(row["value"]) for row in rows), default=0.0)
    bars = []
    for index, row in enumerate(rows):
        top = index * ROW
        width = round(BAR_MAX * float(row["value"]) / largest, 1) if largest else 0.0
        bars.append(
            {
                "label": row["label"],
                "text": row["text"],
                "label_y": _n(top + LABEL_Y),
                "bar_y": _n(top + BAR_Y),
                "width": _n(width),
                "text_x": _n(width + 6),
                "text_y": _n(top + BAR_Y + BAR_HEIGHT - 3),
            }
        )
    return {
        "width": _n(WIDTH),
        "height": _n(max(len(rows) * ROW, ROW)),
        "bar_height": _n(BAR_HEIGHT),
        "font_size": _n(FONT_SIZE),
        "bars": bars,
    }
