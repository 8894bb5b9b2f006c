"""Run the task worker: django-tasks-db's ``db_worker``, made to ride out the database going away.

``db_worker`` re-raises every database error but "database is locked", so a PostgreSQL restart or a
dropped connection ends the process and background work stops until someone starts it again. Here the
same worker catches a lost connection, closes it, waits (0.5 s, doubling up to 5 s) and carries on in
the same process. A task whose outcome could not be written because the database went away is put
back in the queue (READY) once the database answers again: our tasks only nudge rows and may run
twice (docs/adr/0002-task-backend.md).

Signals are db_worker's: the first SIGTERM or SIGINT lets the current task finish (a delivery batch
ends after the message in hand and hands the others back, see ``taskqueue.stopping``), then the worker
exits; a second one interrupts the task (a delivery then hands its messages back, see
mailbox.services.messages_deliver). Use this command wherever ``db_worker`` would be used; it takes the
same options.
"""

from __future__ import annotations

import logging
import os
import time
from types import FrameType
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from careerbreak.core.taskqueue import DATABASE_GONE, close_all_connections, stopping

logger = logging.getLogger("django_tasks_db.run_worker")


class ResilientWorker(Worker):
    """db_worker's Worker, which waits for the database instead of exiting when it is gone."""

    backoff_first = 0.5
    # Short: once the database is back, work resumes within this; a connection attempt costs little.
    backoff_max = 5.0

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The task taken from the queue whose outcome is not written yet.
        self._unrecorded: DBTaskResult | None = None
        self._worked_since_failure = False

    def run(self) -> None:
        delay = self.backoff_first
        while True:
            try:
                self._requeue_unrecorded()
                super().run()
                return
            except DATABASE_GONE as exc:
                if not self.running:
                    return
                if self._worked_since_failure:
                    delay = self.backoff_first
                self._worked_since_failure = False
                logger.warning("Database unavailable (%s); trying again in %.1f s.", str(exc).strip(), delay)
                close_all_connections()
                # A SIGTERM now stops the worker at once (no task is running).
                time.sleep(delay)
                delay = min(delay * 2, self.backoff_max)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        stopping.set()
        super().shutdown(signum, frame)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self._unrecorded = db_task_result
        # Records the outcome itself; raises only if that write failed (the database went away).
        super().run_task(db_task_result)
        self._unrecorded = None
        self._worked_since_failure = True

    def _requeue_unrecorded(self) -> None:
        if self._unrecorded is None:
            return
        requeued = DBTaskResult.objects.filter(pk=self._unrecorded.pk, status="RUNNING").update(
            status="READY", started_at=None
        )
        if requeued:
            logger.warning("Task id=%s was interrupted by the database; queued again.", self._unrecorded.pk)
        self._unrecorded = None


class Command(DbWorkerCommand):
    help = "Run the database task worker; it survives the database restarting (wraps db_worker)."

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
