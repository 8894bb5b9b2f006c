"""Health check of the outbox sweeper and the delivery workers: exit 1 when a message has been due for
longer than --max-late seconds without being taken.

    manage.py outbox_health --max-late 900

A message stays due that long only when neither the workers nor the sweeper (which re-queues what is
due and what a dead worker left) are doing their job. A message waiting for its next retry is not late.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from careerbreak.core.health_command import HealthCommand
from careerbreak.mailbox.models import OutboxMessage
from careerbreak.mailbox.selectors import due_for_delivery


class Command(HealthCommand):
    help = "Exit 1 when an outbox message has been due for longer than --max-late seconds."
    option = "--max-late"
    default_seconds = 900

    def late(self, seconds: int) -> str | None:
        late = OutboxMessage.objects.filter(
            due_for_delivery(timezone.now() - datetime.timedelta(seconds=seconds))
        ).count()
        if not late:
            return None
        return (
            f"{late} outbox message(s) due for more than {seconds} s: "
            "are the outbox sweeper and the task workers running?"
        )

    def healthy(self, seconds: int) -> str:
        return f"Outbox healthy: no message due for more than {seconds} s."
