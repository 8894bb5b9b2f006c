"""Bar charts drawn on the server: the geometry of an inline SVG (``office/includes/bar_chart.html``),
no script and no library. Each bar has its label above it and its figure after it, so the chart reads
on a narrow screen once the SVG scales down; the page gives the same figures in a table beneath."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WIDTH = 640
BAR_MAX = 520
ROW = 40
LABEL_Y = 14
BAR_Y = 20
BAR_HEIGHT = 14


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
                "label_y": top + LABEL_Y,
                "bar_y": top + BAR_Y,
                "width": width,
                "text_x": width + 6,
                "text_y": top + BAR_Y + BAR_HEIGHT - 2,
            }
        )
    return {"width": WIDTH, "height": max(len(rows) * ROW, ROW), "bar_height": BAR_HEIGHT, "bars": bars}
