"""Checking the stored documents against their rows (`manage.py verify_documents`).

Three things can be wrong: a row whose file is gone (missing), a file that no longer matches the size and
SHA-256 recorded when it was stored (altered), and a file under `documents/` that no row points at
(orphaned: a PDF written by a transaction that then rolled back, or left by a storage that failed half
way). Orphans are harmless to the service (nothing reads them) but take space and, after a restore,
tell that the documents and the database do not belong together.

A file written moments ago may not have its row yet (the row is committed after the file is written), so
files younger than the grace period are not called orphans.
"""

from __future__ import annotations

import datetime
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils import timezone

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.documents.models import Document, SealedCopy
from careerbreak.documents.services import DocumentAltered, DocumentMissing, StoredFile, stored_bytes

logger = logging.getLogger(__name__)

# Every document is filed under this folder of the storage (services.document_path).
PREFIX = "documents"


@dataclass
class Verification:
    checked: int = 0
    files: int = 0
    missing: list[StoredFile] = field(default_factory=list)
    altered: list[StoredFile] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    # Files without a row, but younger than the grace period: not judged yet.
    recent: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.altered or self.orphaned)


def stored_names(storage: Storage, folder: str = PREFIX) -> Iterator[str]:
    """Every file name under `folder`, as the storage names them (documents/2026/…/x.pdf)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for name in sorted(folders):
        yield from stored_names(storage, f"{folder}/{name}")


def documents_verify(*, grace: datetime.timedelta, storage: Storage | None = None) -> Verification:
    """Reads every document back (size and SHA-256) and lists the files no row points at."""
    storage = storage or default_storage
    result = Verification()
    filed: set[str] = set()
    # The documents, and the sealed copies of those stored before the seal (each file checked as stored).
    stored: Iterator[Any] = itertools.chain(
        Document.objects.order_by("pk").iterator(chunk_size=500),
        SealedCopy.objects.order_by("pk").iterator(chunk_size=500),
    )
    for document in stored:
        result.checked += 1
        filed.add(document.file.name)
        try:
            stored_bytes(document)
        except DocumentMissing:
            result.missing.append(document)
        except DocumentAltered:
            result.altered.append(document)
    cutoff = timezone.now() - grace
    for name in stored_names(storage):
        result.files += 1
        if name in filed:
            continue
        if grace and storage.get_modified_time(name) > cutoff:
            result.recent.append(name)
        else:
            result.orphaned.append(name)
    return result


def orphans_delete(names: list[str], *, storage: Storage | None = None) -> list[str]:
    """Deletes these orphaned files, each only if still no row points at it; audited. Returns the names
    deleted."""
    storage = storage or default_storage
    deleted = []
    for name in names:
        with transaction.atomic():
            # A row committed since the scan (a slow writer): the file is not an orphan any more.
            if Document.objects.filter(file=name).exists() or SealedCopy.objects.filter(file=name).exists():
                continue
            storage.delete(name)
            audit_log(
                action=AuditAction.DOCUMENT_ORPHAN_DELETED, object_type="document_file", data={"name": name}
            )
        deleted.append(name)
        logger.info("deleted the orphaned document file %s", name)
    return deleted
