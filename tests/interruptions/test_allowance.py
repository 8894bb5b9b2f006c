"""The allowance computation: schemes, categories, periods split at a rate change, no rate found."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from careerbreak.interruptions.allowance import (
    SCHEME_OF,
    Category,
    NoAllowanceReason,
    NoRate,
    RateLine,
    Scheme,
    allowance_periods,
    category_for,
    paid_from,
    scheme_of,
)
from careerbreak.vocabularies import LeaveType

D = datetime.date
LINES = [
    RateLine("thematic", "full", "standard", Decimal("896.73"), D(2023, 11, 1), key=1),
    RateLine("thematic", "full", "standard", Decimal("914.67"), D(2024, 5, 1), key=2),
    RateLine("thematic", "full", "single_parent", Decimal("1527.70"), D(2023, 11, 1), key=3),
    RateLine("thematic", "1/5", "standard", Decimal("140.23"), D(2023, 11, 1), key=4),
    RateLine("time_credit", "full", "standard", Decimal("600.00"), D(2023, 11, 1), key=5),
]


def _periods(scheme: Scheme, form: str, category: Category, start: datetime.date, end: datetime.date) -> list:
    return allowance_periods(lines=LINES, scheme=scheme, form=form, category=category, start=start, end=end)


def test_every_leave_type_has_a_scheme() -> None:
    assert set(SCHEME_OF) == set(LeaveType.values)
    assert scheme_of("PARENTAL") is Scheme.THEMATIC
    assert scheme_of("TC_CHILD_CARE") is Scheme.TIME_CREDIT
    assert scheme_of("TC_END_OF_CAREER") is Scheme.END_OF_CAREER


def test_a_leave_within_one_rate_is_one_period_at_that_amount() -> None:
    periods = _periods(Scheme.THEMATIC, "full", Category.STANDARD, D(2024, 1, 1), D(2024, 3, 31))
    assert [(p.start, p.end, p.monthly_amount, p.rate.key) for p in periods] == [
        (D(2024, 1, 1), D(2024, 3, 31), Decimal("896.73"), 1)
    ]


def test_a_leave_crossing_an_indexation_is_split_on_the_day_the_new_rate_applies() -> None:
    periods = _periods(Scheme.THEMATIC, "full", Category.STANDARD, D(2024, 3, 1), D(2024, 7, 31))
    assert [(p.start, p.end, p.monthly_amount) for p in periods] == [
        (D(2024, 3, 1), D(2024, 4, 30), Decimal("896.73")),
        (D(2024, 5, 1), D(2024, 7, 31), Decimal("914.67")),
    ]


def test_a_rate_starting_after_the_leave_is_not_used() -> None:
    periods = _periods(Scheme.THEMATIC, "full", Category.STANDARD, D(2024, 1, 1), D(2024, 4, 30))
    assert len(periods) == 1


def test_a_category_with_its_own_lines_is_paid_its_own_amount() -> None:
    periods = _periods(Scheme.THEMATIC, "full", Category.SINGLE_PARENT, D(2024, 1, 1), D(2024, 1, 31))
    assert periods[0].monthly_amount == Decimal("1527.70")


def test_a_category_without_lines_for_the_form_is_paid_the_standard_rate() -> None:
    periods = _periods(Scheme.THEMATIC, "1/5", Category.SINGLE_PARENT, D(2024, 1, 1), D(2024, 6, 30))
    assert periods[0].monthly_amount == Decimal("140.23")


def test_no_rate_in_force_on_the_start_is_a_translated_error_naming_the_scheme_and_day() -> None:
    with pytest.raises(NoRate) as raised, translation.override("fr"):
        _periods(Scheme.END_OF_CAREER, "half", Category.STANDARD, D(2026, 1, 1), D(2026, 6, 30))
    assert raised.value.code == "no_rate"
    assert "01/01/2026" in str(raised.value.message)
    with translation.override("fr"):
        assert "sans allocation" in str(raised.value.message)


def test_a_start_before_the_first_rate_finds_none() -> None:
    with pytest.raises(NoRate):
        _periods(Scheme.THEMATIC, "full", Category.STANDARD, D(2023, 10, 1), D(2023, 12, 31))


def test_the_category_comes_from_the_household_for_thematic_leaves_and_the_age_in_the_public_sector() -> None:
    assert category_for(scheme=Scheme.THEMATIC, single_parent=True, age=40) is Category.SINGLE_PARENT
    assert category_for(scheme=Scheme.TIME_CREDIT, single_parent=True, age=40) is Category.STANDARD
    assert category_for(scheme=Scheme.PUBLIC_CAREER_BREAK, single_parent=False, age=50) is Category.FROM_50
    assert category_for(scheme=Scheme.PUBLIC_CAREER_BREAK, single_parent=False, age=49) is Category.UNDER_50
    assert category_for(scheme=Scheme.PUBLIC_CAREER_BREAK, single_parent=False, age=None) is Category.STANDARD


def test_a_late_worker_part_is_paid_from_the_day_it_was_sent() -> None:
    assert paid_from(start=D(2026, 1, 1), sent_on=D(2026, 3, 15), late=True) == D(2026, 3, 15)
    assert paid_from(start=D(2026, 1, 1), sent_on=D(2026, 2, 15), late=False) == D(2026, 1, 1)
    assert paid_from(start=D(2026, 1, 1), sent_on=None, late=True) == D(2026, 1, 1)


def test_the_reasons_for_no_allowance_are_labelled_in_every_language() -> None:
    for language in ("fr", "nl", "de"):
        with translation.override(language):
            label = str(NoAllowanceReason.CHILD_AGE_FULL_TIME.label)
        with translation.override("en"):
            english = str(NoAllowanceReason.CHILD_AGE_FULL_TIME.label)
        assert label != english, language
