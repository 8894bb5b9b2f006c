"""``manage.py import_registry KIND PATH``: load registry records from a CSV or JSON file.

All rows are checked first; if any is wrong, every problem is printed with its line (or row) and field, and
nothing is imported. Importing the same file twice changes nothing (upsert by natural key).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerbreak.registries.importing import KINDS, import_file


class Command(BaseCommand):
    help = (
        "Import registry records from a CSV file (header row; separator , or ;) or a JSON file (a list of "
        "objects). Kinds: " + ", ".join(KINDS) + ". Nothing is imported when any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS), help="what the file holds")
        parser.add_argument("path", help="a .csv or .json file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and count the changes, write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = import_file(options["kind"], options["path"], dry_run=options["dry_run"])
        if not report.ok:
            for line in report.error_lines():
                self.stderr.write(line)
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
