"""The attachments of the worker part (DOMAIN §3, domain-research §3): which ones the type requires, and
the files the worker attaches.

A file is accepted only as a PDF, a JPEG or a PNG recognised by its content (its first bytes, then a real
parse: pypdf for a PDF — an encrypted or unreadable one is refused —, Pillow for an image), never by its
name; at most ``settings.ATTACHMENT_MAX_BYTES`` each and ``settings.ATTACHMENTS_MAX`` per request; an
empty file is refused. Each refusal is a DomainError naming the file. A stored file is kept once, with its
SHA-256 (`models.Attachment`); a failed upload leaves neither a file nor a row.

Attachments are the worker's private data: ``attachment_read`` serves them only to the worker whose
request it is (the acting context says who asks; the office will be one more case there), never to an
employer; every read is audited.
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.documents.services import DocumentStorageError, _slug, document_bytes
from careerbreak.identity.acting import Acting, Via
from careerbreak.interruptions.models import Attachment, InformationRequest, LeaveRequest, WorkerPart
from careerbreak.interruptions.selectors import office_scope
from careerbreak.interruptions.states import Status
from careerbreak.interruptions.worker_part import CHILD, needs_of
from careerbreak.interruptions.worker_part_data import WorkerPartData
from careerbreak.vocabularies import LeaveType

logger = logging.getLogger(__name__)

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}


class AttachmentKind(models.TextChoices):
    DISABILITY = "disability_attestation", _("Attestation of the child's recognised disability")
    CHILD_PROOF = "child_proof", _("Birth certificate, or proof of the adoption or foster placement")
    MEDICAL = "medical_certificate", _("Certificate of the treating doctor")
    CAREGIVER = "caregiver_recognition", _("Recognition as a caregiver by the health insurance fund")
    TRAINING = "training_attestation", _("Attestation of the recognised training")
    OTHER = "other", _("Other document")


@dataclass(frozen=True)
class Requirement:
    """An attachment this request requires, and why (in the active language)."""

    kind: AttachmentKind
    reason: str

    @property
    def label(self) -> str:
        return str(self.kind.label)


_MEDICAL_TYPES = frozenset(
    {
        LeaveType.MEDICAL_ASSISTANCE,
        LeaveType.PALLIATIVE,
        LeaveType.TC_PALLIATIVE,
        LeaveType.TC_SERIOUS_ILLNESS,
        LeaveType.TC_SERIOUSLY_ILL_MINOR,
    }
)


def required_attachments(leave_request: LeaveRequest, content: WorkerPartData) -> list[Requirement]:
    """What this request requires the worker to attach, with the reason, from its type, the employer
    part (a child with a recognised disability) and page 3 (a child the national register does not know)."""
    leave_type = leave_request.leave_type
    out: list[Requirement] = []
    if leave_type == LeaveType.TC_DISABLED_CHILD or (
        needs_of(leave_type) == CHILD and leave_request.details.get("child_disabled") is True
    ):
        out.append(
            Requirement(
                AttachmentKind.DISABILITY,
                str(
                    _(
                        "The child has a recognised disability (which allows the leave up to the age of 21): "
                        "the attestation of the disability proves it."
                    )
                ),
            )
        )
    needs = content.needs
    if needs_of(leave_type) == CHILD and needs is not None and not needs.child_niss:
        out.append(
            Requirement(
                AttachmentKind.CHILD_PROOF,
                str(
                    _(
                        "The national register does not know the child you named: the birth certificate, or "
                        "the proof of the adoption or foster placement with the date of registration, proves "
                        "the link and the dates."
                    )
                ),
            )
        )
    if leave_type in _MEDICAL_TYPES:
        out.append(
            Requirement(
                AttachmentKind.MEDICAL,
                str(
                    _(
                        "For this leave, the treating doctor certifies that the patient needs your care or "
                        "assistance (the certificate does not name the illness)."
                    )
                ),
            )
        )
    if leave_type == LeaveType.CAREGIVER:
        out.append(
            Requirement(
                AttachmentKind.CAREGIVER,
                str(
                    _(
                        "Caregiver leave requires that the health insurance fund recognised you as the "
                        "caregiver of the person you help."
                    )
                ),
            )
        )
    if leave_type == LeaveType.TC_TRAINING:
        out.append(
            Requirement(
                AttachmentKind.TRAINING,
                str(
                    _(
                        "Time credit for training requires a recognised training (at least 360 hours or 27 "
                        "credits a year): the attestation of the institution proves it."
                    )
                ),
            )
        )
    return out


def missing_attachments(part: WorkerPart) -> list[Requirement]:
    """The required attachments the worker has not attached yet."""
    attached = set(part.attachments.values_list("kind", flat=True))
    return [r for r in required_attachments(part.request, part.content) if r.kind.value not in attached]


# -- recognising a file by its content -------------------------------------------------------------------


def _refuse(message: str | Promise, name: str, code: str) -> DomainError:
    return DomainError(str(message) % {"name": name}, code=code, field="file")


def megabytes(size: int) -> str:
    """A size in megabytes as the active language writes numbers ("10", "0,5")."""
    value = size / (1024 * 1024)
    return number_format(int(value) if value.is_integer() else round(value, 4))


def too_large_error(name: str) -> DomainError:
    return DomainError(
        _("“%(name)s” is larger than %(size)s MB: attach a smaller file.")
        % {"name": name, "size": megabytes(settings.ATTACHMENT_MAX_BYTES)},
        code="too_large",
        field="file",
    )


def recognise(name: str, content: bytes) -> str:
    """The media type of a file (PDF, JPEG or PNG) recognised by its content; DomainError naming the file
    otherwise (empty, too large, another format, encrypted or unreadable)."""
    if not content:
        raise _refuse(_("“%(name)s” is empty."), name, "empty")
    if len(content) > settings.ATTACHMENT_MAX_BYTES:
        raise too_large_error(name)
    if content.startswith(b"%PDF-"):
        _check_pdf(name, content)
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        _check_image(name, content, "JPEG")
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_image(name, content, "PNG")
        return PNG
    raise _refuse(
        _("“%(name)s” is not a PDF, JPEG or PNG file (whatever its name says): attach one of those."),
        name,
        "format",
    )


def _unreadable(name: str) -> DomainError:
    return _refuse(_("“%(name)s” is damaged or cannot be read: attach another copy."), name, "unreadable")


def _check_pdf(name: str, content: bytes) -> None:
    from pypdf import PdfReader

    pages = 0
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        encrypted = reader.is_encrypted
        if not encrypted:
            pages = len(reader.pages)
            if pages:
                # Reading the first page's contents parses its objects, not only the trailer.
                reader.pages[0].get_contents()
    except Exception as exc:
        # pypdf raises its own errors, but also ValueError, KeyError… on a damaged file: all mean unreadable.
        logger.info("attachment %r is not a readable PDF: %r", name, exc)
        raise _unreadable(name) from exc
    if encrypted:
        raise _refuse(
            _("“%(name)s” is protected by a password or encrypted: attach a copy without protection."),
            name,
            "encrypted",
        )
    if not pages:
        raise _unreadable(name)


def _check_image(name: str, content: bytes, expected: str) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            found = image.format
            image.verify()
        # verify() checks the structure; loading decodes the pixels (a truncated image fails here).
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            width, height = image.size
    except Exception as exc:
        # Pillow's errors on a damaged image (and DecompressionBombError on an absurd one).
        logger.info("attachment %r is not a readable image: %r", name, exc)
        raise _unreadable(name) from exc
    if found != expected or not width or not height:
        raise _unreadable(name)


# -- reads ------------------------------------------------------------------------------------------------


def _readable_by(acting: Acting) -> models.QuerySet[Attachment]:
    """The attachments the acting context may read: a worker their own only; the office those of the
    requests in its scope (``office_scope``: an agent's office, a supervisor's every office). An employer
    never reads one."""
    if acting.via == Via.SELF and acting.niss:
        return Attachment.objects.filter(part__request__worker__niss=acting.niss)
    if acting.via == Via.OFFICE and acting.office_role is not None:
        # The part as sent: a part the worker is still writing is not the office's to read, nor an
        # answer to a question that the worker has not sent yet.
        return Attachment.objects.filter(
            part__request__in=office_scope(acting=acting), part__submitted_at__isnull=False
        ).exclude(information_request__isnull=False, information_request__answered_at__isnull=True)
    return Attachment.objects.none()


def attachments_of(part: WorkerPart) -> list[Attachment]:
    return list(part.attachments.order_by("created_at", "id"))


@dataclass(frozen=True)
class AttachmentFile:
    attachment: Attachment
    content: bytes

    @property
    def download_name(self) -> str:
        """A safe name for the download: the worker's name without its path or odd characters, and the
        extension of the type recognised."""
        stem = _slug(self.attachment.filename.rsplit(".", 1)[0])[:80]
        return f"{stem}.{EXTENSIONS.get(self.attachment.content_type, 'bin')}"


def attachment_read(*, acting: Acting, ticket: str, attachment_id: int) -> AttachmentFile:
    """One attachment's bytes for whoever may read it, checked against its SHA-256; audited.

    Raises NotFound for anyone else (the same as for an unknown attachment), DocumentIntegrityError
    (`DocumentMissing`, `DocumentAltered`) when the file is gone or altered, DocumentStorageError when the
    storage cannot be read now.
    """
    attachment = (
        _readable_by(acting)
        .select_related("part__request__worker")
        .filter(pk=attachment_id, part__request__ticket=ticket)
        .first()
    )
    if attachment is None:
        raise NotFound("attachment not found")
    content = document_bytes(attachment)  # checked against its size and SHA-256, as a document is
    audit_log(
        action=AuditAction.ATTACHMENT_DOWNLOADED,
        acting=acting,
        subject_niss=attachment.part.request.worker.niss,
        object_type="attachment",
        object_id=attachment.pk,
        data={"ticket": ticket, "sha256": attachment.sha256},
    )
    return AttachmentFile(attachment=attachment, content=content)


# -- writes -----------------------------------------------------------------------------------------------


def _open_part(acting: Acting, ticket: str) -> WorkerPart:
    """The acting worker's part of this request, locked, while it can still change."""
    from careerbreak.interruptions.worker_part import request_of_worker

    leave_request = request_of_worker(acting=acting, ticket=ticket)
    leave_request = LeaveRequest.objects.select_for_update().get(pk=leave_request.pk)
    part = WorkerPart.objects.select_for_update().filter(request=leave_request).first()
    if leave_request.status != Status.AWAITING_WORKER or (part is not None and part.submitted_at):
        raise DomainError(
            _("This request no longer awaits your part: it was completed or cancelled."), code="not_awaiting"
        )
    if part is None:
        raise DomainError(_("Answer the other pages first."), code="incomplete")
    return part


