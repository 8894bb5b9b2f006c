"""Issue 15, point 13: the PDFs read like official documents. The issuer at the top, the page numbers,
dates in words, no internal code, the worker's copy without the employer's warnings, a cancellation that
certifies nothing, a version 2 that says what changed, a filing by a social secretariat that names it
and its mandate."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import translation

from careerbreak.documents.rendering import render_pdf
from careerbreak.documents.services import document_bytes
from careerbreak.documents.wording import page_numbers_css, written_date, written_datetime
from careerbreak.interruptions import services
from careerbreak.interruptions.documents import (
    attachment_key,
    employer_part_attachment,
    employer_part_document,
)
from careerbreak.interruptions.models import RequestVersion
from tests.documents.conftest import CONFIRMED_AT, WARNING, next_version, reader, text_of
from tests.factories import EnterpriseFactory, MandateFactory, acting_for
from tests.request_fixtures import jean_at_the_bakery, make_draft

ISSUER = "National Employment Office (ONEM/RVA) – career break, time credit and thematic leaves."


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("fr", "1er avril 2026", "2 avril 2026"),
        ("nl", "1 april 2026", "2 april 2026"),
        ("de", "1. April 2026", "2. April 2026"),
        ("en", "1 April 2026", "2 April 2026"),
    ],
)
def test_dates_are_written_in_words_as_each_language_writes_them(
    language: str, first: str, second: str
) -> None:
    with translation.override(language):
        assert written_date(datetime.date(2026, 4, 1)) == first
        assert written_date(datetime.date(2026, 4, 2)) == second
        assert written_date(None) == "–"


def test_a_moment_is_its_local_day_in_words_and_its_time() -> None:
    moment = datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC)  # 1 April, 00:30 in Brussels
    with translation.override("fr"):
        assert written_datetime(moment) == "1er avril 2026 à 00:30"
        assert written_date(moment) == "1er avril 2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Page {} de {}"), ("nl", "Pagina {} van {}"), ("de", "Seite {} von {}"), ("en", "Page {} of {}")],
)
def test_every_page_says_its_number_and_how_many_there_are(language: str, expected: str) -> None:
    rows = [(f"Label {index}", "Value " * 8) for index in range(90)]  # several pages
    pdf = render_pdf(
        template="documents/employer_part.html",
        context={"enterprise_rows": rows, "certification_rows": [], "certification_heading": "C"},
        language=language,
        title="Document",
    )
    pages = reader(pdf).pages
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert expected.format(number, len(pages)) in " ".join((page.extract_text() or "").split())


def test_the_page_number_wording_cannot_break_out_of_its_css_string() -> None:
    with translation.override("fr"):
        css = page_numbers_css()
    assert css == '"Page " counter(page) " de " counter(pages)'


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.django_db
def test_the_issuer_heads_the_first_page(language: str) -> None:
    pdf = render_pdf(
        template="documents/employer_part.html",
        context={"certification_rows": [], "issuer_office": "Bureau de Namur"},
        language=language,
        title="Document",
    )
    with translation.override(language):
        issuer = translation.gettext(ISSUER)
    assert text_of(pdf).startswith(f"{issuer} Bureau de Namur Document")


@pytest.mark.django_db
def test_the_employer_part_shows_no_internal_code(version: RequestVersion) -> None:
    text = text_of(document_bytes(employer_part_document(version)))
    assert version.certification_version not in text  # the version of the certification text
    with translation.override("fr"):
        for internal in ("Login assurance level", "Version of the certification text", "Level %(level)s"):
            assert translation.gettext(internal).split("%")[0].strip() not in text
    assert "carte d'identité électronique (eID)" in text


@pytest.mark.django_db
def test_the_worker_s_copy_has_no_warning_meant_for_the_employer(version: RequestVersion) -> None:
    employer_copy = text_of(document_bytes(employer_part_document(version)))
    _name, content, _type = employer_part_attachment(attachment_key(version))  # what the eBox attaches
    worker_copy = text_of(content)
    assert WARNING["message"] in employer_copy
    assert WARNING["message"] not in worker_copy
    with translation.override("fr"):
        heading = translation.gettext("Warnings shown when the request was confirmed")
    assert heading in employer_copy and heading not in worker_copy
    # Otherwise the same document: the worker, the leave, the certification.
    for same in ("Sophie Lambert", "1er février 2027", "Jean Dubois (78.04.12-135.07)"):
        assert same in worker_copy


@pytest.mark.django_db
def test_a_cancellation_certifies_nothing_and_says_who_cancelled(version: RequestVersion) -> None:
    with time_machine.travel(CONFIRMED_AT + datetime.timedelta(days=3), tick=False):
        cancellation = next_version(
            version.request, kind=RequestVersion.Kind.CANCELLATION, reason="Withdrawn.", status="cancelled"
        )
    text = text_of(document_bytes(employer_part_document(cancellation)))
    assert "I certify that the data entered are accurate and complete" not in text
    assert "Certifié par" not in text and "Texte certifié" not in text
    assert "Annulée par Jean Dubois (78.04.12-135.07)" in text
    assert "Annulée le 30 novembre 2026 à" in text


@pytest.mark.django_db
def test_a_version_2_says_what_changed_old_and_new(version: RequestVersion) -> None:
    leave_request = version.request
    details = {**leave_request.details, "hours_during_leave": "22.8"}
    with time_machine.travel(CONFIRMED_AT + datetime.timedelta(days=2), tick=False):
        modification = next_version(
            leave_request,
            kind=RequestVersion.Kind.MODIFICATION,
            end_date=datetime.date(2027, 9, 1),
            details=details,
        )
    text = text_of(document_bytes(employer_part_document(modification)))
    assert "Ce qui a changé depuis la version 1" in text
    assert "Donnée modifiée Avant Désormais" in text
    with translation.override("fr"):
        end = translation.gettext("End date")
    assert f"{end} 30 juin 2027 1er septembre 2027" in text
    assert "30,4 22,8" in text
    # Version 1 says nothing of the kind.
    assert "Ce qui a changé" not in text_of(document_bytes(employer_part_document(version)))


@pytest.mark.django_db
def test_a_filing_by_a_social_secretariat_names_it_and_the_mandate(
    django_capture_on_commit_callbacks: Any, media: Any
) -> None:
    jean, bakery = jean_at_the_bakery()
    secretariat = EnterpriseFactory(name="PayCo Social Secretariat", is_social_secretariat=True)
    MandateFactory(secretariat=secretariat, employer=bakery, valid_from=datetime.date(2025, 4, 1))
    acting = acting_for(jean, bakery, via=secretariat)
    with time_machine.travel(CONFIRMED_AT, tick=False):
        leave_request = services.request_confirm(
            acting=acting, draft_id=make_draft(jean, bakery).pk, certified=True
        )
    version = leave_request.versions.get()
    assert version.snapshot["secretariat"] == {
        "name": "PayCo Social Secretariat",
        "number": secretariat.formatted_number,
        "mandate_from": "2025-04-01",
        "mandate_until": None,
    }
    text = text_of(document_bytes(employer_part_document(version)))
    assert (
        f"Introduite par le secrétariat social PayCo Social Secretariat ({secretariat.formatted_number})"
        in text
    )
    assert "Mandat donné par Boulangerie Dubois SRL, valable à partir du 1er avril 2025" in text


@pytest.mark.django_db
def test_an_employer_filing_itself_names_no_secretariat(media: Any) -> None:
    jean, bakery = jean_at_the_bakery()
    with time_machine.travel(CONFIRMED_AT, tick=False):
        leave_request = services.request_confirm(
            acting=acting_for(jean, bakery), draft_id=make_draft(jean, bakery).pk, certified=True
        )
    version = leave_request.versions.get()
    assert "secretariat" not in version.snapshot
    assert "secrétariat social" not in text_of(document_bytes(employer_part_document(version)))


@pytest.mark.django_db
def test_the_version_takes_the_mandate_its_access_read_unless_it_no_longer_holds(
    django_assert_num_queries: Any,
) -> None:
    from django.utils import timezone

    from careerbreak.identity.access import EnterpriseAccess
    from careerbreak.identity.acting import Acting

    jean, bakery = jean_at_the_bakery()
    secretariat = EnterpriseFactory(name="PayCo Social Secretariat", is_social_secretariat=True)
    mandate = MandateFactory(secretariat=secretariat, employer=bakery, valid_from=datetime.date(2025, 4, 1))

    def acting_under(read: Any) -> Acting:
        access = EnterpriseAccess(enterprise=bakery, via=secretariat, mandate=read)
        return Acting.for_enterprise(user=jean, access=access, assurance_level=500)

    with django_assert_num_queries(0):  # the access's mandate (the API's token, the batch's look-up)
        assert services.secretariat_of(acting_under(mandate), bakery)["mandate_from"] == "2025-04-01"
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    stale = type(mandate).objects.get(pk=mandate.pk)  # as read before it ended (yesterday)
    stale.valid_from, stale.valid_until = datetime.date(2020, 1, 1), yesterday
    other = MandateFactory(secretariat=EnterpriseFactory(is_social_secretariat=True), employer=bakery)
    for not_this_one in (stale, other):
        with django_assert_num_queries(1):  # read again: today's mandate of that secretariat
            assert services.secretariat_of(acting_under(not_this_one), bakery)["mandate_from"] == "2025-04-01"
