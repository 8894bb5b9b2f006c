"""Delete old finished task rows, and mark failed the ones a killed worker left RUNNING.

Every task leaves a row in the database queue (django-tasks-db); nothing deletes them. Run this daily
(cron), or let ``sweep_outbox --loop`` run it every hour. A delivery task left RUNNING is recovered
much sooner by the outbox sweeper, from its message's lease.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from careerbreak.core.taskqueue import tasks_fail_abandoned, tasks_prune


def prune(*, older_than_days: float, running_longer_than: float) -> tuple[int, int]:
    """(rows marked failed, rows deleted)."""
    now = timezone.now()
    # The backend itself, not the default_task_backend proxy: the housekeeping checks its class.
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    failed = tasks_fail_abandoned(
        backend,
        started_before=now - datetime.timedelta(seconds=running_longer_than),
        reason=f"Still RUNNING after {running_longer_than:.0f} s: the worker was killed.",
    )
    deleted = tasks_prune(backend, finished_before=now - datetime.timedelta(days=older_than_days))
    return failed, deleted


class Command(BaseCommand):
    help = "Delete finished task rows older than N days; mark failed those left RUNNING by a dead worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=float,
            default=settings.TASKS_PRUNE_AFTER_DAYS,
            help="delete finished task rows older than this (default: TASKS_PRUNE_AFTER_DAYS, %(default)s)",
        )
        parser.add_argument(
            "--running-longer-than",
            type=float,
            metavar="SECONDS",
            default=settings.TASKS_ABANDONED_AFTER_SECONDS,
            help="mark failed the rows RUNNING for longer than this (default: %(default)s)",
        )

    def handle(self, *args: Any, older_than_days: float, running_longer_than: float, **options: Any) -> None:
        if older_than_days < 0 or running_longer_than <= 0:
            raise CommandError("--older-than-days must be 0 or more, --running-longer-than above 0.")
        failed, deleted = prune(older_than_days=older_than_days, running_longer_than=running_longer_than)
        self.stdout.write(f"Marked {failed} abandoned task(s) failed; deleted {deleted} finished task(s).")
