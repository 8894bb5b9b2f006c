"""Health check of the task workers: exit 1 when a due task has waited too long in the database queue.

    manage.py queue_health --max-wait 300

The workers have no HTTP port; a process manager or a monitoring probe runs this instead. A due task
(ready, and its run_after passed) waiting longer than --max-wait seconds means no worker is taking work:
all of them stopped, stuck, or too few for the load.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone

from careerbreak.core.health_command import HealthCommand


class Command(HealthCommand):
    help = "Exit 1 when a due task has waited longer than --max-wait seconds in the database queue."
    option = "--max-wait"
    default_seconds = 300

    def late(self, seconds: int) -> str | None:
        from django_tasks_db.models import DBTaskResult, get_date_max

        now = timezone.now()
        # Due since it was enqueued, or since its run_after for a deferred task (a retry).
        due_since = Case(
            When(run_after=get_date_max(), then=F("enqueued_at")),
            default=Greatest(F("enqueued_at"), F("run_after")),
        )
        late = (
            DBTaskResult.objects.ready()
            .annotate(due_since=due_since)
            .filter(due_since__lt=now - datetime.timedelta(seconds=seconds))
            .aggregate(count=Count("id"), oldest=Min("due_since"))
        )
        if not late["count"]:
            return None
        waited = int((now - late["oldest"]).total_seconds())
        return (
            f"{late['count']} due task(s) waited more than {seconds} s (the oldest {waited} s): "
            "are the task workers running?"
        )

    def healthy(self, seconds: int) -> str:
        return f"Task queue healthy: no due task waited more than {seconds} s."
