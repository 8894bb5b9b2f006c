"""The attachments page of the worker part: one file at a time through a multipart form that needs no
script, each refusal on the page with the error summary and the file's name, an upload over the limit
answered with the message (never a 500), the summary listing the files, downloads served only as
downloads and only to the worker."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.interruptions.models import Attachment, LeaveRequest
from careerbreak.interruptions.states import Status
from tests.attachment_files import TEXT_AS_PDF, encrypted_pdf_bytes, image_bytes, pdf_bytes
from tests.request_fixtures import date_parts
from tests.worker import test_worker_part_views
from tests.worker.test_worker_part_views import (
    PAGES,
    answer_every_page,
    page_url,
    sophie,
    sophie_at_the_summary,
    text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

filed = test_worker_part_views.filed


def url(filed: LeaveRequest) -> str:
    return reverse("worker:part_attachments", args=[filed.slug])


def upload(name: str, content: bytes, kind: str = "other") -> dict[str, Any]:
    return {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")}


def stored(media: Path) -> list[Path]:
    folder = media / "attachments"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_payment_leads_to_the_attachments_page_then_the_summary(filed: LeaveRequest, login_as: Any) -> None:
    client = sophie(login_as)
    for page, data in PAGES.items():
        response = client.post(page_url(filed, page), data)
    assert response["Location"] == url(filed)
    html = text(client.get(url(filed)))
    assert 'enctype="multipart/form-data"' in html
    assert "Page 6 sur 6" in html
    assert "Cette demande n'exige aucune annexe." in html
    assert "Votre employeur ne voit jamais vos annexes." in html
    assert f'action="{reverse("worker:part_check", args=[filed.slug])}"' in html


def test_the_page_waits_for_the_other_pages(filed: LeaveRequest, login_as: Any) -> None:
    client = sophie(login_as)
    client.post(page_url(filed, 1), PAGES[1])
    response = client.get(url(filed))
    assert response.status_code == 302
    assert response["Location"] == page_url(filed, 2)


def test_a_text_file_named_pdf_is_refused_on_the_page_naming_it_and_nothing_is_kept(
    filed: LeaveRequest, login_as: Any, media: Path
) -> None:
    client = sophie_at_the_summary(login_as, filed)
    response = client.post(url(filed), upload("certificat.pdf", TEXT_AS_PDF))
    assert response.status_code == 400
    html = text(response)
    assert 'class="error-summary"' in html
    assert "« certificat.pdf » n'est pas un fichier PDF, JPEG ou PNG" in html
    assert not Attachment.objects.exists()
    assert stored(media) == []


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "est vide"), (encrypted_pdf_bytes(), "est protégé par un mot de passe")],
    ids=["empty", "encrypted"],
)
def test_an_empty_or_encrypted_file_is_refused_naming_it(
    filed: LeaveRequest, login_as: Any, content: bytes, words: str
) -> None:
    client = sophie_at_the_summary(login_as, filed)
    response = client.post(url(filed), upload("scan.pdf", content))
    assert response.status_code == 400
    assert f"« scan.pdf » {words}" in text(response)
    assert not Attachment.objects.exists()


def test_no_file_or_no_kind_is_said_on_the_page(filed: LeaveRequest, login_as: Any) -> None:
    client = sophie_at_the_summary(login_as, filed)
    html = text(client.post(url(filed), {"kind": "other"}))
    assert "Choisissez un fichier à joindre." in html
    html = text(client.post(url(filed), {"file": SimpleUploadedFile("a.pdf", pdf_bytes())}))
    assert "Indiquez de quel document il s'agit." in html
    assert not Attachment.objects.exists()


def test_an_upload_over_the_limit_is_answered_on_the_page_never_a_500(
    filed: LeaveRequest, login_as: Any, media: Path, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    client = sophie_at_the_summary(login_as, filed)
    big = b"%PDF-1.7\n" + b"0" * (200 * 1024)
    response = client.post(url(filed), upload("scanner.pdf", big))
    assert response.status_code == 400
    html = text(response)
    assert "« scanner.pdf » dépasse 0,0625 Mo : joignez un fichier plus petit." in html
    assert "Choisissez un fichier" not in html
    assert 'class="error-summary"' in html
    assert not Attachment.objects.exists()
    assert stored(media) == []


def test_over_the_limit_with_the_csrf_check_the_middleware_reads_first_and_the_page_still_says_it(
    filed: LeaveRequest, login_as: Any, settings: Any
) -> None:
    """As in production: the CSRF middleware parses the body before the view."""
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    answer_every_page(sophie(login_as), filed)
    client = Client(enforce_csrf_checks=True)
    client.cookies = sophie(login_as).cookies
    page = text(client.get(url(filed)))
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    big = b"%PDF-1.7\n" + b"0" * (200 * 1024)
    response = client.post(url(filed), {"csrfmiddlewaretoken": token, **upload("scanner.pdf", big)})
    assert response.status_code == 400
    assert "« scanner.pdf » dépasse 0,0625 Mo" in text(response)
    assert not Attachment.objects.exists()


def test_a_request_too_big_for_django_is_a_400_never_a_500(
    filed: LeaveRequest, login_as: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = sophie_at_the_summary(login_as, filed)
    response = client.post(url(filed), {"kind": "other", "padding": "x" * 4096})
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_a_valid_file_is_attached_listed_downloaded_as_a_download_and_removed(
    filed: LeaveRequest, login_as: Any, media: Path
) -> None:
    client = sophie_at_the_summary(login_as, filed)
    content = image_bytes("PNG")
    response = client.post(url(filed), upload("photo du certificat.png", content))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    html = text(client.get(url(filed)))
    assert "« photo du certificat.png » est joint." in html
    assert "photo du certificat.png" in html
    download_url = reverse("worker:part_attachment", args=[filed.slug, attachment.pk])
    assert download_url in html

    download = client.get(download_url)
    assert download.status_code == 200
    assert download.content == content
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="photo-du-certificat.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(action="careerbreak.attachment.downloaded").count() == 1

    summary = text(client.get(reverse("worker:part_check", args=[filed.slug])))
    assert "Annexes" in summary and "photo du certificat.png" in summary
    assert url(filed) in summary

    removed = client.post(reverse("worker:part_attachment_remove", args=[filed.slug, attachment.pk]))
    assert removed.status_code == 302
    assert "« photo du certificat.png » a été retiré." in text(client.get(url(filed)))
    assert not Attachment.objects.exists()


def test_a_required_attachment_is_said_with_its_reason_and_its_absence_refuses_confirm(
    filed: LeaveRequest, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = sophie(login_as)
    for page, data in PAGES.items():
        if page == 3:  # a child the national register does not know: the proof of the link is required
            data = {
                "child": "other",
                "child_name": "Emma Lambert",
                **date_parts("child_birth_date", datetime.date(2022, 5, 1)),
                **date_parts("child_registered_on", datetime.date(2023, 1, 10)),
            }
        assert client.post(page_url(filed, page), data).status_code == 302
    html = text(client.get(url(filed)))
    assert "Acte de naissance, ou preuve de l'adoption ou du placement familial" in html
    assert "Le registre national ne connaît pas l'enfant" in html
    assert "encore à joindre" in html

    check = reverse("worker:part_check", args=[filed.slug])
    assert "Encore à joindre avant de pouvoir confirmer" in text(client.get(check))
    refused = client.post(check, {"certified": "on"})
    assert refused.status_code == 400
    assert "Acte de naissance, ou preuve de l'adoption ou du placement familial" in text(refused)
    filed.refresh_from_db()
    assert filed.status == Status.AWAITING_WORKER

    assert client.post(url(filed), upload("acte.pdf", pdf_bytes(), kind="child_proof")).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(check, {"certified": "on"}).status_code == 302
    filed.refresh_from_db()
    assert filed.status == Status.COMPLETE


# -- outsiders ----------------------------------------------------------------------------------------


@pytest.fixture
def attached(filed: LeaveRequest, login_as: Any) -> Attachment:
    client = sophie_at_the_summary(login_as, filed)
    assert client.post(url(filed), upload("certificat.pdf", pdf_bytes())).status_code == 302
    return Attachment.objects.get()


def test_anonymous_is_sent_to_log_in(filed: LeaveRequest, attached: Attachment) -> None:
    for target in (url(filed), reverse("worker:part_attachment", args=[filed.slug, attached.pk])):
        response = Client().get(target)
        assert response.status_code == 302
        assert reverse("identity:login") in response["Location"]
    remove = reverse("worker:part_attachment_remove", args=[filed.slug, attached.pk])
    # A form posted without a session: the page that says the session ended (identity/session_end.py).
    assert Client().post(remove)["Location"].startswith(reverse("identity:session_ended"))
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("niss", "enterprise"),
    [
        (demo_data.JEAN_DUBOIS_NISS, demo_data.BOULANGERIE_DUBOIS_NUMBER),
        (demo_data.JEAN_DUBOIS_NISS, None),
        (demo_data.MARC_PEETERS_NISS, None),
    ],
    ids=["the employer", "the employer as a citizen", "another worker"],
)
def test_the_employer_and_another_worker_find_nothing(
    filed: LeaveRequest, attached: Attachment, login_as: Any, niss: str, enterprise: str | None
) -> None:
    client = login_as(niss, enterprise=enterprise) if enterprise else login_as(niss)
    download = reverse("worker:part_attachment", args=[filed.slug, attached.pk])
    assert client.get(url(filed)).status_code == 404
    assert client.post(url(filed), upload("x.pdf", pdf_bytes())).status_code == 404
    assert client.get(download).status_code == 404
    remove = reverse("worker:part_attachment_remove", args=[filed.slug, attached.pk])
    assert client.post(remove).status_code == 404
    assert Attachment.objects.count() == 1
    assert not AuditEvent.objects.filter(action="careerbreak.attachment.downloaded").exists()
    # Nor does the employer's view of the request show the worker's attachments.
    jean = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    assert "certificat.pdf" not in text(jean.get(reverse("employer:request_detail", args=[filed.slug])))


def test_an_altered_or_lost_file_is_never_served_and_the_page_says_so(
    filed: LeaveRequest, attached: Attachment, login_as: Any, media: Path
) -> None:
    download = reverse("worker:part_attachment", args=[filed.slug, attached.pk])
    (media / attached.file.name).write_bytes(b"%PDF-1.7 something else")
    response = sophie(login_as).get(download)
    assert response.status_code == 500
    assert "Le fichier ne peut pas être téléchargé pour l'instant" in text(response)
    assert b"something else" not in response.content
    (media / attached.file.name).unlink()
    assert sophie(login_as).get(download).status_code == 500
