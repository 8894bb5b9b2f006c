"""Writes of the request aggregate. Each is keyword-only, runs in one transaction, and audits."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.identity.models import User
from careerbreak.interruptions.facts import build_facts, worker_and_employment
from careerbreak.interruptions.models import (
    Draft,
    LeaveRequest,
    RequestVersion,
    StatusTransition,
    draft_expiry,
)
from careerbreak.interruptions.rules.base import Finding
from careerbreak.interruptions.rules.engine import check
from careerbreak.interruptions.states import Actor, Status, transition_allowed
from careerbreak.interruptions.tickets import next_ticket
from careerbreak.registries.models import Enterprise, Person

# The certification the employer ticks in step 7. A new wording is a new version.
CERTIFICATION_TEXT = _("I certify that the data entered are accurate and complete")
CERTIFICATION_VERSION = "2026-1"


class RulesRefused(DomainError):
    """The rules found at least one blocking error."""

    code = "rules_refused"

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(_("The request does not meet the conditions. See the messages for each field."))
        self.findings = findings


def draft_start(*, user: User, enterprise: Enterprise) -> Draft:
    """A new draft of the employer part, at step 4 (the worker)."""
    return Draft.objects.create(owner=user, enterprise=enterprise, step=4, data={})


def _save(
    draft: Draft, *, section: str, values: dict[str, Any], step: int, reset: tuple[str, ...] = ()
) -> Draft:
    data = dict(draft.data)
    data[section] = values
    for later in reset:
        data.pop(later, None)
    draft.data = data
    draft.step = step if reset else max(draft.step, step)
    # A draft lives DRAFT_TTL_DAYS after its last change.
    draft.expires_at = draft_expiry()
    draft.save(update_fields=["data", "step", "updated_at", "expires_at"])
    return draft


def draft_save_worker(*, draft: Draft, niss: str, status: str, joint_committee: str) -> Draft:
    """Step 4 done. Choosing another worker forgets the type and leave data chosen for the previous one."""
    previous = draft.data.get("worker", {}).get("niss")
    values = {"niss": niss, "status": status, "joint_committee": joint_committee}
    reset = ("type", "leave") if previous and previous != niss else ()
    return _save(draft, section="worker", values=values, step=5, reset=reset)


def draft_save_type(*, draft: Draft, leave_type: str, kind: str, related_ticket: str = "") -> Draft:
    """Step 5 done. Another type forgets the leave data, whose fields depend on the type."""
    previous = draft.data.get("type", {}).get("leave_type")
    values = {"leave_type": leave_type, "kind": kind, "related_ticket": related_ticket}
    reset = ("leave",) if previous and previous != leave_type else ()
    return _save(draft, section="type", values=values, step=6, reset=reset)


def draft_save_leave(*, draft: Draft, values: dict[str, Any], complete: bool) -> Draft:
    """Step 6 values are kept even when the rules refuse them, so that nothing typed is lost."""
    return _save(draft, section="leave", values=values, step=7 if complete else 6)


def draft_check(*, draft: Draft, today: datetime.date | None = None) -> list[Finding]:
    """The rules' findings on the draft as it stands."""
    day = today or timezone.localdate()
    person, employment = worker_and_employment(draft, today=day)
    if person is None:
        raise DomainError(_("Choose the worker again."), code="worker_missing", field="niss")
    return check(build_facts(draft, today=day, person=person, employment=employment))


