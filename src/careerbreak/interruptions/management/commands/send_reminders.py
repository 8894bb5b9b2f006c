"""Send the reminders of missing worker parts that are due today (interruptions/reminders.py).

Once (cron or a systemd timer, e.g. every hour): ``manage.py send_reminders``. As a long-running process:
``--loop SECONDS`` (``make run`` starts it). Running it twice, or two at once, sends nothing twice.
A run that fails in a loop (the database restarting) is logged and tried again after ``--loop`` seconds.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from careerbreak.core.looping import stop_on_signals
from careerbreak.core.taskqueue import close_all_connections
from careerbreak.interruptions.reminders import reminders_send_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send the reminders of missing worker parts due today; --loop SECONDS to keep doing it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=float, metavar="SECONDS", help="run again every SECONDS, forever")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="the day to send for (YYYY-MM-DD; tests)"
        )

    def handle(self, *args: Any, loop: float | None, today: datetime.date | None, **options: Any) -> None:
        if loop is not None and loop <= 0:
            raise CommandError("--loop needs a number of seconds above 0.")
        if loop is None:
            self.run_once(today)
            return
        with stop_on_signals() as stop:
            while not stop.is_set():
                close_old_connections()
                try:
                    self.run_once(today)
                except Exception:
                    logger.exception("Sending the reminders failed; next try in %.0f s.", loop)
                    close_all_connections()
                stop.wait(loop)

    def run_once(self, today: datetime.date | None) -> None:
        sent = reminders_send_due(today=today)
        self.stdout.write(f"Sent {sent} reminder(s).")
