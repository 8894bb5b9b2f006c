"""The shape of the health-check commands a process manager or a monitoring probe runs.

Each check takes one threshold in seconds and exits 1 (CommandError) with a sentence when something has
waited longer than that, or prints that all is well. A subclass names its option and says what is late.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class HealthCommand(BaseCommand):
    option: str  # e.g. "--max-wait"
    default_seconds: int

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            self.option,
            type=int,
            default=self.default_seconds,
            metavar="SECONDS",
            dest="seconds",
            help=f"default {self.default_seconds}",
        )

    def handle(self, *args: Any, seconds: int, **options: Any) -> None:
        if seconds <= 0:
            raise CommandError(f"{self.option} needs a number of seconds above 0.")
        problem = self.late(seconds)
        if problem:
            raise CommandError(problem)
        self.stdout.write(self.healthy(seconds))

    def late(self, seconds: int) -> str | None:
        """What has waited longer than ``seconds``, as the sentence to exit with; None when nothing has."""
        raise NotImplementedError

    def healthy(self, seconds: int) -> str:
        raise NotImplementedError
