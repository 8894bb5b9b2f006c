"""Calendar arithmetic the rules share: months added to a date, exact lengths in months, ages."""

from __future__ import annotations

import calendar
import datetime
import math
from fractions import Fraction

ONE_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), on the month's last day when that day does not exist.

    31 January + 1 month = 28 (or 29) February, as civil-law month terms are counted.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)


def months_between(start: datetime.date, end: datetime.date) -> Fraction:
    """The length of the period from `start` to `end`, both included, in calendar months, exactly.

    Whole months are counted from the start date (1 March–31 May is 3; 15 January–14 April is 3); the
    days left over count as a fraction of the month they fall in (1–15 June is 1/2). A period ending
    before it starts is 0 months.
    """
    after_end = end + ONE_DAY
    if after_end <= start:
        return Fraction(0)
    whole = (after_end.year - start.year) * 12 + (after_end.month - start.month) + 1
    while whole > 0 and add_months(start, whole) > after_end:
        whole -= 1
    month_start = add_months(start, whole)
    month_end = add_months(start, whole + 1)
    rest = Fraction((after_end - month_start).days, (month_end - month_start).days)
    return whole + rest


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day`; the birthday itself counts (a child born 10 Feb is 12 on 10 Feb).

    Someone born on 29 February has their birthday on 28 February in common years (`birthday`).
    """
    years = day.year - birth_date.year
    if birthday(birth_date, years) > day:
        years -= 1
    return years


def birthday(birth_date: datetime.date, years: int) -> datetime.date:
    """The day the person turns `years` (28 February in common years for someone born on 29 February)."""
    return add_years(birth_date, years)


def next_monday_after(day: datetime.date) -> datetime.date:
    """The first day of the week following `day` (weeks run Monday to Sunday)."""
    return day + datetime.timedelta(days=7 - day.weekday())


def overlaps(
    a_start: datetime.date, a_end: datetime.date, b_start: datetime.date, b_end: datetime.date
) -> bool:
    return a_start <= b_end and b_start <= a_end


def end_for(start: datetime.date, months: Fraction, *, at_least: bool = False) -> datetime.date:
    """The last day of a period starting on `start` that lasts `months` (the inverse of `months_between`,
    exact for whole months). A fraction of a month becomes whole days: rounded down (the latest end within
    a maximum), or up with `at_least` (the earliest end that reaches a minimum)."""
    whole = int(months)
    base = add_months(start, whole)
    following = add_months(start, whole + 1)
    exact = (months - whole) * (following - base).days
    days = math.ceil(exact) if at_least else math.floor(exact)
    return base + datetime.timedelta(days=days) - ONE_DAY
