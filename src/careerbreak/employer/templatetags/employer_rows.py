"""``{{ employments|dimona_rows:csrf_token }}``: the rows of step 4's Dimona list, written in Python.

The list shows up to 80 workers (DIMONA_LIST_LIMIT - 1), each row a small form; drawn by the template
engine a row cost about 60 µs (a dozen variables, the date, the translation, the CSRF field), a fifth of
the page. Here the row is one ``format_html`` (every value escaped), the CSRF field and the translation
made once per list (docs/adr/0026-pages-rendering-speed.md). tests/employer/test_dimona_rows.py renders
the template row this replaced and requires the same characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from careerbreak.core.templatetags.fast_builtins import date
from careerbreak.registries.models import Employment

register = template.Library()

_ROW = (
    "\n    <tr>\n      <td>{}</td>\n"
    '      <td><span class="niss">{}</span></td>\n'
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    '      <td><form method="post" class="inline-form">{}<input type="hidden" name="action" value="search">'
    '<input type="hidden" name="search-niss" value="{}"><button type="submit" class="link-button">{}'
    '<span class="visually-hidden"> – {}</span></button></form></td>\n'
    "    </tr>\n"
)


def csrf_field(csrf_token: Any) -> SafeString:
    """What ``{% csrf_token %}`` writes for this token."""
    if not csrf_token or csrf_token == "NOTPROVIDED":
        return SafeString("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)


@register.filter
def dimona_rows(employments: Iterable[Employment] | None, csrf_token: Any) -> list[SafeString]:
    field = csrf_field(csrf_token)
    choose = gettext("Choose")
    rows = []
    for employment in employments or ():
        worker = employment.worker
        committee = employment.joint_committee.number if employment.joint_committee else None
        rows.append(
            format_html(
                _ROW,
                worker.full_name,
                worker.formatted_niss,
                date(employment.start_date, "SHORT_DATE_FORMAT"),
                committee or "–",
                field,
                worker.niss,
                choose,
                worker.full_name,
            )
        )
    return rows
