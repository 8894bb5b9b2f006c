"""Re-queue the outbox messages that are due again or were abandoned by a dead worker.

Run it every minute or so (cron, a Kubernetes CronJob), or once as a long-running process with
``--loop 60``. With ``--inline`` it delivers in this process instead of enqueueing tasks (no task worker
needed: a small installation, or the queue itself is the thing that is down).
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from careerbreak.mailbox.services import deliver_due, outbox_sweep


class Command(BaseCommand):
    help = "Re-queue outbox messages that are due or stuck; --loop SECONDS to keep doing it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=float, metavar="SECONDS", help="sweep again every SECONDS, forever"
        )
        parser.add_argument("--limit", type=int, default=1000, help="at most this many messages per sweep")
        parser.add_argument("--inline", action="store_true", help="deliver here instead of enqueueing tasks")

    def handle(self, *args: Any, loop: float | None, limit: int, inline: bool, **options: Any) -> None:
        if loop is not None and loop <= 0:
            raise CommandError("--loop needs a number of seconds above 0.")
        stop = threading.Event()
        previous = {}
        if loop is not None and threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                previous[signum] = signal.signal(signum, lambda *_: stop.set())
        try:
            while True:
                self.sweep(limit=limit, inline=inline)
                if loop is None or stop.wait(loop):
                    return
                # A long-running process must not hold a connection the database dropped.
                close_old_connections()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

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
