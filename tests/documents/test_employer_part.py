"""The PDF of the employer part: what it shows, in the worker's language, stored once per version."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import translation

from careerbreak.documents.models import Document
from careerbreak.documents.services import DocumentAltered, document_bytes
from careerbreak.interruptions.documents import (
    attachment_key,
    employer_part_attachment,
    employer_part_document,
)
from careerbreak.interruptions.models import RequestVersion
from tests.documents.conftest import (
    CONFIRMED_AT,
    ERROR,
    WARNING,
    catalog,
    make_request,
    next_version,
    text_of,
)
from tests.request_fixtures import confirm, jean_at_the_bakery, make_draft


def pdf_of(version: RequestVersion) -> bytes:
    return document_bytes(employer_part_document(version))


def has_catalogue(language: str, msgid: str) -> bool:
    with translation.override(language):
        return translation.gettext(msgid) != msgid


@pytest.mark.django_db
def test_it_shows_the_ticket_the_employer_the_worker_and_the_leave(version: RequestVersion) -> None:
    text = text_of(pdf_of(version))
    assert "2026/00000001/51" in text
    # The employer: name, formatted numbers, address.
    assert "Boulangerie Dubois SRL" in text
    assert "0812.345.603" in text
    assert "1234567-49" in text
    assert "Rue du Four 12, 5000 Namur" in text
    # The worker: name, formatted national register number, birth date.
    assert "Sophie Lambert" in text
    assert "90.06.15-122.02" in text
    assert "15 juin 1990" in text
    # The leave, written out in French: the notice, the start and the end.
    assert "20 novembre 2026" in text
    assert "1er février 2027" in text  # the first of the month as French writes it
    assert "30 juin 2027" in text


@pytest.mark.django_db
def test_it_shows_the_type_form_and_details_with_their_labels(version: RequestVersion) -> None:
    text = text_of(pdf_of(version))
    with translation.override("fr"):
        expected = [
            translation.gettext("Parental leave"),
            translation.pgettext("leave form", "1/5"),
            translation.gettext("Worker's weekly hours (Q)"),
            translation.gettext("Date of birth of the child"),
            translation.gettext("Employment during the %(months)s months before the notice") % {"months": 12},
            translation.gettext("Full-time"),
        ]
    for label in expected:
        assert " ".join(label.split()) in text
    assert "10 février 2024" in text  # the child's birth date
    assert "24.02.10-002.51" in text  # the child's national register number
    assert "30,4" in text  # hours with the French decimal comma


@pytest.mark.django_db
def test_it_shows_the_certification(version: RequestVersion) -> None:
    text = text_of(pdf_of(version))
    assert "Jean Dubois (78.04.12-135.07)" in text
    assert "27 novembre 2026 à" in text
    # The means of login in words, never the assurance level's number nor the text's version.
    assert "Connexion avec carte d'identité électronique (eID)" in text
    assert "Niveau 500" not in text and "Niveau" not in text
    assert "I certify that the data entered are accurate and complete" in text
    assert version.certification_version not in text


@pytest.mark.django_db
def test_it_shows_the_warnings_and_never_an_error(version: RequestVersion) -> None:
    text = text_of(pdf_of(version))
    assert WARNING["message"] in text
    assert ERROR["message"] not in text


@pytest.mark.django_db
def test_without_warnings_there_is_no_warnings_section(db: None) -> None:
    with time_machine.travel(CONFIRMED_AT, tick=False):
        version = make_request(findings=[]).versions.get()
    text = text_of(pdf_of(version))
    with translation.override("fr"):
        assert translation.gettext("Warnings shown when the request was confirmed") not in text


@pytest.mark.django_db
def test_a_dutch_speaking_worker_gets_the_document_in_dutch(db: None) -> None:
    with time_machine.travel(CONFIRMED_AT, tick=False):
        version = make_request(worker_language="nl").versions.get()
    document = employer_part_document(version)
    pdf = document_bytes(document)
    assert document.language == "nl"
    assert catalog(pdf)["/Lang"] == "nl"
    text = text_of(pdf)
    assert "1 februari 2027" in text  # Django's own Dutch month names
    if has_catalogue("nl", "Parental leave"):
        assert "Ouderschapsverlof" in text
        with translation.override("nl"):
            assert (
                translation.gettext("Employer part of request %(ticket)s") % {"ticket": "2026/00000001/51"}
                == document.title
            )


@pytest.mark.django_db
def test_a_cancellation_says_so_with_its_reason(version: RequestVersion) -> None:
    leave_request = version.request
    with time_machine.travel(CONFIRMED_AT + datetime.timedelta(days=3), tick=False):
        cancellation = next_version(
            leave_request,
            kind=RequestVersion.Kind.CANCELLATION,
            reason="The worker withdrew the notice.",
            status="cancelled",
        )
    text = text_of(pdf_of(cancellation))
    with translation.override("fr"):
        assert (
            " ".join(translation.gettext("Cancellation of request %(ticket)s").split())
            % {"ticket": "2026/00000001/51"}
            in text
        )
        notice = translation.gettext(
            "This version cancels the request. The leave described below will not take place."
        )
    assert " ".join(notice.split()) in text
    assert "The worker withdrew the notice." in text
    assert "30 novembre 2026" in text  # when the cancellation was certified


@pytest.mark.django_db
def test_the_same_version_is_stored_once(version: RequestVersion) -> None:
    first = employer_part_document(version)
    second = employer_part_document(RequestVersion.objects.get(pk=version.pk))
    assert second.pk == first.pk
    assert second.sha256 == first.sha256
    assert Document.objects.count() == 1
    assert first.kind == "employer_part"
    assert first.reference == "2026/00000001/51"
    assert first.version == 1
    assert first.file.name == "documents/2026/00000001-51/employer_part-v1-fr.pdf"


@pytest.mark.django_db
def test_the_stored_document_stays_the_one_sent_even_if_the_worker_changes_language(
    version: RequestVersion,
) -> None:
    first = employer_part_document(version)
    worker = version.request.worker
    worker.language = "nl"
    worker.save()
    again = employer_part_document(RequestVersion.objects.get(pk=version.pk))
    assert again.pk == first.pk and again.language == "fr"
    # A copy in another language is a document of its own, when asked for explicitly.
    dutch = employer_part_document(version, language="nl")
    assert dutch.pk != first.pk and dutch.language == "nl"


@pytest.mark.django_db
def test_a_modification_is_a_new_document_and_the_first_version_is_kept(version: RequestVersion) -> None:
    first = employer_part_document(version)
    with time_machine.travel(CONFIRMED_AT + datetime.timedelta(days=1), tick=False):
        modified = next_version(
            version.request, kind=RequestVersion.Kind.MODIFICATION, end_date=datetime.date(2027, 7, 31)
        )
    second = employer_part_document(modified)
    assert second.pk != first.pk
    assert second.version == 2
    assert "31 juillet 2027" in text_of(document_bytes(second))
    assert "30 juin 2027" in text_of(document_bytes(first))


@pytest.mark.django_db
def test_the_attachment_provider_gives_the_stored_pdf(version: RequestVersion) -> None:
    key = attachment_key(version)
    assert key == f"{version.request_id}:1"
    filename, content, media_type = employer_part_attachment(key)
    assert filename == "2026-00000001-51-v1-fr.pdf"
    assert media_type == "application/pdf"
    assert content == document_bytes(Document.objects.get())
    # Asked again: the same stored document, not a second one.
    assert employer_part_attachment(key)[1] == content
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_the_attachment_provider_refuses_an_altered_document(version: RequestVersion, media: Any) -> None:
    document = employer_part_document(version, worker_copy=True)  # the copy the eBox carries
    (media / document.file.name).write_bytes(b"%PDF-1.7 forged")
    with pytest.raises(DocumentAltered):
        employer_part_attachment(attachment_key(version))


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "1", "a:1", "1:b", "1:2:3"])
def test_the_attachment_provider_refuses_a_malformed_key(key: str) -> None:
    with pytest.raises(ValueError):
        employer_part_attachment(key)


@pytest.mark.django_db
def test_the_attachment_provider_does_not_know_an_unknown_version(version: RequestVersion) -> None:
    with pytest.raises(RequestVersion.DoesNotExist):
        employer_part_attachment(f"{version.request_id}:9")


@pytest.mark.django_db
def test_a_request_confirmed_through_the_service_gets_its_pdf(db: None) -> None:
    jean, bakery = jean_at_the_bakery()
    with time_machine.travel(CONFIRMED_AT, tick=False):
        leave_request = confirm(jean, bakery, make_draft(jean, bakery))
    version = leave_request.versions.get(number=1)
    text = text_of(pdf_of(version))
    assert leave_request.ticket in text
    assert "Sophie Lambert" in text and "90.06.15-122.02" in text
    assert "Boulangerie Dubois SRL" in text and "0812.345.603" in text
    assert "1er février 2027" in text and "30 juin 2027" in text
    with translation.override("fr"):
        assert translation.gettext("Parental leave") in text
    warnings = [f["message"] for f in version.findings if f["severity"] == "warning"]
    for message in warnings:
        assert " ".join(message.split())[:40] in text


@pytest.mark.django_db
def test_a_version_filed_on_the_web_shows_the_login_s_assurance_level_and_no_api_client(
    version: RequestVersion,
) -> None:
    assert version.api_client_id is None
    text = text_of(pdf_of(version))
    assert "Connexion avec" in text
    assert "API" not in text
