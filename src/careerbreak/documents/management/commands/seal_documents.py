"""Give every document stored before the seal a sealed copy with its own verification code.

The original's file and its recorded SHA-256 stay as they are; the copy (`SealedCopy`) is the original's
bytes followed by the seal, with a visible stamp naming the verification code. Downloads serve the copy
from then on. Idempotent: a document that has a code, or a copy already, is skipped. Exit 1 if any
document could not be copied (its file missing or altered: `verify_documents` says more).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerbreak.documents.models import Document
from careerbreak.documents.seal import SealError
from careerbreak.documents.services import DocumentIntegrityError, DocumentStorageError, sealed_copy_store


class Command(BaseCommand):
    help = "Seal a copy of every document stored before the seal, each with its verification code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List the documents, seal nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        pending = Document.objects.filter(verification_code__isnull=True, sealed_copy__isnull=True)
        sealed = failed = 0
        for document in pending.order_by("pk").iterator(chunk_size=200):
            if options["dry_run"]:
                self.stdout.write(f"would seal  {document}")
                continue
            try:
                copy = sealed_copy_store(document)
            except (DocumentIntegrityError, DocumentStorageError, SealError) as exc:
                failed += 1
                self.stderr.write(f"not sealed  {document}: {exc}")
                continue
            sealed += 1
            self.stdout.write(f"sealed  {document}  code {copy.verification_code}")
        self.stdout.write(f"{sealed} sealed, {failed} failed")
        if failed:
            raise CommandError(f"{failed} document(s) could not be sealed.")
