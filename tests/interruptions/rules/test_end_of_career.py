"""End-of-career job (rules.end_of_career): CCT 103, CCT 174, RVA T193 (1.01.2026)."""

import datetime
from decimal import Decimal

import pytest

from careerbreak.interruptions.rules import Severity, check
from careerbreak.interruptions.rules.dates import add_months
from careerbreak.interruptions.types import EndOfCareerException, LeaveForm, LeaveType, PriorRegime

from .calendar import DAY, START, D
from .factories import codes, error_codes, only, stopped_by, valid, warned_only

HALF, FIFTH = LeaveForm.HALF, LeaveForm.ONE_FIFTH
CCT = {"collective_agreement_number": "180000/CO/111", "collective_agreement_date": D(2025, 6, 1)}


def end_of_career(**changes: object) -> object:
    return valid(LeaveType.TC_END_OF_CAREER, **changes)


# Age — from 60; from 55 with an exception of CCT 174 for leaves starting by 30.06.2029 [S39][S43]-[S45].


@pytest.mark.parametrize(
    ("birth", "stopped"),
    [(D(1966, 10, 1), False), (D(1966, 10, 2), True)],
    ids=["60-on-the-start", "60-the-day-after"],
)
def test_an_end_of_career_job_starts_from_60(birth: datetime.date, stopped: bool) -> None:
    findings = check(end_of_career(worker_birth_date=birth))
    if finding := stopped_by(findings, "end_of_career.too_young", stopped):
        assert finding.field == "start"
        assert "from age 60" in finding.message and "02/10/2026" in finding.message  # turns 60


def test_from_55_with_an_exception_and_its_collective_agreement() -> None:
    facts = end_of_career(
        worker_birth_date=D(1969, 1, 1),  # 57
        end_of_career_exception=EndOfCareerException.HEAVY_JOB,
        **CCT,
    )
    assert not error_codes(check(facts))


def test_an_exception_without_its_sector_or_company_agreement_is_stopped() -> None:
    facts = end_of_career(
        worker_birth_date=D(1969, 1, 1), end_of_career_exception=EndOfCareerException.HEAVY_JOB
    )
    findings = check(facts)
    assert {"cct.number_missing", "cct.date_missing"} <= error_codes(findings)
    assert "before 60" in only(findings, "cct.number_missing").message


@pytest.mark.parametrize(
    ("birth", "stopped"), [(D(1971, 10, 1), False), (D(1971, 10, 2), True)], ids=["55-on-start", "54"]
)
def test_even_with_an_exception_the_worker_is_55_on_the_start(birth: datetime.date, stopped: bool) -> None:
    facts = end_of_career(
        worker_birth_date=birth, end_of_career_exception=EndOfCareerException.NIGHT_WORK, **CCT
    )
    assert ("end_of_career.too_young" in error_codes(check(facts))) is stopped


@pytest.mark.parametrize(
    ("start", "stopped"),
    [(D(2029, 6, 30), False), (D(2029, 7, 1), True)],
    ids=["starts-30-06-2029", "starts-01-07-2029"],
)
def test_the_exceptions_from_55_end_for_leaves_starting_after_30_june_2029(
    start: datetime.date, stopped: bool
) -> None:
    facts = end_of_career(
        notice_date=add_months(start, -4),
        today=add_months(start, -4),
        start=start,
        end=add_months(start, 6) - DAY,
        worker_birth_date=D(1972, 1, 1),  # 57
        end_of_career_exception=EndOfCareerException.COMPANY_IN_DIFFICULTY,
        **CCT,
    )
    findings = check(facts)
    if finding := stopped_by(findings, "end_of_career.too_young", stopped):
        assert "30/06/2029" in finding.message


