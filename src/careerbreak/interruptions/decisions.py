"""The office's decisions on a request: approve (with the allowance or without it, and why), refuse with
legal reasons after a second agent's confirmation (four eyes), and what the employer may know of them.

Every write is keyword-only, runs in one transaction with its transition (``interruptions.transitions``),
its audit event and its outbox rows (the C62 letter to the worker's eBox, ``decision_letter``). Only the
agent who holds the file (``LeaveRequest.assigned_to``) approves or proposes a refusal; a second agent of
the same office, or a supervisor, confirms the refusal or sends it back. The database keeps at most one
final and one pending decision per request (``Decision``'s constraints): a double submit decides once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, PermissionDenied
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import User
from careerbreak.interruptions.allowance import (
    AllowanceSlice,
    Category,
    NoAllowanceReason,
    RateLine,
    allowance_periods,
    category_for,
    paid_from,
    scheme_of,
)
from careerbreak.interruptions.models import (
    AllowancePeriod,
    AllowanceRate,
    Decision,
    LeaveRequest,
    WorkerPart,
)
from careerbreak.interruptions.refusals import reasons_of
from careerbreak.interruptions.selectors import request_for_office
from careerbreak.interruptions.states import Actor, Status
from careerbreak.interruptions.transitions import transition
from careerbreak.interruptions.worker_part_data import Household

NOTE_MAX = 4000


@dataclass(frozen=True)
class AllowancePreview:
    """What an approval with an allowance would pay: the category and the periods with their amounts."""

    category: Category
    periods: list[AllowanceSlice]
    first_paid_day: datetime.date


def _office_user(acting: Acting) -> User:
    if acting.user is None or acting.office_role is None:
        raise PermissionDenied(_("Only the employment office may see this."), code="not_office")
    return acting.user


def _locked(acting: Acting, ticket: str) -> LeaveRequest:
    """The request in the acting agent's scope (NotFound otherwise), locked for the decision."""
    found = request_for_office(acting=acting, ticket=ticket)
    return LeaveRequest.objects.select_for_update().select_related("worker", "enterprise").get(pk=found.pk)


def _require_holder(acting: Acting, leave_request: LeaveRequest) -> User:
    user = _office_user(acting)
    if leave_request.assigned_to_id != user.pk:
        raise DomainError(
            _("Only the agent who holds this file may decide on it. Take charge of the file first."),
            code="not_holder",
        )
    return user


def _require_under_review(leave_request: LeaveRequest) -> None:
    if leave_request.status != Status.UNDER_REVIEW:
        raise DomainError(
            _("This request is not under review: it cannot be decided now."), code="not_under_review"
        )


def pending_refusal(leave_request: LeaveRequest) -> Decision | None:
    """The refusal that awaits a second agent's confirmation, if any."""
    return (
        Decision.objects.filter(request=leave_request, state=Decision.State.AWAITING_CONFIRMATION)
        .select_related("decided_by")
        .first()
    )


def final_decision(leave_request: LeaveRequest) -> Decision | None:
    return Decision.objects.filter(request=leave_request, state=Decision.State.FINAL).first()


def decisions_of(leave_request: LeaveRequest) -> list[Decision]:
    """Every decision on the request, oldest first, with who decided and who confirmed or sent back."""
    return list(Decision.objects.filter(request=leave_request).select_related("decided_by", "confirmed_by"))


def periods_of(decision: Decision) -> list[AllowancePeriod]:
    return list(decision.periods.all())


def _refusal_pending() -> DomainError:
    return DomainError(
        _("A refusal of this request awaits a second agent's confirmation."), code="refusal_pending"
    )


def _decision_create(conflict: DomainError, **fields: Any) -> Decision:
    """The decision row; ``conflict`` when the database already holds a final or a pending one (two
    submits that passed the checks at once: the constraints keep one)."""
    try:
        with transaction.atomic():
            return Decision.objects.create(**fields)
    except IntegrityError as exc:
        raise conflict from exc


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise DomainError(
            _("The note is too long: at most %(count)s characters.") % {"count": NOTE_MAX},
            code="note_too_long",
            field="note",
        )
    return note


# --- The allowance -------------------------------------------------------------------------------------


def rate_lines(*, scheme: str, form: str) -> list[RateLine]:
    """The rate table's lines for a scheme and a form, as plain values for ``allowance_periods``."""
    return [
        RateLine(
            scheme=rate.scheme,
            form=rate.form,
            category=rate.category,
            monthly_amount=rate.monthly_amount,
            valid_from=rate.valid_from,
            key=rate.pk,
        )
        for rate in AllowanceRate.objects.filter(scheme=scheme, form=form)
    ]