def attachment_path(part: WorkerPart, content_type: str) -> str:
    """attachments/2026/00000001-51/<random>.pdf: never the worker's file name."""
    head, _sep, rest = part.request.ticket.partition("/")
    folder = f"{_slug(head)}/{_slug(rest)}" if rest else _slug(head)
    return f"attachments/{folder}/{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"


def clean_name(name: str) -> str:
    """The file's own name, without a path, as the worker gave it (only to show it back)."""
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1][:255] or "?"


# What ``store_checked`` locks: the part the file joins, the attachments its limit counts, and the open
# question it answers (None: the worker part itself).
Locked = tuple[WorkerPart, models.QuerySet[Attachment], InformationRequest | None]


def store_checked(
    *, acting: Acting, ticket: str, kind: str, name: str, content: bytes, lock: Callable[[], Locked]
) -> Attachment:
    """Recognise, count, store and record one file: the checks shared by the worker part and the answer
    to the office's question. ``lock()`` runs inside the transaction and returns what it locked.

    Stored first, then its row and audit event in one transaction; if the row cannot be written the file
    is removed: a failed upload leaves nothing.
    """
    content_type = recognise(name, content)
    digest = hashlib.sha256(content).hexdigest()
    stored: str | None = None
    try:
        with transaction.atomic():
            part, counted, information_request = lock()
            if counted.count() >= settings.ATTACHMENTS_MAX:
                raise DomainError(
                    _("“%(name)s” was not attached: a request has at most %(count)s attachments.")
                    % {"name": name, "count": settings.ATTACHMENTS_MAX},
                    code="too_many",
                    field="file",
                )
            if part.attachments.filter(sha256=digest).exists():
                raise _refuse(_("“%(name)s” is already attached to this request."), name, "duplicate")
            storage = Attachment._meta.get_field("file").storage
            try:
                stored = storage.save(attachment_path(part, content_type), ContentFile(content))
            except Exception as exc:
                logger.warning("attachment %r of %s could not be stored: %r", name, ticket, exc)
                raise DocumentStorageError(f"The storage could not write an attachment of {ticket}.") from exc
            attachment = Attachment.objects.create(
                part=part,
                information_request=information_request,
                kind=kind,
                filename=name,
                content_type=content_type,
                file=stored,
                sha256=digest,
                size=len(content),
            )
            data: dict[str, object] = {"ticket": ticket, "kind": kind, "sha256": digest, "size": len(content)}
            if information_request is not None:
                data["information_request"] = information_request.pk
            audit_log(
                action=AuditAction.ATTACHMENT_ADDED,
                acting=acting,
                subject_niss=acting.niss,
                object_type="attachment",
                object_id=attachment.pk,
                data=data,
            )
    except BaseException:
        if stored is not None:
            Attachment._meta.get_field("file").storage.delete(stored)
        raise
    return attachment


