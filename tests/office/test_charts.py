"""The server-drawn bar chart: the longest bar fills the width, the others in proportion, an empty chart
draws nothing, and coordinates never take the locale's decimal comma."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from careerbreak.office.charts import BAR_MAX, bar_chart


def test_bars_are_in_proportion_to_the_largest() -> None:
    chart = bar_chart([{"label": "a", "value": 2, "text": "2"}, {"label": "b", "value": 0.5, "text": "0,5"}])
    assert [bar["width"] for bar in chart["bars"]] == [f"{BAR_MAX:g}", f"{BAR_MAX / 4:g}"]


def test_all_zeros_draw_no_bar_and_nothing_is_divided_by_zero() -> None:
    chart = bar_chart([{"label": "a", "value": 0, "text": "0"}])
    assert chart["bars"][0]["width"] == "0"
    assert bar_chart([])["bars"] == []


def test_the_svg_keeps_decimal_points_in_french() -> None:
    chart = bar_chart([{"label": "a", "value": 3, "text": "3"}, {"label": "b", "value": 1, "text": "1"}])
    with translation.override("fr"):
        svg = render_to_string(
            "office/includes/bar_chart.html", {"chart": chart, "chart_id": "c", "title": "T", "desc": "D"}
        )
    assert 'width="126.7"' in svg
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