def _age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def allowance_preview(*, leave_request: LeaveRequest) -> AllowancePreview:
    """The periods and monthly amounts an approval with an allowance would store.

    The category comes from the worker part (single parent: living only with dependent children) and the
    worker's age on the start; a late worker part is paid from the day it was sent. Raises NoRate (no line
    of the table in force), DomainError (the part was sent after the end of the leave: nothing to pay).
    """
    part = WorkerPart.objects.filter(request=leave_request).first()
    household = part.content.household if part is not None else None
    scheme = scheme_of(leave_request.leave_type)
    category = category_for(
        scheme=scheme,
        single_parent=household is not None and household.situation == Household.ONLY_CHILDREN,
        age=_age_on(leave_request.worker.birth_date, leave_request.start_date),
    )
    sent_on = timezone.localdate(part.submitted_at) if part is not None and part.submitted_at else None
    first = paid_from(start=leave_request.start_date, sent_on=sent_on, late=bool(part and part.late))
    if first > leave_request.end_date:
        raise DomainError(
            _(
                "The worker part was sent after the end of the leave: no allowance can be paid. Approve "
                "without an allowance."
            ),
            code="nothing_to_pay",
            field="with_allowance",
        )
    periods = allowance_periods(
        lines=rate_lines(scheme=scheme.value, form=leave_request.form),
        scheme=scheme,
        form=leave_request.form,
        category=category,
        start=first,
        end=leave_request.end_date,
    )
    return AllowancePreview(category=category, periods=periods, first_paid_day=first)


# --- Approve ---------------------------------------------------------------------------------------------


def request_approve(
    *,
    acting: Acting,
    ticket: str,
    with_allowance: bool,
    no_allowance_reason: str = "",
    note: str = "",
) -> Decision:
    """Approve a request under review, with the allowance computed from the rate table, or without one
    and the reason (``NoAllowanceReason``; OTHER needs a note).

    Preconditions: the acting agent holds the file; the request is under review; no refusal awaits
    confirmation. Idempotent for a double submit: the agent who already approved gets the same decision.
    Raises NotFound (outside the agent's scope), PermissionDenied (not the office), DomainError (not the
    holder, not under review, a refusal pending, no reason or an unknown one, NoRate).
    Side effects, one transaction: the Decision (final) and its AllowancePeriod rows, the transition
    UNDER_REVIEW → APPROVED with its audit event, the C62 letter to the worker's eBox (outbox).
    """
    note = _note(note)
    reason = ""
    if not with_allowance:
        if no_allowance_reason not in NoAllowanceReason.values:
            raise DomainError(
                _("Choose why no allowance is paid."), code="no_allowance_reason", field="no_allowance_reason"
            )
        reason = no_allowance_reason
        if reason == NoAllowanceReason.OTHER and not note:
            raise DomainError(
                _("Explain in the note why no allowance is paid."), code="note_missing", field="note"
            )
    with transaction.atomic():
        leave_request = _locked(acting, ticket)
        user = _office_user(acting)
        existing = final_decision(leave_request)
        if (
            existing is not None
            and existing.outcome == Decision.Outcome.APPROVED
            and existing.decided_by_id == user.pk
        ):
            return existing
        _require_holder(acting, leave_request)
        _require_under_review(leave_request)
        if pending_refusal(leave_request) is not None:
            raise _refusal_pending()
        periods = allowance_preview(leave_request=leave_request).periods if with_allowance else []
        decision = _decision_create(
            DomainError(_("This request has already been decided."), code="already_decided"),
            request=leave_request,
            outcome=Decision.Outcome.APPROVED,
            state=Decision.State.FINAL,
            with_allowance=with_allowance,
            no_allowance_reason=reason,
            note=note,
            decided_by=user,
        )
        AllowancePeriod.objects.bulk_create(
            AllowancePeriod(
                decision=decision,
                start_date=period.start,
                end_date=period.end,
                monthly_amount=period.monthly_amount,
                rate_id=cast(int, period.rate.key),
            )
            for period in periods
        )
        transition(
            leave_request,
            Status.APPROVED,
            actor=Actor.OFFICE,
            acting=acting,
            # The note is for the worker (the C62): the transition's reason is in the employer's history.
            data={
                "decision": decision.pk,
                "with_allowance": with_allowance,
                "no_allowance_reason": reason,
                "periods": len(periods),
            },
        )
        from careerbreak.interruptions.decision_letter import send_decision

        send_decision(decision)
    return decision


# --- Refuse (four eyes) ------------------------------------------------------------------------------


