"""The office's questions to the worker (issue 13, *Ask for information*), and the worker's answers.

The agent who holds a file under review asks one question with a deadline (``information_ask``): the
request goes to *Information requested* and the worker finds a message in their eBox, in their language,
saying a question awaits their answer on their pages. The worker answers there (``information_answer``):
a text and, if they wish, files with the same checks as the worker part's attachments (recognised by
their content, at most ``ATTACHMENT_MAX_BYTES`` each and ``ATTACHMENTS_MAX`` per answer); the request
returns to *Under review*.

The deadline is a day from ``MIN_DAYS`` to ``MAX_DAYS`` after today (the default ``DEFAULT_DAYS``): at
least a week and a day, so that a worker who reads the eBox weekly can still answer; at most two months,
so that a file does not wait longer for an answer than the worker part itself may be late. A question
still unanswered after its deadline is *overdue* (``overdue_information_requests``, ``is_overdue``): the
work queue flags it; the worker can still answer it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound, PermissionDenied
from careerbreak.identity.acting import Acting, Via
from careerbreak.interruptions.attachments import (
    AttachmentKind,
    Locked,
    clean_name,
    remove_recorded,
    store_checked,
)
from careerbreak.interruptions.models import Attachment, InformationRequest, LeaveRequest, WorkerPart
from careerbreak.interruptions.notifications import message_to_worker
from careerbreak.interruptions.selectors import office_scope, request_for_office
from careerbreak.interruptions.states import Actor, Status
from careerbreak.interruptions.transitions import transition
from careerbreak.interruptions.worker_part import request_of_worker
from careerbreak.vocabularies import LeaveType

MIN_DAYS = 8
MAX_DAYS = 60
DEFAULT_DAYS = 15
MAX_LENGTH = 4000
MESSAGE_KIND = "information_requested"


def default_deadline(today: datetime.date | None = None) -> datetime.date:
    """The deadline a new question proposes: ``DEFAULT_DAYS`` after today."""
    return (today or timezone.localdate()) + datetime.timedelta(days=DEFAULT_DAYS)


def deadline_bounds(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=MIN_DAYS), today + datetime.timedelta(days=MAX_DAYS)


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _text(value: str, *, field: str, empty: Promise, too_long: Promise) -> str:
    """The text stripped; DomainError naming ``field`` when empty or longer than ``MAX_LENGTH``."""
    value = (value or "").strip()
    if not value:
        raise DomainError(empty, code=f"{field}_empty", field=field)
    if len(value) > MAX_LENGTH:
        raise DomainError(str(too_long) % {"count": MAX_LENGTH}, code=f"{field}_long", field=field)
    return value


def check_question(question: str, deadline: datetime.date) -> str:
    """The question stripped, or DomainError naming the field (empty, too long, deadline out of bounds)."""
    question = _text(
        question,
        field="question",
        empty=_("Enter the question to the worker."),
        too_long=_("The question is longer than %(count)s characters: shorten it."),
    )
    earliest, latest = deadline_bounds()
    if not earliest <= deadline <= latest:
        raise DomainError(
            _(
                "The deadline must be between %(earliest)s and %(latest)s "
                "(%(min)s to %(max)s days from today)."
            )
            % {"earliest": _day(earliest), "latest": _day(latest), "min": MIN_DAYS, "max": MAX_DAYS},
            code="deadline_bounds",
            field="deadline",
        )
    return question


def _held(acting: Acting, ticket: str) -> LeaveRequest:
    """The request in the agent's scope, locked, while the agent holds it under review."""
    found = request_for_office(acting=acting, ticket=ticket)
    leave_request = (
        LeaveRequest.objects.select_for_update().select_related("worker", "enterprise").get(pk=found.pk)
    )
    if acting.user is None or leave_request.assigned_to_id != acting.user.pk:
        raise DomainError(
            _("Only the agent who holds this file can ask the worker for information."), code="not_holder"
        )
    if leave_request.status != Status.UNDER_REVIEW:
        raise DomainError(
            _("Information can be asked only while the request is under review."), code="not_under_review"
        )
    return leave_request


def may_ask(*, acting: Acting, leave_request: LeaveRequest) -> bool:
    """Whether the acting agent may ask a question on this request now (the review page's link)."""
    return (
        acting.user is not None
        and leave_request.assigned_to_id == acting.user.pk
        and leave_request.status == Status.UNDER_REVIEW
    )