@pytest.mark.parametrize(
    ("exception", "condition", "code", "stopped"),
    [
        (EndOfCareerException.LONG_CAREER, {"career_years": Decimal(35)}, "long_career_short", False),
        (EndOfCareerException.LONG_CAREER, {"career_years": Decimal(34)}, "long_career_short", True),
        (EndOfCareerException.CONSTRUCTION, {"joint_committee": "124"}, "exception_joint_committee", False),
        (EndOfCareerException.CONSTRUCTION, {"joint_committee": "200"}, "exception_joint_committee", True),
        (EndOfCareerException.CONSTRUCTION, {"joint_committee": ""}, "exception_joint_committee", False),
    ],
    ids=[
        "long-career-35-years",
        "long-career-34-years",
        "construction-jc-124",
        "construction-jc-200",
        "unknown",
    ],
)
def test_the_long_career_exception_needs_35_years_and_the_construction_one_joint_committee_124(
    exception: EndOfCareerException, condition: dict[str, object], code: str, stopped: bool
) -> None:
    facts = end_of_career(
        worker_birth_date=D(1968, 1, 1), end_of_career_exception=exception, **condition, **CCT
    )
    assert (f"end_of_career.{code}" in error_codes(check(facts))) is stopped


# Career for the allowance — RVA T193 [S39][S40][S43][S44]: 25 years until 2025; from 1.01.2026 31 men /
# 26 women, one more a year to 35 / 30 in 2030. A warning: the leave stays possible without allowance.


def career_case(notice: datetime.date, gender: str, years: Decimal | None) -> object:
    """A worker born in 1960 (old enough) giving notice on that day: a 1/5 of 6 months, 4 months later."""
    start = add_months(notice, 4)
    return end_of_career(
        notice_date=notice,
        today=notice,
        start=start,
        end=add_months(start, 6) - DAY,
        worker_birth_date=D(1960, 1, 1),
        worker_gender=gender,
        career_years=years,
    )


@pytest.mark.parametrize(
    ("notice", "gender", "years", "warned"),
    [
        (D(2025, 12, 31), "F", 25, False),
        (D(2026, 1, 1), "F", 25, True),
        (D(2026, 1, 1), "F", 26, False),
        (D(2025, 12, 31), "M", 25, False),
        (D(2026, 1, 1), "M", 30, True),
        (D(2026, 1, 1), "M", 31, False),
        (D(2027, 1, 1), "M", 31, True),
        (D(2027, 1, 1), "F", 27, False),
        (D(2029, 12, 31), "M", 34, False),
        (D(2030, 1, 1), "M", 34, True),
        (D(2030, 1, 1), "M", 35, False),
        (D(2030, 1, 1), "F", 29, True),
        (D(2030, 1, 1), "F", 30, False),
        (D(2026, 1, 1), "X", 30, True),  # gender unknown: the men's figure
    ],
    ids=[
        "2025-woman-25",
        "2026-woman-25",
        "2026-woman-26",
        "2025-man-25",
        "2026-man-30",
        "2026-man-31",
        "2027-man-31",
        "2027-woman-27",
        "2029-man-34",
        "2030-man-34",
        "2030-man-35",
        "2030-woman-29",
        "2030-woman-30",
        "2026-unknown-30",
    ],
)
def test_the_career_condition_for_the_allowance_by_year_of_the_notice(
    notice: datetime.date, gender: str, years: int, warned: bool
) -> None:
    findings = check(career_case(notice, gender, Decimal(years)))
    if finding := warned_only(findings, "end_of_career.career_short", warned):
        assert finding.severity is Severity.WARNING and finding.field == "career_years"


def test_missing_career_years_are_asked_for_with_the_figure_that_applies() -> None:
    finding = only(check(end_of_career(career_years=None, worker_gender="F")), "end_of_career.career_missing")
    assert "26 years" in finding.message  # a woman, notice in 2026


# Employment in the 24 months before the notice — [S39]: full-time for 1/5, at least 3/4 for 1/2.


@pytest.mark.parametrize(
    ("form", "regime", "stopped"),
    [
        (FIFTH, PriorRegime.FULL_TIME, False),
        (FIFTH, PriorRegime.AT_LEAST_THREE_QUARTERS, True),
        (HALF, PriorRegime.AT_LEAST_THREE_QUARTERS, False),
        (HALF, PriorRegime.PART_TIME, True),
    ],
    ids=["fifth-full-time", "fifth-three-quarters", "half-three-quarters", "half-part-time"],
)
def test_the_regime_of_the_24_months_before_the_notice(
    form: LeaveForm, regime: PriorRegime, stopped: bool
) -> None:
    findings = check(
        end_of_career(form=form, regime_24_months=regime, regime_12_months=PriorRegime.PART_TIME)
    )
    assert ("end_of_career.regime_insufficient" in error_codes(findings)) is stopped
    assert "regime.insufficient" not in codes(findings)  # the 12-month rule does not apply here