def refusal_propose(*, acting: Acting, ticket: str, reasons: list[str], note: str = "") -> Decision:
    """Propose to refuse a request under review, with reasons from ``interruptions.refusals``; a second
    agent confirms it before it is sent (the status stays *Under review*).

    Idempotent for a double submit: the agent whose proposal is pending gets it back. Raises NotFound,
    PermissionDenied, DomainError (not the holder, not under review, no or unknown reason, another
    proposal pending). Side effects: the Decision (awaiting confirmation) and an audit event.
    """
    note = _note(note)
    codes = [reason.code for reason in reasons_of(reasons)]
    with transaction.atomic():
        leave_request = _locked(acting, ticket)
        user = _office_user(acting)
        pending = pending_refusal(leave_request)
        if pending is not None:
            if pending.decided_by_id == user.pk:
                return pending
            raise _refusal_pending()
        _require_holder(acting, leave_request)
        _require_under_review(leave_request)
        decision = _decision_create(
            _refusal_pending(),
            request=leave_request,
            outcome=Decision.Outcome.REFUSED,
            state=Decision.State.AWAITING_CONFIRMATION,
            with_allowance=False,
            refusal_reasons=codes,
            note=note,
            decided_by=user,
        )
        _audit(acting, leave_request, AuditAction.REFUSAL_PROPOSED, decision, reasons=codes)
    return decision


def _second_agent(acting: Acting, ticket: str) -> tuple[LeaveRequest, Decision, User]:
    """The request, its pending refusal and the acting agent, who is not the one who proposed it."""
    leave_request = _locked(acting, ticket)
    user = _office_user(acting)
    pending = Decision.objects.select_for_update().filter(
        request=leave_request, state=Decision.State.AWAITING_CONFIRMATION
    )
    decision = pending.first()
    if decision is None:
        raise DomainError(_("No refusal of this request awaits confirmation."), code="no_pending_refusal")
    if decision.decided_by_id == user.pk:
        raise DomainError(
            _("A second agent must confirm this refusal: you proposed it yourself."), code="four_eyes"
        )
    return leave_request, decision, user


def refusal_confirm(*, acting: Acting, ticket: str) -> Decision:
    """Confirm a refusal another agent proposed: the request is refused and the C62 goes to the worker.

    Any agent of the request's office or a supervisor, except the proposer (four eyes). Idempotent: once
    refused, confirming again returns the final decision. Raises NotFound, PermissionDenied, DomainError
    (no pending refusal, the proposer confirming). Side effects, one transaction: the Decision made final
    (who and when confirmed), UNDER_REVIEW → REFUSED with its audit event, the C62 in the outbox.
    """
    with transaction.atomic():
        leave_request = _locked(acting, ticket)
        existing = final_decision(leave_request)
        if existing is not None and existing.outcome == Decision.Outcome.REFUSED:
            return existing
        leave_request, decision, user = _second_agent(acting, ticket)
        decision.state = Decision.State.FINAL
        decision.confirmed_by = user
        decision.confirmed_at = timezone.now()
        decision.save(update_fields=["state", "confirmed_by", "confirmed_at"])
        transition(
            leave_request,
            Status.REFUSED,
            actor=Actor.OFFICE,
            acting=acting,
            data={"decision": decision.pk, "reasons": decision.refusal_reasons},
        )
        from careerbreak.interruptions.decision_letter import send_decision

        send_decision(decision)
    return decision


def refusal_send_back(*, acting: Acting, ticket: str, reason: str) -> Decision:
    """Do not confirm a proposed refusal: it is sent back to the agent who holds the file, with why.

    Any agent of the office or a supervisor except the proposer. Raises NotFound, PermissionDenied,
    DomainError (no reason, no pending refusal, the proposer). Side effects: the Decision marked sent
    back (who, when, why), an audit event; the request stays under review.
    """
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Say why the refusal is sent back."), code="reason_missing", field="sent_back_reason"
        )
    if len(reason) > NOTE_MAX:
        raise DomainError(
            _("The note is too long: at most %(count)s characters.") % {"count": NOTE_MAX},
            code="note_too_long",
            field="sent_back_reason",
        )
    with transaction.atomic():
        leave_request, decision, user = _second_agent(acting, ticket)
        decision.state = Decision.State.SENT_BACK
        decision.confirmed_by = user
        decision.confirmed_at = timezone.now()
        decision.sent_back_reason = reason
        decision.save(update_fields=["state", "confirmed_by", "confirmed_at", "sent_back_reason"])
        _audit(acting, leave_request, AuditAction.REFUSAL_SENT_BACK, decision, reason=reason)
    return decision


def _audit(
    acting: Acting, leave_request: LeaveRequest, action: AuditAction, decision: Decision, **data: object
) -> None:
    audit_log(
        action=action,
        acting=acting,
        enterprise_number=leave_request.enterprise.number,
        subject_niss=leave_request.worker.niss,
        object_type="leave_request",
        object_id=leave_request.ticket,
        data={"decision": decision.pk, **data},
    )
