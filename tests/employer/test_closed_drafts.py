"""A confirmed draft is closed (issue 15.5); every step answers a POST with a redirect; a modification
and an extension say what they are on every step and at the end (issue 15.6)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.interruptions.models import Draft, LeaveRequest
from tests.request_fixtures import choose_type, choose_worker, date_parts, parental_fifth, start_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

STEPS = ["employer:step_worker", "employer:step_type", "employer:step_leave", "employer:step_confirm"]

# What step 6 of the modification posts: the request as filed, a month later.
MODIFIED = parental_fifth(
    **date_parts("start", datetime.date(2027, 3, 1)), **date_parts("end", datetime.date(2027, 7, 31))
)


def modification_draft(client: Client, filed: LeaveRequest) -> Draft:
    """The draft that *Modify* opens for the filed request."""
    client.post(reverse("employer:request_modify", args=[filed.slug]))
    return Draft.objects.exclude(pk=filed.draft_id).get()


def confirmed_draft(client: Client) -> tuple[Draft, LeaveRequest]:
    draft = start_draft(client)
    choose_worker(client, draft)
    choose_type(client, draft, "PARENTAL")
    assert client.post(reverse("employer:step_leave", args=[draft.pk]), parental_fifth()).status_code == 302
    client.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
    return draft, LeaveRequest.objects.get(draft=draft)


def texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_every_step_of_a_confirmed_draft_leads_to_its_ticket_page_with_a_message(jean: Client) -> None:
    draft, filed = confirmed_draft(jean)
    ticket_page = reverse("employer:confirmation", args=[filed.slug])
    for name in STEPS:
        response = jean.get(reverse(name, args=[draft.pk]), follow=True)
        assert response.redirect_chain == [(ticket_page, 302)], name
        assert any(filed.ticket in text and "déjà été confirmée" in text for text in texts(response))
    assert "déjà été confirmée" in response.content.decode()


def test_a_change_posted_from_an_old_tab_after_confirming_is_refused_with_a_message(jean: Client) -> None:
    draft, filed = confirmed_draft(jean)
    before = Draft.objects.get(pk=draft.pk).data
    posted = jean.post(
        reverse("employer:step_leave", args=[draft.pk]), parental_fifth(weekly_hours="20"), follow=True
    )
    assert posted.redirect_chain == [(reverse("employer:confirmation", args=[filed.slug]), 302)]
    assert any("pas été enregistrée" in text for text in texts(posted))
    assert "pas été enregistrée" in posted.content.decode()
    assert Draft.objects.get(pk=draft.pk).data == before
    # Neither can the draft be deleted, nor its worker changed, from the old tab.
    jean.post(reverse("employer:draft_delete", args=[draft.pk]))
    jean.post(
        reverse("employer:step_worker", args=[draft.pk]),
        {"action": "select", "niss": demo_data.SOPHIE_LAMBERT_NISS, "status": "PRIVATE_BLUE_COLLAR"},
    )
    assert Draft.objects.get(pk=draft.pk).data == before
    assert LeaveRequest.objects.count() == 1


def test_a_confirmed_draft_leaves_the_drafts_and_so_does_a_confirmed_modification(
    filed: LeaveRequest, login_as: Any
) -> None:
    jean = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    draft = modification_draft(jean, filed)
    company = reverse("employer:company")
    assert reverse("employer:step_leave", args=[draft.pk]) in jean.get(company).content.decode()
    jean.post(reverse("employer:step_leave", args=[draft.pk]), MODIFIED)
    jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
    page = jean.get(company).content.decode()
    assert str(draft.pk) not in page
    assert str(filed.draft_id) not in page
    # The modification's steps now lead to the request's ticket page too.
    response = jean.get(reverse("employer:step_leave", args=[draft.pk]))
    assert response["Location"] == reverse("employer:confirmation", args=[filed.slug])


def test_an_invalid_post_redirects_and_the_next_get_shows_the_errors_once(jean: Client) -> None:
    draft = start_draft(jean)
    choose_worker(jean, draft)
    choose_type(jean, draft, "PARENTAL")
    url = reverse("employer:step_leave", args=[draft.pk])
    posted = jean.post(url, parental_fifth(weekly_hours="999", start_0="30", start_1="2"))
    assert (posted.status_code, posted["Location"]) == (302, url)
    shown = jean.get(url)
    assert shown.status_code == 400
    body = shown.content.decode()
    assert "n&#x27;existe pas" in body and 'value="999"' in body
    # Back or a reload: the step as saved, no stale error, nothing to resubmit.
    again = jean.get(url)
    assert again.status_code == 200
    assert "n&#x27;existe pas" not in again.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("employer:step_worker", {"action": "search", "search-niss": "123"}),
        ("employer:step_worker", {"action": "select", "niss": demo_data.SOPHIE_LAMBERT_NISS, "status": ""}),
        ("employer:step_type", {"action": "new", "leave_type": ""}),
        ("employer:step_confirm", {}),
    ],
)
def test_every_step_answers_a_post_with_a_redirect(jean: Client, name: str, data: dict[str, str]) -> None:
    draft = start_draft(jean)
    choose_worker(jean, draft)
    choose_type(jean, draft, "PARENTAL")
    jean.post(reverse("employer:step_leave", args=[draft.pk]), parental_fifth())
    url = reverse(name, args=[draft.pk])
    posted = jean.post(url, data)
    assert (posted.status_code, posted["Location"]) == (302, url)
    assert jean.get(url).status_code == 400
    assert jean.get(url).status_code == 200


def test_a_worker_found_by_the_search_is_shown_by_the_get_after_it(jean: Client) -> None:
    draft = start_draft(jean)
    url = reverse("employer:step_worker", args=[draft.pk])
    posted = jean.post(url, {"action": "search", "search-niss": demo_data.SOPHIE_LAMBERT_NISS})
    assert posted["Location"] == url
    body = jean.get(url).content.decode()
    assert "Sophie Lambert" in body and 'value="select"' in body


def test_a_modification_says_what_it_is_on_every_step_and_at_the_end(
    filed: LeaveRequest, login_as: Any
) -> None:
    jean = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    draft = modification_draft(jean, filed)
    heading = f"Modification de la demande {filed.ticket}"
    leave = jean.get(reverse("employer:step_leave", args=[draft.pk])).content.decode()
    assert f"<title>{heading}" in leave and f"<h1>{heading}</h1>" in leave
    # Worker and type cannot change in a modification: no link says they could.
    assert reverse("employer:step_type", args=[draft.pk]) not in leave
    jean.post(reverse("employer:step_leave", args=[draft.pk]), MODIFIED)
    summary = jean.get(reverse("employer:step_confirm", args=[draft.pk])).content.decode()
    assert f"<title>{heading}" in summary and heading in summary
    assert reverse("employer:step_worker", args=[draft.pk]) not in summary
    assert reverse("employer:step_type", args=[draft.pk]) not in summary
    end = jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"}, follow=True)
    body = end.content.decode()
    assert "<h1>Version 2 enregistrée</h1>" in body and heading in body
    assert reverse("employer:request_pdf", args=[filed.slug, 2]) in body


def test_an_extension_says_what_it_is_and_a_new_request_does_not(jean: Client) -> None:
    _draft, filed = confirmed_draft(jean)
    second = start_draft(jean)
    choose_worker(jean, second)
    new_page = jean.get(reverse("employer:step_type", args=[second.pk])).content.decode()
    assert "Prolongation de la demande" not in new_page
    jean.post(reverse("employer:step_type", args=[second.pk]), {"action": "extend", "ticket": filed.ticket})
    heading = f"Prolongation de la demande {filed.ticket}"
    for name in STEPS[:3]:  # (step 7 comes once the leave data are entered)
        page = jean.get(reverse(name, args=[second.pk])).content.decode()
        assert f"<title>{heading}" in page, name
    # An extension may still change the worker or the type.
    assert (
        reverse("employer:step_type", args=[second.pk])
        in jean.get(reverse("employer:step_leave", args=[second.pk])).content.decode()
    )
