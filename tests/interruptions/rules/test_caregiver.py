"""Caregiver leave (rules.caregiver): ONEM T164 [S61]-[S63]; DOMAIN.md §4."""

import datetime

import pytest

from careerbreak.interruptions.rules import check
from careerbreak.interruptions.rules.dates import add_months
from careerbreak.interruptions.types import LeaveForm, LeaveType

from .calendar import DAY, FIFTH, FULL, HALF, START, D, months_from_start
from .factories import PATIENT_NISS, codes, error_codes, months_period, period, stopped_by, valid


@pytest.mark.parametrize(("recognition", "stopped"), [(True, False), (None, True), (False, True)])
def test_caregiver_leave_needs_the_recognition_by_the_health_insurance_fund(
    recognition: bool | None, stopped: bool
) -> None:
    findings = check(valid(LeaveType.CAREGIVER, caregiver_recognition=recognition))
    if finding := stopped_by(findings, "caregiver.recognition_missing", stopped):
        assert finding.field == "caregiver_recognition"


@pytest.mark.parametrize(
    ("form", "months", "code"),
    [
        (FULL, 1, None),
        (FULL, 2, "duration.too_long"),
        (HALF, 2, None),
        (HALF, 1, "duration.too_short"),
        (FIFTH, 2, None),
        (FIFTH, 3, "duration.too_long"),
    ],
    ids=["full-1", "full-2", "half-2", "half-1", "fifth-2", "fifth-3"],
)
def test_a_request_is_one_month_full_time_or_two_months_partial(
    form: LeaveForm, months: int, code: str | None
) -> None:
    findings = check(valid(LeaveType.CAREGIVER, form=form, end=months_from_start(months)))
    assert error_codes(findings) & {"duration.too_long", "duration.too_short"} == ({code} if code else set())


@pytest.mark.parametrize(
    ("prior", "form", "stopped"),
    [
        ((FULL, 2), FULL, False),  # 3 full-time per person
        ((FULL, 3), FULL, True),
        ((HALF, 4), FIFTH, False),  # 6 partial per person
        ((HALF, 6), FIFTH, True),
    ],
    ids=["full-2+1", "full-3+1", "half-4+2", "half-6+2"],
)
def test_three_months_full_time_or_six_partial_per_person(
    prior: tuple, form: LeaveForm, stopped: bool
) -> None:
    prior_form, prior_months = prior
    taken = months_period(LeaveType.CAREGIVER, D(2024, 1, 1), prior_months, prior_form, subject=PATIENT_NISS)
    facts = valid(
        LeaveType.CAREGIVER,
        form=form,
        end=months_from_start(1 if form is FULL else 2),
        prior_periods=(taken,),
    )
    findings = check(facts)
    if finding := stopped_by(findings, "caregiver.person_maximum", stopped):
        assert "3 months full-time or 6 months partial" in finding.message


@pytest.mark.parametrize(("others", "stopped"), [(5, False), (6, True)], ids=["5-taken", "6-taken"])
def test_six_months_full_time_over_the_career(others: int, stopped: bool) -> None:
    taken = tuple(
        period(
            LeaveType.CAREGIVER,
            add_months(D(2021, 1, 1), 3 * i),
            add_months(D(2021, 2, 1), 3 * i) - DAY,
            subject=f"P{i}",
        )
        for i in range(others)
    )
    findings = check(valid(LeaveType.CAREGIVER, prior_periods=taken))
    assert ("caregiver.career_maximum" in error_codes(findings)) is stopped


@pytest.mark.parametrize(
    ("days", "agreed", "stopped"),
    [(7, False, False), (6, False, True), (6, True, False)],
    ids=["7", "6", "6-agreed"],
)
def test_notice_of_at_least_seven_days(days: int, agreed: bool, stopped: bool) -> None:
    notice = START - datetime.timedelta(days=days)
    facts = valid(LeaveType.CAREGIVER, notice_date=notice, today=notice, shorter_notice_agreed=agreed)
    findings = check(facts)
    if finding := stopped_by(findings, "caregiver.notice_short", stopped):
        assert "1 week" in finding.message


def test_without_the_persons_number_only_the_career_is_counted() -> None:
    findings = check(valid(LeaveType.CAREGIVER, patient_niss=""))
    assert codes(findings) == {"caregiver.person_niss_missing"}
