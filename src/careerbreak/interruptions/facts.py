"""From a draft (what the employer entered) and the registries to the plain facts the rules read."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from careerbreak.interruptions.drafts import DraftData, LeaveData
from careerbreak.interruptions.models import Draft
from careerbreak.interruptions.rules.base import EmploymentPeriod, LeaveRequestFacts
from careerbreak.interruptions.rules.common import counts_towards_threshold
from careerbreak.interruptions.selectors import rule_reads
from careerbreak.interruptions.types import CATALOGUE, LeaveForm, LeaveType, Sector, WorkerStatusCode
from careerbreak.registries.headcounts import reference_year
from careerbreak.registries.models import Employment, Person
from careerbreak.registries.sources import dimona, employment_among, national_register


def build_facts(
    draft: Draft,
    *,
    today: datetime.date,
    person: Person,
    employment: Employment | None,
    periods: Sequence[Employment] | None = None,
    content: DraftData | None = None,
) -> LeaveRequestFacts:
    """The facts of the request in ``draft``. The draft must have reached step 6 (worker, type, leave).

    ``periods``: the worker's Dimona periods at the enterprise (``periods_of``) when the caller has just
    read them with the employment; read here otherwise. ``content``: the draft's content when the caller
    holds it typed (``draft.content`` otherwise: its JSON read)."""
    enterprise = draft.enterprise
    if periods is None:
        periods = dimona().periods_of(enterprise, person.niss)
    if content is None:
        content = draft.content
    worker, chosen = content.worker, content.type
    if worker is None or chosen is None:
        raise ValueError("A draft's facts need its worker and type (steps 4 and 5).")
    leave = content.leave or LeaveData()
    start = leave.start or today
    form = leave.form or CATALOGUE[chosen.leave_type].forms[0]
    # 30 June of the year before the notice (the start while no notice is given).
    read = rule_reads(
        worker=person,
        enterprise=enterprise,
        on=start,
        today=today,
        headcount_year=reference_year(leave.notice_date or start),
        time_credit=_counted(chosen.leave_type, form, person, start),
    )
    return LeaveRequestFacts(
        leave_type=chosen.leave_type,
        form=form,
        notice_date=leave.notice_date,
        start=start,
        end=leave.end or start,
        sector=Sector(enterprise.sector),
        worker_status=WorkerStatusCode(worker.status),
        kind=chosen.kind,
        enterprise_number=enterprise.number,
        related_ticket=chosen.related_ticket,
        today=today,
        reference_headcount=read.reference_headcount,  # None: unknown
        workers_under_contract=read.workers_under_contract,
        workers_on_time_credit=read.workers_on_time_credit,
        worker_birth_date=person.birth_date,
        worker_gender=person.gender,
        employment_start=employment.start_date if employment else None,
        employment_periods=tuple(EmploymentPeriod(period.start_date, period.end_date) for period in periods),
        joint_committee=worker.joint_committee,
        months_of_contract_last_15=leave.months_of_contract_last_15,
        regime_12_months=leave.regime_12_months,
        regime_24_months=leave.regime_24_months,
        weekly_hours=leave.weekly_hours,
        reference_hours=leave.reference_hours,
        days_per_week=leave.days_per_week,
        hours_during_leave=leave.hours_during_leave,
        child_birth_date=leave.child_birth_date,
        child_adopted_on=leave.child_adopted_on,
        child_disabled=leave.child_disabled,
        child_niss=leave.child_niss or "",
        patient_niss=leave.patient_niss or "",
        patient_birth_date=leave.patient_birth_date,
        single_parent=bool(leave.single_parent),
        collective_agreement_number=leave.collective_agreement_number or "",
        collective_agreement_date=leave.collective_agreement_date,
        employer_agreement=leave.employer_agreement,
        shorter_notice_agreed=bool(leave.shorter_notice_agreed),
        end_of_career_exception=leave.end_of_career_exception,
        career_years=leave.career_years,
        caregiver_recognition=leave.caregiver_recognition,
        replacement=leave.replacement,
        prior_periods=read.prior_periods,
    )


@dataclass(frozen=True)
class DraftWorker:
    """The worker of a draft as the rules need them: the person, their employment at the enterprise on
    the day, and every Dimona period of theirs there."""

    person: Person | None
    employment: Employment | None = None
    periods: tuple[Employment, ...] = ()


def worker_and_employment(draft: Draft, *, today: datetime.date) -> tuple[Person | None, Employment | None]:
    """The draft's worker and their employment at the enterprise on ``today`` (``worker_with_periods``)."""
    found = worker_with_periods(draft, today=today)
    return found.person, found.employment


def worker_with_periods(draft: Draft, *, today: datetime.date) -> DraftWorker:
    """The draft's worker, read with their periods at the enterprise in one question to Dimona (the
    national register is asked only for a worker with no employment there)."""
    worker = draft.content.worker
    niss = worker.niss if worker else ""
    if not niss:
        return DraftWorker(None)
    periods = tuple(dimona().periods_of(draft.enterprise, niss))
    employment = employment_among(periods, today)
    person = employment.worker if employment is not None else national_register().get_person(niss)
    return DraftWorker(person, employment, periods)


def _counted(leave_type: LeaveType, form: LeaveForm, person: Person, start: datetime.date) -> bool:
    """Whether the request counts towards the 5 % threshold, as the threshold rule asks it of these facts
    (``rules.common._threshold``, the only reader of ``workers_on_time_credit``): the enterprise's workers
    on time credit are read only then (ADR 0040); otherwise the facts say None, not read. A rule that
    comes to read the count for other requests must widen this test."""
    return counts_towards_threshold(leave_type, form, person.birth_date, start)
