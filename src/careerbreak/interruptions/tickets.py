"""Ticket numbers: the year, an 8-digit sequence and 2 mod-97 check digits, shown ``2026/00012345/67``.

Readable over the phone; a mistyped digit or two swapped neighbouring digits change the check digits.
The sequence comes from a per-year counter row incremented inside the confirming transaction, so a
number is never reused (a rolled-back transaction gives its number back before anyone saw it).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from careerbreak.registries.identifiers import normalize_niss

_SHAPE = re.compile(r"^\s*(\d{4})\D*(\d{8})\D*(\d{2})\s*$")


def check_digits(year: int, sequence: int) -> int:
    base = year * 100_000_000 + sequence
    return 97 - (base * 100 % 97)


def format_ticket(year: int, sequence: int) -> str:
    if not (1000 <= year <= 9999 and 0 < sequence < 100_000_000):
        raise ValueError("ticket out of range")
    return f"{year:04d}/{sequence:08d}/{check_digits(year, sequence):02d}"


def parse_ticket(value: str) -> tuple[int, int] | None:
    """(year, sequence) of a ticket typed with any separators, or None if it is not a valid ticket."""
    match = _SHAPE.match(value or "")
    if not match:
        return None
    year, sequence, digits = (int(part) for part in match.groups())
    if sequence == 0 or check_digits(year, sequence) != digits:
        return None
    return year, sequence


_NEXT_IN_YEAR = (
    'INSERT INTO "interruptions_ticketcounter" ("year", "last") VALUES (%s, 1) '
    'ON CONFLICT ("year") DO UPDATE SET "last" = "interruptions_ticketcounter"."last" + 1 RETURNING "last"'
)


def next_ticket(year: int) -> str:
    """Allocate the next ticket of ``year``. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("next_ticket must run inside a transaction")
    # One statement (PostgreSQL, and SQLite from 3.35): the year's row created at 1 or incremented, under
    # its row lock until the caller's transaction ends, and the number it now holds.
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_IN_YEAR, [year])
        (last,) = cursor.fetchone()
    return format_ticket(year, last)


def ticket_or_niss(value: str) -> dict[str, str]:
    """What a search box by ticket or national number holds: ``{"ticket": …}`` (formatted),
    ``{"worker_niss": …}`` (11 digits), or ``{}`` when empty. Raises ValidationError (translated) for
    anything else (Consultation, the office's work queue)."""
    value = (value or "").strip()
    if not value:
        return {}
    ticket = parse_ticket(value)
    if ticket is not None:
        return {"ticket": format_ticket(*ticket)}
    try:
        return {"worker_niss": normalize_niss(value)}
    except ValidationError as exc:
        raise ValidationError(
            _("Enter a national register number (11 digits) or a ticket such as 2026/00012345/73."),
            code="search",
        ) from exc
