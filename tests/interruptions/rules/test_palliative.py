"""Palliative care leave (rules.palliative): Law 22.01.1985 art. 100bis [U]; ONEM T20 [S57]-[S60]."""

import datetime

import pytest

from careerbreak.interruptions.rules import Severity, check
from careerbreak.interruptions.types import LeaveForm, LeaveType

from .calendar import DAY, D
from .factories import PATIENT_NISS, codes, error_codes, only, period, stopped_by, valid


@pytest.mark.parametrize(
    ("end", "code"),
    [(D(2026, 10, 31), None), (D(2026, 11, 1), "duration.too_long"), (D(2026, 10, 30), "duration.too_short")],
    ids=["1-month", "1-month-and-a-day", "1-month-less-a-day"],
)
def test_one_month_per_request(end: datetime.date, code: str | None) -> None:
    findings = check(valid(LeaveType.PALLIATIVE, end=end))
    assert error_codes(findings) & {"duration.too_long", "duration.too_short"} == ({code} if code else set())


@pytest.mark.parametrize(
    ("prior_months", "code"),
    [(2, None), (3, "palliative.exhausted")],
    ids=["2-taken", "3-taken"],
)
def test_three_months_per_patient_whatever_the_form(prior_months: int, code: str | None) -> None:
    prior = tuple(
        period(
            LeaveType.PALLIATIVE,
            D(2025, m, 1),
            D(2025, m + 1, 1) - DAY,
            LeaveForm.ONE_FIFTH,
            subject=PATIENT_NISS,
        )
        for m in range(1, prior_months + 1)
    )
    findings = check(valid(LeaveType.PALLIATIVE, prior_periods=prior))
    assert error_codes(findings) == ({code} if code else set())
    if code:
        finding = only(findings, code)
        assert finding.field == "patient_niss" and "3 months" in finding.message


def test_a_leave_longer_than_the_months_left_is_stopped_with_the_last_end_date() -> None:
    prior = period(LeaveType.PALLIATIVE, D(2025, 1, 1), D(2025, 2, 14), subject=PATIENT_NISS)  # 1.5 months
    facts = valid(
        LeaveType.PALLIATIVE,
        end=D(2026, 10, 31),
        prior_periods=(
            prior,
            period(LeaveType.PALLIATIVE, D(2025, 3, 1), D(2025, 3, 31), subject=PATIENT_NISS),
        ),
    )
    finding = only(check(facts), "palliative.maximum")
    assert finding.field == "end" and "15/10/2026" in finding.message


@pytest.mark.parametrize(
    ("notice", "start", "stopped"),
    [
        (D(2026, 6, 1), D(2026, 6, 8), False),  # Monday notice: the next Monday
        (D(2026, 6, 1), D(2026, 6, 7), True),
        (D(2026, 6, 7), D(2026, 6, 8), False),  # Sunday notice: the next day is a Monday
        (D(2026, 6, 8), D(2026, 6, 14), True),
    ],
    ids=["monday-to-next-monday", "monday-to-sunday", "sunday-to-monday", "monday-same-week"],
)
def test_the_leave_starts_the_week_after_the_certificate(
    notice: datetime.date, start: datetime.date, stopped: bool
) -> None:
    facts = valid(
        LeaveType.PALLIATIVE,
        notice_date=notice,
        today=notice,
        start=start,
        end=start + datetime.timedelta(days=29),
    )
    findings = check(facts)
    if finding := stopped_by(findings, "palliative.start_too_early", stopped):
        assert finding.field == "start"


def test_an_earlier_start_agreed_by_the_employer_is_accepted() -> None:
    facts = valid(
        LeaveType.PALLIATIVE,
        notice_date=D(2026, 6, 3),
        today=D(2026, 6, 3),
        start=D(2026, 6, 4),
        end=D(2026, 7, 3),
        shorter_notice_agreed=True,
    )
    assert "palliative.start_too_early" not in codes(check(facts))


def test_the_doctors_certificate_is_recalled() -> None:
    assert only(check(valid(LeaveType.PALLIATIVE)), "palliative.certificate").severity is Severity.WARNING


def test_without_the_patients_number_a_warning() -> None:
    finding = only(check(valid(LeaveType.PALLIATIVE, patient_niss="")), "palliative.patient_niss_missing")
    assert finding.severity is Severity.WARNING and finding.field == "patient_niss"
