"""``GET /events``: what happened to the requests and notices of the enterprises a client acts for,
oldest first, from the event after ``after`` (docs/api.md). Scope ``requests:read``."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from careerbreak.api.following import (
    MAX_ID,
    MAX_PAGE,
    caller_of,
    filter_enterprise,
    missing_scope,
    private_no_store,
)
from careerbreak.identity.models import ApiScope
from careerbreak.interruptions.events import event_payload, events_for

router = Router(tags=["events"])
router.add_decorator(private_no_store, mode="view")


class EventOut(Schema):
    id: int
    type: str
    occurred_at: datetime.datetime
    enterprise: str
    ticket: str | None
    notice: int | None
    data: dict[str, Any]


class EventPage(Schema):
    items: list[EventOut]
    # Where to ask next: the same query from the last event given (or from ``after`` if none yet).
    next: str


class EventFilters(Schema):
    after: int = Field(0, ge=0, le=MAX_ID)
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    enterprise: str = ""


@router.get("", response=EventPage, url_name="events")
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> EventPage | HttpResponse:
    """The events after ``after``, oldest first; poll ``next`` for more."""
    caller = caller_of(request)
    if denied := missing_scope(caller, ApiScope.REQUESTS_READ):
        return denied
    enterprise = filter_enterprise(caller, filters.enterprise)
    if isinstance(enterprise, HttpResponse):
        return enterprise
    events = events_for(
        organisation=caller.client.enterprise,
        after=filters.after,
        limit=filters.limit,
        enterprise=enterprise,
    )
    query = request.GET.copy()
    query["after"] = str(events[-1].pk if events else filters.after)
    return EventPage(
        items=[EventOut(**event_payload(event)) for event in events],
        next=f"{request.path}?{query.urlencode()}",
    )
