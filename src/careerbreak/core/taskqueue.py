"""Housekeeping of the database task queue (django-tasks-db, docs/adr/0002-task-backend.md).

A task row is READY until a worker takes it, RUNNING while it runs, then SUCCESSFUL or FAILED. A worker
killed in the middle of a task (SIGKILL, the machine lost) leaves its row RUNNING for ever, and finished
rows pile up. These functions tell which tasks are still waiting, mark the abandoned ones failed, and
delete old finished rows. With another task backend (the immediate one of the tests) there is no row to
look after: they do nothing.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Iterable

from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import normalize_uuid

logger = logging.getLogger(__name__)

READY = "READY"
RUNNING = "RUNNING"
FAILED = "FAILED"
# What a lost connection looks like: the server went away, refused us, or the socket was closed.
DATABASE_GONE = (OperationalError, InterfaceError)
# What an abandoned task row records as its error: the worker that ran it is gone.
WORKER_LOST = "careerbreak.core.taskqueue.WorkerLost"

# Set once the worker of this process is asked to stop (the first SIGTERM, see manage.py run_worker): a
# task that does several things in one run (the mailbox's delivery batches) stops after the one in hand,
# so that the worker exits about as soon as with one thing a task.
stopping = threading.Event()


def _normalised(task_ids: Iterable[str]) -> list[str]:
    ids = []
    for task_id in task_ids:
        try:
            ids.append(normalize_uuid(task_id))
        except ValueError:
            continue  # not a row of the database queue (an id of another backend)
    return ids


def waiting_task_ids(backend: BaseTaskBackend, task_ids: Iterable[str]) -> set[str]:
    """Those of ``task_ids`` that a worker will still run or is running (READY or RUNNING)."""
    if not isinstance(backend, DatabaseBackend):
        return set()
    ids = _normalised(task_ids)
    if not ids:
        return set()
    return {
        normalize_uuid(task_id)
        for task_id in DBTaskResult.objects.filter(
            backend_name=backend.alias, id__in=ids, status__in=[READY, RUNNING]
        ).values_list("id", flat=True)
    }


def tasks_fail_abandoned(
    backend: BaseTaskBackend,
    *,
    started_before: datetime.datetime,
    task_ids: Iterable[str] | None = None,
    reason: str = "The worker running this task stopped before finishing it.",
) -> int:
    """Mark failed the RUNNING tasks that started before ``started_before`` (their worker was killed).

    ``task_ids`` narrows it to these tasks. Returns how many rows were marked. A worker that was only
    slow and finishes after all overwrites the row with its own outcome: nothing is lost either way.
    """
    if not isinstance(backend, DatabaseBackend):
        return 0
    rows = DBTaskResult.objects.filter(
        backend_name=backend.alias, status=RUNNING, started_at__lt=started_before
    )
    if task_ids is not None:
        ids = _normalised(task_ids)
        if not ids:
            return 0
        rows = rows.filter(id__in=ids)
    marked = rows.update(
        status=FAILED, finished_at=timezone.now(), exception_class_path=WORKER_LOST, traceback=reason
    )
    if marked:
        logger.warning("Marked %s abandoned task(s) failed: %s", marked, reason)
    return marked


def tasks_prune(backend: BaseTaskBackend, *, finished_before: datetime.datetime) -> int:
    """Delete the finished (successful or failed) task rows that finished before ``finished_before``."""
    if not isinstance(backend, DatabaseBackend):
        return 0
    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(backend_name=backend.alias, finished_at__lt=finished_before)
        .delete()
    )
    return deleted


def close_all_connections() -> None:
    """Drop every connection of this thread, even a broken one, so that the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        # Closing a connection the server already dropped can fail; Django forgets it either way.
        with contextlib.suppress(*DATABASE_GONE):
            connection.close()