def attachment_add(*, acting: Acting, ticket: str, kind: str, name: str, content: bytes) -> Attachment:
    """Attach a file to the acting worker's part, once recognised (see `recognise`).

    Raises NotFound (not their request), DomainError naming the file (refused, the same file already
    attached, too many files, the part no longer open). Stored first, then its row and audit event in
    one transaction; if the row cannot be written the file is removed: a failed upload leaves nothing.
    """
    name = clean_name(name)
    if kind not in AttachmentKind.values:
        raise DomainError(_("Choose what the document is."), code="kind", field="kind")

    def lock() -> Locked:
        part = _open_part(acting, ticket)
        return part, part.attachments.all(), None

    return store_checked(acting=acting, ticket=ticket, kind=kind, name=name, content=content, lock=lock)


def remove_recorded(*, acting: Acting, ticket: str, attachment: Attachment) -> str:
    """Remove one attachment (the caller locked what it belongs to, in its transaction): its audit event,
    its row, and once committed its file. Returns the name the worker gave it."""
    name, storage = attachment.file.name, attachment.file.storage
    audit_log(
        action=AuditAction.ATTACHMENT_REMOVED,
        acting=acting,
        subject_niss=acting.niss,
        object_type="attachment",
        object_id=attachment.pk,
        data={"ticket": ticket, "kind": attachment.kind, "sha256": attachment.sha256},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    return attachment.filename


def attachment_remove(*, acting: Acting, ticket: str, attachment_id: int) -> str:
    """Remove an attachment before the part is sent: its row (audited) and, once committed, its file.
    Returns the name the worker gave it.

    Raises NotFound (not the acting worker's attachment), DomainError (the part was sent)."""
    with transaction.atomic():
        part = _open_part(acting, ticket)
        attachment = part.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise NotFound("attachment not found")
        return remove_recorded(acting=acting, ticket=ticket, attachment=attachment)
