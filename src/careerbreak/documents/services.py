"""Writes and reads of documents: render once, store once, check on every read.

`document_store` is what callers use: it returns the stored document of that kind, reference, version
and language, rendering and storing it the first time. Concurrent callers (the background task and a
user asking for the PDF before the task ran) may both render, but only one document is stored; the
other caller gets it. A stored file is never overwritten: the storage picks a free name, and the loser
of a race deletes only the file it wrote itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import logging
import re
from typing import Any, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.documents.codes import new_code
from careerbreak.documents.models import Document, SealedCopy
from careerbreak.documents.rendering import PNG_DATA_PREFIX, RenderingError, render_pdf
from careerbreak.documents.seal import SealError, seal_pdf, sealed_by

__all__ = [
    "DocumentAltered",
    "DocumentIntegrityError",
    "DocumentMissing",
    "DocumentStorageError",
    "RenderingError",
    "SealError",
    "document_bytes",
    "document_store",
    "render_pdf",
    "sealed_copy_store",
    "stored_bytes",
]

logger = logging.getLogger(__name__)


class DocumentIntegrityError(Exception):
    """A stored document cannot be trusted: its file is gone or differs from what was stored."""


class DocumentMissing(DocumentIntegrityError):
    pass


class DocumentAltered(DocumentIntegrityError):
    pass


class DocumentStorageError(Exception):
    """The storage could not write or read a document (disk full, object storage down). On a write
    nothing was stored and no row written; either way the caller may try again later."""


def _slug(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z_]+", "-", value).strip("-") or "-"


def document_path(*, kind: str, reference: str, version: int, language: str) -> str:
    """Where a document is stored: documents/2026/00000001-51/employer_part-v1-fr.pdf for a ticket.

    A reference with slashes (a ticket "2026/00000001/51") is filed under its first part (the year).
    """
    head, _sep, rest = reference.partition("/")
    folder = f"{_slug(head)}/{_slug(rest)}" if rest else _slug(reference)
    return f"documents/{folder}/{_slug(kind)}-v{int(version)}-{_slug(language)}.pdf"


def verification_url(code: str) -> str:
    """The verification page with this code filled in (what the QR code holds)."""
    return f"{settings.SEAL_VERIFICATION_URL}?code={code}"


def seal_footer(code: str) -> dict[str, Any]:
    """What documents/seal_footer.html prints: who seals, where to verify, the code and its QR code."""
    import segno

    buffer = io.BytesIO()
    # One pixel per module, drawn unsmoothed at the footer's size (`image-rendering: pixelated` in
    # pdf.css): a 33 × 33 image of a few hundred bytes. The same code as an SVG path cost WeasyPrint
    # about 10 ms a document to parse and draw (docs/performance.md).
    segno.make(verification_url(code), error="m").save(buffer, kind="png", scale=1, border=0)
    return {
        "sealed_by": sealed_by(),
        "url": settings.SEAL_VERIFICATION_URL,
        "code": code,
        # Kept on one line: a code broken at its dash would be typed wrong.
        "code_html": format_html('<span class="seal-code">{}</span>', code),
        "qr": PNG_DATA_PREFIX + base64.b64encode(buffer.getvalue()).decode("ascii"),
    }


def render_sealed(*, template: str, context: dict[str, Any], language: str, title: str, code: str) -> bytes:
    """The document rendered with its seal line, code and QR code, then sealed: the bytes to store."""
    content = render_pdf(
        template=template, context={**context, "seal": seal_footer(code)}, language=language, title=title
    )
    return seal_pdf(content)


def document_store(
    *,
    kind: str,
    reference: str,
    version: int,
    language: str,
    title: str,
    template: str,
    context: dict[str, Any],
) -> Document:
    """The document of this kind, reference, version and language; rendered and stored the first time.

    Idempotent and safe under concurrency: an existing document is returned as it is (never rendered
    again, never overwritten); when two callers create it at once, the database keeps one row and the
    other caller returns it. The document carries a new verification code and the seal (documents/seal.py);
    records the SHA-256 and size of the sealed bytes written. Raises RenderingError (SealError among them)
    when the PDF cannot be produced or sealed, DocumentStorageError when the storage cannot write it;
    nothing is stored then (the row is only written once the file is).

    Called inside a transaction that later rolls back, the file stays in storage without its row
    (harmless: the next call stores the document again, under a free name; `manage.py verify_documents`
    lists such orphans and deletes them with --delete-orphans).
    """
    identity: dict[str, Any] = {
        "kind": kind,
        "reference": reference,
        "version": version,
        "language": language,
    }
    existing = Document.objects.filter(**identity).first()
    if existing is not None:
        return existing
    # Every document the service issues passes here: rendered with its verification code, then sealed.
    code = new_code()
    content = render_sealed(template=template, context=context, language=language, title=title, code=code)
    storage = Document._meta.get_field("file").storage
    # The storage never overwrites: if the name is taken, it picks another one.
    try:
        name = storage.save(document_path(**identity), ContentFile(content))
    except Exception as exc:
        # OSError from a folder, botocore's errors from object storage: whatever the backend raises.
        logger.warning("document %s v%s (%s) could not be stored: %r", reference, version, language, exc)
        raise DocumentStorageError(f"The storage could not write {kind} {reference} v{version}.") from exc
    try:
        with transaction.atomic():
            return Document.objects.create(
                **identity,
                title=title[:255],
                file=name,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                verification_code=code,
            )
    except IntegrityError:
        # Another caller stored the same document meanwhile: keep theirs, remove only our own file.
        winner = Document.objects.filter(**identity).first()
        if winner is None:
            storage.delete(name)
            raise
        if winner.file.name != name:
            storage.delete(name)
        logger.info("document %s stored concurrently; kept the first one", winner)
        return winner


def sealed_copy_store(document: Document) -> SealedCopy:
    """A sealed copy of a document stored before the seal, with its own verification code: the original's
    bytes (checked against its SHA-256) followed by the seal with a visible stamp naming the code. The
    original's file and row are not touched. Idempotent: an existing copy is returned."""
    existing = SealedCopy.objects.filter(original=document).first()
    if existing is not None:
        return existing
    original = stored_bytes(document)
    code = new_code()
    with translation.override(document.language):
        stamp = "\n".join(
            [
                gettext("Sealed electronically by %(by)s.") % {"by": sealed_by()},
                gettext("Verify at %(url)s") % {"url": settings.SEAL_VERIFICATION_URL},
                gettext("Verification code: %(code)s") % {"code": code},
            ]
        )
    content = seal_pdf(original, stamp_text=stamp)
    storage = SealedCopy._meta.get_field("file").storage
    path = document_path(
        kind=f"{document.kind}-sealed",
        reference=document.reference,
        version=document.version,
        language=document.language,
    )
    try:
        name = storage.save(path, ContentFile(content))
    except Exception as exc:
        raise DocumentStorageError(f"The storage could not write the sealed copy of {document}.") from exc
    with transaction.atomic():
        copy = SealedCopy.objects.create(
            original=document,
            file=name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            verification_code=code,
        )
        audit_log(
            action=AuditAction.DOCUMENT_SEALED_COPY,
            object_type="document",
            object_id=document.pk,
            data={"sealed_copy": copy.pk, "sha256": copy.sha256, "original_sha256": document.sha256},
        )
    return copy