def _texts(leave_request: LeaveRequest, question: InformationRequest) -> tuple[str, str]:
    """Subject and body in the active language (the question itself stays on the worker's pages)."""
    values: dict[str, Any] = {
        "ticket": leave_request.ticket,
        "type": str(LeaveType(leave_request.leave_type).label),
        "deadline": _day(question.deadline),
    }
    subject = gettext("The employment office has a question about request %(ticket)s") % values
    body = (
        gettext(
            "The employment office examining your request %(ticket)s (%(type)s) needs more information. "
            "Read its question and answer it on your pages (My career break file) by %(deadline)s. "
            "The examination of your request resumes when you answer."
        )
        % values
    )
    return subject, body


def _audit(
    acting: Acting,
    action: AuditAction,
    leave_request: LeaveRequest,
    question: InformationRequest,
    **data: Any,
) -> None:
    """An event about the office's question ``question`` on ``leave_request``, on the worker's record."""
    audit_log(
        action=action,
        acting=acting,
        subject_niss=leave_request.worker.niss,
        object_type="information_request",
        object_id=question.pk,
        data={"ticket": leave_request.ticket, **data},
    )


def information_ask(
    *, acting: Acting, ticket: str, question: str, deadline: datetime.date
) -> InformationRequest:
    """Ask the worker a question on a request the acting agent holds under review.

    Preconditions: the acting context is the office's (``office_scope``) and its user holds the file.
    Errors: PermissionDenied (not the office), NotFound (outside the agent's scope), DomainError with a
    field (empty or too long question, deadline outside ``MIN_DAYS``..``MAX_DAYS``) or a code
    (``not_holder``, ``not_under_review``). Nothing is written then.
    Side effects, in one transaction: the InformationRequest row, the transition to *Information
    requested* (its row and audit event), the audit event ``INFORMATION_ASKED``, the eBox message to the
    worker (and the e-mail where an address is known) in the outbox.
    """
    question = check_question(question, deadline)
    with transaction.atomic():
        leave_request = _held(acting, ticket)
        assert acting.user is not None  # _held checked it
        asked = InformationRequest.objects.create(
            request=leave_request, question=question, deadline=deadline, asked_by=acting.user
        )
        transition(
            leave_request,
            Status.INFORMATION_REQUESTED,
            actor=Actor.OFFICE,
            acting=acting,
            data={"information_request": asked.pk, "deadline": deadline.isoformat()},
        )
        _audit(acting, AuditAction.INFORMATION_ASKED, leave_request, asked, deadline=deadline.isoformat())
        # One message per question: its id keeps the outbox's "once per version" key distinct.
        message_to_worker(
            worker=leave_request.worker,
            kind=MESSAGE_KIND,
            reference=leave_request.ticket,
            version=asked.pk,
            texts=lambda: _texts(leave_request, asked),
        )
    return asked


# -- the worker's side ------------------------------------------------------------------------------------


def _worker_request(acting: Acting, ticket: str) -> LeaveRequest:
    if acting.via != Via.SELF:
        raise NotFound("request not found")
    return request_of_worker(acting=acting, ticket=ticket)


def open_question(leave_request: LeaveRequest) -> InformationRequest | None:
    """The question on this request still waiting for its answer, if any."""
    return InformationRequest.objects.filter(request=leave_request, answered_at__isnull=True).first()


def open_question_for_worker(
    *, acting: Acting, ticket: str
) -> tuple[LeaveRequest, InformationRequest | None]:
    """The acting worker's request and its open question (None when none awaits an answer); NotFound for
    anyone else's request."""
    leave_request = _worker_request(acting, ticket)
    if leave_request.status != Status.INFORMATION_REQUESTED:
        return leave_request, None
    return leave_request, open_question(leave_request)


def has_answered(leave_request: LeaveRequest) -> bool:
    """Whether the worker answered a question on this request (the "answer sent" page)."""
    return InformationRequest.objects.filter(request=leave_request, answered_at__isnull=False).exists()


def questions_of_worker(*, acting: Acting) -> list[InformationRequest]:
    """The questions awaiting the acting worker's answer, on any of their requests, nearest deadline first."""
    if acting.via != Via.SELF or not acting.niss:
        return []
    return list(
        InformationRequest.objects.filter(
            request__worker__niss=acting.niss,
            request__status=Status.INFORMATION_REQUESTED,
            answered_at__isnull=True,
        )
        .select_related("request")
        .order_by("deadline", "id")
    )


