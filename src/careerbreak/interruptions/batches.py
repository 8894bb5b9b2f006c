"""Batches of employer parts sent through the API (``POST /batches``), filed by the task workers.

``batch_create`` keeps the items as sent and, after commit, enqueues the task once per CHUNK items (at
most PARALLEL_TASKS times), so that every task worker files part of a large batch; ``batch_process``
(the task's body) claims the next pending item (``FOR UPDATE SKIP LOCKED``: two runs never take the same
item, nor wait for each other) and files it with ``filing.request_file``, in one transaction with the
item's result, so that a refused item does not sink the others and running the task twice files nothing
twice. A run files at most RUN_ITEMS items, then queues its continuation and hands its worker back, so
that tasks queued meanwhile (a web user's PDF) do not wait for the whole batch; the PDFs' and
deliveries' tasks of the items it filed are queued at FOLLOW_UP_PRIORITY, below every other task: the
workers take them once the batch is filed (ADR 0037).
An item that is not even a well-formed request body is refused at once with the problems the
interface's schema found; the others are kept in the shape of ``filing.FilingInput.from_json``.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from careerbreak.core.sqlrows import Columns, columns, fetch, instance, select_list, table
from careerbreak.core.tasks import tasks_gathered
from careerbreak.identity.access import organisation_access_through, organisation_mandate
from careerbreak.identity.acting import Acting
from careerbreak.identity.api_acting import acting_of_client
from careerbreak.identity.models import ApiClient, Mandate
from careerbreak.identity.webhooks import webhook_endpoints_kept
from careerbreak.interruptions.filing import FilingInput, FilingRefused, Problem, request_file
from careerbreak.interruptions.models import Batch, BatchItem
from careerbreak.registries.identifiers import normalize_enterprise_number

BATCH_MAX_ITEMS = 10_000
# One run of the task is enqueued per CHUNK items, at most PARALLEL_TASKS runs: each run files items until
# none is pending, so the runs share the batch whatever the number of task workers (ADR 0024). A run that
# finds nothing left ends at once.
CHUNK = 200
PARALLEL_TASKS = 4
# Items a run files before it queues its continuation (behind the tasks queued meanwhile at the default
# priority) and ends: a web user's PDF waits for a run's slice at most, not for the batch (ADR 0037).
RUN_ITEMS = 200
# The priority of the tasks a run's items queue (their PDFs, deliveries and webhooks' messages): below
# the default (0) of every other task, the batch's runs included, so that the task workers file the
# batch first ("PDFs and deliveries after", issue 14) without keeping anyone else's tasks waiting.
FOLLOW_UP_PRIORITY = -10

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
        runs = max(1, min(PARALLEL_TASKS, -(-len(items) // CHUNK)))

        def enqueue() -> None:
            for _run in range(runs):
                process_batch.enqueue(str(batch.pk))

        transaction.on_commit(enqueue)
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


def _next_item(batch: Batch) -> BatchItem | None:
    """The first pending item no other run holds, locked until the end of the transaction."""
    if not connection.features.has_select_for_update_skip_locked:  # SQLite: one run at a time anyway
        return BatchItem.objects.filter(batch=batch, state=BatchItem.State.PENDING).order_by("index").first()
    # The ORM's query, written once rather than compiled again for each item (ADR 0037).
    sql, parts = _next_item_sql()
    rows = fetch(BatchItem, sql, [batch.pk, BatchItem.State.PENDING], parts)
    return instance(BatchItem, "i", parts, rows[0][0]) if rows else None


@functools.cache
def _next_item_sql() -> tuple[str, Columns]:
    parts = columns(BatchItem, "i")
    sql = (
        f"SELECT {select_list(parts)} FROM {table(BatchItem)} i "  # noqa: S608
        'WHERE i."batch_id" = %s AND i."state" = %s ORDER BY i."index" LIMIT 1 FOR UPDATE SKIP LOCKED'
    )
    return sql, parts


class _RunReads:
    """What a run reads once for all its items (at most RUN_ITEMS, a few seconds) rather than once per
    item: the client as the run found it (as before), and the mandate each employer gave the client's
    enterprise, valid on the day (read again when the day changes: a mandate that ends at midnight stops
    the items filed after it). A mandate ended or removed by a write during the run stops the items of
    the next run, at most RUN_ITEMS later (ADR 0037)."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self.mandates: dict[tuple[str, datetime.date], Mandate | None] = {}

    def acting(self, enterprise_number: str) -> Acting | None:
        """The acting context of the batch's client for ``enterprise_number`` today, or None
        (``acting_for_client``'s answer, its mandate read once per run and day)."""
        client = self.batch.client
        organisation = client.enterprise
        mandate = None
        if enterprise_number != organisation.number:
            key = (enterprise_number, timezone.localdate())
            if key not in self.mandates:
                self.mandates[key] = organisation_mandate(
                    organisation=organisation, enterprise_number=enterprise_number, on=key[1]
                )
            mandate = self.mandates[key]
        access = organisation_access_through(
            organisation=organisation, enterprise_number=enterprise_number, mandate=mandate
        )
        return acting_of_client(client=client, access=access, ip_address=self.batch.ip_address)


