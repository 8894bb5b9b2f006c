"""The one counting of months used (`rules.usage`) and the rights computed from it (`interruptions.rights`):
how each form consumes a maximum, per child / per patient / over the career, the maxima read from the
rules' own tables, and the rules and the page giving the same figures."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from careerbreak.interruptions.rights import LIMITS, Right, rights_from
from careerbreak.interruptions.rules import (
    caregiver,
    check,
    medical_assistance,
    palliative,
    parental,
    public_career_break,
    time_credit,
    usage,
)
from careerbreak.interruptions.rules.base import PriorPeriod, in_force
from careerbreak.interruptions.types import LeaveForm, LeaveType
from tests.interruptions.rules.calendar import D
from tests.interruptions.rules.factories import CHILD_NISS, PATIENT_NISS, codes, period, valid

FULL, HALF, FIFTH, TENTH = LeaveForm.FULL, LeaveForm.HALF, LeaveForm.ONE_FIFTH, LeaveForm.ONE_TENTH
ON = datetime.date(2026, 6, 1)
OTHER_CHILD = "20010100222"
FROM = datetime.date(2024, 1, 1)


def months(
    n: int, form: LeaveForm, leave_type: LeaveType, subject: str = "", start: datetime.date = FROM
) -> PriorPeriod:
    """A period of `n` whole calendar months from `start`."""
    end = datetime.date(start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1, 1)
    return period(leave_type, start, end - datetime.timedelta(days=1), form, subject=subject)


def right(rights: list[Right], key: str, subject: str = "") -> Right:
    found = [r for r in rights if r.limit.counter.key == key and r.subject_niss == subject]
    assert len(found) == 1, [(r.limit.counter.key, r.subject_niss) for r in rights]
    return found[0]


# -- how a month of each form consumes the maximum --------------------------------------------------------
@pytest.mark.parametrize(
    ("counter", "leave_type", "form", "calendar", "used"),
    [
        # Parental leave: 4 months full-time per child or the equivalent: a month at 1/n is 1/n.
        (usage.PARENTAL, LeaveType.PARENTAL, FULL, 4, Fraction(4)),
        (usage.PARENTAL, LeaveType.PARENTAL, HALF, 8, Fraction(4)),
        (usage.PARENTAL, LeaveType.PARENTAL, FIFTH, 20, Fraction(4)),
        (usage.PARENTAL, LeaveType.PARENTAL, TENTH, 40, Fraction(4)),
        (usage.PARENTAL, LeaveType.PARENTAL, FIFTH, 1, Fraction(1, 5)),
        # Medical assistance, caregiver: "N full-time or 2N partial": a partial month counts 1/2.
        (usage.MEDICAL_ASSISTANCE, LeaveType.MEDICAL_ASSISTANCE, HALF, 24, Fraction(12)),
        (usage.MEDICAL_ASSISTANCE, LeaveType.MEDICAL_ASSISTANCE, FIFTH, 24, Fraction(12)),
        (usage.MEDICAL_ASSISTANCE, LeaveType.MEDICAL_ASSISTANCE, FULL, 12, Fraction(12)),
        (usage.CAREGIVER_CAREER, LeaveType.CAREGIVER, HALF, 2, Fraction(1)),
        # Palliative care, time credit, public career break: calendar months whatever the form.
        (usage.PALLIATIVE, LeaveType.PALLIATIVE, HALF, 1, Fraction(1)),
        (usage.PALLIATIVE, LeaveType.PALLIATIVE, FIFTH, 3, Fraction(3)),
        (usage.TIME_CREDIT_MOTIVES, LeaveType.TC_CHILD_CARE, FIFTH, 12, Fraction(12)),
        (usage.TIME_CREDIT_MOTIVES, LeaveType.TC_TRAINING, HALF, 6, Fraction(6)),
        (usage.TIME_CREDIT_TRAINING, LeaveType.TC_TRAINING, FULL, 3, Fraction(3)),
        (usage.PUBLIC_PARTIAL, LeaveType.PUBLIC_CAREER_BREAK, HALF, 12, Fraction(12)),
    ],
)
def test_a_form_consumes_its_share_of_the_maximum(
    counter: usage.Counter, leave_type: LeaveType, form: LeaveForm, calendar: int, used: Fraction
) -> None:
    subject = PATIENT_NISS if counter.per is not usage.Per.CAREER else ""
    assert counter.used([months(calendar, form, leave_type, subject)], subject or None) == used


def test_half_a_month_counts_half() -> None:
    half_june = period(LeaveType.PALLIATIVE, D(2024, 6, 1), D(2024, 6, 15), FULL, subject=PATIENT_NISS)
    assert usage.PALLIATIVE.used([half_june], PATIENT_NISS) == Fraction(1, 2)


def test_other_types_and_the_other_public_form_do_not_count() -> None:
    periods = [
        months(3, FULL, LeaveType.PARENTAL, CHILD_NISS),
        months(6, HALF, LeaveType.PUBLIC_CAREER_BREAK),
        months(4, FULL, LeaveType.PUBLIC_CAREER_BREAK, start=D(2025, 1, 1)),
    ]
    assert usage.TIME_CREDIT_MOTIVES.used(periods) == 0
    assert usage.PUBLIC_FULL.used(periods) == 4
    assert usage.PUBLIC_PARTIAL.used(periods) == 6


# -- per child, per patient, over the career ----------------------------------------------------------------
def test_parental_leave_counts_per_child() -> None:
    rights = rights_from(
        (
            months(4, FULL, LeaveType.PARENTAL, CHILD_NISS),
            months(2, HALF, LeaveType.PARENTAL, OTHER_CHILD, start=D(2025, 1, 1)),
        ),
        on=ON,
    )
    first, second = right(rights, "parental", CHILD_NISS), right(rights, "parental", OTHER_CHILD)
    assert (first.used, first.left) == (4, 0)
    assert (second.used, second.left) == (1, 3)
    assert [p.period.subject_niss for p in second.periods] == [OTHER_CHILD]
    # 3 full-time months left are 6 at half-time, 15 at 1/5, 30 at 1/10.
    assert [(form, str(m)) for form, m in second.left_by_form] == [
        (HALF, "6 months"),
        (FIFTH, "15 months"),
        (TENTH, "30 months"),
    ]


def test_a_per_patient_maximum_counts_each_patient_apart() -> None:
    rights = rights_from(
        (
            months(3, FULL, LeaveType.PALLIATIVE, PATIENT_NISS),
            months(1, HALF, LeaveType.PALLIATIVE, OTHER_CHILD, start=D(2025, 1, 1)),
            months(2, FULL, LeaveType.CAREGIVER, PATIENT_NISS),
            months(2, HALF, LeaveType.CAREGIVER, OTHER_CHILD, start=D(2025, 3, 1)),
        ),
        on=ON,
    )
    assert right(rights, "palliative", PATIENT_NISS).left == 0
    assert right(rights, "palliative", OTHER_CHILD).left == 2
    assert right(rights, "caregiver_person", PATIENT_NISS).left == 1
    assert right(rights, "caregiver_person", OTHER_CHILD).left == 2
    # Over the career the caregiver leaves of both persons add up: 2 + 1 of 6.
    assert right(rights, "caregiver_career").used == 3
    assert right(rights, "caregiver_career").left == 3


def test_nothing_used_shows_every_maximum_untouched_and_hides_the_rare_ones() -> None:
    rights = rights_from((), on=ON)
    keys = [r.limit.counter.key for r in rights]
    assert keys == [
        "time_credit",
        "time_credit_training",
        "parental",
        "medical_assistance",
        "palliative",
        "caregiver_career",
        "caregiver_person",
    ]
    assert all(r.used == 0 and r.left == r.maximum and not r.periods for r in rights)


def test_the_end_of_career_job_has_no_maximum() -> None:
    rights = rights_from((months(12, FIFTH, LeaveType.TC_END_OF_CAREER),), on=ON)
    end_of_career = right(rights, "end_of_career")
    assert (end_of_career.used, end_of_career.maximum, end_of_career.left) == (12, None, None)


def test_more_than_the_maximum_leaves_nothing_not_a_negative_balance() -> None:
    rights = rights_from(
        (
            months(40, FULL, LeaveType.TC_CHILD_CARE),
            months(36, HALF, LeaveType.TC_TRAINING, start=D(2020, 1, 1)),
        ),
        on=ON,
    )
    assert right(rights, "time_credit").used == 76
    assert right(rights, "time_credit").left == 0
    assert right(rights, "time_credit_training").left == 0


# -- the maxima are the rules' own tables -------------------------------------------------------------------
def test_the_maxima_are_read_from_the_rules_tables() -> None:
    expected = {
        "time_credit": in_force(time_credit.CAREER_MAXIMA, ON).all_motives,
        "time_credit_training": in_force(time_credit.CAREER_MAXIMA, ON).training,
        "parental": in_force(parental.PER_CHILD_FULL_MONTHS, ON),
        "medical_assistance": in_force(medical_assistance.PER_PATIENT, ON).full_months,
        "palliative": in_force(palliative.PER_PATIENT_MONTHS, ON),
        "caregiver_career": in_force(caregiver.MAXIMA, ON).career_full_months,
        "caregiver_person": in_force(caregiver.MAXIMA, ON).per_person_full_months,
        "public_full": in_force(public_career_break.MAXIMA, ON).full_months,
        "public_partial": in_force(public_career_break.MAXIMA, ON).partial_months,
        "end_of_career": None,
    }
    assert {limit.counter.key: limit.maximum(ON) for limit in LIMITS} == expected
    assert (expected["time_credit"], expected["time_credit_training"], expected["parental"]) == (51, 36, 4)
    assert (expected["medical_assistance"], expected["palliative"], expected["caregiver_career"]) == (
        12,
        3,
        6,
    )


# -- the page and the rules agree ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prior", "exhausted"),
    [
        (months(8, HALF, LeaveType.PARENTAL, CHILD_NISS), True),
        (months(19, FIFTH, LeaveType.PARENTAL, CHILD_NISS), False),
        (months(20, FIFTH, LeaveType.PARENTAL, CHILD_NISS), True),
        # Another child's leave used up: that child's page says 0 left, the rule for CHILD_NISS says nothing.
        (months(4, FULL, LeaveType.PARENTAL, OTHER_CHILD), True),
    ],
)
def test_the_page_says_nothing_is_left_exactly_when_the_rule_says_exhausted(
    prior: PriorPeriod, exhausted: bool
) -> None:
    facts = valid(LeaveType.PARENTAL, prior_periods=(prior,))
    page = right(rights_from((prior,), on=facts.rule_date), "parental", prior.subject_niss)
    assert ("parental.exhausted" in codes(check(facts))) is (exhausted and prior.subject_niss == CHILD_NISS)
    assert parental.used_full_time_equivalent((prior,), prior.subject_niss) == page.used
    assert (page.left == 0) is exhausted


@pytest.mark.parametrize(("used", "exhausted"), [(2, False), (3, True)])
def test_palliative_care_page_and_rule_agree(used: int, exhausted: bool) -> None:
    prior = months(used, FIFTH, LeaveType.PALLIATIVE, PATIENT_NISS)
    facts = valid(LeaveType.PALLIATIVE, prior_periods=(prior,), patient_niss=PATIENT_NISS)
    page = right(rights_from((prior,), on=facts.rule_date), "palliative", PATIENT_NISS)
    assert ("palliative.exhausted" in codes(check(facts))) is exhausted
    assert (page.left == 0) is exhausted


@pytest.mark.parametrize(("used", "exhausted"), [(50, False), (51, True)])
def test_time_credit_page_and_rule_agree(used: int, exhausted: bool) -> None:
    prior = months(used, FIFTH, LeaveType.TC_SERIOUS_ILLNESS, start=D(2019, 1, 1))
    facts = valid(LeaveType.TC_CHILD_CARE, prior_periods=(prior,))
    page = right(rights_from((prior,), on=facts.rule_date), "time_credit")
    assert ("maximum.all_motives_exhausted" in codes(check(facts))) is exhausted
    assert (page.left == 0) is exhausted
