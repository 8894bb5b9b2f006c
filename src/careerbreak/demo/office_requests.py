"""The employment office's demo files: requests of the Liège office (Wallonia, the demo agent's) in every
status the office works with, so that ``make run`` shows a work queue and a dashboard that are not empty.

Each is a parental leave at 1/5 that an employer of the demo files for one of its workers who lives in
Wallonia and has a child under 8, with dates the rules accept on the day it runs (the first day of a month
at least two months away), filed and completed through the same services as the web pages (the rules, the
ticket, the PDF, the worker part and its acknowledgement), then moved by the demo agent (Julien Moreau) and
the demo supervisor (Anne Delcourt) through the office's services:

- *Complete*, ready to decide (the first one, Logistique Meuse's: approving it with the allowance works,
  the demo's provisional rates cover a thematic leave at 1/5);
- *Under review*, held by the demo agent;
- *Information requested*: the demo agent asked the worker a question;
- *Approved* with the allowance (its periods, and its C62 in the worker's eBox once the task worker runs);
- *Refused*: proposed by the demo agent, confirmed by the supervisor;
- a refusal proposed by the demo agent, awaiting a second agent's confirmation.

Idempotent: when the Liège office already has requests in its queue or decided, nothing is filed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from careerbreak.demo.data import (
    LOGISTIQUE_MEUSE_NUMBER,
    OFFICE_AGENT_NISS,
    OFFICE_AGENT_OFFICE,
    OFFICE_SUPERVISOR_NISS,
)
from careerbreak.demo.requests import parental_fifth
from careerbreak.identity.access import EnterpriseAccess
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import AccessGrant, OfficeRole, Role, User
from careerbreak.interruptions import decisions, information, office_queue, services, worker_part
from careerbreak.interruptions.drafts import DraftData, TypeChoice, WorkerChoice
from careerbreak.interruptions.models import Draft, LeaveRequest
from careerbreak.interruptions.states import Status
from careerbreak.interruptions.worker_part_data import (
    DomicileZone,
    Household,
    HouseholdAnswer,
    Identity,
    Needs,
    Payment,
)
from careerbreak.registries.models import Employment, Person
from careerbreak.registries.sources import office_for_postcode
from careerbreak.vocabularies import LeaveType

DEMO_IBAN = "BE71096123456769"
QUESTION = (
    "Pouvez-vous nous envoyer l'acte de naissance de votre enfant ? "
    "Can you send us your child's birth certificate?"
)


@dataclass(frozen=True)
class OfficeDemoRequest:
    leave_request: LeaveRequest
    what: str  # what the demo made of it, in English for the command's output


def _user(niss: str) -> User:
    person = Person.objects.filter(niss=niss).first()
    user, _created = User.objects.get_or_create(
        niss=niss,
        defaults={
            "first_name": person.first_name if person else "",
            "last_name": person.last_name if person else "",
        },
    )
    return user


def _office_acting(niss: str) -> Acting:
    return Acting.for_office(
        user=_user(niss), role=OfficeRole.objects.active().get(niss=niss), assurance_level=500
    )


def _employer_acting(employment: Employment) -> Acting | None:
    grant = (
        AccessGrant.objects.filter(
            enterprise=employment.employer, role=Role.MAIN_ACCESS_MANAGER, revoked_at__isnull=True
        )
        .order_by("granted_at")
        .first()
    )
    if grant is None:
        return None
    return Acting.for_enterprise(
        user=_user(grant.niss),
        access=EnterpriseAccess(enterprise=employment.employer, role=Role.MAIN_ACCESS_MANAGER),
        assurance_level=500,
    )


def office_candidates(day: datetime.date) -> Iterator[tuple[Employment, Person]]:
    """Full-time workers living in the demo agent's office area with a child under 8, and that child:
    Logistique Meuse's first (the Complete request's employer), then the others, by national number."""
    employments = (
        Employment.objects.filter(end_date__isnull=True, start_date__lte=day - datetime.timedelta(days=800))
        .exclude(worker_status__isnull=True)
        .select_related("worker", "employer", "worker_status", "joint_committee")
        .order_by("worker__niss")
    )
    ordered = sorted(employments, key=lambda e: (e.employer.number != LOGISTIQUE_MEUSE_NUMBER, e.worker.niss))
    seen: set[str] = set()
    for employment in ordered:
        worker = employment.worker
        if worker.niss in seen or employment.weekly_hours != employment.reference_hours:
            continue
        office = office_for_postcode(worker.postal_code) if worker.postal_code else None
        if office is None or office.code != OFFICE_AGENT_OFFICE:
            continue
        young = [
            child
            for child in worker.children.order_by("niss")
            if child.birth_date and child.birth_date > day.replace(year=day.year - 8)
        ]
        if young:
            seen.add(worker.niss)
            yield employment, young[0]


def file_complete(employment: Employment, child: Person, day: datetime.date) -> LeaveRequest | None:
    """The employer files the parental leave and the worker sends their part: the request is *Complete*.
    None when the rules refuse it today (another worker is tried)."""
    acting = _employer_acting(employment)
    if acting is None or acting.user is None:
        return None
    worker = employment.worker
    content = DraftData(
        worker=WorkerChoice(
            niss=worker.niss,
            status=employment.worker_status.code if employment.worker_status else "",
            joint_committee=employment.joint_committee.number if employment.joint_committee else "",
        ),
        type=TypeChoice(leave_type=LeaveType.PARENTAL),
        leave=parental_fifth(
            day=day,
            hours=str(employment.weekly_hours),
            child_birth_date=child.birth_date.isoformat() if child.birth_date else "",
            child_niss=child.niss,
        ),
    )
    draft = Draft.objects.create(
        owner=acting.user, enterprise=employment.employer, step=7, data=content.to_json()
    )
    if any(finding.is_error for finding in services.draft_check(draft=draft)):
        draft.delete()
        return None
    filed = services.request_confirm(acting=acting, draft_id=draft.pk, certified=True)
    person = Acting.for_self(user=_user(worker.niss), assurance_level=450)
    sections: dict[int, Any] = {
        1: Identity(
            zone=DomicileZone.BELGIUM, street=worker.street, postal_code=worker.postal_code, city=worker.city
        ),
        2: HouseholdAnswer(situation=Household.PARTNER, dependent_children=1),
        3: Needs(child_niss=child.niss),
        4: (),
        5: Payment(iban=DEMO_IBAN, holder_confirmed=True),
    }
    for page, section in sections.items():
        worker_part.worker_part_save(acting=person, ticket=filed.ticket, page=page, section=section)
    return worker_part.worker_part_submit(acting=person, ticket=filed.ticket, certified=True, today=day)


def _take(agent: Acting, leave_request: LeaveRequest) -> None:
    office_queue.request_take(acting=agent, ticket=leave_request.ticket)


def _plans(agent: Acting, supervisor: Acting) -> list[tuple[str, Callable[[LeaveRequest], None]]]:
    def under_review(request: LeaveRequest) -> None:
        _take(agent, request)

    def information_requested(request: LeaveRequest) -> None:
        _take(agent, request)
        information.information_ask(
            acting=agent, ticket=request.ticket, question=QUESTION, deadline=information.default_deadline()
        )

    def approved(request: LeaveRequest) -> None:
        _take(agent, request)
        decisions.request_approve(acting=agent, ticket=request.ticket, with_allowance=True)

    def refused(request: LeaveRequest) -> None:
        refusal_awaiting(request)
        decisions.refusal_confirm(acting=supervisor, ticket=request.ticket)

    def refusal_awaiting(request: LeaveRequest) -> None:
        _take(agent, request)
        decisions.refusal_propose(
            acting=agent,
            ticket=request.ticket,
            reasons=["seniority_not_met"],
            note="Demo: the employment started less than 12 months before the notice.",
        )

    return [
        ("complete, ready to decide", lambda request: None),
        ("under review, held by the demo agent", under_review),
        ("information requested", information_requested),
        ("approved with the allowance", approved),
        ("refused (confirmed by the supervisor)", refused),
        ("refusal awaiting a second agent", refusal_awaiting),
    ]


def office_demo_requests() -> QuerySet[LeaveRequest]:
    """The requests of the demo agent's office that the office has seen (in its queue or decided)."""
    return LeaveRequest.objects.filter(office__code=OFFICE_AGENT_OFFICE).filter(
        Q(queued_at__isnull=False)
        | Q(status__in=[Status.COMPLETE, Status.UNDER_REVIEW, Status.APPROVED, Status.REFUSED])
    )


def file_office_demo_requests(today: datetime.date | None = None) -> list[OfficeDemoRequest]:
    """The office's demo files (see the module); [] when they exist already or no worker fits today."""
    if office_demo_requests().exists():
        return []
    day = today or timezone.localdate()
    agent, supervisor = _office_acting(OFFICE_AGENT_NISS), _office_acting(OFFICE_SUPERVISOR_NISS)
    plans = _plans(agent, supervisor)
    made: list[OfficeDemoRequest] = []
    for employment, child in office_candidates(day):
        if len(made) == len(plans):
            break
        filed = file_complete(employment, child, day)
        if filed is None:
            continue
        what, move = plans[len(made)]
        move(filed)
        filed.refresh_from_db()
        made.append(OfficeDemoRequest(filed, what))
    return made