# Per request — [S38][S39]: at least 3 months (1/2), 6 months (1/5); no maximum.


@pytest.mark.parametrize(
    ("form", "months", "less_a_day", "stopped"),
    [(HALF, 3, False, False), (HALF, 3, True, True), (FIFTH, 6, False, False), (FIFTH, 6, True, True)],
    ids=["half-3", "half-3-less-a-day", "fifth-6", "fifth-6-less-a-day"],
)
def test_the_minimum_per_request(form: LeaveForm, months: int, less_a_day: bool, stopped: bool) -> None:
    end = add_months(START, months) - DAY - (DAY if less_a_day else datetime.timedelta(0))
    assert ("duration.too_short" in error_codes(check(end_of_career(form=form, end=end)))) is stopped


def test_no_maximum_until_the_pension() -> None:
    assert not error_codes(check(end_of_career(end=D(2031, 12, 31))))


# Shared with time credit (CCT 103): seniority, small enterprises, 1/5 over fewer days (1.01.2026).


def test_seniority_of_24_months_applies_to_end_of_career_too() -> None:
    assert "seniority.insufficient" in error_codes(check(end_of_career(employment_start=D(2024, 6, 2))))


def test_the_employers_agreement_in_small_enterprises_applies_to_end_of_career_too() -> None:
    facts = end_of_career(reference_headcount=9, start=D(2026, 12, 1), end=D(2027, 5, 31))
    assert "agreement.small_enterprise" in error_codes(check(facts))


def test_one_fifth_over_four_days_before_2026_is_stopped_for_end_of_career() -> None:
    facts = end_of_career(
        days_per_week=Decimal(4),
        notice_date=D(2025, 12, 1),
        today=D(2025, 12, 1),
        start=D(2026, 4, 1),
        end=D(2026, 9, 30),
        employer_agreement=True,
    )
    assert "fifth.fewer_days" in error_codes(check(facts))


# The right needs a career — CCT 103 (25 years as an employee at the notice) [S39][S142]; an ERROR since
# before the records, unlike the allowance's rising condition (a WARNING above). Severity per row.


@pytest.mark.parametrize(
    ("notice", "gender", "years", "code", "severity"),
    [
        (D(2025, 12, 31), "M", "24.9", "end_of_career.career_insufficient", Severity.ERROR),
        (D(2025, 12, 31), "M", "25", None, None),
        (D(2026, 1, 1), "F", "24", "end_of_career.career_insufficient", Severity.ERROR),
        (D(2026, 1, 1), "F", "25", "end_of_career.career_short", Severity.WARNING),
        (D(2026, 1, 1), "M", "25", "end_of_career.career_short", Severity.WARNING),
        (D(2030, 1, 1), "M", "24", "end_of_career.career_insufficient", Severity.ERROR),
        (D(2026, 1, 1), "M", None, "end_of_career.career_missing", Severity.WARNING),
    ],
    ids=[
        "2025-24.9-refused",
        "2025-25-fine",
        "2026-woman-24-refused",
        "2026-woman-25-allowance-warning",
        "2026-man-25-allowance-warning",
        "2030-man-24-refused",
        "unknown-asked-not-refused",
    ],
)
def test_the_right_itself_needs_25_years_of_career(
    notice: datetime.date, gender: str, years: str | None, code: str | None, severity: Severity | None
) -> None:
    findings = check(career_case(notice, gender, Decimal(years) if years is not None else None))
    career = [f for f in findings if f.code.startswith("end_of_career.career")]
    if code is None:
        assert not career and not error_codes(findings)
        return
    assert [(f.code, f.severity, f.field) for f in career] == [(code, severity, "career_years")]
    if severity is Severity.ERROR:
        assert "at least 25 years" in career[0].message and f"you declared {years}" in career[0].message
        assert "CCT 103" in career[0].reference
