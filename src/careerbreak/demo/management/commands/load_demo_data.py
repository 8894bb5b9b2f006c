"""``manage.py load_demo_data``: the demo enterprises, persons, employments, access and mandates.

Deterministic and idempotent (see ``careerbreak.demo.data``): running it again changes nothing.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerbreak.demo.data import SEED, load_demo_data
from careerbreak.registries.importing import ImportFailed


class Command(BaseCommand):
    help = "Load the demo data (enterprises, a few hundred persons, employments, access grants, mandates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=SEED, help="another seed gives other generated persons"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            summary = load_demo_data(options["seed"])
        except ImportFailed as failure:
            raise CommandError(str(failure)) from failure
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
