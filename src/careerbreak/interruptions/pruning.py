"""Deleting what the API's followers no longer need (``manage.py prune_api``, run hourly by the outbox
sweeper): events of the feed older than ``API_EVENTS_KEEP_DAYS`` (a client reads the feed within that
time, docs/api.md), and the bodies of the items of batches finished more than
``API_BATCH_PAYLOADS_KEEP_DAYS`` ago.

A batch item's body is what the client sent (worker's and child's national numbers, dates): once the
batch is finished nothing reads it (the batch resource shows each item's state, ticket, warnings and
problems, which stay); it is the bulk of a batch's size and personal data, so it is emptied, not kept.
The batch and its items stay, so that ``GET /batches/{id}`` answers as before.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.identity.api_pruning import api_rows_prune
from careerbreak.interruptions.models import Batch, BatchItem, RequestEvent


def events_prune(*, before: datetime.datetime) -> int:
    """Delete the events that occurred before ``before``; how many. A webhook delivery already queued
    keeps its own copy of the event (its outbox row), so it is not affected."""
    return RequestEvent.objects.filter(occurred_at__lt=before).delete()[0]


def batch_payloads_prune(*, finished_before: datetime.datetime) -> int:
    """Empty the bodies of the items of batches finished before ``finished_before``; how many items."""
    finished = Batch.objects.filter(finished_at__lt=finished_before).values("pk")
    return BatchItem.objects.filter(batch__in=finished).exclude(payload={}).update(payload={})


def api_prune(*, now: datetime.datetime) -> dict[str, int]:
    """Everything ``manage.py prune_api`` deletes, as of ``now``, in one transaction with its audit row
    (a system action: no person, no enterprise; the counts in its data). The count of each kind."""
    with transaction.atomic():
        counts = api_rows_prune(now=now)
        counts["events"] = events_prune(before=now - datetime.timedelta(days=settings.API_EVENTS_KEEP_DAYS))
        counts["batch_payloads"] = batch_payloads_prune(
            finished_before=now - datetime.timedelta(days=settings.API_BATCH_PAYLOADS_KEEP_DAYS)
        )
        audit_log(action=AuditAction.API_PRUNED, actor_niss="", object_type="api", data=counts)
    return counts
