"""Documents the service issued (the PDF of the employer part, later acknowledgements and decisions).

A document is stored once and never changed: a new version of what it shows is a new document. Its
SHA-256 is recorded when it is written, so that whoever reads it back can tell it was not altered.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentImmutable(Exception):
    """Someone tried to change a stored document."""


class Document(models.Model):
    # What the document is ("employer_part"), what it is about (the ticket), which version of it, and
    # in which language it was written: together, the document's identity.
    kind = models.CharField(_("kind"), max_length=32)
    reference = models.CharField(_("reference"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=255)
    # Through the default storage: the local file system by default, object storage in production.
    file = models.FileField(_("file"), max_length=255)
    # Of the bytes stored, the seal included (documents/seal.py); looked up when a file is verified.
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Printed on the document (documents/codes.py) and looked up on the public verification page; empty
    # on documents stored before the seal (`manage.py seal_documents`).
    verification_code = models.CharField(
        _("verification code"), max_length=19, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["reference", "kind", "version", "language"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "reference", "version", "language"], name="one_document_per_identity"
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_shape"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} v{self.version} ({self.language})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise DocumentImmutable("A stored document is never changed: a new version is a new document.")
        super().save(*args, **kwargs)


class SealedCopy(models.Model):
    """A sealed copy of a document stored before the seal existed (`manage.py seal_documents`).

    The original keeps its file and its SHA-256; the copy is the original's bytes unchanged followed by an
    incremental update: a visible seal stamp with the verification code, and the seal itself. Downloads
    serve the copy (services.document_bytes); the verification page knows both.
    """

    original = models.OneToOneField(
        Document, on_delete=models.PROTECT, related_name="sealed_copy", verbose_name=_("original")
    )
    file = models.FileField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    verification_code = models.CharField(_("verification code"), max_length=19, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sealed copy")
        verbose_name_plural = _("sealed copies")
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="sealed_copy_sha256_shape"
            ),
        ]

    def __str__(self) -> str:
        return f"sealed copy of {self.original}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise DocumentImmutable("A stored document is never changed.")
        super().save(*args, **kwargs)