def _process_next_item(batch: Batch, reads: _RunReads) -> bool:
    """File (or refuse) the next pending item in one transaction with its result; False when none is left."""
    with transaction.atomic():
        item = _next_item(batch)
        if item is None:  # all done, or held by another run
            return False
        filed = None
        problems: list[Problem]
        enterprise_number, data, certified = FilingInput.from_json(item.payload)
        try:
            number = normalize_enterprise_number(enterprise_number)
        except ValidationError:
            number = ""
        acting = reads.acting(number) if number else None
        if acting is None:
            problems = [
                Problem(
                    code="forbidden_enterprise",
                    field="enterprise",
                    message=gettext("This client may not act for this enterprise today."),
                )
            ]
        else:
            try:  # request_file writes in its own savepoint: a refusal leaves only the look-up's audit
                filed = request_file(acting=acting, data=data, certified=certified)
                problems = []
            except FilingRefused as refused:
                problems = refused.problems
        item.processed_at = timezone.now()
        if filed is not None:
            item.state = BatchItem.State.FILED
            item.request = filed.request
            item.warnings = [warning.as_warning_json() for warning in filed.warnings]
        else:
            item.state = BatchItem.State.REFUSED
            item.problems = [problem.as_json() for problem in problems]
        item.save(update_fields=["state", "request", "warnings", "problems", "processed_at"])
    return True


def batch_process(*, batch_id: str) -> int:
    """File the batch's pending items, in order, until none is left or RUN_ITEMS are handled (then the
    task is queued again for the rest); returns how many this run handled.

    Safe to run twice or in several workers at once: each run claims the next item no other run holds
    (skipping locked ones), and an item's result is written in the same transaction as its request. The
    run that finds no item pending marks the batch done. Each item audits as ``request_confirm`` does,
    with the API client. The items' PDFs and deliveries are queued at FOLLOW_UP_PRIORITY.
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
    sliced = False
    # The PDFs' and deliveries' tasks of the items filed, queued by groups of items rather than two per item
    # (what is left when the run ends, at its end), below every other task.
    # Each employer's mandate and webhooks read once per run and day, not once per item.
    reads = _RunReads(batch)
    with (
        translation.override(batch.language or None),
        tasks_gathered(priority=FOLLOW_UP_PRIORITY),
        webhook_endpoints_kept(),
    ):
        while not (sliced := handled >= RUN_ITEMS) and _process_next_item(batch, reads):
            handled += 1
    if BatchItem.objects.filter(batch=batch, state=BatchItem.State.PENDING).exists():
        if sliced:  # the rest after the tasks queued meanwhile (at the default priority, not the block's)
            from careerbreak.interruptions.tasks import process_batch

            process_batch.enqueue(str(batch.pk))
        return handled  # otherwise items another run holds: that run marks the batch done
    Batch.objects.filter(pk=batch.pk).exclude(state=Batch.State.DONE).update(
        state=Batch.State.DONE, finished_at=timezone.now()
    )
    return handled
