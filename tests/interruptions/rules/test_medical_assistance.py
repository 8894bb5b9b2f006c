"""Medical assistance leave (rules.medical_assistance): RD 10.08.1998 [U]; ONEM T18 [S54]-[S56]."""

import datetime

import pytest

from careerbreak.interruptions.rules import Severity, check
from careerbreak.interruptions.types import LeaveForm, LeaveType, Sector, WorkerStatusCode

from .calendar import DAY, FIFTH, FULL, HALF, START, D, months_from_start
from .factories import (
    PATIENT_NISS,
    error_codes,
    months_period,
    only,
    period,
    stopped_by,
    valid,
    warned_only,
)


@pytest.mark.parametrize(
    ("end", "code"),
    [
        (months_from_start(1), None),
        (months_from_start(3), None),
        (months_from_start(1) - DAY, "medical.too_short"),
        (months_from_start(3) + DAY, "medical.too_long"),
    ],
    ids=["1-month", "3-months", "1-month-less-a-day", "3-months-and-a-day"],
)
def test_periods_of_one_to_three_months(end: datetime.date, code: str | None) -> None:
    findings = check(valid(LeaveType.MEDICAL_ASSISTANCE, end=end))
    assert error_codes(findings) & {"medical.too_short", "medical.too_long"} == ({code} if code else set())
    if code:
        assert "1 month to 3 months" in only(findings, code).message


@pytest.mark.parametrize(
    ("notice", "sector", "agreement", "stopped"),
    [
        (D(2019, 6, 1), Sector.PRIVATE, True, False),
        (D(2019, 5, 31), Sector.PRIVATE, True, True),
        (D(2019, 6, 1), Sector.PRIVATE, None, True),
        (D(2019, 6, 1), Sector.LOCAL_PUBLIC, True, False),
        (D(2019, 6, 1), Sector.FEDERAL_PUBLIC, True, True),
    ],
    ids=["private-01-06-2019", "private-31-05-2019", "not-agreed", "local-authority", "federal"],
)
def test_full_time_in_whole_weeks_with_agreement_from_june_2019(
    notice: datetime.date, sector: Sector, agreement: bool | None, stopped: bool
) -> None:
    # Private sector and local authorities, 1, 2 or 3 weeks with the employer's agreement [S54].
    start = notice + datetime.timedelta(days=14)
    facts = valid(
        LeaveType.MEDICAL_ASSISTANCE,
        sector=sector,
        worker_status=WorkerStatusCode.PRIVATE_WHITE_COLLAR
        if sector is Sector.PRIVATE
        else WorkerStatusCode.PUBLIC_CONTRACTUAL,
        notice_date=notice,
        today=notice,
        start=start,
        end=start + datetime.timedelta(days=13),
        employer_agreement=agreement,
    )
    assert ("medical.too_short" in error_codes(check(facts))) is stopped


def test_four_weeks_are_not_a_flexible_period() -> None:
    facts = valid(
        LeaveType.MEDICAL_ASSISTANCE, end=START + datetime.timedelta(days=27), employer_agreement=True
    )
    assert "medical.too_short" in error_codes(check(facts))


@pytest.mark.parametrize(
    ("prior_form", "prior_months", "form", "months", "stopped"),
    [
        (FULL, 9, FULL, 3, False),  # 12 full-time
        (FULL, 10, FULL, 3, True),
        (HALF, 21, FIFTH, 3, False),  # 24 partial
        (HALF, 22, FIFTH, 3, True),
        (FULL, 10, HALF, 3, False),  # 10 + 1.5 (a partial month counts half [U])
        (FULL, 11, HALF, 3, True),
    ],
    ids=["full9+3", "full10+3", "partial21+3", "partial22+3", "full10+half3", "full11+half3"],
)
def test_twelve_months_full_time_or_twenty_four_partial_per_patient(
    prior_form: LeaveForm, prior_months: int, form: LeaveForm, months: int, stopped: bool
) -> None:
    prior = months_period(
        LeaveType.MEDICAL_ASSISTANCE, D(2020, 1, 1), prior_months, prior_form, subject=PATIENT_NISS
    )
    facts = valid(
        LeaveType.MEDICAL_ASSISTANCE, form=form, end=months_from_start(months), prior_periods=(prior,)
    )
    findings = check(facts)
    if finding := stopped_by(findings, "medical.maximum", stopped):
        assert "12 months full-time or 24 months partial" in finding.message


@pytest.mark.parametrize(
    ("patient_birth", "stopped"),
    [(D(2010, 10, 1), False), (D(2009, 10, 1), True)],
    ids=["child-16-on-start", "child-17-on-start"],
)
def test_doubled_for_a_single_parent_of_a_child_of_16_or_under(
    patient_birth: datetime.date, stopped: bool
) -> None:
    prior = period(LeaveType.MEDICAL_ASSISTANCE, D(2024, 1, 1), D(2024, 12, 31), FULL, subject=PATIENT_NISS)
    facts = valid(
        LeaveType.MEDICAL_ASSISTANCE,
        single_parent=True,
        patient_birth_date=patient_birth,
        prior_periods=(prior,),
    )
    assert ("medical.maximum" in error_codes(check(facts))) is stopped


def test_another_patients_leave_does_not_count() -> None:
    prior = period(LeaveType.MEDICAL_ASSISTANCE, D(2024, 1, 1), D(2024, 12, 31), FULL, subject="40010100111")
    assert not error_codes(check(valid(LeaveType.MEDICAL_ASSISTANCE, prior_periods=(prior,))))


def test_without_the_patients_number_a_warning() -> None:
    finding = only(
        check(valid(LeaveType.MEDICAL_ASSISTANCE, patient_niss="")), "medical.patient_niss_missing"
    )
    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("headcount", "agreement", "stopped"),
    [(9, None, True), (9, True, False), (10, None, False)],
    ids=["9-workers", "9-workers-agreed", "10-workers"],
)
def test_an_employer_of_fewer_than_10_workers_may_refuse(
    headcount: int, agreement: bool | None, stopped: bool
) -> None:
    # [P] [S55]
    facts = valid(LeaveType.MEDICAL_ASSISTANCE, reference_headcount=headcount, employer_agreement=agreement)
    findings = check(facts)
    assert ("medical.agreement_small_enterprise" in error_codes(findings)) is stopped


@pytest.mark.parametrize(("headcount", "warned"), [(49, True), (50, False)])
def test_an_employer_of_fewer_than_50_may_refuse_after_6_months(headcount: int, warned: bool) -> None:
    prior = period(LeaveType.MEDICAL_ASSISTANCE, D(2025, 1, 1), D(2025, 6, 30), FULL, subject=PATIENT_NISS)
    facts = valid(LeaveType.MEDICAL_ASSISTANCE, reference_headcount=headcount, prior_periods=(prior,))
    findings = check(facts)
    warned_only(findings, "medical.may_refuse", warned)


@pytest.mark.parametrize(("days", "warned"), [(7, False), (6, True)], ids=["7-days", "6-days"])
def test_a_notice_of_seven_days_is_only_a_warning(days: int, warned: bool) -> None:
    # 7 days "commonly quoted" [U].
    start = START
    facts = valid(
        LeaveType.MEDICAL_ASSISTANCE,
        notice_date=start - datetime.timedelta(days=days),
        today=start - datetime.timedelta(days=days),
    )
    findings = check(facts)
    warned_only(findings, "medical.notice_short", warned)
