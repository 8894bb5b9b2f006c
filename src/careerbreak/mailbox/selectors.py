"""Reads of the mailbox. The eBox selectors return only the recipient's own messages."""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careerbreak.core.errors import NotFound
from careerbreak.mailbox.models import EboxMessage, OutboxMessage, OutboxStatus
from careerbreak.mailbox.transports import Attachment


def ebox_messages_for(niss: str) -> QuerySet[EboxMessage]:
    """The messages in this person's eBox, newest first (attachment bytes not loaded)."""
    if not niss:
        return EboxMessage.objects.none()
    return EboxMessage.objects.filter(recipient_niss=niss).defer("attachment_data").order_by("-created_at")


def ebox_unread_count(niss: str) -> int:
    return ebox_messages_for(niss).filter(read_at__isnull=True).count()


def ebox_message_for(niss: str, message_id: uuid.UUID | str) -> EboxMessage:
    """One message of this person's eBox. ``NotFound`` if there is none with that id for them."""
    try:
        key = uuid.UUID(str(message_id))
    except ValueError:
        key = None
    message = ebox_messages_for(niss).filter(pk=key).first() if key else None
    if message is None:
        raise NotFound(_("This message is not in your eBox."))
    return message


def ebox_attachment_for(niss: str, message_id: uuid.UUID | str) -> Attachment:
    """The document attached to one message of this person's eBox. ``NotFound`` otherwise."""
    message = ebox_message_for(niss, message_id)
    if not message.attachment_name:
        raise NotFound(_("This message has no attached document."))
    data = EboxMessage.objects.values_list("attachment_data", flat=True).get(pk=message.pk)
    return Attachment(
        filename=message.attachment_name,
        content=bytes(data),
        content_type=message.attachment_content_type or "application/octet-stream",
    )


def outbox_messages_for(*, reference: str) -> QuerySet[OutboxMessage]:
    """The deliveries of one thing (e.g. a request's ticket), to show whether and when it arrived."""
    return OutboxMessage.objects.filter(reference=reference).order_by("version", "created_at")


def due_for_delivery(now: datetime.datetime) -> Q:
    """Pending and due, or being sent by a worker whose lease ran out (presumed dead)."""
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, leased_until__lt=now
    )


def outbox_due_tasks(*, limit: int, now: datetime.datetime | None = None) -> list[tuple[uuid.UUID, str]]:
    """The same messages as ``outbox_due_ids``, each with the id of the delivery task queued for it last."""
    return list(
        OutboxMessage.objects.filter(due_for_delivery(now or timezone.now()))
        .order_by("next_attempt_at")
        .values_list("id", "task_id")[:limit]
    )


def outbox_due_ids(*, limit: int, now: datetime.datetime | None = None) -> list[uuid.UUID]:
    """Messages to (re)send now: pending and due, or sending with a lease that ran out (dead worker)."""
    return list(
        OutboxMessage.objects.filter(due_for_delivery(now or timezone.now()))
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
