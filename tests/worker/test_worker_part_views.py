"""The worker part through its pages: requests to complete, one page per topic saved as a draft, the
summary, *Confirmer*, the acknowledgement in the eBox and *Complète* for the employer; the outsiders
(anonymous, the employer, another worker) refused on every route."""

from __future__ import annotations

import datetime
import html as html_module
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.interruptions.models import LeaveRequest, StatusTransition, WorkerPart
from careerbreak.interruptions.states import Status
from careerbreak.mailbox.models import EboxMessage, OutboxMessage
from tests.request_fixtures import date_parts, file_sophie_s_leave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

IBAN = "BE71096123456769"

PAGES: dict[int, dict[str, str]] = {
    1: {
        "zone": "belgium",
        "street": "Rue du Moulin 15",
        "postal_code": "1301",
        "city": "Bierges",
        "country": "",
    },
    2: {"situation": "partner", "dependent_children": "1"},
    3: {"child": demo_data.SOPHIE_LAMBERT_CHILD_NISS},
    4: {},
    5: {"iban": "BE71 0961 2345 6769", "bic": "", "holder_confirmed": "on"},
}


@pytest.fixture
def filed(django_capture_on_commit_callbacks: Any) -> LeaveRequest:
    with django_capture_on_commit_callbacks(execute=True):
        return file_sophie_s_leave()


def sophie(login_as: Any, language: str = "fr") -> Client:
    client = login_as(demo_data.SOPHIE_LAMBERT_NISS, assurance_level=450)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text(response: Any) -> str:
    """The page as a reader sees its characters (apostrophes unescaped)."""
    return html_module.unescape(response.content.decode())


def page_url(filed: LeaveRequest, page: int) -> str:
    return reverse("worker:part_page", args=[filed.slug, page])


def answer_every_page(client: Client, filed: LeaveRequest) -> None:
    for page, data in PAGES.items():
        response = client.post(page_url(filed, page), data)
        assert response.status_code == 302, (page, text(response)[:2000])


def confirm(client: Client, filed: LeaveRequest, *, certified: bool = True) -> Any:
    """The summary's *Confirm*, with the certification ticked unless told."""
    return client.post(
        reverse("worker:part_check", args=[filed.slug]), {"certified": "on"} if certified else {}
    )


def assert_not_sent(filed: LeaveRequest) -> None:
    """The request still waits for the worker's part."""
    filed.refresh_from_db()
    assert filed.status == Status.AWAITING_WORKER


def sophie_at_the_summary(login_as: Any, filed: LeaveRequest) -> Client:
    """Sophie, logged in, with every page of her part answered: the summary comes next."""
    client = sophie(login_as)
    answer_every_page(client, filed)
    return client


def test_the_home_lists_the_request_to_complete_with_its_dates_in_the_locale(
    filed: LeaveRequest, login_as: Any
) -> None:
    html = text(sophie(login_as).get(reverse("worker:home")))
    assert "Demandes à compléter" in html
    assert filed.ticket in html
    assert "Boulangerie Dubois" in html
    # Start 1 February 2027: sendable from 1 August 2026, deadline 1 April 2027, in French's short format.
    assert "01/08/2026" in html
    assert "01/04/2027" in html
    assert "Congé parental" in html


def test_the_request_page_shows_the_employer_part_read_only_and_how_to_have_it_corrected(
    filed: LeaveRequest, login_as: Any
) -> None:
    html = text(sophie(login_as).get(reverse("worker:part_request", args=[filed.slug])))
    assert "Seul votre employeur peut corriger" in html
    assert "1 août 2026" in html  # sendable from, written out
    assert reverse("worker:part_page", args=[filed.slug, 1]) in html


def test_the_first_page_is_prefilled_from_the_national_register(filed: LeaveRequest, login_as: Any) -> None:
    html = text(sophie(login_as).get(page_url(filed, 1)))
    assert 'value="Rue du Moulin 15"' in html
    assert "90.06.15-122.02" in html


