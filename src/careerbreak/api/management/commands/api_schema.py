"""Write the API's OpenAPI document to docs/api/openapi.json, or (--check) fail if it differs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerbreak.api.schema import COMMITTED, openapi_text


class Command(BaseCommand):
    help = "Write the API's OpenAPI document to docs/api/openapi.json (--check: only compare)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="fail if the committed document differs")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        text = openapi_text()
        current = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
        if check:
            if text != current:
                raise CommandError(f"{COMMITTED} differs from the code's schema: run `make api-schema`.")
            self.stdout.write("The committed OpenAPI document matches the code.")
            return
        COMMITTED.parent.mkdir(parents=True, exist_ok=True)
        COMMITTED.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {COMMITTED}.")
