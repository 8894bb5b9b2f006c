"""Issue 15, points 11 and 12: a deletion asks first, every employer page leads back to the service's
home, Consultation and the notices, the page after login says what comes next, the ticket page links
to the PDF, logging out asks first."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.interruptions.models import Draft, LeaveRequest
from tests.request_fixtures import draft_at_the_leave_step, parental_fifth, start_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)


def test_deleting_a_draft_asks_first_and_only_the_post_deletes(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    address = reverse("employer:draft_delete", args=[draft.pk])
    company = jean.get(reverse("employer:company")).content.decode()
    # The list links to the question; no button there deletes at once.
    assert f'href="{address}"' in company and f'action="{address}"' not in company
    question = jean.get(address)
    assert question.status_code == 200
    body = question.content.decode()
    assert "Supprimer ce brouillon ?" in body and "Sophie Lambert" in body and "Congé parental" in body
    assert f'action="{address}"' in body
    assert Draft.objects.filter(pk=draft.pk).exists()
    answer = jean.post(address)
    assert answer["Location"] == reverse("employer:company")
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_the_question_before_deleting_another_user_s_draft_is_not_found(jean: Client, login_as) -> None:  # type: ignore[no-untyped-def]
    draft = start_draft(jean)
    for niss, enterprise in [
        (demo_data.LUC_JANSSENS_NISS, demo_data.BOULANGERIE_DUBOIS_NUMBER),
        (demo_data.AN_VERHOEVEN_NISS, demo_data.ZORGGROEP_NUMBER),
    ]:
        other = login_as(niss, enterprise=enterprise)
        assert other.get(reverse("employer:draft_delete", args=[draft.pk])).status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        "employer:company",
        "employer:consultation",
        "employer:notices",
        "employer:access",
        "employer:corrections",
    ],
)
def test_every_employer_page_links_to_the_home_consultation_and_the_notices(jean: Client, name: str) -> None:
    body = jean.get(reverse(name)).content.decode()
    nav = body[body.index('<nav class="service-nav"') :]
    nav = nav[: nav.index("</nav>")]
    for target in ("employer:company", "employer:consultation", "employer:notices"):
        assert f'href="{reverse(target)}"' in nav, target
    # The page one is on is marked as such.
    assert f'href="{reverse(name)}" aria-current="page"' in nav or name not in {
        "employer:company",
        "employer:consultation",
        "employer:notices",
    }


def test_a_step_of_a_draft_has_the_navigation_too(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    body = jean.get(reverse("employer:step_leave", args=[draft.pk])).content.decode()
    assert f'href="{reverse("employer:consultation")}"' in body
    assert f'href="{reverse("employer:notices")}"' in body


def test_the_page_after_login_says_who_is_logged_in_and_what_comes_next(demo: None, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(demo_data.JEAN_DUBOIS_NISS)
    body = client.get(reverse("employer:logged_in")).content.decode()
    assert "Jean Dubois" in body and "78.04.12-135.07" in body
    assert "Et ensuite" in body and "Vous choisissez l'entreprise" in body
    assert "Continuer" in body


def test_the_ticket_page_links_to_the_pdf_of_the_version(jean: Client) -> None:
    draft = draft_at_the_leave_step(jean, "PARENTAL")
    jean.post(reverse("employer:step_leave", args=[draft.pk]), parental_fifth())
    confirmed = jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
    leave_request = LeaveRequest.objects.get()
    body = jean.get(confirmed["Location"]).content.decode()
    pdf = reverse("employer:request_pdf", args=[leave_request.slug, 1])
    assert f'href="{pdf}"' in body and "PDF, version 1" in body
    response = jean.get(pdf)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_logging_out_asks_first_with_a_button_that_posts(jean: Client) -> None:
    company = jean.get(reverse("employer:company")).content.decode()
    assert f'href="{reverse("identity:logout")}?next=/employer/company/"' in company
    question = jean.get(f"{reverse('identity:logout')}?next=/employer/company/")
    assert question.status_code == 200
    body = question.content.decode()
    assert "Se déconnecter ?" in body
    assert f'action="{reverse("identity:logout")}" method="post"' in body
    assert 'href="/employer/company/"' in body
    assert "_auth_user_id" in jean.session
    jean.post(reverse("identity:logout"))
    assert "_auth_user_id" not in jean.session


def test_the_way_back_from_the_logout_question_stays_on_this_site(jean: Client) -> None:
    body = jean.get(f"{reverse('identity:logout')}?next=//evil.example/").content.decode()
    assert 'href="//evil.example/"' not in body
    assert 'href="/">' in body
