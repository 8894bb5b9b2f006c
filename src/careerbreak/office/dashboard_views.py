"""The supervisors' dashboard (issue 13): the figures of ``interruptions.office_stats``, each a chart drawn
on the server (inline SVG, no script) with the same figures in a table beneath it."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format, number_format
from django.views.decorators.http import require_GET

from careerbreak.interruptions import office_stats
from careerbreak.office.charts import bar_chart
from careerbreak.office.guards import OfficeRequest, office_required


def _days(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1)


@require_GET
@office_required(supervisor_only=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    acting = cast(OfficeRequest, request).acting
    weeks = office_stats.received_per_week(acting=acting)
    backlog = office_stats.backlog(acting=acting)
    overall, delays = office_stats.median_days_to_decision(acting=acting)
    statuses = [(str(status), str(status.label)) for status in office_stats.BACKLOG_STATUSES]
    week_rows = [
        {
            "label": date_format(week.monday, "SHORT_DATE_FORMAT"),
            "value": week.count,
            "text": number_format(week.count),
        }
        for week in weeks
    ]
    backlog_rows = [
        {
            "office": row.office,
            "cells": [number_format(row.counts.get(code, 0)) for code, _label in statuses],
            "total": number_format(row.total),
        }
        for row in backlog
    ]
    backlog_bars = [
        {
            "label": f"{row.office} – {label}",
            "value": row.counts.get(code, 0),
            "text": number_format(row.counts.get(code, 0)),
        }
        for row in backlog
        for code, label in statuses
    ]
    delay_rows = [
        {
            "label": d.office,
            "value": d.median_days,
            "text": _days(d.median_days),
            "decided": number_format(d.decided),
        }
        for d in ([overall] if overall else []) + delays
    ]
    return render(
        request,
        "office/dashboard.html",
        {
            "weeks": week_rows,
            "weeks_chart": bar_chart(week_rows),
            "statuses": [label for _code, label in statuses],
            "backlog": backlog_rows,
            "backlog_chart": bar_chart(backlog_bars),
            "delays": delay_rows,
            "delays_chart": bar_chart(delay_rows),
            "weeks_count": office_stats.WEEKS,
        },
    )
