"""The worker part's attachments: recognised by their content (never their name), limited in size and
number, stored once with their SHA-256, required by the type, readable only by the worker, audited; a
failed upload leaves neither a file nor a row."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import translation

from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.documents.services import DocumentAltered, DocumentStorageError
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import User
from careerbreak.interruptions import attachments
from careerbreak.interruptions import worker_part as service
from careerbreak.interruptions.acknowledgement import acknowledgement_context
from careerbreak.interruptions.attachments import AttachmentKind
from careerbreak.interruptions.models import Attachment, LeaveRequest, WorkerPart
from careerbreak.interruptions.states import Status
from careerbreak.interruptions.worker_part_data import Needs
from careerbreak.registries.models import Enterprise
from careerbreak.vocabularies import LeaveType
from tests.attachment_files import BROKEN_PDF, TEXT_AS_PDF, encrypted_pdf_bytes, image_bytes, pdf_bytes
from tests.factories import acting_for
from tests.interruptions import test_worker_part
from tests.interruptions.test_worker_part import answer_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

# Sophie's filed parental leave, and Sophie acting for herself: the fixtures of the worker part's tests.
filed = test_worker_part.filed
sophie = test_worker_part.sophie


def stored_files(media: Path) -> list[Path]:
    return [p for p in (media / "attachments").rglob("*") if p.is_file()] if media.exists() else []


def add(acting: Acting, ticket: str, name: str, content: bytes, kind: str = "other") -> Attachment:
    return attachments.attachment_add(acting=acting, ticket=ticket, kind=kind, name=name, content=content)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), "application/pdf"),
        (image_bytes("JPEG"), "image/jpeg"),
        (image_bytes("PNG"), "image/png"),
    ],
    ids=["pdf", "jpeg", "png"],
)
def test_a_pdf_jpeg_or_png_is_recognised_by_its_content_whatever_its_name(
    content: bytes, expected: str
) -> None:
    assert attachments.recognise("scan.txt", content) == expected


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.pdf", b"", "est vide"),
        ("letter.pdf", TEXT_AS_PDF, "n'est pas un fichier PDF, JPEG ou PNG"),
        ("broken.pdf", BROKEN_PDF, "endommagé ou illisible"),
        ("locked.pdf", encrypted_pdf_bytes(), "protégé par un mot de passe"),
        ("cut.png", image_bytes("PNG")[:40], "endommagé ou illisible"),
        ("cut.jpg", image_bytes("JPEG")[:30], "endommagé ou illisible"),
        ("photo.gif", b"GIF89a" + b"\x00" * 40, "n'est pas un fichier PDF, JPEG ou PNG"),
    ],
    ids=[
        "empty",
        "text-renamed-pdf",
        "broken-pdf",
        "encrypted-pdf",
        "truncated-png",
        "truncated-jpeg",
        "gif",
    ],
)
def test_a_file_that_is_not_a_readable_pdf_jpeg_or_png_is_refused_naming_it(
    name: str, content: bytes, words: str
) -> None:
    with translation.override("fr"), pytest.raises(DomainError) as refused:
        attachments.recognise(name, content)
    assert f"« {name} »" in str(refused.value.message)
    assert words in str(refused.value.message)
    assert refused.value.field == "file"


def test_a_file_over_the_size_limit_is_refused_naming_it(settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    with translation.override("en"), pytest.raises(DomainError) as refused:
        attachments.recognise("big.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    assert str(refused.value.message) == "“big.pdf” is larger than 1 MB: attach a smaller file."


def test_an_attachment_is_stored_once_with_its_sha256_and_audited(
    filed: LeaveRequest, sophie: Acting, media: Path
) -> None:
    answer_all(sophie, filed.ticket)
    content = pdf_bytes()
    attachment = add(sophie, filed.ticket, "C:\\Users\\me\\certificat médical.pdf", content, kind="other")
    assert attachment.filename == "certificat médical.pdf"
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)
    assert attachment.content_type == "application/pdf"
    # Stored under a random name, never the worker's.
    assert attachment.file.name.startswith("attachments/2026/")
    assert "certificat" not in attachment.file.name
    assert [p.read_bytes() for p in stored_files(media)] == [content]
    event = AuditEvent.objects.get(action="careerbreak.attachment.added")
    assert event.object_id == str(attachment.pk)
    assert event.data["sha256"] == attachment.sha256

    with pytest.raises(DomainError) as again:
        add(sophie, filed.ticket, "copy.pdf", content)
    assert again.value.code == "duplicate"
    assert Attachment.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_a_refused_upload_leaves_no_file_and_no_row(filed: LeaveRequest, sophie: Acting, media: Path) -> None:
    answer_all(sophie, filed.ticket)
    for name, content in [("a.pdf", TEXT_AS_PDF), ("b.pdf", encrypted_pdf_bytes()), ("c.pdf", b"")]:
        with pytest.raises(DomainError):
            add(sophie, filed.ticket, name, content)
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    assert not AuditEvent.objects.filter(action="careerbreak.attachment.added").exists()


def test_a_row_that_cannot_be_written_removes_the_file_already_stored(
    filed: LeaveRequest, sophie: Acting, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_all(sophie, filed.ticket)

    def fail(**_kwargs: Any) -> None:
        raise RuntimeError("the audit table is unavailable")

    monkeypatch.setattr(attachments, "audit_log", fail)
    with pytest.raises(RuntimeError):
        add(sophie, filed.ticket, "certificate.pdf", pdf_bytes())
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_storage_that_cannot_write_leaves_no_row(
    filed: LeaveRequest, sophie: Acting, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_all(sophie, filed.ticket)

    def broken(*_args: Any, **_kwargs: Any) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", broken)
    with pytest.raises(DocumentStorageError):
        add(sophie, filed.ticket, "certificate.pdf", pdf_bytes())
    assert not Attachment.objects.exists()


def test_at_most_ten_attachments_a_request(filed: LeaveRequest, sophie: Acting, settings: Any) -> None:
    settings.ATTACHMENTS_MAX = 2
    answer_all(sophie, filed.ticket)
    add(sophie, filed.ticket, "one.png", image_bytes("PNG", "red"))
    add(sophie, filed.ticket, "two.png", image_bytes("PNG", "blue"))
    with translation.override("fr"), pytest.raises(DomainError) as refused:
        add(sophie, filed.ticket, "three.png", image_bytes("PNG", "green"))
    message = "« three.png » n'a pas été joint : une demande compte au plus 2 annexes."
    assert str(refused.value.message) == message
    assert Attachment.objects.count() == 2


def test_an_unknown_kind_is_refused(filed: LeaveRequest, sophie: Acting) -> None:
    answer_all(sophie, filed.ticket)
    with pytest.raises(DomainError) as refused:
        add(sophie, filed.ticket, "a.pdf", pdf_bytes(), kind="passport")
    assert refused.value.field == "kind"


def test_only_the_worker_reads_an_attachment_and_every_read_is_audited(
    filed: LeaveRequest, sophie: Acting
) -> None:
    answer_all(sophie, filed.ticket)
    content = image_bytes("JPEG")
    attachment = add(sophie, filed.ticket, "photo.jpeg", content)
    read = attachments.attachment_read(acting=sophie, ticket=filed.ticket, attachment_id=attachment.pk)
    assert read.content == content
    assert read.download_name == "photo.jpg"
    assert AuditEvent.objects.filter(action="careerbreak.attachment.downloaded").count() == 1

    jean = User.objects.get(niss=demo_data.JEAN_DUBOIS_NISS)
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    employer = acting_for(jean, bakery)
    marc = Acting.for_self(user=User.objects.create_user(demo_data.MARC_PEETERS_NISS), assurance_level=450)
    # The employer acting for the enterprise, the employer's manager as a citizen, another worker.
    as_citizen = Acting.for_self(user=jean, assurance_level=450)
    for outsider in (employer, as_citizen, marc):
        with pytest.raises(NotFound):
            attachments.attachment_read(acting=outsider, ticket=filed.ticket, attachment_id=attachment.pk)
    assert AuditEvent.objects.filter(action="careerbreak.attachment.downloaded").count() == 1


def test_an_altered_file_is_never_served(filed: LeaveRequest, sophie: Acting, media: Path) -> None:
    answer_all(sophie, filed.ticket)
    attachment = add(sophie, filed.ticket, "a.pdf", pdf_bytes())
    (media / attachment.file.name).write_bytes(pdf_bytes(pages=2))
    with pytest.raises(DocumentAltered):
        attachments.attachment_read(acting=sophie, ticket=filed.ticket, attachment_id=attachment.pk)


def test_an_attachment_is_removed_before_confirming_with_its_file(
    filed: LeaveRequest, sophie: Acting, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    answer_all(sophie, filed.ticket)
    attachment = add(sophie, filed.ticket, "a.pdf", pdf_bytes())
    marc = Acting.for_self(user=User.objects.create_user(demo_data.MARC_PEETERS_NISS), assurance_level=450)
    with pytest.raises(NotFound):
        attachments.attachment_remove(acting=marc, ticket=filed.ticket, attachment_id=attachment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        name = attachments.attachment_remove(acting=sophie, ticket=filed.ticket, attachment_id=attachment.pk)
    assert name == "a.pdf"
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    assert AuditEvent.objects.filter(action="careerbreak.attachment.removed").count() == 1


def test_nothing_is_attached_or_removed_once_the_part_is_sent(
    filed: LeaveRequest, sophie: Acting, django_capture_on_commit_callbacks: Any
) -> None:
    answer_all(sophie, filed.ticket)
    attachment = add(sophie, filed.ticket, "a.pdf", pdf_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    with pytest.raises(DomainError):
        add(sophie, filed.ticket, "b.png", image_bytes())
    with pytest.raises(DomainError):
        attachments.attachment_remove(acting=sophie, ticket=filed.ticket, attachment_id=attachment.pk)
    assert Attachment.objects.count() == 1


def test_what_each_type_requires(filed: LeaveRequest, sophie: Acting) -> None:
    part = answer_all(sophie, filed.ticket)

    def kinds(
        leave_type: str, details: dict[str, Any] | None = None, needs: Needs | None = None
    ) -> list[str]:
        filed.leave_type = leave_type
        filed.details = {**filed.details, **(details or {})}
        content = part.content.replace(needs=needs) if needs is not None else part.content
        return [r.kind.value for r in attachments.required_attachments(filed, content)]

    assert kinds(LeaveType.PARENTAL) == []
    assert kinds(LeaveType.PARENTAL, {"child_disabled": True}) == ["disability_attestation"]
    assert kinds(LeaveType.PARENTAL, {"child_disabled": False}, Needs(child_name="Emma")) == ["child_proof"]
    assert kinds(LeaveType.TC_DISABLED_CHILD, {}, Needs(child_niss="x")) == ["disability_attestation"]
    for medical in (LeaveType.MEDICAL_ASSISTANCE, LeaveType.PALLIATIVE, LeaveType.TC_PALLIATIVE):
        assert kinds(medical) == ["medical_certificate"]
    assert kinds(LeaveType.CAREGIVER) == ["caregiver_recognition"]
    assert kinds(LeaveType.TC_TRAINING) == ["training_attestation"]
    assert kinds(LeaveType.TC_END_OF_CAREER) == []


def test_confirming_with_a_required_attachment_missing_is_refused_naming_it(
    filed: LeaveRequest, sophie: Acting, django_capture_on_commit_callbacks: Any
) -> None:
    LeaveRequest.objects.filter(pk=filed.pk).update(details={**filed.details, "child_disabled": True})
    answer_all(sophie, filed.ticket)
    with translation.override("fr"), pytest.raises(DomainError) as refused:
        service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    assert refused.value.code == "attachment_missing"
    assert "Attestation du handicap reconnu de l'enfant" in str(refused.value.message)
    filed.refresh_from_db()
    assert filed.status == Status.AWAITING_WORKER

    add(sophie, filed.ticket, "other.pdf", pdf_bytes())  # another kind does not count
    with pytest.raises(DomainError):
        service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    add(sophie, filed.ticket, "handicap.png", image_bytes(), kind=AttachmentKind.DISABILITY)
    with django_capture_on_commit_callbacks(execute=True):
        service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    filed.refresh_from_db()
    assert filed.status == Status.COMPLETE


def test_the_acknowledgement_lists_each_attachment_with_its_sha256(
    filed: LeaveRequest, sophie: Acting
) -> None:
    answer_all(sophie, filed.ticket)
    first = add(sophie, filed.ticket, "certificat.pdf", pdf_bytes())
    second = add(sophie, filed.ticket, "photo.png", image_bytes())
    part = WorkerPart.objects.get(request=filed)
    with translation.override("fr"):
        rows = acknowledgement_context(part)["attachment_rows"]
    assert rows == [
        ("certificat.pdf", "Autre document", first.sha256),
        ("photo.png", "Autre document", second.sha256),
    ]


def test_the_certified_text_is_kept_in_its_source_wording_whatever_the_page_s_language(
    filed: LeaveRequest, sophie: Acting
) -> None:
    """The acknowledgement translates it into the worker's language: the language of the last page seen
    (here Dutch) must not end up in a French acknowledgement."""
    answer_all(sophie, filed.ticket)
    with translation.override("nl"):
        service.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    part = WorkerPart.objects.get(request=filed)
    assert part.certification_text.startswith("I certify on my honour")
    with translation.override("fr"):
        rows = dict(acknowledgement_context(part)["certification_rows"])
    assert rows["Texte certifié"].startswith("Je certifie sur l'honneur")
