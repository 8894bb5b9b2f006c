"""``/batches``: up to 10,000 employer parts in one call, filed by the task workers.

Each item has the body of ``POST /requests`` and is checked on its own: an item the schema refuses is
refused with its problems at once, the others are filed by ``interruptions.tasks.process_batch``, each
independent of the others. With an ``Idempotency-Key``, the same batch sent twice is created once.

``GET /batches/{id}`` is cheap to poll: the progress is counted in SQL and the items come a page at a
time (``after`` the last index read, ``limit`` of them; ``limit=0`` for the progress alone), with
``links.next`` while more follow (docs/api.md, ADR 0033).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ValidationError

from careerbreak.api.following import caller_of
from careerbreak.api.idempotency import idempotent
from careerbreak.api.problems import not_found, problem
from careerbreak.api.requests import json_response
from careerbreak.api.schemas import BatchIn, RequestIn
from careerbreak.core.errors import NotFound
from careerbreak.identity.models import ApiScope
from careerbreak.interruptions import batches, selectors
from careerbreak.interruptions.filing import Problem
from careerbreak.interruptions.models import Batch, LeaveRequest

router = Router(tags=["batches"])


def _entry(item: dict[str, Any]) -> dict[str, Any] | list[Problem]:
    try:
        return RequestIn.model_validate(item).model_dump()
    except ValidationError as error:
        return [
            Problem(
                code=str(detail["type"]),
                field=".".join(str(part) for part in detail["loc"]),
                message=str(detail["msg"]),
            )
            for detail in error.errors()
        ]


# Items per page of GET /batches/{id}: by default, and at most (a page of 1,000 is about 100 kB).
ITEMS_PAGE = 100
ITEMS_PAGE_MAX = 1000
# The largest index an item's column holds (a PostgreSQL integer): a larger cursor is no item, not an
# overflow.
MAX_INDEX = 2**31 - 1


class BatchItemsQuery(Schema):
    after: int | None = Field(
        None, ge=0, le=MAX_INDEX, description="The items after this index (from the first if absent)."
    )
    limit: int = Field(
        ITEMS_PAGE, ge=0, le=ITEMS_PAGE_MAX, description="How many items at most; 0 for the progress alone."
    )


class BatchProgress(Schema):
    pending: int
    filed: int
    refused: int
    processed: int


class BatchItemOut(Schema):
    index: int
    state: str
    # A filed item: its request's ticket, its link and the rules' warnings.
    ticket: str | None = None
    links: dict[str, str] | None = None
    warnings: list[dict[str, Any]] | None = None
    # A refused item: each finding (code, field, message, legal reference).
    problems: list[dict[str, Any]] | None = None


class BatchLinks(Schema):
    self: str
    # The next page of items, while more follow.
    next: str | None = None


class BatchOut(Schema):
    id: str
    state: str
    total: int
    created_at: str
    finished_at: str | None
    progress: BatchProgress
    # A page of the items in the order of their index; absent with ``limit=0``.
    items: list[BatchItemOut] | None = None
    links: BatchLinks


def batch_json(batch: Batch) -> dict[str, Any]:
    """The batch without its items (the answer of ``POST /batches``)."""
    return {
        "id": str(batch.pk),
        "state": batch.state,
        "total": batch.total,
        "created_at": batch.created_at.isoformat(),
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
        "links": {"self": reverse("api:batch_detail", kwargs={"batch_id": str(batch.pk)})},
    }


def item_json(item: selectors.BatchItemRow, request_link: str) -> dict[str, Any]:
    """An item of a page; ``request_link`` is the address of a request with ``{ticket}`` for its ticket
    (made once a page: ``reverse`` for each of 1,000 items was a third of the page's time)."""
    row: dict[str, Any] = {"index": item.index, "state": item.state}
    if item.ticket is not None:
        row["ticket"] = item.ticket
        row["links"] = {"request": request_link.replace("{ticket}", LeaveRequest.slug_of(item.ticket))}
        row["warnings"] = item.warnings
    if item.problems:
        row["problems"] = item.problems
    return row


@router.post("", url_name="batches", response={202: dict[str, Any]})
@idempotent
def create_batch(request: HttpRequest, body: BatchIn) -> HttpResponse:
    """Accept the batch (202) and have it filed in the background; follow it at ``Location``."""
    caller = caller_of(request)
    caller.require(ApiScope.REQUESTS_WRITE)
    if len(body.items) > batches.BATCH_MAX_ITEMS:  # pragma: no cover - the schema refuses it first
        return problem(status=422, type_="invalid-request", title=_("The request was refused"))
    batch = batches.batch_create(
        client=caller.client,
        items=[_entry(item) for item in body.items],
        ip_address=caller.ip_address,
        language=translation.get_language() or "",
    )
    answer = batch_json(batch)
    return json_response(answer, status=202, headers={"Location": answer["links"]["self"]})


@router.get("/{batch_id}", url_name="batch_detail", response={200: BatchOut})
def batch_detail(request: HttpRequest, batch_id: str, page: Query[BatchItemsQuery]) -> HttpResponse:
    """The batch's progress and a page of its items (each one's ticket or problems), in the order of
    their index: ``after`` the last index read, ``limit`` of them (0: the progress alone); follow
    ``links.next`` while there is one. Only the client's own batches."""
    caller = caller_of(request)
    caller.require(ApiScope.REQUESTS_READ)
    try:
        batch = selectors.batch_for_client(client_id=caller.client.pk, batch_id=batch_id)
    except NotFound:
        return not_found(_("No such batch for this client."))
    # The batch, then the counts, then the items: states only move forward (an item pending to filed or
    # refused, the batch to done once none is pending), so each read is at least as far as the one before.
    body = batch_json(batch)
    counts = selectors.batch_progress(batch=batch)
    body["progress"] = {**counts, "processed": counts["filed"] + counts["refused"]}
    if page.limit:
        items, more = selectors.batch_items_page(batch=batch, after=page.after, limit=page.limit)
        link = reverse("api:request_detail", kwargs={"ticket": "TICKET"}).replace("TICKET", "{ticket}")
        body["items"] = [item_json(item, link) for item in items]
        if more:
            query = request.GET.copy()
            query["after"] = str(items[-1].index)
            body["links"]["next"] = f"{request.path}?{query.urlencode()}"
    return json_response(body)
