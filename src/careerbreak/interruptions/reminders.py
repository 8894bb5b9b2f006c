"""Reminders to the worker whose part of a request is still missing (issue 12, "Deadlines").

Three moments (domain-research §3: the part must reach the office within 2 months after the start):

1. *The employer part arrives*: no separate reminder. The message that carries the employer part to the
   worker's eBox (`interruptions.notifications`, sent when the employer confirms) already asks the worker
   to complete their part, with the date from which it can be sent and the deadline.
2. *14 days before the start*, if the part is still missing: ``ReminderKind.BEFORE_START``, due from
   ``start - 14 days`` until the day before the start.
3. *On the start date*, if it is still missing: ``ReminderKind.ON_START``, due from the start until the
   deadline (2 months after the start; later, the text would no longer be true).

A reminder is skipped when the employer part arrived on or after its due day (the arrival message said it
all), and when the request is no longer *Awaiting the worker* (cancelled, or the part complete).

Once only: each reminder is an outbox message whose key (channel, kind, ticket, version 1, recipient) is
unique in the database (``outbox_one_per_version``). ``reminders_send_due`` takes the request's row lock,
looks for that message and writes it in one transaction: two runs at once, or a run after a crash, find it
and send nothing again. The job runs as ``manage.py send_reminders`` (once, from cron or a systemd timer)
or ``send_reminders --loop SECONDS`` (``make run`` starts it).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.notifications import message_to_worker
from careerbreak.interruptions.states import Status
from careerbreak.interruptions.worker_part import deadline, sendable_from
from careerbreak.mailbox.models import Channel, OutboxMessage
from careerbreak.vocabularies import LeaveType

logger = logging.getLogger(__name__)

DAYS_BEFORE_START = 14


class ReminderKind(models.TextChoices):
    """The outbox ``kind`` of each reminder (never shown to a user)."""

    BEFORE_START = "worker_part_reminder_before_start", _("Reminder 14 days before the start")
    ON_START = "worker_part_reminder_on_start", _("Reminder on the start date")


def due_day(kind: str, start: datetime.date) -> datetime.date:
    """The first day the reminder is due."""
    if kind == ReminderKind.BEFORE_START:
        return start - datetime.timedelta(days=DAYS_BEFORE_START)
    return start


def last_day(kind: str, start: datetime.date) -> datetime.date:
    """The last day the reminder may still be sent (a job that was down catches up until then)."""
    if kind == ReminderKind.BEFORE_START:
        return start - datetime.timedelta(days=1)
    return deadline(start)


def reminder_due(leave_request: LeaveRequest, kind: str, *, today: datetime.date) -> bool:
    """Whether this reminder is due today for this request (not whether it was sent already)."""
    if leave_request.status != Status.AWAITING_WORKER:
        return False
    start = leave_request.start_date
    if not due_day(kind, start) <= today <= last_day(kind, start):
        return False
    # The employer part arrived on or after the due day: its message already said what to do.
    arrived = timezone.localdate(leave_request.created_at)
    return arrived < due_day(kind, start)


def _sent(kind: str) -> Exists:
    return Exists(
        OutboxMessage.objects.filter(channel=Channel.EBOX, kind=kind, reference=OuterRef("ticket"), version=1)
    )


def reminders_due(*, today: datetime.date) -> list[tuple[LeaveRequest, str]]:
    """Every reminder due today and not sent yet, as (request, kind), oldest start first."""
    # The widest window: the 14-day reminder of a start 14 days ahead, the start reminder of a start
    # 2 months back (the deadline); reminder_due narrows it per kind.
    earliest = today - datetime.timedelta(days=62)
    latest = today + datetime.timedelta(days=DAYS_BEFORE_START)
    candidates = (
        LeaveRequest.objects.filter(status=Status.AWAITING_WORKER)
        .filter(start_date__gte=earliest, start_date__lte=latest)
        .annotate(**{f"sent_{kind.name.lower()}": _sent(kind) for kind in ReminderKind})
        .select_related("worker", "enterprise")
        .order_by("start_date", "id")
    )
    due = []
    for leave_request in candidates:
        for kind in ReminderKind:
            if getattr(leave_request, f"sent_{kind.name.lower()}"):
                continue
            if reminder_due(leave_request, kind, today=today):
                due.append((leave_request, kind.value))
    return due


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _texts(leave_request: LeaveRequest, kind: str) -> tuple[str, str]:
    """Subject and body in the active language."""
    start = leave_request.start_date
    values: dict[str, Any] = {
        "ticket": leave_request.ticket,
        "type": str(LeaveType(leave_request.leave_type).label),
        "enterprise": leave_request.enterprise.name,
        "start": _day(start),
        "from": _day(sendable_from(start)),
        "deadline": _day(deadline(start)),
    }
    subject = gettext("Reminder: complete your part of request %(ticket)s") % values
    if kind == ReminderKind.BEFORE_START:
        opening = gettext(
            "Your leave (%(type)s, request %(ticket)s filed by %(enterprise)s) starts on %(start)s and your "
            "part of the request is still missing."
        )
    else:
        opening = gettext(
            "The start date of your leave (%(type)s, request %(ticket)s filed by %(enterprise)s) is "
            "%(start)s and your part of the request is still missing."
        )
    body = (
        opening % values
        + " "
        + gettext(
            "Complete it online: the request reaches the employment office only then. It must reach the "
            "office by %(deadline)s; later, the allowance starts only on the day it is sent."
        )
        % values
    )
    return subject, body


def reminder_send(*, ticket: str, kind: str, today: datetime.date) -> bool:
    """Send one reminder if it is due and was not sent yet. Returns whether this call sent it.

    One transaction: the request's row locked (a second run waits here, then finds the message), the
    eBox message (and the e-mail where an address is known) written to the outbox, an audit row.
    """
    if kind not in ReminderKind.values:
        raise ValueError(f"Unknown reminder {kind!r}.")
    with transaction.atomic():
        leave_request = (
            LeaveRequest.objects.select_for_update()
            .select_related("worker", "enterprise")
            .filter(ticket=ticket)
            .first()
        )
        if leave_request is None or not reminder_due(leave_request, kind, today=today):
            return False
        already = OutboxMessage.objects.filter(
            channel=Channel.EBOX, kind=kind, reference=ticket, version=1
        ).exists()
        if already:
            return False
        worker = leave_request.worker
        message_to_worker(
            worker=worker, kind=kind, reference=ticket, version=1, texts=lambda: _texts(leave_request, kind)
        )
        audit_log(
            action=AuditAction.REMINDER_SENT,
            acting=Acting.system(),
            subject_niss=worker.niss,
            object_type="leave_request",
            object_id=ticket,
            data={"reminder": kind, "start_date": leave_request.start_date.isoformat()},
        )
    return True


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    """The scheduled job: send every reminder due today. Returns how many this run sent.

    Safe to run at any time, as often as wanted, several at once: what was sent is not sent again.
    """
    today = today or timezone.localdate()
    sent = 0
    for leave_request, kind in reminders_due(today=today):
        try:
            if reminder_send(ticket=leave_request.ticket, kind=kind, today=today):
                sent += 1
        except Exception:
            # One request's trouble does not hold up the others; the next run tries it again.
            logger.exception("Reminder %s for request %s failed", kind, leave_request.ticket)
    return sent
