"""What happened to an enterprise's requests and notices, for the API clients that follow them: one
``RequestEvent`` row per event, written in the transaction of the change (ADR 0021), read as a feed
(``GET /events``) and posted to the clients' webhooks through the outbox.

``record_event`` is called by ``transitions.transition`` (every status change: filed, worker part done,
information requested, decided, cancelled; a notice received or answered) and by the modification of a
request (a new version, no status change). An event carries the enterprise, the ticket or the notice,
its type and the new status: never an amount nor a person's data; the client reads the request for them.

Who receives an event: API clients of the enterprise itself, and of the social secretariats holding its
mandate on the event's day. The feed shows an event to a client as long as that still holds today
(``identity.access.organisation_scope``): a mandate that ends stops the feed for that employer.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from careerbreak.identity.access import organisation_scope
from careerbreak.identity.webhooks import webhook_endpoints_for
from careerbreak.interruptions.models import LeaveRequest, RequestEvent, WorkerNotice
from careerbreak.interruptions.states import NoticeStatus, Status
from careerbreak.mailbox.models import Channel
from careerbreak.mailbox.services import message_enqueue
from careerbreak.registries.models import Enterprise


class EventType(models.TextChoices):
    REQUEST_FILED = "request.filed"
    REQUEST_MODIFIED = "request.modified"
    REQUEST_CANCELLED = "request.cancelled"
    WORKER_PART_COMPLETED = "request.worker_part_completed"
    INFORMATION_REQUESTED = "request.information_requested"
    REQUEST_DECIDED = "request.decided"
    NOTICE_RECEIVED = "notice.received"
    NOTICE_ANSWERED = "notice.answered"


# The status changes an API client hears of; the others (the office starting or resuming its review)
# are the office's own business.
REQUEST_EVENTS: dict[str, EventType] = {
    Status.AWAITING_WORKER: EventType.REQUEST_FILED,
    Status.COMPLETE: EventType.WORKER_PART_COMPLETED,
    Status.INFORMATION_REQUESTED: EventType.INFORMATION_REQUESTED,
    Status.APPROVED: EventType.REQUEST_DECIDED,
    Status.REFUSED: EventType.REQUEST_DECIDED,
    Status.CANCELLED: EventType.REQUEST_CANCELLED,
}
NOTICE_EVENTS: dict[str, EventType] = {
    NoticeStatus.SENT: EventType.NOTICE_RECEIVED,
    NoticeStatus.ACCEPTED: EventType.NOTICE_ANSWERED,
    NoticeStatus.REFUSED: EventType.NOTICE_ANSWERED,
    NoticeStatus.POSTPONEMENT_PROPOSED: EventType.NOTICE_ANSWERED,
}


def record_status_event(aggregate: LeaveRequest | WorkerNotice) -> RequestEvent | None:
    """The event of the status change ``transition()`` just wrote, if API clients hear of it."""
    if isinstance(aggregate, LeaveRequest):
        request_type = REQUEST_EVENTS.get(str(aggregate.status))
        if request_type is None:
            return None
        data: dict[str, Any] = {"status": str(aggregate.status), "version": aggregate.version}
        if aggregate.extends_id is not None:
            # An extension names the request it extends (read only for an extension).
            data["extends"] = aggregate.extends.ticket  # type: ignore[union-attr]
        return record_event(
            enterprise=aggregate.enterprise, type_=request_type, ticket=aggregate.ticket, data=data
        )
    return record_event(
        enterprise=aggregate.enterprise,
        type_=NOTICE_EVENTS[str(aggregate.status)],
        notice=aggregate,
        data={"status": str(aggregate.status)},
    )


def record_event(
    *,
    enterprise: Enterprise,
    type_: EventType,
    ticket: str = "",
    notice: WorkerNotice | None = None,
    data: dict[str, Any] | None = None,
) -> RequestEvent:
    """Record one event and queue its delivery to every webhook that should receive it.

    Preconditions: inside the transaction of the change (``message_enqueue`` refuses otherwise), so an
    event exists exactly when its change does. Side effects: the event row; one outbox row (channel
    ``webhook``) per live webhook of the enterprise's API clients and of the secretariats holding its
    mandate today, each posted after the commit.
    """
    now = timezone.now()
    event = RequestEvent.objects.create(
        enterprise=enterprise,
        type=type_,
        ticket=ticket,
        notice=notice,
        data=data or {},
        occurred_at=now,
        occurred_on=timezone.localdate(now),
    )
    body = json.dumps(event_payload(event), ensure_ascii=False, sort_keys=True)
    for endpoint in webhook_endpoints_for(enterprise=enterprise, on=event.occurred_on):
        message_enqueue(
            channel=Channel.WEBHOOK,
            recipient_niss="",
            endpoint=endpoint,
            kind="event",
            reference=f"event-{event.pk}",
            version=1,
            subjects={"en": str(type_)},
            bodies={"en": body},
            language="en",
        )
    return event


def event_payload(event: RequestEvent) -> dict[str, Any]:
    """An event as the feed answers it and a webhook receives it (docs/api.md)."""
    return {
        "id": event.pk,
        "type": event.type,
        # As the API writes every time (``…Z``).
        "occurred_at": DjangoJSONEncoder().default(event.occurred_at),
        "enterprise": event.enterprise.number,
        "ticket": event.ticket or None,
        "notice": event.notice_id,
        "data": event.data,
    }


def events_for(
    *,
    organisation: Enterprise,
    after: int = 0,
    limit: int = 100,
    enterprise: Enterprise | None = None,
    now: datetime.datetime | None = None,
) -> list[RequestEvent]:
    """The events an API client of ``organisation`` may read, oldest first, after the event ``after``.

    Only the events older than ``EVENTS_SETTLE_SECONDS``: ids are handed out when a transaction
    writes, not when it commits, so a later id can be visible before an earlier one; the settling time
    gives the earlier transaction time to commit, so that a reader's ``after`` never skips it (ADR 0021).
    """
    moment = (now or timezone.now()) - datetime.timedelta(seconds=settings.EVENTS_SETTLE_SECONDS)
    rows = RequestEvent.objects.filter(
        organisation_scope(
            organisation=organisation, enterprise_field="enterprise", since_field="occurred_on"
        ),
        pk__gt=after,
        occurred_at__lte=moment,
    )
    if enterprise is not None:
        rows = rows.filter(enterprise=enterprise)
    return list(rows.select_related("enterprise").order_by("pk")[:limit])
