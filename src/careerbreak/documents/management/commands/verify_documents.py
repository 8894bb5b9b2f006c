"""Report the documents whose file is missing or altered, and the orphaned files; exit 1 if any.

    manage.py verify_documents                   # report only
    manage.py verify_documents --delete-orphans  # and delete the orphaned files (audited)
    manage.py verify_documents --grace-minutes 0 # judge every file, however recent (after a restore)

Run it after a restore, and from time to time (weekly cron) in production: it reads every document back.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerbreak.documents.verification import documents_verify, orphans_delete


class Command(BaseCommand):
    help = "Check every stored document against its SHA-256 and list missing, altered and orphaned files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--delete-orphans", action="store_true", help="delete the files that no document row points at"
        )
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=60,
            help="files younger than this are not judged orphans yet (their row may be coming); default 60",
        )

    def handle(self, *args: Any, delete_orphans: bool, grace_minutes: int, **options: Any) -> None:
        if grace_minutes < 0:
            raise CommandError("--grace-minutes cannot be negative.")
        result = documents_verify(grace=datetime.timedelta(minutes=grace_minutes))
        for document in result.missing:
            self.stdout.write(f"missing  {document.file.name}  ({document})")
        for document in result.altered:
            self.stdout.write(f"altered  {document.file.name}  ({document})")
        orphaned = result.orphaned
        deleted: list[str] = []
        if delete_orphans and orphaned:
            deleted = orphans_delete(orphaned)
            orphaned = [name for name in orphaned if name not in set(deleted)]
        for name in deleted:
            self.stdout.write(f"deleted  {name}  (orphaned)")
        for name in orphaned:
            self.stdout.write(f"orphaned {name}")
        summary = (
            f"Checked {result.checked} document(s) and {result.files} file(s): "
            f"{len(result.missing)} missing, {len(result.altered)} altered, {len(orphaned)} orphaned"
            + (f", {len(deleted)} orphan(s) deleted" if deleted else "")
            + (f", {len(result.recent)} recent file(s) not judged yet" if result.recent else "")
            + "."
        )
        if result.missing or result.altered or orphaned:
            raise CommandError(summary)
        self.stdout.write(summary)
