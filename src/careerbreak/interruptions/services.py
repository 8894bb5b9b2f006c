"""Writes of the request aggregate. Each is keyword-only, runs in one transaction, and audits.

Who acts comes in as an ``Acting`` (built by the interface's guard): the user, the enterprise they act
for and how, their assurance level and address. No service sees an ``HttpRequest``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import Domain, Mandate, User
from careerbreak.interruptions.drafts import DraftData, LeaveData, TypeChoice, ValueSource, WorkerChoice
from careerbreak.interruptions.events import EventType, record_event
from careerbreak.interruptions.facts import build_facts, worker_with_periods
from careerbreak.interruptions.models import (
    Draft,
    LeaveRequest,
    RequestVersion,
    WorkerPart,
    draft_expiry,
)
from careerbreak.interruptions.notifications import notify_worker
from careerbreak.interruptions.rules.base import Finding
from careerbreak.interruptions.rules.engine import check
from careerbreak.interruptions.states import EMPLOYER_EDITABLE, Actor, Status
from careerbreak.interruptions.tickets import next_ticket
from careerbreak.interruptions.transitions import REQUEST, transition
from careerbreak.interruptions.types import CATALOGUE, RequestKind
from careerbreak.registries.headcounts import company_data_checked
from careerbreak.registries.models import Employment, Enterprise, Person
from careerbreak.registries.sources import dimona, employment_among, office_for_postcode
from careerbreak.vocabularies import LeaveForm, LeaveType

# The certification the employer ticks in step 7. A new wording is a new version.
CERTIFICATION_TEXT = _("I certify that the data entered are accurate and complete")
CERTIFICATION_VERSION = "2026-1"


class RulesRefused(DomainError):
    """The rules found at least one blocking error."""

    code = "rules_refused"

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(_("The request does not meet the conditions. See the messages for each field."))
        self.findings = findings


def draft_start(*, acting: Acting) -> Draft:
    """A new draft of the employer part, at step 4 (the worker), for the enterprise the user acts for."""
    user, enterprise = acting.employer()
    return Draft.objects.create(owner=user, enterprise=enterprise, step=4, data=DraftData().to_json())


def draft_start_filled(
    *,
    acting: Acting,
    worker: WorkerChoice,
    chosen: TypeChoice,
    leave: LeaveData,
    base: LeaveRequest | None = None,
) -> Draft:
    """A new draft at step 7 holding ``worker``, the type ``chosen`` (with ``base``: *Prolonger* of that
    request) and ``leave``, in one write: what ``draft_start``, ``draft_save_worker``, ``draft_save_type``
    (or ``draft_save_extension``) and ``draft_save_leave(complete=True)`` leave on a new draft, where
    nothing is kept from a previous choice and no value has a source but the caller (the API)."""
    user, enterprise = acting.employer()
    if base is not None:
        chosen = TypeChoice(
            leave_type=LeaveType(base.leave_type), kind=RequestKind.EXTENSION, related_ticket=base.ticket
        )
    else:
        chosen = TypeChoice(leave_type=chosen.leave_type, kind=RequestKind.NEW)
    content = DraftData(worker=worker, type=chosen, leave=leave)
    return Draft.objects.create(owner=user, enterprise=enterprise, step=7, data=content.to_json())


def company_data_check(*, acting: Acting, year: int, headcount: int | None) -> Draft:
    """Step 3 done: the user checked the enterprise's registry data and, with ``headcount``, confirmed or
    corrected its headcount on 30 June of ``year`` (audited); the employer part starts."""
    _, enterprise = acting.employer()
    with transaction.atomic():
        company_data_checked(acting=acting, enterprise=enterprise, year=year, headcount=headcount)
        return draft_start(acting=acting)


def draft_delete(*, acting: Acting, draft: Draft) -> None:
    """Delete one of the user's own drafts for the enterprise they act for (another's: nothing happens)."""
    user, enterprise = acting.employer()
    Draft.objects.filter(pk=draft.pk, owner=user, enterprise=enterprise).delete()


def _save(draft: Draft, content: DraftData, *, step: int, reset: bool) -> Draft:
    draft.content = content
    draft.step = step if reset else max(draft.step, step)
    # A draft lives DRAFT_TTL_DAYS after its last change.
    draft.expires_at = draft_expiry()
    draft.save(update_fields=["data", "step", "updated_at", "expires_at"])
    return draft


def draft_save_worker(*, draft: Draft, niss: str, status: str, joint_committee: str) -> Draft:
    """Step 4 done. Choosing another worker forgets the type and leave data chosen for the previous one."""
    content = draft.content
    previous = content.worker.niss if content.worker else None
    content = content.replace(worker=WorkerChoice(niss=niss, status=status, joint_committee=joint_committee))
    reset = bool(previous and previous != niss)
    if reset:
        content = content.replace(type=None, leave=None)
    return _save(draft, content, step=5, reset=reset)


def draft_save_type(*, draft: Draft, leave_type: str, kind: str, related_ticket: str = "") -> Draft:
    """Step 5 done. Another type forgets the leave data whose fields depend on the type, and keeps those
    every type asks (the notice, the dates, the worker's hours; the form if the new type has it)."""
    content = draft.content
    previous = content.type.leave_type if content.type else None
    chosen = TypeChoice(
        leave_type=LeaveType(leave_type), kind=RequestKind(kind), related_ticket=related_ticket
    )
    content = content.replace(type=chosen)
    reset = bool(previous and previous != chosen.leave_type)
    if reset:
        kept = _kept_on_type_change(content.leave, chosen.leave_type)
        content = content.replace(
            leave=kept,
            sources={k: v for k, v in content.sources.items() if kept and k in kept.as_values()},
        )
    return _save(draft, content, step=6, reset=reset)


# What another type keeps of the leave data entered for the previous one.
_KEPT_ON_TYPE_CHANGE = ("notice_date", "start", "end", "weekly_hours", "reference_hours", "days_per_week")


def _kept_on_type_change(leave: LeaveData | None, leave_type: LeaveType) -> LeaveData | None:
    if leave is None:
        return None
    values = leave.as_values()
    kept = {name: values[name] for name in _KEPT_ON_TYPE_CHANGE if name in values}
    if leave.form is not None and leave.form in CATALOGUE[leave_type].forms:
        kept["form"] = leave.form
    return LeaveData.from_json(kept) if kept else None


def draft_save_leave(
    *,
    draft: Draft,
    values: LeaveData,
    complete: bool,
    sources: Mapping[str, ValueSource] | None = None,
) -> Draft:
    """Step 6 values are kept even when the rules refuse them, so that nothing typed is lost. ``sources``
    says where the values just entered came from (the others keep theirs; a value without one is the
    employer's); the sources of values no longer there are dropped."""
    content = draft.content
    present = values.as_values()
    merged = {**content.sources, **(sources or {})}
    kept_sources = {key: source for key, source in merged.items() if key in present}
    return _save(
        draft, content.replace(leave=values, sources=kept_sources), step=7 if complete else 6, reset=False
    )


def draft_save_extension(*, draft: Draft, base: LeaveRequest) -> Draft:
    """Step 5 done with *Prolonger*: the extension of ``base`` starts the day after it ends, with the same
    form and details (unless leave data were already entered)."""
    draft = draft_save_type(
        draft=draft, leave_type=base.leave_type, kind=RequestKind.EXTENSION, related_ticket=base.ticket
    )
    if draft.content.leave is not None:
        return draft
    values = LeaveData.from_json(base.details).replace(
        form=LeaveForm(base.form), start=base.end_date + datetime.timedelta(days=1)
    )
    return draft_save_leave(draft=draft, values=values, complete=False)


def draft_check(*, draft: Draft, today: datetime.date | None = None) -> list[Finding]:
    """The rules' findings on the draft as it stands."""
    day = today or timezone.localdate()
    found = worker_with_periods(draft, today=day)
    if found.person is None:
        raise DomainError(_("Choose the worker again."), code="worker_missing", field="niss")
    return check(
        build_facts(draft, today=day, person=found.person, employment=found.employment, periods=found.periods)
    )


def request_confirm(
    *,
    acting: Acting,
    draft_id: Any,
    certified: bool,
    written: Draft | None = None,
    periods: Sequence[Employment] = (),
) -> LeaveRequest:
    """Confirm the employer part: the rules again, then a new request with its ticket ("awaiting the
    worker"), or, for a modification draft, a new version of the request it modifies.

    ``written``: the draft ``draft_id``, written by the caller in the transaction this call runs in,
    inside a savepoint of its own (``filing.request_file``: the API's one-call filing). Nobody else can
    see, lock or have confirmed a row not yet committed, so it is neither read again nor looked for
    among the confirmed ones, and the caller's savepoint undoes this call's writes on an error.
    ``periods``: the worker's Dimona periods at the enterprise the caller read moments ago for the same
    worker (step 4's look-up of the same filing), used instead of reading them again; the worker is
    still locked and the rules still read the worker's requests under that lock.

    Idempotent: confirming a draft that was already confirmed returns its request. Serialised per worker
    (the worker's registry row is locked), so that two confirmations for the same worker cannot both
    pass the overlap rule. Raises NotFound (not the user's draft), DomainError (not certified, draft
    incomplete, request no longer modifiable, a concurrent identical request), RulesRefused (blocking
    findings). Writes the request or version, the transition and an audit event, and schedules the PDF
    and the eBox message after commit; nothing is written when it raises.
    """
    if not certified:
        raise DomainError(
            _("Tick the box to certify that the data are accurate and complete."),
            code="not_certified",
            field="certified",
        )
    user, enterprise = acting.employer()
    assurance_level = acting.level
    today = timezone.localdate()
    try:
        # A written draft's caller holds a savepoint around the draft and this call (which undoes both on
        # an error): none of its own then.
        with transaction.atomic(savepoint=written is None):
            if written is not None:
                if (
                    written.pk != draft_id
                    or written.owner_id != user.pk
                    or written.enterprise_id != enterprise.pk
                ):
                    raise NotFound("draft not found")
                draft = written
            else:
                mine_locked = (
                    Draft.objects.select_for_update()
                    .filter(pk=draft_id, owner=user, enterprise=enterprise)
                    .select_related("enterprise")
                    .first()
                )
                if mine_locked is None:
                    raise NotFound("draft not found")
                draft = mine_locked
                existing = _confirmed_from(draft.pk, enterprise)
                if existing is not None:
                    return existing
            if draft.expires_at <= timezone.now():
                raise NotFound("draft expired")
            content = draft.content
            if draft.step < 7 or content.worker is None or not content.complete:
                raise DomainError(_("Complete every step before confirming."), code="incomplete")
            niss = content.worker.niss
            # Lock the worker: confirmations for one worker run one after the other. This is the local row
            # the request points at, locked (ADR 0007), not a question to the national register.
            person = Person.objects.select_for_update().filter(niss=niss).first()
            # The employment and every period of the worker at the enterprise: one question to Dimona
            # (none when the caller just asked it for this worker).
            if person is None:
                periods = []
            elif not periods or any(period.worker.niss != niss for period in periods):
                periods = dimona().periods_of(draft.enterprise, niss)
            employment = employment_among(periods, today)
            if person is None or employment is None:
                raise DomainError(_("Choose the worker again."), code="worker_missing", field="niss")
            facts = build_facts(draft, today=today, person=person, employment=employment, periods=periods)
            findings = check(facts)
            if any(f.is_error for f in findings):
                raise RulesRefused(findings)
            confirmation = _Confirmation(
                draft=draft,
                user=user,
                acting=acting,
                assurance_level=assurance_level,
                person=person,
                facts=facts,
                findings=findings,
            )
            if facts.kind == RequestKind.MODIFICATION:
                return _modify_request(confirmation)
            return _create_request(confirmation, today=today)
    except IntegrityError as exc:
        # Another confirmation of the same draft won the race: show its ticket (a written draft is not
        # committed yet: nobody else can have confirmed it).
        existing = _confirmed_from(draft_id, enterprise) if written is None else None
        if existing is not None:
            return existing
        raise DomainError(
            _("A request for this worker, type and start date has just been confirmed. Check Consultation."),
            code="duplicate",
        ) from exc


def _confirmed_from(draft_id: Any, enterprise: Enterprise) -> LeaveRequest | None:
    """The enterprise's request the draft became, or the request a version of which it became (one query:
    a draft is confirmed into one or the other, never both). The two ids are a UNION ALL of two look-ups
    by the drafts' unique indexes: written as ``draft = … OR id IN (…)`` and ordered, PostgreSQL walked
    the requests' date index over a million rows to find nothing (half a second per confirmation)."""
    became = LeaveRequest.objects.filter(draft_id=draft_id, enterprise=enterprise).order_by().values("pk")
    versioned = (
        RequestVersion.objects.filter(draft_id=draft_id, request__enterprise=enterprise)
        .order_by()
        .values("request_id")
    )
    return LeaveRequest.objects.filter(pk__in=became.union(versioned, all=True)).order_by().first()


def draft_start_modification(*, acting: Acting, ticket: str) -> Draft:
    """A draft at step 6, prefilled with the request's current data, to modify it (same type and worker)."""
    user, enterprise = acting.employer()
    leave_request = LeaveRequest.objects.filter(enterprise=enterprise, ticket=ticket).first()
    if leave_request is None:
        raise NotFound("request not found")
    if leave_request.status not in EMPLOYER_EDITABLE:
        raise DomainError(
            _("This request can no longer be modified: the office has decided."), code="not_modifiable"
        )
    content = request_as_modification(leave_request)
    return Draft.objects.create(owner=user, enterprise=enterprise, step=6, data=content.to_json())


def request_as_modification(leave_request: LeaveRequest) -> DraftData:
    """The request's current data as the content of a draft that modifies it: what the employer's
    *Modifier* starts from, and what the office's review runs the rules on again (the request itself is
    then left out of the worker's other periods, as for a modification)."""
    leave = LeaveData.from_json(leave_request.details).replace(
        form=LeaveForm(leave_request.form),
        notice_date=leave_request.notice_date,
        start=leave_request.start_date,
        end=leave_request.end_date,
    )
    return DraftData(
        worker=WorkerChoice(
            niss=leave_request.worker.niss,
            status=leave_request.worker_status,
            joint_committee=leave_request.joint_committee,
        ),
        type=TypeChoice(
            leave_type=LeaveType(leave_request.leave_type),
            kind=RequestKind.MODIFICATION,
            related_ticket=leave_request.ticket,
        ),
        leave=leave,
    )


@dataclass(frozen=True)
class _Confirmation:
    """What step 7 confirms: the draft, its facts and the rules' findings, certified by the acting user."""

    draft: Draft
    user: User
    acting: Acting
    assurance_level: int
    person: Person
    facts: Any
    findings: list[Finding]


def _modify_request(confirmation: _Confirmation) -> LeaveRequest:
    """A new version of the request; its status stays (a modification is not a transition)."""
    c = confirmation
    draft, facts, assurance_level = c.draft, c.facts, c.assurance_level
    target = (
        LeaveRequest.objects.select_for_update()
        .filter(enterprise=draft.enterprise, ticket=facts.related_ticket)
        .first()
    )
    if target is None:
        raise NotFound("request not found")
    if target.status not in EMPLOYER_EDITABLE:
        raise DomainError(
            _("This request can no longer be modified: the office has decided."), code="not_modifiable"
        )
    if target.leave_type != facts.leave_type:
        raise DomainError(_("A modification keeps the type of interruption."), code="type_changed")
    target.form = facts.form
    target.notice_date = facts.notice_date
    target.start_date = facts.start
    target.end_date = facts.end
    target.details = _details(draft)
    target.findings = _findings_json(c.findings)
    worker = _worker(draft)
    target.worker_status = worker.status
    target.joint_committee = worker.joint_committee
    target.version += 1
    target.certified_at = timezone.now()
    target.certification_text = str(CERTIFICATION_TEXT)
    target.certification_version = CERTIFICATION_VERSION
    target.assurance_level = assurance_level
    target.save()
    _add_version(
        target,
        kind=RequestVersion.Kind.MODIFICATION,
        user=c.user,
        assurance_level=assurance_level,
        api_client_id=c.acting.api_client_id,
        draft=draft,
        acting=c.acting,
    )
    audit_log(
        action=AuditAction.REQUEST_MODIFIED,
        acting=c.acting,
        subject_niss=c.person.niss,
        object_type=REQUEST.object_type,
        object_id=target.ticket,
        data={
            **_certification_data(target, c.person),
            # The office reads from this that the worker certified their part on an earlier version
            # (ADR 0014: nothing re-opens; the worker is told what changed).
            "worker_part_complete": WorkerPart.objects.filter(
                request=target, submitted_at__isnull=False
            ).exists(),
        },
    )
    record_event(
        enterprise=target.enterprise,
        type_=EventType.REQUEST_MODIFIED,
        ticket=target.ticket,
        data={"status": str(target.status), "version": target.version},
    )
    return target


def request_cancel(*, acting: Acting, ticket: str, reason: str) -> LeaveRequest:
    """Cancel a request of the enterprise before the office decides, with a reason.

    Adds a cancellation version (with its own PDF and eBox message) and the transition; keeps every
    earlier version. Raises NotFound, DomainError (no reason, already decided or cancelled).
    """
    user, enterprise = acting.employer()
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the cancellation."), code="reason_missing", field="reason")
    with transaction.atomic():
        target = LeaveRequest.objects.select_for_update().filter(enterprise=enterprise, ticket=ticket).first()
        if target is None:
            raise NotFound("request not found")
        target.version += 1
        transition(
            target,
            Status.CANCELLED,
            actor=Actor.EMPLOYER,
            acting=acting,
            reason=reason,
            update_fields=["version"],
            data={"version": target.version, "reason": reason},
        )
        _add_version(
            target,
            kind=RequestVersion.Kind.CANCELLATION,
            user=user,
            assurance_level=acting.level,
            api_client_id=acting.api_client_id,
            reason=reason,
            acting=acting,
        )
    return target


def request_read(*, acting: Acting, leave_request: LeaveRequest, action: str, **data: Any) -> None:
    """A user of the enterprise read the worker's data in this request (its detail, ``request.viewed``, or
    a version's PDF, ``document.downloaded``): who, when, which request, on the worker's record."""
    audit_log(
        action=action,
        acting=acting,
        subject_niss=leave_request.worker.niss,
        object_type="leave_request",
        object_id=leave_request.ticket,
        data=data,
    )


def _worker(draft: Draft) -> WorkerChoice:
    worker = draft.content.worker
    if worker is None:
        raise DomainError(_("Complete every step before confirming."), code="incomplete")
    return worker


def _details(draft: Draft) -> dict[str, Any]:
    leave = draft.content.leave
    return leave.details_json() if leave is not None else {}


def _findings_json(findings: list[Finding]) -> list[dict[str, str]]:
    return [
        {
            "code": f.code,
            "field": f.field,
            "severity": str(f.severity),
            "reference": f.reference,
            "message": f.message,
        }
        for f in findings
    ]


def _create_request(confirmation: _Confirmation, *, today: datetime.date) -> LeaveRequest:
    c = confirmation
    draft, facts, person = c.draft, c.facts, c.person
    leave_request = LeaveRequest(
        ticket=next_ticket(today.year),
        draft=draft,
        enterprise=draft.enterprise,
        worker=person,
        worker_status=_worker(draft).status,
        joint_committee=_worker(draft).joint_committee,
        kind=facts.kind,
        extends=LeaveRequest.objects.filter(ticket=facts.related_ticket, worker=person).first()
        if facts.related_ticket
        else None,
        leave_type=facts.leave_type,
        form=facts.form,
        notice_date=facts.notice_date,
        start_date=facts.start,
        end_date=facts.end,
        details=_details(draft),
        findings=_findings_json(c.findings),
        created_by=c.user,
        certified_at=timezone.now(),
        certification_text=str(CERTIFICATION_TEXT),
        certification_version=CERTIFICATION_VERSION,
        assurance_level=c.assurance_level,
        # The office of the worker's domicile decides (None: no office's area holds it).
        office=office_for_postcode(person.postal_code),
    )
    transition(
        leave_request,
        Status.AWAITING_WORKER,
        actor=Actor.EMPLOYER,
        acting=c.acting,
        data=_certification_data(leave_request, person),
    )
    _add_version(
        leave_request,
        kind=RequestVersion.Kind.ORIGINAL,
        user=c.user,
        assurance_level=c.assurance_level,
        api_client_id=c.acting.api_client_id,
        acting=c.acting,
    )
    return leave_request


def _certification_data(leave_request: LeaveRequest, person: Person) -> dict[str, Any]:
    """What the audit of a confirmation or a modification keeps: the version as certified."""
    return {
        "version": leave_request.version,
        "certification_text": leave_request.certification_text,
        "certification_version": CERTIFICATION_VERSION,
        "worker_niss": person.niss,
        "leave_type": leave_request.leave_type,
    }


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


def secretariat_of(acting: Acting, enterprise: Enterprise) -> dict[str, Any] | None:
    """The social secretariat ``acting`` files under for ``enterprise`` and the mandate that allows it
    today (name, number, the mandate's dates), as the version records it; None when the employer acts
    itself."""
    secretariat = acting.secretariat
    if secretariat is None:
        return None
    today = timezone.localdate()
    mandate = _mandate_read(acting, enterprise, today)
    if mandate is None:
        mandate = (
            Mandate.objects.valid_on(today)
            .filter(secretariat=secretariat, employer=enterprise, domain=Domain.CAREER_BREAK)
            .order_by("-valid_from")
            .first()
        )
    return {
        "name": secretariat.name,
        "number": secretariat.formatted_number,
        "mandate_from": mandate.valid_from.isoformat() if mandate else None,
        "mandate_until": mandate.valid_until.isoformat() if mandate and mandate.valid_until else None,
    }


def _mandate_read(acting: Acting, enterprise: Enterprise, today: datetime.date) -> Mandate | None:
    """The mandate that allowed ``acting`` for ``enterprise``, as its access read it (in this request or
    batch item: ``identity.access``, the API's token), when it is that secretariat's for that enterprise
    and still valid today: the one the query of ``secretariat_of`` would find (the latest start), without
    reading it again."""
    access = acting.access
    mandate = access.mandate if access is not None else None
    if (
        mandate is None
        or access is None
        or access.via is None
        or mandate.secretariat_id != access.via.pk
        or mandate.employer_id != enterprise.pk
        or mandate.domain != Domain.CAREER_BREAK
        or not mandate.holds_on(today)
    ):
        return None
    return mandate


def _add_version(
    leave_request: LeaveRequest,
    *,
    kind: str,
    user: User,
    assurance_level: int,
    api_client_id: str = "",
    reason: str = "",
    draft: Draft | None = None,
    acting: Acting | None = None,
) -> RequestVersion:
    """Record the version (with the API client that filed it, if any, and the social secretariat and
    mandate it was filed under), and have its PDF and the worker's messages produced after commit."""
    snapshot = snapshot_of(leave_request)
    filed_by = secretariat_of(acting, leave_request.enterprise) if acting is not None else None
    if filed_by:
        snapshot["secretariat"] = filed_by
    version = RequestVersion.objects.create(
        request=leave_request,
        number=leave_request.version,
        draft=draft,
        kind=kind,
        snapshot=snapshot,
        findings=leave_request.findings,
        reason=reason,
        created_by=user,
        assurance_level=assurance_level,
        api_client_id=api_client_id or None,
        certification_text=leave_request.certification_text,
        certification_version=leave_request.certification_version,
    )
    notify_worker(version)
    return version