def request_confirm(
    *,
    user: User,
    enterprise: Enterprise,
    draft_id: Any,
    assurance_level: int,
    certified: bool,
    request: HttpRequest | None = None,
) -> LeaveRequest:
    """Confirm the employer part: the rules again, a ticket, status "awaiting the worker".

    Idempotent: confirming a draft that was already confirmed returns its request. Serialised per worker
    (the worker's registry row is locked), so that two confirmations for the same worker cannot both
    pass the overlap rule. Raises NotFound (not the user's draft), DomainError (not certified, draft
    incomplete, a concurrent identical request), RulesRefused (blocking findings). Writes the request, its
    first transition and an audit event; nothing is written when it raises.
    """
    if not certified:
        raise DomainError(
            _("Tick the box to certify that the data are accurate and complete."),
            code="not_certified",
            field="certified",
        )
    today = timezone.localdate()
    try:
        with transaction.atomic():
            draft = (
                Draft.objects.select_for_update()
                .filter(pk=draft_id, owner=user, enterprise=enterprise)
                .select_related("enterprise")
                .first()
            )
            if draft is None:
                raise NotFound("draft not found")
            existing = LeaveRequest.objects.filter(draft=draft).first()
            if existing is not None:
                return existing
            if draft.expires_at <= timezone.now():
                raise NotFound("draft expired")
            if draft.step < 7 or not {"worker", "type", "leave"} <= set(draft.data):
                raise DomainError(_("Complete every step before confirming."), code="incomplete")
            niss = draft.data["worker"]["niss"]
            # Lock the worker: confirmations for one worker run one after the other.
            person = Person.objects.select_for_update().filter(niss=niss).first()
            _unused, employment = worker_and_employment(draft, today=today)
            if person is None or employment is None:
                raise DomainError(_("Choose the worker again."), code="worker_missing", field="niss")
            facts = build_facts(draft, today=today, person=person, employment=employment)
            findings = check(facts)
            if any(f.is_error for f in findings):
                raise RulesRefused(findings)
            leave_request = _create_request(
                draft=draft,
                user=user,
                person=person,
                facts=facts,
                findings=findings,
                assurance_level=assurance_level,
                today=today,
            )
            audit_log(
                action="request.confirmed",
                actor_niss=user.niss,
                enterprise_number=enterprise.number,
                assurance_level=assurance_level,
                object_type="leave_request",
                object_id=leave_request.ticket,
                request=request,
                data={
                    "certification_text": leave_request.certification_text,
                    "certification_version": CERTIFICATION_VERSION,
                    "worker_niss": person.niss,
                    "leave_type": leave_request.leave_type,
                },
            )
            return leave_request
    except IntegrityError as exc:
        # Another confirmation of the same draft won the race: show its ticket.
        existing = LeaveRequest.objects.filter(draft_id=draft_id, enterprise=enterprise).first()
        if existing is not None:
            return existing
        raise DomainError(
            _("A request for this worker, type and start date has just been confirmed. Check Consultation."),
            code="duplicate",
        ) from exc


def _create_request(
    *,
    draft: Draft,
    user: User,
    person: Person,
    facts: Any,
    findings: list[Finding],
    assurance_level: int,
    today: datetime.date,
) -> LeaveRequest:
    if not transition_allowed("", Status.AWAITING_WORKER, Actor.EMPLOYER):  # pragma: no cover - table guard
        raise DomainError("transition not allowed")
    leave = draft.data["leave"]
    details = {
        key: value
        for key, value in leave.items()
        if key not in {"notice_date", "start", "end", "form"} and value not in (None, "")
    }
    leave_request = LeaveRequest.objects.create(
        ticket=next_ticket(today.year),
        draft=draft,
        enterprise=draft.enterprise,
        worker=person,
        worker_status=draft.data["worker"]["status"],
        joint_committee=draft.data["worker"].get("joint_committee", ""),
        kind=facts.kind,
        extends=LeaveRequest.objects.filter(ticket=facts.related_ticket, worker=person).first()
        if facts.related_ticket
        else None,
        leave_type=facts.leave_type,
        form=facts.form,
        notice_date=facts.notice_date,
        start_date=facts.start,
        end_date=facts.end,
        details=details,
        findings=[
            {
                "code": f.code,
                "field": f.field,
                "severity": str(f.severity),
                "reference": f.reference,
                "message": f.message,
            }
            for f in findings
        ],
        status=Status.AWAITING_WORKER,
        created_by=user,
        certified_at=timezone.now(),
        certification_text=str(CERTIFICATION_TEXT),
        certification_version=CERTIFICATION_VERSION,
        assurance_level=assurance_level,
    )
    StatusTransition.objects.create(
        request=leave_request,
        from_status="",
        to_status=Status.AWAITING_WORKER,
        actor=Actor.EMPLOYER,
        actor_niss=user.niss,
    )
    _add_version(leave_request, kind=RequestVersion.Kind.ORIGINAL, user=user, assurance_level=assurance_level)
    return leave_request


def snapshot_of(leave_request: LeaveRequest) -> dict[str, Any]:
    """The declared data of the request as it stands, for a version."""
    return {
        "leave_type": leave_request.leave_type,
        "form": leave_request.form,
        "kind": leave_request.kind,
        "notice_date": leave_request.notice_date.isoformat() if leave_request.notice_date else None,
        "start_date": leave_request.start_date.isoformat(),
        "end_date": leave_request.end_date.isoformat(),
        "worker_status": leave_request.worker_status,
        "joint_committee": leave_request.joint_committee,
        "details": leave_request.details,
        "extends": leave_request.extends.ticket if leave_request.extends else "",
    }


def _add_version(
    leave_request: LeaveRequest, *, kind: str, user: User, assurance_level: int, reason: str = ""
) -> RequestVersion:
    return RequestVersion.objects.create(
        request=leave_request,
        number=leave_request.version,
        kind=kind,
        snapshot=snapshot_of(leave_request),
        findings=leave_request.findings,
        reason=reason,
        created_by=user,
        assurance_level=assurance_level,
        certification_text=leave_request.certification_text,
        certification_version=leave_request.certification_version,
    )