def _locked_question(acting: Acting, ticket: str) -> tuple[LeaveRequest, InformationRequest]:
    leave_request = _worker_request(acting, ticket)
    leave_request = (
        LeaveRequest.objects.select_for_update()
        .select_related("worker", "enterprise")
        .get(pk=leave_request.pk)
    )
    question = (
        InformationRequest.objects.select_for_update()
        .filter(request=leave_request, answered_at__isnull=True)
        .first()
    )
    if question is None or leave_request.status != Status.INFORMATION_REQUESTED:
        raise DomainError(
            _("No question of the employment office awaits your answer on this request."), code="no_question"
        )
    return leave_request, question


def answer_attachments(question: InformationRequest) -> list[Attachment]:
    return list(question.attachments.order_by("created_at", "id"))


def information_attachment_add(*, acting: Acting, ticket: str, name: str, content: bytes) -> Attachment:
    """Attach a file to the answer the acting worker is preparing, with the worker part's checks
    (``attachments.store_checked``), counted per answer.

    Errors: NotFound (not their request), DomainError (no open question; the file refused, naming it).
    Side effects: the file stored, its row (``information_request`` set) and an audit event, or nothing.
    """
    name = clean_name(name)

    def lock() -> Locked:
        leave_request, question = _locked_question(acting, ticket)
        part, _created = WorkerPart.objects.get_or_create(request=leave_request)
        return part, question.attachments.all(), question

    return store_checked(
        acting=acting, ticket=ticket, kind=AttachmentKind.OTHER.value, name=name, content=content, lock=lock
    )


def information_attachment_remove(*, acting: Acting, ticket: str, attachment_id: int) -> str:
    """Remove a file from the answer before it is sent; returns its name.

    Errors: NotFound (not an attachment of the acting worker's open answer), DomainError (no open
    question). Side effects: the row and an audit event; the file once committed."""
    with transaction.atomic():
        _leave_request, question = _locked_question(acting, ticket)
        attachment = question.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise NotFound("attachment not found")
        return remove_recorded(acting=acting, ticket=ticket, attachment=attachment)


def information_answer(*, acting: Acting, ticket: str, answer: str) -> InformationRequest:
    """The acting worker answers the open question on their request: the file returns to review.

    Errors: NotFound (not their request), DomainError (no open question; ``answer`` empty or longer than
    ``MAX_LENGTH``). Nothing is written then.
    Side effects, in one transaction: the answer and its time on the question, the transition to *Under
    review* (actor the worker; its row and audit event), the audit event ``INFORMATION_ANSWERED``.
    """
    answer = _text(
        answer,
        field="answer",
        empty=_("Enter your answer to the question."),
        too_long=_("Your answer is longer than %(count)s characters: shorten it."),
    )
    with transaction.atomic():
        leave_request, question = _locked_question(acting, ticket)
        files = question.attachments.count()
        question.answer = answer
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_at"])
        transition(
            leave_request,
            Status.UNDER_REVIEW,
            actor=Actor.WORKER,
            acting=acting,
            data={"information_request": question.pk},
        )
        _audit(acting, AuditAction.INFORMATION_ANSWERED, leave_request, question, attachments=files)
    return question


# -- the office's reads -----------------------------------------------------------------------------------


def is_overdue(question: InformationRequest, *, today: datetime.date | None = None) -> bool:
    """Unanswered after its deadline (the deadline day itself is still on time)."""
    return question.answered_at is None and question.deadline < (today or timezone.localdate())


def overdue_information_requests(*, acting: Acting) -> QuerySet[InformationRequest]:
    """The unanswered questions past their deadline on the requests in the acting agent's scope (a
    supervisor's: every office's), oldest deadline first. PermissionDenied for anyone but the office."""
    return (
        InformationRequest.objects.filter(
            request__in=office_scope(acting=acting),
            request__status=Status.INFORMATION_REQUESTED,
            answered_at__isnull=True,
            deadline__lt=timezone.localdate(),
        )
        .select_related("request")
        .order_by("deadline", "id")
    )


def questions_for_office(*, acting: Acting, leave_request: LeaveRequest) -> list[InformationRequest]:
    """Every question asked on a request (from ``request_for_office``), oldest first, with its files."""
    if acting.via != Via.OFFICE:
        raise PermissionDenied(_("Only the employment office may see this."), code="not_office")
    return list(
        InformationRequest.objects.filter(request=leave_request)
        .select_related("asked_by")
        .prefetch_related("attachments")
        .order_by("asked_at", "id")
    )