class StoredFile(Protocol):
    """A row that points at a file stored once, with the size and SHA-256 recorded when it was written:
    a Document, or a worker's attachment (`interruptions.models.Attachment`)."""

    @property
    def file(self) -> FieldFile: ...

    @property
    def size(self) -> int: ...

    @property
    def sha256(self) -> str: ...


def document_bytes(document: StoredFile) -> bytes:
    """The bytes to hand out: the stored file's (`stored_bytes`), or, for a document stored before the
    seal that has since been given a sealed copy (`manage.py seal_documents`), the copy's. A document
    with a verification code is its own sealed version: no extra query for it."""
    if isinstance(document, Document) and document.verification_code is None:
        copy = SealedCopy.objects.filter(original=document).first()
        if copy is not None:
            return stored_bytes(copy)
    return stored_bytes(document)


def stored_bytes(document: StoredFile) -> bytes:
    """The stored file's bytes, after checking them against the size and SHA-256 recorded when it was
    stored. Raises DocumentMissing (file gone), DocumentAltered (file changed) or DocumentStorageError
    (the storage could not be read now)."""
    try:
        with document.file.storage.open(document.file.name or "", "rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise DocumentMissing(f"The file of {document} is missing from storage.") from exc
    except Exception as exc:
        # OSError from a folder, botocore's errors from object storage: a failure that may pass.
        logger.warning("document %s (%s) could not be read: %r", document, document.file.name, exc)
        raise DocumentStorageError(f"The storage could not read {document}.") from exc
    digest = hashlib.sha256(content).hexdigest()
    if len(content) != document.size or not hmac.compare_digest(digest, document.sha256):
        logger.error("document %s (%s) does not match its recorded hash", document, document.file.name)
        raise DocumentAltered(f"The file of {document} was altered after it was stored.")
    return content
