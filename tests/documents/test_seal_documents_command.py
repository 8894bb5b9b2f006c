"""`manage.py seal_documents`: documents stored before the seal get a sealed copy with a verification
code; their own file and SHA-256 stay as they were."""

from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from careerbreak.documents.models import Document, SealedCopy
from careerbreak.documents.rendering import render_pdf
from careerbreak.documents.seal import SealVerdict, seal_check
from careerbreak.documents.services import document_bytes, stored_bytes
from careerbreak.documents.verification import documents_verify
from tests.documents.test_rendering import CONTEXT


def legacy_document(language: str = "fr") -> Document:
    """A document as the service stored it before the seal: no code, its file unsealed."""
    content = render_pdf(
        template="documents/employer_part.html", context=CONTEXT, language=language, title="Employer part"
    )
    storage = Document._meta.get_field("file").storage
    name = storage.save(f"documents/2026/legacy/employer_part-v1-{language}.pdf", ContentFile(content))
    return Document.objects.create(
        kind="employer_part",
        reference="2026/00000009/97",
        version=1,
        language=language,
        title="Employer part",
        file=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("seal_documents", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_a_legacy_document_gets_a_sealed_copy_and_keeps_its_own_file_and_hash(settings: Any) -> None:
    document = legacy_document()
    original = stored_bytes(document)
    sha256, name = document.sha256, document.file.name
    assert "1 sealed, 0 failed" in run()
    document.refresh_from_db()
    assert (document.sha256, document.file.name, document.verification_code) == (sha256, name, None)
    assert stored_bytes(document) == original
    copy = SealedCopy.objects.get(original=document)
    sealed = stored_bytes(copy)
    assert sealed.startswith(original)  # the content unchanged: the seal is an incremental update
    assert seal_check(sealed).verdict == SealVerdict.VALID
    # Downloads hand out the sealed copy from now on.
    assert document_bytes(document) == sealed
    # Its code and its file are known to the verification page.
    page = Client().get(reverse("portal:verify"), {"code": copy.verification_code}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Employer part of a request" in page.content.decode()
    assert documents_verify(grace=_zero()).clean
    # A second run seals nothing more; a sealed document (with its code) is never copied.
    assert "0 sealed, 0 failed" in run()
    assert SealedCopy.objects.count() == 1


@pytest.mark.django_db
def test_the_dry_run_seals_nothing() -> None:
    legacy_document("de")
    assert "would seal" in run("--dry-run")
    assert not SealedCopy.objects.exists()


def _zero() -> Any:
    import datetime

    return datetime.timedelta(0)
