"""The public verification of an issued document: by its verification code, or by the file itself.

Anyone may ask, without an account (portal/verification.py). The answer names only what the holder of
the document already has: which kind of document, which version, when it was issued, and whether it is
still the latest version or was replaced by a modification or a cancellation. Never a name, a national
number or the ticket. A code that matches nothing and a code that is not a code at all get the same
answer. Every verification is audited (without the code typed: a wrong guess is not kept).
"""

from __future__ import annotations

import datetime
import enum
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.documents.codes import normalize_code
from careerbreak.documents.models import Document, SealedCopy
from careerbreak.documents.seal import SealVerdict, seal_check
from careerbreak.interruptions.models import RequestVersion

# What each kind of stored document is called on the page.
KIND_LABELS = {
    "employer_part": _("Employer part of a request"),
    "employer_part_worker": _("Employer part of a request, the worker's copy"),
    "worker_part": _("Worker part of a request"),
    "decision_c62": _("Decision on a request (C62)"),
    "rights_attestation": _("Attestation of the career break and leave periods"),
}


class Standing(enum.StrEnum):
    LATEST = "latest"
    MODIFIED = "modified"
    CANCELLED = "cancelled"
    NEWER = "newer"


STANDING_LABELS = {
    Standing.LATEST: _("This is the latest version."),
    Standing.MODIFIED: _("This version was replaced by a modification of the request."),
    Standing.CANCELLED: _("The request was cancelled after this version."),
    Standing.NEWER: _("A newer version of this document was issued."),
}

SEAL_LABELS = {
    SealVerdict.VALID: _("The electronic seal is valid."),
    SealVerdict.NONE: _("The file carries no seal of the service."),
    SealVerdict.ALTERED: _("The electronic seal does not match the file: it was altered after sealing."),
    SealVerdict.REVOKED: _("The seal certificate was revoked."),
    SealVerdict.EXPIRED: _("The seal certificate has expired."),
    SealVerdict.UNTRUSTED: _("The seal was not made with a certificate the service trusts."),
}


@dataclass(frozen=True)
class IssuedDocument:
    kind: str
    version: int
    issued_at: datetime.datetime
    standing: Standing

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, _("Document issued by the service")))

    @property
    def standing_label(self) -> str:
        return str(STANDING_LABELS[self.standing])


@dataclass(frozen=True)
class FileVerification:
    issued: IssuedDocument | None  # the stored document this file is, byte for byte
    seal: SealVerdict

    @property
    def seal_label(self) -> str:
        return str(SEAL_LABELS[self.seal])


def _standing(document: Document) -> Standing:
    if document.kind in ("employer_part", "employer_part_worker"):  # both copies follow the versions
        latest = (
            RequestVersion.objects.filter(request__ticket=document.reference)
            .order_by("-number")
            .values_list("number", "kind")
            .first()
        )
        if latest is not None and latest[0] > document.version:
            cancelled = latest[1] == RequestVersion.Kind.CANCELLATION
            return Standing.CANCELLED if cancelled else Standing.MODIFIED
        return Standing.LATEST
    newer = Document.objects.filter(
        kind=document.kind, reference=document.reference, version__gt=document.version
    ).exists()
    return Standing.NEWER if newer else Standing.LATEST


def _issued(document: Document) -> IssuedDocument:
    return IssuedDocument(
        kind=document.kind,
        version=document.version,
        issued_at=document.created_at,
        standing=_standing(document),
    )


def _audit(document: Document | None, ip_address: str | None, data: dict[str, str]) -> None:
    """One audit row per verification: how, whether a document was found (which), from where."""
    with transaction.atomic():
        audit_log(
            action=AuditAction.DOCUMENT_VERIFIED,
            object_type="document",
            object_id=document.pk if document else "",
            ip_address=ip_address,
            data={**data, "found": document is not None},
        )


def verify_code(typed: str, *, ip_address: str | None) -> IssuedDocument | None:
    """The document issued with this code, or None (the same None whatever was wrong); audited."""
    code = normalize_code(typed)
    document = None
    if code:
        document = Document.objects.filter(verification_code=code).first()
        if document is None:
            # A document stored before the seal, known by the code of its sealed copy.
            copy = SealedCopy.objects.select_related("original").filter(verification_code=code).first()
            document = copy.original if copy else None
    _audit(document, ip_address, {"by": "code"})
    return _issued(document) if document else None


def verify_file(content: bytes, *, ip_address: str | None) -> FileVerification:
    """Whether `content` is, byte for byte, a document the service issued, and the verdict on its seal;
    audited. Never raises on what was uploaded."""
    digest = hashlib.sha256(content).hexdigest()
    document = Document.objects.filter(sha256=digest, size=len(content)).first()
    if document is None:
        copy = SealedCopy.objects.select_related("original").filter(sha256=digest, size=len(content)).first()
        document = copy.original if copy else None
    verdict = seal_check(content)
    _audit(document, ip_address, {"by": "file", "seal": verdict.verdict.value})
    return FileVerification(issued=_issued(document) if document else None, seal=verdict.verdict)
