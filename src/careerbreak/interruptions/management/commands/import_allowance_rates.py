"""``manage.py import_allowance_rates FILE``: load the allowance rate table from a CSV file, all or nothing
(format and rules in ``careerbreak.interruptions.rates``). Loading the same file again adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerbreak.identity.acting import Acting
from careerbreak.interruptions.rates import RateFileError, rates_import


class Command(BaseCommand):
    help = "Load allowance rates (scheme, form, category, monthly_amount, valid_from, provisional, source)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            help="CSV file with a header (the demo's: interruptions/data/demo_allowance_rates.csv)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        try:
            summary = rates_import(acting=Acting.system(), text=text, source_name=path.name)
        except RateFileError as error:
            raise CommandError(f"{path}: {error.message} Nothing was loaded.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {summary.created} rate(s) added, {summary.unchanged} already in the table."
            )
        )
