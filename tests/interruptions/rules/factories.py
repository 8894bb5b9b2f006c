"""Facts for the rule tests: a valid request of each type, to which a test changes one thing.

Every `valid(...)` request passes with no ERROR (checked by test_engine); the dates sit in 2026, with the
notice on Monday 1 June 2026, "today" the same day, and the start on 1 October 2026.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from careerbreak.interruptions.rules import (
    Finding,
    LeaveRequestFacts,
    PeriodStatus,
    PriorPeriod,
    Severity,
    check,
)
from careerbreak.interruptions.types import (
    CATALOGUE,
    LeaveForm,
    LeaveType,
    PriorRegime,
    Sector,
    WorkerStatusCode,
)
from tests.interruptions.rules.calendar import DAY, NOTICE, START, D, add_months

CHILD_NISS = "24021000123"
PATIENT_NISS = "50010100123"

_COMMON: dict[str, Any] = {
    "notice_date": NOTICE,
    "start": START,
    "sector": Sector.PRIVATE,
    "worker_status": WorkerStatusCode.PRIVATE_WHITE_COLLAR,
    "today": NOTICE,
    "reference_headcount": 50,
    "workers_under_contract": 50,
    "workers_on_time_credit": 0,
    "worker_birth_date": D(1980, 5, 5),
    "worker_gender": "F",
    "employment_start": D(2015, 3, 1),
    "regime_12_months": PriorRegime.FULL_TIME,
    "regime_24_months": PriorRegime.FULL_TIME,
    "weekly_hours": Decimal(38),
    "reference_hours": Decimal(38),
    "days_per_week": Decimal(5),
}

_CCT: dict[str, Any] = {
    "collective_agreement_number": "170123/CO/200",
    "collective_agreement_date": D(2022, 3, 1),
}

# Per type: the default form, the end date (from START) and the type's own facts.
_PER_TYPE: dict[LeaveType, dict[str, Any]] = {
    LeaveType.TC_CHILD_CARE: {
        "form": LeaveForm.ONE_FIFTH,
        "end": D(2027, 3, 31),
        "child_birth_date": D(2022, 2, 10),
    },
    LeaveType.TC_PALLIATIVE: {"form": LeaveForm.ONE_FIFTH, "end": D(2026, 10, 31)},
    LeaveType.TC_SERIOUS_ILLNESS: {"form": LeaveForm.ONE_FIFTH, "end": D(2026, 12, 31)},
    LeaveType.TC_DISABLED_CHILD: {
        "form": LeaveForm.ONE_FIFTH,
        "end": D(2027, 3, 31),
        "child_birth_date": D(2010, 4, 4),
        "child_disabled": True,
    },
    LeaveType.TC_SERIOUSLY_ILL_MINOR: {
        "form": LeaveForm.ONE_FIFTH,
        "end": D(2026, 12, 31),
        "child_birth_date": D(2015, 1, 1),
    },
    LeaveType.TC_TRAINING: {"form": LeaveForm.ONE_FIFTH, "end": D(2027, 3, 31)},
    LeaveType.TC_END_OF_CAREER: {
        "form": LeaveForm.ONE_FIFTH,
        "end": D(2027, 3, 31),
        "worker_birth_date": D(1965, 1, 15),
        "worker_gender": "M",
        "career_years": Decimal(40),
    },
    LeaveType.PARENTAL: {
        "form": LeaveForm.ONE_FIFTH,
        "end": D(2027, 2, 28),
        "child_birth_date": D(2024, 2, 10),
        "child_niss": CHILD_NISS,
        "months_of_contract_last_15": Decimal(15),
    },
    LeaveType.MEDICAL_ASSISTANCE: {
        "form": LeaveForm.FULL,
        "end": D(2026, 12, 31),
        "patient_niss": PATIENT_NISS,
    },
    LeaveType.PALLIATIVE: {"form": LeaveForm.FULL, "end": D(2026, 10, 31), "patient_niss": PATIENT_NISS},
    LeaveType.CAREGIVER: {
        "form": LeaveForm.FULL,
        "end": D(2026, 10, 31),
        "patient_niss": PATIENT_NISS,
        "caregiver_recognition": True,
    },
    LeaveType.PUBLIC_CAREER_BREAK: {
        "form": LeaveForm.FULL,
        "end": D(2027, 3, 31),
        "sector": Sector.FEDERAL_PUBLIC,
        "worker_status": WorkerStatusCode.PUBLIC_CONTRACTUAL,
        "replacement": True,
    },
}


# Where another form needs another length (a block) or an agreement.
_PER_FORM: dict[tuple[LeaveType, LeaveForm], dict[str, Any]] = {
    (LeaveType.PARENTAL, LeaveForm.FULL): {"end": D(2026, 10, 31)},
    (LeaveType.PARENTAL, LeaveForm.HALF): {"end": D(2026, 11, 30)},
    (LeaveType.PARENTAL, LeaveForm.ONE_TENTH): {"end": D(2027, 7, 31), "employer_agreement": True},
    (LeaveType.CAREGIVER, LeaveForm.HALF): {"end": D(2026, 11, 30)},
    (LeaveType.CAREGIVER, LeaveForm.ONE_FIFTH): {"end": D(2026, 11, 30)},
}


def valid(leave_type: LeaveType, **changes: Any) -> LeaveRequestFacts:
    """A request of this type that passes every rule; `changes` override any fact.

    Starred full/half-time time credit gets a collective agreement when the form needs one.
    """
    values: dict[str, Any] = {**_COMMON, **_PER_TYPE[leave_type], "leave_type": leave_type}
    form = changes.get("form", values["form"])
    values.update(_PER_FORM.get((leave_type, form), {}))
    if form in CATALOGUE[leave_type].agreement_forms:
        values.update(_CCT)
    values.update(changes)
    return LeaveRequestFacts(**values)


def change(facts: LeaveRequestFacts, **changes: Any) -> LeaveRequestFacts:
    return dataclasses.replace(facts, **changes)


def period(
    leave_type: LeaveType,
    start: datetime.date,
    end: datetime.date,
    form: LeaveForm = LeaveForm.FULL,
    *,
    subject: str = "",
    ticket: str = "",
    status: PeriodStatus = PeriodStatus.CLOSED,
    employer: str = "",
) -> PriorPeriod:
    return PriorPeriod(
        leave_type,
        form,
        start,
        end,
        subject_niss=subject,
        ticket=ticket,
        status=status,
        employer_number=employer,
    )


def months_period(
    leave_type: LeaveType,
    start: datetime.date,
    months: int,
    form: LeaveForm = LeaveForm.FULL,
    *,
    subject: str = "",
) -> PriorPeriod:
    """A closed earlier period of `months` whole months from `start`."""
    return period(leave_type, start, add_months(start, months) - DAY, form, subject=subject)


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def error_codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.severity is Severity.ERROR}


def only(findings: list[Finding], code: str) -> Finding:
    """The one finding with this code (fails when there is none or several)."""
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, f"expected one {code!r}, got {[str(f) for f in findings]}"
    return found[0]


def found(findings: list[Finding], code: str, present: bool) -> Finding | None:
    """Assert that `code` is among the findings exactly when `present`; the finding when it is."""
    assert (code in codes(findings)) is present
    return only(findings, code) if present else None


def stopped_by(findings: list[Finding], code: str, stopped: bool) -> Finding | None:
    """Assert that the error `code` stops the request exactly when `stopped`; the finding when it does."""
    assert (code in error_codes(findings)) is stopped
    return only(findings, code) if stopped else None


def warned_only(findings: list[Finding], code: str, warned: bool) -> Finding | None:
    """Assert that `code` is among the findings exactly when `warned` and that no error stops the request."""
    assert not error_codes(findings)
    return found(findings, code, warned)


def findings_of(facts: LeaveRequestFacts) -> list[Finding]:
    return check(facts)
