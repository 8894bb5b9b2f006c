"""Public-sector career break (rules.public_career_break): Fedweb/BOSA [S66][S67]; [S69]."""

import datetime

import pytest

from careerbreak.interruptions.rules import Severity, check
from careerbreak.interruptions.rules.dates import add_months
from careerbreak.interruptions.types import LeaveForm, LeaveType, RequestKind, Sector, WorkerStatusCode

from .calendar import DAY, FIFTH, FULL, HALF, START, D, months_from_start
from .factories import codes, error_codes, months_period, only, period, stopped_by, valid


@pytest.mark.parametrize(
    ("end", "code"),
    [
        (months_from_start(3), None),
        (months_from_start(12), None),
        (months_from_start(3) - DAY, "duration.too_short"),
        (months_from_start(12) + DAY, "duration.too_long"),
    ],
    ids=["3-months", "12-months", "3-months-less-a-day", "12-months-and-a-day"],
)
def test_periods_of_three_to_twelve_months(end: datetime.date, code: str | None) -> None:
    findings = check(valid(LeaveType.PUBLIC_CAREER_BREAK, end=end))
    assert error_codes(findings) & {"duration.too_short", "duration.too_long"} == ({code} if code else set())


@pytest.mark.parametrize(
    ("prior_form", "prior_months", "form", "code"),
    [
        (FULL, 54, FULL, None),  # 54 + 6 = 60
        (FULL, 55, FULL, "public.maximum_full"),
        (HALF, 55, FIFTH, "public.maximum_partial"),
        (HALF, 60, FULL, None),  # partial months do not use the full-time 60
    ],
    ids=["full-54+6", "full-55+6", "partial-55+6", "partial-60-then-full"],
)
def test_sixty_months_full_time_and_sixty_partial_over_the_career(
    prior_form: LeaveForm, prior_months: int, form: LeaveForm, code: str | None
) -> None:
    prior = months_period(LeaveType.PUBLIC_CAREER_BREAK, D(2010, 1, 1), prior_months, prior_form)
    findings = check(valid(LeaveType.PUBLIC_CAREER_BREAK, form=form, prior_periods=(prior,)))
    assert error_codes(findings) & {"public.maximum_full", "public.maximum_partial"} == (
        {code} if code else set()
    )
    if code:
        assert "60 months" in only(findings, code).message


@pytest.mark.parametrize(
    ("start", "stopped"),
    [(D(2026, 8, 1), False), (D(2026, 7, 31), True)],
    ids=["2-months", "2-months-less-a-day"],
)
def test_the_request_is_made_two_months_before(start: datetime.date, stopped: bool) -> None:
    facts = valid(LeaveType.PUBLIC_CAREER_BREAK, start=start, end=add_months(start, 6) - DAY)
    findings = check(facts)
    if finding := stopped_by(findings, "public.notice_short", stopped):
        assert "2 months" in finding.message


@pytest.mark.parametrize(
    ("notice", "stopped"),
    [(D(2026, 9, 1), False), (D(2026, 9, 2), True)],
    ids=["1-month", "1-month-less-a-day"],
)
def test_an_extension_is_requested_one_month_before_the_end(notice: datetime.date, stopped: bool) -> None:
    running = period(LeaveType.PUBLIC_CAREER_BREAK, D(2026, 4, 1), START - DAY, ticket="T1")
    facts = valid(
        LeaveType.PUBLIC_CAREER_BREAK,
        kind=RequestKind.EXTENSION,
        related_ticket="T1",
        prior_periods=(running,),
        notice_date=notice,
        today=notice,
    )
    findings = check(facts)
    assert ("public.extension_notice_short" in error_codes(findings)) is stopped
    assert "public.notice_short" not in codes(findings)


@pytest.mark.parametrize(
    ("sector", "status", "form", "stopped"),
    [
        (Sector.FEDERAL_PUBLIC, WorkerStatusCode.PUBLIC_STATUTORY, FIFTH, True),
        (Sector.FEDERAL_PUBLIC, WorkerStatusCode.PUBLIC_STATUTORY, HALF, False),
        (Sector.FEDERAL_PUBLIC, WorkerStatusCode.PUBLIC_CONTRACTUAL, FIFTH, False),
        (Sector.EDUCATION, WorkerStatusCode.PUBLIC_STATUTORY, FIFTH, False),
    ],
    ids=[
        "federal-statutory-fifth",
        "federal-statutory-half",
        "federal-contractual-fifth",
        "education-statutory-fifth",
    ],
)
def test_federal_statutory_staff_take_a_partial_break_only_at_half_time(
    sector: Sector, status: WorkerStatusCode, form: LeaveForm, stopped: bool
) -> None:
    findings = check(valid(LeaveType.PUBLIC_CAREER_BREAK, sector=sector, worker_status=status, form=form))
    if finding := stopped_by(findings, "public.statutory_form", stopped):
        assert finding.field == "form"


def test_an_unanswered_replacement_is_a_warning() -> None:
    finding = only(
        check(valid(LeaveType.PUBLIC_CAREER_BREAK, replacement=None)), "public.replacement_unanswered"
    )
    assert finding.severity is Severity.WARNING and finding.field == "replacement"


def test_no_seniority_or_contract_months_in_the_public_sector() -> None:
    facts = valid(
        LeaveType.PUBLIC_CAREER_BREAK, employment_start=D(2026, 5, 1), months_of_contract_last_15=None
    )
    assert not error_codes(check(facts))


# Offered only where ONEM still handles it (issue 11.6) — domain-research §0 [S25][S42]: not to regional
# and local administrations (regionalised), which keep the thematic leaves.


@pytest.mark.parametrize(
    ("sector", "status", "offered"),
    [
        (Sector.FEDERAL_PUBLIC, WorkerStatusCode.PUBLIC_STATUTORY, True),
        (Sector.FEDERAL_PUBLIC, WorkerStatusCode.AUTONOMOUS_PUBLIC_COMPANY, True),
        (Sector.EDUCATION, WorkerStatusCode.TEACHING_STAFF, True),
        (Sector.REGIONAL_PUBLIC, WorkerStatusCode.PUBLIC_STATUTORY, False),
        (Sector.LOCAL_PUBLIC, WorkerStatusCode.PUBLIC_CONTRACTUAL, False),
    ],
    ids=["federal", "autonomous-public-company", "education", "regional", "local"],
)
def test_the_public_career_break_only_where_onem_handles_it(
    sector: Sector, status: WorkerStatusCode, offered: bool
) -> None:
    findings = check(valid(LeaveType.PUBLIC_CAREER_BREAK, sector=sector, worker_status=status))
    assert ("type.not_offered" in error_codes(findings)) is not offered
    if not offered:
        assert only(findings, "type.not_offered").field == "leave_type"
        thematic = valid(LeaveType.MEDICAL_ASSISTANCE, sector=sector, worker_status=status)
        assert "type.not_offered" not in codes(check(thematic))
