"""Calendar arithmetic: month terms, exact lengths in months, ages on a day."""

import datetime
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careerbreak.interruptions.rules.dates import (
    add_months,
    age_on,
    birthday,
    end_for,
    months_between,
    next_monday_after,
)

D = datetime.date
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 6, 1), 3, D(2026, 9, 1)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # no 30 February: the month's last day
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # leap year
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last_day(
    day: datetime.date, months: int, expected: datetime.date
) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2026, 3, 1), D(2026, 5, 31), Fraction(3)),
        (D(2026, 1, 15), D(2026, 4, 14), Fraction(3)),
        (D(2026, 9, 1), D(2027, 1, 31), Fraction(5)),
        (D(2026, 9, 1), D(2027, 1, 30), Fraction(4) + Fraction(30, 31)),
        (D(2026, 6, 1), D(2026, 6, 15), Fraction(1, 2)),
        (D(2026, 6, 1), D(2026, 6, 1), Fraction(1, 30)),
        (D(2026, 6, 2), D(2026, 6, 1), Fraction(0)),
    ],
    ids=["mar-may", "mid-month", "five", "five-less-a-day", "half-june", "one-day", "empty"],
)
def test_months_between_counts_calendar_months_exactly(
    start: datetime.date, end: datetime.date, months: Fraction
) -> None:
    assert months_between(start, end) == months


@given(start=days, months=st.integers(min_value=1, max_value=120))
def test_a_period_of_n_whole_months_lasts_n_months(start: datetime.date, months: int) -> None:
    end = end_for(start, Fraction(months))
    assert months_between(start, end) == months
    assert months_between(start, end - datetime.timedelta(days=1)) < months


@given(start=days, months=st.fractions(min_value=0, max_value=60, max_denominator=12))
def test_end_for_rounds_to_days_within_or_reaching_the_months(start: datetime.date, months: Fraction) -> None:
    assert months_between(start, end_for(start, months)) <= months
    assert months_between(start, end_for(start, months, at_least=True)) >= months


@given(start=days, end=days)
def test_months_between_grows_with_the_end_date(start: datetime.date, end: datetime.date) -> None:
    assert months_between(start, end + datetime.timedelta(days=1)) >= months_between(start, end)


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (D(2014, 9, 1), D(2026, 8, 31), 11),  # the day before the 12th birthday
        (D(2014, 9, 1), D(2026, 9, 1), 12),  # the birthday itself
        (D(2012, 2, 29), D(2024, 2, 28), 11),
        (D(2012, 2, 29), D(2024, 2, 29), 12),
        (D(2012, 2, 29), D(2025, 2, 28), 13),  # 29 February falls on 28 February in common years
    ],
)
def test_age_on_counts_the_birthday_itself(birth: datetime.date, day: datetime.date, age: int) -> None:
    assert age_on(birth, day) == age


@given(birth=days, years=st.integers(min_value=0, max_value=70))
def test_one_is_the_age_from_ones_birthday_and_not_the_day_before(birth: datetime.date, years: int) -> None:
    day = birthday(birth, years)
    assert age_on(birth, day) == years
    if years:
        assert age_on(birth, day - datetime.timedelta(days=1)) == years - 1


@pytest.mark.parametrize(
    ("day", "monday"),
    [(D(2026, 6, 1), D(2026, 6, 8)), (D(2026, 6, 5), D(2026, 6, 8)), (D(2026, 6, 7), D(2026, 6, 8))],
    ids=["monday", "friday", "sunday"],
)
def test_the_first_day_of_the_following_week_is_the_next_monday(
    day: datetime.date, monday: datetime.date
) -> None:
    assert next_monday_after(day) == monday
