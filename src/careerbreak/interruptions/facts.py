"""From a draft (what the employer entered) and the registries to the plain facts the rules read."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from careerbreak.interruptions.models import Draft
from careerbreak.interruptions.rules.base import LeaveRequestFacts
from careerbreak.interruptions.selectors import prior_periods, workers_on_time_credit
from careerbreak.interruptions.types import (
    CATALOGUE,
    EndOfCareerException,
    LeaveField,
    LeaveForm,
    LeaveType,
    PriorRegime,
    RequestKind,
    Sector,
    WorkerStatusCode,
)
from careerbreak.registries.models import Employment, Person
from careerbreak.registries.sources import dimona, national_register

F = LeaveField

DATE_FIELDS = frozenset(
    {
        F.NOTICE_DATE,
        F.START,
        F.END,
        F.COLLECTIVE_AGREEMENT_DATE,
        F.CHILD_BIRTH_DATE,
        F.CHILD_ADOPTED_ON,
        F.PATIENT_BIRTH_DATE,
    }
)
DECIMAL_FIELDS = frozenset(
    {
        F.WEEKLY_HOURS,
        F.REFERENCE_HOURS,
        F.DAYS_PER_WEEK,
        F.HOURS_DURING_LEAVE,
        F.MONTHS_OF_CONTRACT_LAST_15,
        F.CAREER_YEARS,
    }
)
BOOL_FIELDS = frozenset(
    {
        F.EMPLOYER_AGREEMENT,
        F.SHORTER_NOTICE_AGREED,
        F.CHILD_DISABLED,
        F.SINGLE_PARENT,
        F.CAREGIVER_RECOGNITION,
        F.REPLACEMENT,
    }
)


def to_json(values: dict[str, Any]) -> dict[str, Any]:
    """Cleaned form values as JSON-safe values for the draft."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, datetime.date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = str(value)
        else:
            out[key] = value
    return out


def from_json(values: dict[str, Any]) -> dict[str, Any]:
    """The draft's step-6 values back as Python values (dates, decimals, booleans); bad ones dropped."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value in (None, ""):
            continue
        try:
            if key in DATE_FIELDS:
                out[key] = datetime.date.fromisoformat(value)
            elif key in DECIMAL_FIELDS:
                out[key] = Decimal(value)
            else:
                out[key] = value
        except (ValueError, TypeError, InvalidOperation):
            continue
    return out


def _optional(enum: type[Any], value: Any) -> Any:
    if value in (None, ""):
        return None
    try:
        return enum(value)
    except ValueError:
        return None


def build_facts(
    draft: Draft, *, today: datetime.date, person: Person, employment: Employment | None
) -> LeaveRequestFacts:
    """The facts of the request in ``draft``. The draft must have reached step 6 (worker, type, leave)."""
    enterprise = draft.enterprise
    worker = draft.data["worker"]
    chosen = draft.data["type"]
    leave = from_json(draft.data.get("leave", {}))
    start = leave.get(F.START) or today
    return LeaveRequestFacts(
        leave_type=LeaveType(chosen["leave_type"]),
        form=LeaveForm(leave.get(F.FORM) or CATALOGUE[LeaveType(chosen["leave_type"])].forms[0]),
        notice_date=leave.get(F.NOTICE_DATE),
        start=start,
        end=leave.get(F.END) or start,
        sector=Sector(enterprise.sector),
        worker_status=WorkerStatusCode(worker["status"]),
        kind=RequestKind(chosen.get("kind") or RequestKind.NEW),
        enterprise_number=enterprise.number,
        related_ticket=chosen.get("related_ticket", ""),
        today=today,
        reference_headcount=enterprise.reference_headcount,
        workers_under_contract=dimona().workers_under_contract(enterprise, on=today),
        workers_on_time_credit=workers_on_time_credit(enterprise=enterprise, on=start),
        worker_birth_date=person.birth_date,
        worker_gender=person.gender,
        employment_start=employment.start_date if employment else None,
        joint_committee=worker.get("joint_committee", ""),
        months_of_contract_last_15=leave.get(F.MONTHS_OF_CONTRACT_LAST_15),
        regime_12_months=_optional(PriorRegime, leave.get(F.REGIME_12_MONTHS)),
        regime_24_months=_optional(PriorRegime, leave.get(F.REGIME_24_MONTHS)),
        weekly_hours=leave.get(F.WEEKLY_HOURS),
        reference_hours=leave.get(F.REFERENCE_HOURS),
        days_per_week=leave.get(F.DAYS_PER_WEEK),
        hours_during_leave=leave.get(F.HOURS_DURING_LEAVE),
        child_birth_date=leave.get(F.CHILD_BIRTH_DATE),
        child_adopted_on=leave.get(F.CHILD_ADOPTED_ON),
        child_disabled=leave.get(F.CHILD_DISABLED),
        child_niss=leave.get(F.CHILD_NISS, ""),
        patient_niss=leave.get(F.PATIENT_NISS, ""),
        patient_birth_date=leave.get(F.PATIENT_BIRTH_DATE),
        single_parent=bool(leave.get(F.SINGLE_PARENT, False)),
        collective_agreement_number=leave.get(F.COLLECTIVE_AGREEMENT_NUMBER, ""),
        collective_agreement_date=leave.get(F.COLLECTIVE_AGREEMENT_DATE),
        employer_agreement=leave.get(F.EMPLOYER_AGREEMENT),
        shorter_notice_agreed=bool(leave.get(F.SHORTER_NOTICE_AGREED, False)),
        end_of_career_exception=_optional(EndOfCareerException, leave.get(F.END_OF_CAREER_EXCEPTION)),
        career_years=leave.get(F.CAREER_YEARS),
        caregiver_recognition=leave.get(F.CAREGIVER_RECOGNITION),
        replacement=leave.get(F.REPLACEMENT),
        prior_periods=prior_periods(worker=person),
    )


def worker_and_employment(draft: Draft, *, today: datetime.date) -> tuple[Person | None, Employment | None]:
    niss = draft.data.get("worker", {}).get("niss", "")
    if not niss:
        return None, None
    return national_register().get_person(niss), dimona().employment_of(draft.enterprise, niss, on=today)
