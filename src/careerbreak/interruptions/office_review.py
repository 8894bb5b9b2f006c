"""Everything an agent needs to review one request, on one page: the employer part and its versions, the
worker part, the attachments, the rules run again on today's facts, the worker's rights used and left, the
status history and the messages sent. Opening it is audited (who read which request, when).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.acknowledgement import acknowledgement_context
from careerbreak.interruptions.attachments import attachments_of
from careerbreak.interruptions.facts import build_facts
from careerbreak.interruptions.models import (
    Attachment,
    Draft,
    LeaveRequest,
    RequestVersion,
    StatusTransition,
    WorkerPart,
)
from careerbreak.interruptions.rights import WorkerRights, rights_of
from careerbreak.interruptions.rules.base import Finding
from careerbreak.interruptions.rules.engine import check
from careerbreak.interruptions.selectors import request_for_office
from careerbreak.interruptions.services import request_as_modification
from careerbreak.mailbox.models import OutboxMessage
from careerbreak.mailbox.selectors import outbox_messages_for
from careerbreak.registries.sources import dimona
from careerbreak.vocabularies import active_language


@dataclass
class Review:
    leave_request: LeaveRequest
    versions: list[RequestVersion]
    transitions: list[StatusTransition]
    part: WorkerPart | None
    # The worker part's answers as the acknowledgement words them (rows of label, value).
    part_context: dict[str, Any]
    attachments: list[Attachment]
    findings: list[Finding]
    rights: WorkerRights
    messages: list[OutboxMessage]
    today: datetime.date


def findings_today(leave_request: LeaveRequest, *, today: datetime.date) -> list[Finding]:
    """The rules of the employer's confirmation (``rules.engine.check`` over ``build_facts``), run again
    on today's registries and history, as if the employer modified the request today: the request itself
    is left out of the worker's other periods."""
    content = request_as_modification(leave_request)
    draft = Draft(enterprise=leave_request.enterprise, step=7, data=content.to_json())
    employment = dimona().employment_of(leave_request.enterprise, leave_request.worker.niss, on=today)
    return check(build_facts(draft, today=today, person=leave_request.worker, employment=employment))


def _titled(messages: Any) -> list[OutboxMessage]:
    """The messages, each with ``title``: its subject in the active language (French when it has none)."""
    language = active_language()
    rows = list(messages)
    for message in rows:
        subjects = message.subjects or {}
        message.title = subjects.get(language) or subjects.get("fr") or next(iter(subjects.values()), "–")
    return rows


def request_review(*, acting: Acting, ticket: str, today: datetime.date | None = None) -> Review:
    """The review of one request in the acting agent's scope; NotFound for any other (the same answer
    whether it exists elsewhere or not). Audited: ``request.opened_by_office`` on the worker's record."""
    day = today or timezone.localdate()
    leave_request = request_for_office(acting=acting, ticket=ticket)
    # The part as sent: one the worker is still writing is not the office's to read.
    part = WorkerPart.objects.filter(request=leave_request, submitted_at__isnull=False).first()
    review = Review(
        leave_request=leave_request,
        versions=list(leave_request.versions.select_related("created_by").order_by("number")),
        transitions=list(leave_request.transitions.all()),
        part=part,
        part_context=acknowledgement_context(part) if part is not None else {},
        # The part's own documents; those sent with an answer are listed under their question.
        attachments=[item for item in attachments_of(part) if item.information_request_id is None]
        if part is not None
        else [],
        findings=findings_today(leave_request, today=day),
        rights=rights_of(leave_request.worker, day),
        messages=_titled(outbox_messages_for(reference=leave_request.ticket)),
        today=day,
    )
    audit_log(
        action=AuditAction.REQUEST_OPENED_BY_OFFICE,
        acting=acting,
        enterprise_number=leave_request.enterprise.number,
        subject_niss=leave_request.worker.niss,
        object_type="leave_request",
        object_id=leave_request.ticket,
    )
    return review
