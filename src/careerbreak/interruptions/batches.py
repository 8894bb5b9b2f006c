"""Batches of employer parts sent through the API (``POST /batches``), filed by the task workers.

``batch_create`` keeps the items as sent and nudges the task after commit; ``batch_process`` (the task's
body) files each pending item with ``filing.request_file``, in its own transaction with the item's
result, so that a refused item does not sink the others and running the task twice files nothing twice.
An item that is not even a well-formed request body is refused at once with the problems the
interface's schema found; the others are kept in the shape of ``filing.FilingInput.from_json``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from careerbreak.identity.api_acting import acting_for_client
from careerbreak.identity.models import ApiClient
from careerbreak.interruptions.filing import FilingInput, FilingRefused, Problem, request_file
from careerbreak.interruptions.models import Batch, BatchItem
from careerbreak.registries.identifiers import normalize_enterprise_number

BATCH_MAX_ITEMS = 10_000
# Items taken per query while processing: small enough that a second worker finds the rest.
CHUNK = 200

# An item as the interface checked it: its normalised body, or the problems of its shape.
BatchEntry = Mapping[str, Any] | list[Problem]


def batch_create(
    *, client: ApiClient, items: Sequence[BatchEntry], ip_address: str | None, language: str
) -> Batch:
    """A batch of ``items`` (at most BATCH_MAX_ITEMS) for ``client``, processed by the task after commit.

    Raises ValueError for more items than allowed (the interface checks it first). Writes the batch and
    its items; enqueues ``interruptions.tasks.process_batch``.
    """
    if len(items) > BATCH_MAX_ITEMS:
        raise ValueError("too many items")
    from careerbreak.interruptions.tasks import process_batch

    with transaction.atomic():
        batch = Batch.objects.create(
            client=client, total=len(items), ip_address=ip_address, language=language
        )
        BatchItem.objects.bulk_create(
            [_item(batch, index, entry) for index, entry in enumerate(items)],
            batch_size=1000,
        )
        transaction.on_commit(lambda: process_batch.enqueue(str(batch.pk)))
    return batch


def _item(batch: Batch, index: int, entry: BatchEntry) -> BatchItem:
    if isinstance(entry, list):
        return BatchItem(
            batch=batch,
            index=index,
            payload={},
            state=BatchItem.State.REFUSED,
            problems=[problem.as_json() for problem in entry],
            processed_at=timezone.now(),
        )
    return BatchItem(batch=batch, index=index, payload=dict(entry))


def _process_item(batch: Batch, item_id: int) -> None:
    with transaction.atomic():
        item = BatchItem.objects.select_for_update().filter(pk=item_id, state=BatchItem.State.PENDING).first()
        if item is None:  # done by another run of the task
            return
        filed = None
        problems: list[Problem]
        enterprise_number, data, certified = FilingInput.from_json(item.payload)
        try:
            number = normalize_enterprise_number(enterprise_number)
        except ValidationError:
            number = ""
        acting = (
            acting_for_client(client=batch.client, enterprise_number=number, ip_address=batch.ip_address)
            if number
            else None
        )
        if acting is None:
            problems = [
                Problem(
                    code="forbidden_enterprise",
                    field="enterprise",
                    message=gettext("This client may not act for this enterprise today."),
                )
            ]
        else:
            try:
                with transaction.atomic():
                    filed = request_file(acting=acting, data=data, certified=certified)
                problems = []
            except FilingRefused as refused:
                problems = refused.problems
        item.processed_at = timezone.now()
        if filed is not None:
            item.state = BatchItem.State.FILED
            item.request = filed.request
            item.warnings = [
                {
                    "code": f.code,
                    "field": f"leave.{f.field}",
                    "message": f.message,
                    "legal_reference": f.reference,
                }
                for f in filed.warnings
            ]
        else:
            item.state = BatchItem.State.REFUSED
            item.problems = [problem.as_json() for problem in problems]
        item.save(update_fields=["state", "request", "warnings", "problems", "processed_at"])


def batch_process(*, batch_id: str) -> int:
    """File the batch's pending items, in order; returns how many this run handled.

    Safe to run twice or in two workers at once: an item is locked and re-read before it is filed, and
    its result is written in the same transaction as its request. Marks the batch done when no item is
    pending. Each item audits as ``request_confirm`` does, with the API client.
    """
    batch = (
        Batch.objects.select_related("client__enterprise", "client__registered_by")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None:
        return 0
    Batch.objects.filter(pk=batch.pk, state=Batch.State.PENDING).update(state=Batch.State.PROCESSING)
    handled = 0
    with translation.override(batch.language or None):
        while True:
            ids = list(
                BatchItem.objects.filter(batch=batch, state=BatchItem.State.PENDING)
                .order_by("index")
                .values_list("pk", flat=True)[:CHUNK]
            )
            if not ids:
                break
            for item_id in ids:
                _process_item(batch, item_id)
                handled += 1
    Batch.objects.filter(pk=batch.pk).exclude(state=Batch.State.DONE).update(
        state=Batch.State.DONE, finished_at=timezone.now()
    )
    return handled
