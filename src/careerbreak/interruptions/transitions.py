"""The one way a status changes: ``transition()`` checks the aggregate's table (interruptions/states.py),
then writes the new status, its transition row and its audit event, in the caller's transaction.

Two aggregates have a status: the request (``LeaveRequest``, rows in ``StatusTransition``) and the
worker's notice (``WorkerNotice``, rows in ``NoticeTransition``). Each has a ``Machine``: its table, its
row model, how the audit names it, and the message shown when the table refuses a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.events import record_status_event
from careerbreak.interruptions.models import LeaveRequest, NoticeTransition, StatusTransition, WorkerNotice
from careerbreak.interruptions.states import (
    NOTICE_TRANSITIONS,
    TRANSITIONS,
    Actor,
    NoticeStatus,
    Status,
)

REFUSED = _("This change is not possible in the current status.")


@dataclass(frozen=True)
class Machine:
    """The statuses of one aggregate: which changes are allowed, and what a change writes."""

    table: Mapping[tuple[str, str, str], AuditAction]
    row_model: type[models.Model]
    row_field: str
    object_type: str
    object_id: Callable[[Any], str | int]
    # The message (and code) when the table refuses a change to this status; REFUSED otherwise.
    refusals: Mapping[str, tuple[Promise, str]] = field(default_factory=dict)

    def allows(self, from_status: str, to_status: str, actor: str) -> bool:
        return (from_status, to_status, actor) in self.table

    def check(self, aggregate: Any, to_status: str, actor: str) -> AuditAction:
        """The audit code of the change, or DomainError when the table does not allow it."""
        action = self.table.get((current_status(aggregate), to_status, actor))
        if action is None:
            message, code = self.refusals.get(to_status, (REFUSED, "transition_refused"))
            raise DomainError(message, code=code)
        return action


REQUEST = Machine(
    table=TRANSITIONS,
    row_model=StatusTransition,
    row_field="request",
    object_type="leave_request",
    object_id=lambda leave_request: leave_request.ticket,
    refusals={
        Status.CANCELLED: (
            _("This request can no longer be cancelled: it is already cancelled or decided."),
            "not_cancellable",
        ),
        Status.COMPLETE: (
            _("This request no longer awaits your part: it was completed or cancelled."),
            "not_awaiting",
        ),
    },
)

NOTICE = Machine(
    table=NOTICE_TRANSITIONS,
    row_model=NoticeTransition,
    row_field="notice",
    object_type="worker_notice",
    object_id=lambda notice: notice.pk,
    refusals={
        answer: (_("This notice has already been answered."), "answered")
        for answer in (NoticeStatus.ACCEPTED, NoticeStatus.REFUSED, NoticeStatus.POSTPONEMENT_PROPOSED)
    },
)

MACHINES: dict[type[models.Model], Machine] = {LeaveRequest: REQUEST, WorkerNotice: NOTICE}


def machine_of(aggregate: models.Model) -> Machine:
    return MACHINES[type(aggregate)]


def current_status(aggregate: Any) -> str:
    """ "" before the aggregate is saved (the state before it exists), its status after."""
    return "" if aggregate._state.adding else str(aggregate.status)


def transition(
    aggregate: LeaveRequest | WorkerNotice,
    to_status: str,
    *,
    actor: Actor,
    acting: Acting,
    reason: str = "",
    update_fields: Iterable[str] = (),
    data: dict[str, Any] | None = None,
) -> None:
    """Move ``aggregate`` to ``to_status`` as ``actor`` (the role in the table) on behalf of ``acting``.

        Call inside the caller's transaction, on a row it locked (``select_for_update``), or on a new,
        unsaved aggregate (the change from ""): it is then inserted. Saves the status with ``update_fields``
        (the other columns the caller changed), writes the transition row (who, why) and the audit event
        (the table's code, the acting person, ``subject_niss`` the worker, ``data``) and the event API clients
    follow (``events.record_status_event``). Raises DomainError
        (translated, with a code) when the table does not allow the change; nothing is written then.
    """
    machine = machine_of(aggregate)
    from_status = current_status(aggregate)
    action = machine.check(aggregate, to_status, actor)
    aggregate.status = to_status
    if from_status == "":
        aggregate.save()
    else:
        aggregate.save(update_fields=["status", *update_fields])
    machine.row_model._default_manager.create(
        **{machine.row_field: aggregate},
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_niss=acting.niss,
        reason=reason,
    )
    audit_log(
        action=action,
        acting=acting,
        # The worker acting for themselves acts for no enterprise; the event still names the aggregate's.
        enterprise_number=acting.enterprise_number or aggregate.enterprise.number,
        subject_niss=aggregate.worker.niss,
        object_type=machine.object_type,
        object_id=machine.object_id(aggregate),
        data=data,
    )
    record_status_event(aggregate)
