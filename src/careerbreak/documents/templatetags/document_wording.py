"""``{{ day|written_date }}``: a date in words in the active language, as documents write it."""

from __future__ import annotations

import datetime

from django import template

from careerbreak.documents import wording

register = template.Library()


@register.filter
def written_date(value: datetime.date | None) -> str:
    return wording.written_date(value)
