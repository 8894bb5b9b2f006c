"""Re-queue the outbox messages that are due again or were abandoned by a dead worker.

Run it every few seconds as a long-running process with ``--loop 5`` (or from cron every minute). With
``--inline`` it delivers in this process instead of enqueueing tasks (no task worker needed: a small
installation, or the queue itself is the thing that is down).

In a loop the process outlives the database: a sweep that fails (PostgreSQL restarting, a dropped
connection) is logged, the connections are dropped, and the next sweep comes after a backoff (0.5 s,
doubling up to 5 s) instead of ending the process. Every ``--prune-every`` seconds the loop also runs
``prune_tasks`` (old finished task rows deleted, abandoned ones marked failed) and ``prune_api`` (the
API's expired tokens and jtis, old idempotency keys and events, finished batches' bodies).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from careerbreak.api.management.commands.prune_api import summary as prune_api_summary
from careerbreak.core.looping import stop_on_signals
from careerbreak.core.management.commands.prune_tasks import prune
from careerbreak.core.taskqueue import close_all_connections
from careerbreak.interruptions.pruning import api_prune
from careerbreak.mailbox.services import deliver_due, outbox_sweep

logger = logging.getLogger(__name__)

BACKOFF_FIRST = 0.5
BACKOFF_MAX = 5.0


class Command(BaseCommand):
    help = "Re-queue outbox messages that are due or stuck; --loop SECONDS to keep doing it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=float, metavar="SECONDS", help="sweep again every SECONDS, forever"
        )
        parser.add_argument("--limit", type=int, default=1000, help="at most this many messages per sweep")
        parser.add_argument("--inline", action="store_true", help="deliver here instead of enqueueing tasks")
        parser.add_argument(
            "--prune-every",
            type=float,
            default=3600,
            metavar="SECONDS",
            help="with --loop, prune the task rows this often (0: never; default %(default)s)",
        )

    def handle(
        self, *args: Any, loop: float | None, limit: int, inline: bool, prune_every: float, **options: Any
    ) -> None:
        if loop is not None and loop <= 0:
            raise CommandError("--loop needs a number of seconds above 0.")
        if loop is None:
            # Once (cron): a failure is the exit code, for whoever runs us to see.
            self.sweep(limit=limit, inline=inline)
            return
        with stop_on_signals() as stop:
            self.run_loop(stop, every=loop, limit=limit, inline=inline, prune_every=prune_every)

    def run_loop(
        self, stop: threading.Event, *, every: float, limit: int, inline: bool, prune_every: float
    ) -> None:
        delay = BACKOFF_FIRST
        next_prune = time.monotonic()
        while not stop.is_set():
            # A long-running process must not hold a connection the database dropped.
            close_old_connections()
            try:
                self.sweep(limit=limit, inline=inline)
                if prune_every > 0 and time.monotonic() >= next_prune:
                    failed, deleted = prune(
                        older_than_days=settings.TASKS_PRUNE_AFTER_DAYS,
                        running_longer_than=settings.TASKS_ABANDONED_AFTER_SECONDS,
                    )
                    self.stdout.write(f"Pruned tasks: {failed} abandoned marked failed, {deleted} deleted.")
                    self.stdout.write(prune_api_summary(api_prune(now=timezone.now())))
                    next_prune = time.monotonic() + prune_every
            except Exception:
                # The database restarting, most likely: stay up and try again a little later.
                logger.exception("Outbox sweep failed; next try in %.1f s.", delay)
                close_all_connections()
                stop.wait(delay)
                delay = min(delay * 2, BACKOFF_MAX)
                continue
            delay = BACKOFF_FIRST
            stop.wait(every)

    def sweep(self, *, limit: int, inline: bool) -> None:
        if inline:
            outcomes = deliver_due(limit)
            summary = (
                ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items())) or "nothing due"
            )
            self.stdout.write(f"Delivered inline: {summary}.")
        else:
            count = outbox_sweep(limit=limit)
            self.stdout.write(f"Re-queued {count} message(s).")
