"""Date tables, findings and their messages in the active language."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from careerbreak.interruptions.rules.base import (
    BEFORE_RECORDS,
    Effective,
    Finding,
    Months,
    Severity,
    Term,
    display,
    in_force,
)

D = datetime.date
TABLE = Effective((BEFORE_RECORDS, "old"), (D(2026, 1, 1), "new"))


@pytest.mark.parametrize(
    ("day", "value"),
    [(D(2025, 12, 31), "old"), (D(2026, 1, 1), "new"), (D(2030, 6, 1), "new")],
    ids=["day-before-change", "day-of-change", "later"],
)
def test_in_force_gives_the_row_of_the_day(day: datetime.date, value: str) -> None:
    assert in_force(TABLE, day) == value


def test_since_gives_the_day_the_row_took_effect() -> None:
    assert TABLE.since(D(2026, 3, 3)) == D(2026, 1, 1)


def test_a_day_before_the_first_row_has_no_rule() -> None:
    table = Effective((D(2020, 9, 1), 1))
    with pytest.raises(LookupError, match="2020-08-31"):
        in_force(table, D(2020, 8, 31))


@pytest.mark.parametrize(
    "rows",
    [(), ((D(2026, 1, 1), 1), (D(2025, 1, 1), 2)), ((D(2026, 1, 1), 1), (D(2026, 1, 1), 2))],
    ids=["empty", "unordered", "duplicate-day"],
)
def test_a_badly_built_table_is_refused(rows: tuple) -> None:
    with pytest.raises(ValueError, match="table"):
        Effective(*rows)


def test_a_finding_renders_its_parameters_in_the_active_language() -> None:
    finding = Finding(
        "x.code",
        Severity.ERROR,
        "end",
        _("Lasts %(months)s from %(start)s; share %(share)s."),
        "RD",
        {"months": Months(Fraction(5, 2)), "start": D(2026, 9, 1), "share": Decimal("0.5")},
    )
    assert finding.message == "Lasts 2.5 months from 01/09/2026; share 0.5."
    with translation.override("fr"):
        assert "01/09/2026" in finding.message
        assert "2,5" in finding.message
    assert finding.is_error
    assert str(finding).startswith("error: end: ")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Months(1), "1 month"),
        (Months(6), "6 months"),
        (Months(Fraction(1, 3)), "0.33 months"),
        (Term(months=3), "3 months"),
        (Term(days=14), "2 weeks"),
        (Term(days=7), "1 week"),
        (Term(days=8), "8 days"),
        (Fraction(51), "51"),
    ],
)
def test_numbers_and_terms_read_naturally(value: object, text: str) -> None:
    assert display(value) == text


def test_the_facts_length_in_months_is_worked_out_once_and_a_changed_copy_has_its_own() -> None:
    from careerbreak.interruptions.rules.dates import months_between
    from careerbreak.interruptions.types import LeaveType
    from tests.interruptions.rules.factories import change, valid

    facts = valid(LeaveType.PARENTAL)
    assert facts.months == months_between(facts.start, facts.end)
    assert facts.months is facts.months  # kept on the (frozen) facts after the first reading
    longer = change(facts, end=facts.end + datetime.timedelta(days=31))
    assert longer.months == months_between(longer.start, longer.end) > facts.months
    assert longer == change(facts, end=longer.end)  # what is kept is no field: equality is the fields'
