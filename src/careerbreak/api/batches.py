"""``/batches``: up to 10,000 employer parts in one call, filed by the task workers.

Each item has the body of ``POST /requests`` and is checked on its own: an item the schema refuses is
refused with its problems at once, the others are filed by ``interruptions.tasks.process_batch``, each
independent of the others. With an ``Idempotency-Key``, the same batch sent twice is created once.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router
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
from careerbreak.interruptions.models import Batch, BatchItem

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


def batch_json(batch: Batch, *, items: list[BatchItem] | None = None) -> dict[str, Any]:
    counts = dict.fromkeys(BatchItem.State.values, 0)
    body: dict[str, Any] = {
        "id": str(batch.pk),
        "state": batch.state,
        "total": batch.total,
        "created_at": batch.created_at.isoformat(),
        "finished_at": batch.finished_at.isoformat() if batch.finished_at else None,
        "links": {"self": reverse("api:batch_detail", kwargs={"batch_id": str(batch.pk)})},
    }
    if items is not None:
        out = []
        for item in items:
            counts[item.state] += 1
            row: dict[str, Any] = {"index": item.index, "state": item.state}
            if item.request is not None:
                row["ticket"] = item.request.ticket
                row["links"] = {
                    "request": reverse("api:request_detail", kwargs={"ticket": item.request.slug})
                }
                row["warnings"] = item.warnings
            if item.problems:
                row["problems"] = item.problems
            out.append(row)
        body["progress"] = {**counts, "processed": counts["filed"] + counts["refused"]}
        body["items"] = out
    return body


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


@router.get("/{batch_id}", url_name="batch_detail", response={200: dict[str, Any]})
def batch_detail(request: HttpRequest, batch_id: str) -> HttpResponse:
    """The batch's progress and each item's ticket or problems; only the client's own batches."""
    caller = caller_of(request)
    caller.require(ApiScope.REQUESTS_READ)
    try:
        batch = selectors.batch_for_client(client_id=caller.client.pk, batch_id=batch_id)
    except NotFound:
        return not_found(_("No such batch for this client."))
    return json_response(batch_json(batch, items=selectors.batch_items(batch=batch)))