def test_each_page_is_saved_and_resumed_after_a_new_login(filed: LeaveRequest, login_as: Any) -> None:
    client = sophie(login_as)
    assert client.post(page_url(filed, 1), PAGES[1]).status_code == 302
    assert (
        client.post(page_url(filed, 2), {"situation": "only_children", "dependent_children": "2"}).status_code
        == 302
    )
    part = WorkerPart.objects.get(request=filed)
    assert part.content.household is not None and part.content.household.dependent_children == 2
    assert part.step == 3

    again = sophie(login_as)  # a new login
    html = text(again.get(reverse("worker:part_request", args=[filed.slug])))
    assert reverse("worker:part_page", args=[filed.slug, 3]) in html
    page_two = text(again.get(page_url(filed, 2)))
    assert 'value="2"' in page_two
    assert re.search(r'<input[^>]*value="only_children"[^>]*checked', page_two)


def test_a_page_not_reached_sends_back_to_the_first_unanswered_one(
    filed: LeaveRequest, login_as: Any
) -> None:
    response = sophie(login_as).get(page_url(filed, 4))
    assert response.status_code == 302
    assert response["Location"] == page_url(filed, 1)


def test_bad_input_is_answered_on_the_page_naming_the_field_and_nothing_is_saved(
    filed: LeaveRequest, login_as: Any
) -> None:
    client = sophie(login_as)
    answer = client.post(page_url(filed, 1), {**PAGES[1], "zone": "outside", "country": ""})
    assert answer.status_code == 400
    assert "Indiquez le pays de votre domicile." in text(answer)
    assert not WorkerPart.objects.exists()


def test_a_domicile_outside_the_eea_is_accepted_and_the_worker_told_no_allowance(
    filed: LeaveRequest, login_as: Any
) -> None:
    client = sophie(login_as)
    data = {**PAGES[1], "zone": "outside", "country": "Canada", "city": "Montréal", "postal_code": "H2X"}
    assert client.post(page_url(filed, 1), data).status_code == 302
    html = text(client.get(page_url(filed, 1)))
    assert "aucune allocation" in html


def test_the_summary_has_a_modify_link_per_topic_the_certification_and_confirm(
    filed: LeaveRequest, login_as: Any
) -> None:
    client = sophie_at_the_summary(login_as, filed)
    html = text(client.get(reverse("worker:part_check", args=[filed.slug])))
    for page in PAGES:
        assert reverse("worker:part_page", args=[filed.slug, page]) in html
    assert "Je certifie sur l'honneur" in html
    assert "BE71 0961 2345 6769" in html
    assert "Louise Lambert" in html


def test_confirm_without_the_certification_is_refused_on_the_page(filed: LeaveRequest, login_as: Any) -> None:
    client = sophie_at_the_summary(login_as, filed)
    response = confirm(client, filed, certified=False)
    assert response.status_code == 400
    assert "Cochez la case" in text(response)
    assert_not_sent(filed)


