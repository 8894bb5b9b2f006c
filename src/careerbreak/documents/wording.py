"""How an official document writes what the pages write shorter: dates in words and its page numbers.

An official letter writes a date in words, as each language does: "1er avril 2026", "1 april 2026",
"1. April 2026", "1 April 2026" (the month's name from Django's catalogues, in the active language).
The page numbers ("Page 1 de 2") are a CSS rule of the page's bottom-right margin box, worded in the
active language (`page_numbers_css`), which every document's base template includes.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from careerbreak.vocabularies import active_language

# Django's format characters: j the day, F the month's name, Y the year.
_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def written_date(value: datetime.date | None) -> str:
    """The date in words in the active language ("1er avril 2026"); a dash when there is none. A
    datetime is written as its local day."""
    if value is None:
        return "–"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    language = active_language()
    # DATE_FORMAT of config/formats: "1 avril 2026", "1 april 2026", "1. April 2026", "1 April 2026".
    text = date_format(value, "DATE_FORMAT")
    if language == "fr" and value.day == 1:
        # French writes the first of the month as an ordinal: 1er avril.
        text = "1er" + text[1:]
    return text


def written_datetime(value: datetime.datetime) -> str:
    """The local day in words and the time: "1er avril 2026 à 14:05"."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return gettext("%(date)s at %(time)s") % {
        "date": written_date(local.date()),
        "time": date_format(local, "TIME_FORMAT"),
    }


def _css_string(text: str) -> str:
    # Inside a <style> element: no quote, backslash or "<" may end the string or the element.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'


def page_numbers_css() -> str:
    """The CSS ``content`` of the page number in the active language: "Page " counter(page) " de "
    counter(pages), whatever the order of the words in the sentence."""
    parts = _PLACEHOLDER.split(gettext("Page %(page)s of %(pages)s"))
    # split() alternates the text around the placeholders and the placeholders' names.
    tokens = [
        f"counter({part})" if index % 2 else _css_string(part) for index, part in enumerate(parts) if part
    ]
    return " ".join(tokens)
