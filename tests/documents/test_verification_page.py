"""The public verification page: by code and by file, in four languages, nothing personal, one neutral
answer for a wrong code, audited, rate-limited, and never a 500 on what is uploaded."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.documents.models import Document
from careerbreak.documents.services import document_bytes
from careerbreak.interruptions.documents import employer_part_document
from careerbreak.interruptions.models import RequestVersion
from tests.documents.conftest import TICKET, WORKER_NISS, next_version
from tests.rate_limit_fixtures import assert_too_many, limits, send_up_to_the_limit

ANSWERS = {
    "fr": ("Partie employeur d’une demande", "Il s’agit de la dernière version."),
    "nl": ("Werkgeversgedeelte van een aanvraag", "Dit is de laatste versie."),
    "de": ("Arbeitgeberteil eines Antrags", "Dies ist die neueste Fassung."),
    "en": ("Employer part of a request", "This is the latest version."),
}
NOT_FOUND = "No document issued by the service has this code"


def ask(client: Client, code: str, language: str = "en") -> Any:
    return client.get(reverse("portal:verify"), {"code": code}, HTTP_ACCEPT_LANGUAGE=language)


def upload(client: Client, content: bytes, language: str = "en") -> Any:
    return client.post(
        reverse("portal:verify_file"),
        {"file": SimpleUploadedFile("document.pdf", content, content_type="application/pdf")},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def answer_of(response: Any) -> str:
    """The answer section only (the form around it echoes what was typed)."""
    match = re.search(
        r'<section aria-labelledby="answer-title".*?</section>', response.content.decode(), re.S
    )
    assert match, "no answer on the page"
    return match.group(0)


@pytest.fixture
def document(version: RequestVersion) -> Document:
    return employer_part_document(version)


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_code_tells_the_kind_version_date_and_standing_in_four_languages(
    client: Client, document: Document, language: str
) -> None:
    response = ask(client, document.verification_code or "", language)
    assert response.status_code == 200
    kind, latest = ANSWERS[language]
    answer = answer_of(response)
    assert kind in answer
    assert latest in answer
    assert f'lang="{language}"' in response.content.decode()[:300]


def test_the_answer_shows_nothing_personal(client: Client, document: Document) -> None:
    page = ask(client, (document.verification_code or "").lower().replace("-", " ")).content.decode()
    assert "Employer part of a request" in page
    for personal in ("Sophie", "Lambert", "Dubois", TICKET, WORKER_NISS, "Boulangerie"):
        assert personal not in page


def test_a_wrong_code_and_a_malformed_one_get_the_same_neutral_answer(
    client: Client, document: Document
) -> None:
    code = document.verification_code or ""
    near = code[:-1] + ("0" if code[-1] != "0" else "1")
    answers = {answer_of(ask(client, typed)) for typed in (near, "0000-0000-0000-0000", "hello", "x" * 500)}
    assert len(answers) == 1
    assert NOT_FOUND in answers.pop()


def test_an_empty_code_is_a_message_naming_the_field(client: Client, db: None) -> None:
    response = ask(client, "")
    assert response.status_code == 200
    assert "Verification code" in response.content.decode()
    assert "This field is required." in response.content.decode()
    assert not AuditEvent.objects.filter(action="careerbreak.document.verified").exists()


def test_the_standing_follows_the_request(client: Client, version: RequestVersion) -> None:
    first = employer_part_document(version)
    modification = next_version(version.request, kind=RequestVersion.Kind.MODIFICATION, reason="Dates.")
    assert "replaced by a modification" in answer_of(ask(client, first.verification_code or ""))
    second = employer_part_document(modification)
    assert "This is the latest version." in answer_of(ask(client, second.verification_code or ""))
    next_version(version.request, kind=RequestVersion.Kind.CANCELLATION, reason="Changed their mind.")
    assert "cancelled after this version" in answer_of(ask(client, second.verification_code or ""))


def test_every_verification_is_audited_without_the_code(client: Client, document: Document) -> None:
    ask(client, document.verification_code or "")
    ask(client, "0000-0000-0000-0000")
    events = list(AuditEvent.objects.filter(action="careerbreak.document.verified").order_by("pk"))
    assert [event.data["found"] for event in events] == [True, False]
    assert events[0].object_id == str(document.pk)
    assert all(event.ip_address == "127.0.0.1" for event in events)
    assert "0000-0000" not in str(events[1].data)


def test_the_issued_file_is_confirmed_byte_for_byte(client: Client, document: Document) -> None:
    response = upload(client, document_bytes(document))
    answer = answer_of(response)
    assert "This file is a document the service issued, unaltered" in answer
    assert "Employer part of a request" in answer
    assert "The electronic seal is valid." in answer
    assert AuditEvent.objects.get(action="careerbreak.document.verified").data["seal"] == "valid"


def test_a_copy_altered_by_one_byte_is_refused(client: Client, document: Document) -> None:
    altered = bytearray(document_bytes(document))
    altered[len(altered) // 3] ^= 0x01
    answer = answer_of(upload(client, bytes(altered)))
    assert "This file is not a document the service issued as it is" in answer
    assert "The electronic seal does not match the file" in answer


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", b"%PDF-1.7\n" + bytes(range(256)) * 40])
def test_garbage_is_answered_never_a_500(client: Client, db: None, content: bytes) -> None:
    response = upload(client, content)
    assert response.status_code == 200
    page = response.content.decode()
    if content:
        assert "The file carries no seal of the service." in answer_of(response)
    else:
        assert "The document (PDF)" in page  # an empty file: a message naming the field


@pytest.mark.parametrize(
    "limit",
    [
        "VERIFICATION_UPLOAD_MAX_BYTES",  # the page's own limit, checked on the file received
        "ATTACHMENT_MAX_BYTES",  # the upload handler's, which stops the file while it arrives
    ],
)
def test_a_file_over_the_size_limit_is_refused_with_a_message(
    client: Client, db: None, settings: Any, limit: str
) -> None:
    setattr(settings, limit, 1000)
    response = upload(client, b"%PDF" + b"0" * 5000)
    assert response.status_code == 200
    assert "The file is larger than" in response.content.decode()
    assert not AuditEvent.objects.filter(action="careerbreak.document.verified").exists()


def test_the_page_is_rate_limited_per_address(client: Client, db: None, settings: Any) -> None:
    limits(settings, verification_per_ip="3/m")
    send_up_to_the_limit(lambda: ask(client, "0000-0000-0000-0000"), 3)
    assert_too_many(ask(client, "0000-0000-0000-0000", "fr"), language="fr", window=60)
    # The form alone (no code) is not counted.
    assert client.get(reverse("portal:verify")).status_code == 200


def test_the_qr_code_leads_to_the_answer(document: Document, settings: Any) -> None:
    from careerbreak.documents.services import verification_url

    url = verification_url(document.verification_code or "")
    assert url.startswith(settings.SEAL_VERIFICATION_URL)
    path = url.removeprefix("http://127.0.0.1:8000")
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert "Employer part of a request" in answer_of(response)


def test_the_worker_s_copy_is_named_and_follows_the_request_too(
    client: Client, version: RequestVersion
) -> None:
    copy = employer_part_document(version, worker_copy=True)
    assert copy.kind == "employer_part_worker"
    answer = answer_of(ask(client, copy.verification_code or "", "fr"))
    assert "Partie employeur d’une demande, exemplaire du travailleur" in answer
    assert "employer_part" not in answer
    next_version(version.request, kind=RequestVersion.Kind.MODIFICATION, reason="Dates.")
    assert "replaced by a modification" in answer_of(ask(client, copy.verification_code or ""))
