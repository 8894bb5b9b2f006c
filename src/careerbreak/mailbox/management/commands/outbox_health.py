"""Health check of the outbox sweeper and the delivery workers: exit 1 when a message has been due for
longer than --max-late seconds without being taken.

    manage.py outbox_health --max-late 900

A message stays due that long only when neither the workers nor the sweeper (which re-queues what is
due and what a dead worker left) are doing their job. A message waiting for its next retry is not late.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from careerbreak.mailbox.models import OutboxMessage
from careerbreak.mailbox.selectors import due_for_delivery


class Command(BaseCommand):
    help = "Exit 1 when an outbox message has been due for longer than --max-late seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-late", type=int, default=900, metavar="SECONDS", help="default 900")

    def handle(self, *args: Any, max_late: int, **options: Any) -> None:
        if max_late <= 0:
            raise CommandError("--max-late needs a number of seconds above 0.")
        late = OutboxMessage.objects.filter(
            due_for_delivery(timezone.now() - datetime.timedelta(seconds=max_late))
        ).count()
        if late:
            raise CommandError(
                f"{late} outbox message(s) due for more than {max_late} s: "
                "are the outbox sweeper and the task workers running?"
            )
        self.stdout.write(f"Outbox healthy: no message due for more than {max_late} s.")