def test_confirm_completes_the_request_sends_the_acknowledgement_and_the_employer_sees_complete(
    filed: LeaveRequest, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = sophie_at_the_summary(login_as, filed)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, filed)
        again = confirm(client, filed)
    assert response.status_code == 302
    assert response["Location"] == reverse("worker:part_sent", args=[filed.slug])
    assert again.status_code == 302  # a double click: the same outcome, nothing twice
    filed.refresh_from_db()
    assert filed.status == Status.COMPLETE
    assert StatusTransition.objects.filter(request=filed, to_status=Status.COMPLETE).count() == 1
    assert (
        OutboxMessage.objects.filter(kind="worker_part", reference=filed.ticket, channel="ebox").count() == 1
    )

    message = EboxMessage.objects.get(recipient_niss=demo_data.SOPHIE_LAMBERT_NISS, kind="worker_part")
    assert filed.ticket in message.subject
    pdf = client.get(reverse("worker:ebox_attachment", args=[message.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")

    jean = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    consultation = text(jean.get(reverse("employer:consultation")))
    detail = text(jean.get(reverse("employer:request_detail", args=[filed.slug])))
    part = WorkerPart.objects.get(request=filed)
    assert part.submitted_at is not None
    for html in (consultation, detail):
        assert "Complète" in html
        assert "partie travailleur envoyée le 27/11/2026" in html  # the day the worker part was sent
        # Nothing of the worker's private data.
        assert "BE71" not in html
        assert "0961" not in html
        assert "Vit avec" not in html


def test_after_completion_the_pages_send_back_to_the_request_and_nothing_changes(
    filed: LeaveRequest, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = sophie_at_the_summary(login_as, filed)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, filed)
    data = WorkerPart.objects.get(request=filed).data
    response = client.post(page_url(filed, 5), {**PAGES[5], "iban": "NL91ABNA0417164300", "bic": "ABNANL2A"})
    assert response.status_code == 302
    assert WorkerPart.objects.get(request=filed).data == data
    home = text(client.get(reverse("worker:home")))
    to_complete = home.split("Demandes à compléter")[1].split("Demandes introduites")[0]
    assert filed.ticket not in to_complete
    assert "Aucune demande n'attend votre partie." in to_complete


def test_the_pages_speak_the_worker_s_language(filed: LeaveRequest, login_as: Any) -> None:
    client = sophie(login_as, "nl")
    html = text(client.get(page_url(filed, 1)))
    assert "Identiteit en woonplaats" in html
    html = text(sophie(login_as, "de").get(reverse("worker:home")))
    assert "Zu vervollständigende Anträge" in html


# -- outsiders ----------------------------------------------------------------------------------------


def routes(filed: LeaveRequest) -> list[str]:
    return [
        reverse("worker:part_request", args=[filed.slug]),
        page_url(filed, 1),
        reverse("worker:part_check", args=[filed.slug]),
        reverse("worker:part_sent", args=[filed.slug]),
    ]


def test_anonymous_is_sent_to_log_in(filed: LeaveRequest) -> None:
    for url in routes(filed):
        response = Client().get(url)
        assert response.status_code == 302
        assert reverse("identity:login") in response["Location"]


@pytest.mark.parametrize(
    "niss", [demo_data.JEAN_DUBOIS_NISS, demo_data.MARC_PEETERS_NISS], ids=["the employer", "another worker"]
)
def test_the_employer_and_another_worker_find_nothing(filed: LeaveRequest, login_as: Any, niss: str) -> None:
    client = login_as(niss)
    for url in routes(filed):
        assert client.get(url).status_code == 404, url
    assert client.post(page_url(filed, 1), PAGES[1]).status_code == 404
    assert confirm(client, filed).status_code == 404
    assert not WorkerPart.objects.exists()
    html = text(client.get(reverse("worker:home")))
    assert filed.ticket not in html


def test_dates_of_the_other_child_are_checked(filed: LeaveRequest, login_as: Any) -> None:
    client = sophie(login_as)
    client.post(page_url(filed, 1), PAGES[1])
    client.post(page_url(filed, 2), PAGES[2])
    response = client.post(
        page_url(filed, 3),
        {
            "child": "other",
            "child_name": "Emma",
            **date_parts("child_birth_date", datetime.date(2020, 5, 1)),
            **date_parts("child_registered_on", datetime.date(2019, 5, 1)),
        },
    )
    assert response.status_code == 400
    assert "L'inscription ne peut pas précéder la naissance." in text(response)
    assert not WorkerPart.objects.get(request=filed).content.needs


def test_too_early_the_summary_says_from_when_and_offers_no_confirm(
    filed: LeaveRequest, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(datetime.datetime(2026, 7, 15, 10, tzinfo=datetime.UTC), tick=False):
        client = sophie_at_the_summary(login_as, filed)
        html = text(client.get(reverse("worker:part_check", args=[filed.slug])))
        assert "Vous pourrez envoyer votre partie à partir du 1 août 2026" in html
        assert 'name="certified"' not in html
        refused = confirm(client, filed)
        assert refused.status_code == 400
        assert "1 août 2026" in text(refused)
    assert_not_sent(filed)


def test_a_late_part_is_told_before_confirming_and_marked_late(
    filed: LeaveRequest, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(datetime.datetime(2027, 4, 5, 10, tzinfo=datetime.UTC), tick=False):
        client = sophie(login_as)
        home = text(client.get(reverse("worker:home")))
        assert "En retard" in home
        answer_every_page(client, filed)
        html = text(client.get(reverse("worker:part_check", args=[filed.slug])))
        assert "l'allocation ne commence alors que le jour de l'envoi" in html
        with django_capture_on_commit_callbacks(execute=True):
            sent = confirm(client, filed)
        assert sent.status_code == 302
    part = WorkerPart.objects.get(request=filed)
    assert part.late
    filed.refresh_from_db()
    assert filed.status == Status.COMPLETE
