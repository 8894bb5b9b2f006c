"""Rate limits on the employer pages: national-number look-ups per user and per enterprise, searches per
user, answers to notices per user; refused visitors are never counted, and a refused POST saves nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import AccessGrant
from careerbreak.interruptions.models import WorkerNotice
from tests.rate_limit_fixtures import assert_too_many, limits, send_up_to_the_limit
from tests.request_fixtures import choose_worker, search_worker, send_notice, start_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

HOUR = 3600


def employer(login_as: Any, niss: str, enterprise: str, language: str = "fr") -> Client:
    client = login_as(niss, enterprise=enterprise)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def jean(demo: None, login_as: Any) -> Client:
    return employer(login_as, demo_data.JEAN_DUBOIS_NISS, demo_data.BOULANGERIE_DUBOIS_NUMBER)


@pytest.fixture
def luc(demo: None, login_as: Any) -> Client:
    """Another user acting for the same enterprise (through his secretariat's mandate)."""
    return employer(login_as, demo_data.LUC_JANSSENS_NISS, demo_data.BOULANGERIE_DUBOIS_NUMBER, "nl")


def assert_found(response: Any) -> Any:
    assert response.status_code == 302
    return response


def test_step_4_allows_the_users_look_ups_up_to_the_limit_then_refuses_without_saving(
    jean: Client, settings: Any
) -> None:
    limits(settings, niss_lookup_per_user="3/h")
    draft = start_draft(jean)
    send_up_to_the_limit(lambda: search_worker(jean, draft), 3)

    response = choose_worker(jean, draft)

    assert_too_many(response, language="fr", window=HOUR)
    draft.refresh_from_db()
    assert "worker" not in draft.data


def test_one_users_look_ups_do_not_count_against_another_user(
    jean: Client, luc: Client, settings: Any
) -> None:
    limits(settings, niss_lookup_per_user="3/h")
    jean_draft, luc_draft = start_draft(jean), start_draft(luc)
    send_up_to_the_limit(lambda: search_worker(jean, jean_draft), 3)
    assert search_worker(jean, jean_draft).status_code == 429

    response = search_worker(luc, luc_draft)
    assert response.status_code == 302  # the search's result is the page it redirects to
    response = luc.get(response["Location"])

    assert response.status_code == 200
    assert "Sophie Lambert" in response.content.decode()


def test_the_enterprise_limit_adds_up_the_look_ups_of_all_its_users_and_spares_other_enterprises(
    jean: Client, luc: Client, login_as: Any, settings: Any
) -> None:
    limits(settings, niss_lookup_per_user="100/h", niss_lookup_per_enterprise="3/h")
    jean_draft, luc_draft = start_draft(jean), start_draft(luc)
    send_up_to_the_limit(lambda: search_worker(jean, jean_draft), 2)
    send_up_to_the_limit(lambda: search_worker(luc, luc_draft), 1)

    assert_too_many(search_worker(luc, luc_draft), language="nl", window=HOUR)
    assert search_worker(jean, jean_draft).status_code == 429
    an = employer(login_as, demo_data.AN_VERHOEVEN_NISS, demo_data.ZORGGROEP_NUMBER, "nl")
    assert search_worker(an, start_draft(an)).status_code != 429


def test_choosing_from_the_dimona_list_counts_as_a_search(jean: Client, settings: Any) -> None:
    limits(settings, niss_lookup_per_user="100/h", search_per_user="2/h")
    draft = start_draft(jean)
    page = jean.get(reverse("employer:step_worker", args=[draft.pk])).content.decode()
    assert 'name="search-niss" value="90061512202"' in page  # the Dimona list's "Choose" button
    send_up_to_the_limit(lambda: search_worker(jean, draft), 2)

    assert_too_many(search_worker(jean, draft), language="fr", window=HOUR)
    # Showing the step is not a search: it stays open.
    assert jean.get(reverse("employer:step_worker", args=[draft.pk])).status_code == 200


def test_granting_access_is_a_look_up_and_a_refused_grant_is_not_saved(jean: Client, settings: Any) -> None:
    limits(settings, niss_lookup_per_user="2/h")
    unknown = "85073003328"  # valid, but nobody in the national register
    send_up_to_the_limit(lambda: jean.post(reverse("employer:access"), {"niss": unknown, "role": "user"}), 2)
    grants = AccessGrant.objects.count()

    response = jean.post(reverse("employer:access"), {"niss": demo_data.MARC_PEETERS_NISS, "role": "user"})

    assert_too_many(response, language="fr", window=HOUR)
    assert AccessGrant.objects.count() == grants
    assert not AccessGrant.objects.filter(
        niss=demo_data.MARC_PEETERS_NISS, enterprise__number=demo_data.BOULANGERIE_DUBOIS_NUMBER
    )
    # The page itself (the list of who has access) is not a look-up.
    assert jean.get(reverse("employer:access")).status_code == 200


def test_consultation_by_national_number_shares_the_look_up_count_with_step_4(
    jean: Client, settings: Any
) -> None:
    limits(settings, niss_lookup_per_user="3/h", search_per_user="100/h")
    consultation = reverse("employer:consultation")
    search_worker(jean, start_draft(jean))  # one look-up at step 4
    # A ticket and the filters alone are no look-ups of a national number.
    # Searches are posted (numbers stay out of addresses).
    for query in ({"q": "2026/00000001/51"}, {"status": "approved"}, {"q": "2026/00000002/52"}):
        assert jean.post(consultation, query).status_code != 429
    send_up_to_the_limit(lambda: jean.post(consultation, {"q": "90.06.15-122.02"}), 2)

    assert_too_many(jean.post(consultation, {"q": demo_data.SOPHIE_LAMBERT_NISS}), language="fr", window=HOUR)


def test_consultation_searches_are_counted_per_user_and_its_first_page_is_not_a_search(
    jean: Client, luc: Client, settings: Any
) -> None:
    limits(settings, search_per_user="3/h")
    consultation = reverse("employer:consultation")
    for _ in range(5):
        assert jean.get(consultation).status_code == 200
    # A search is posted, then its results are read from the address it redirects to.
    send_up_to_the_limit(lambda: assert_found(jean.post(consultation, {"status": "approved"})), 3)

    assert_too_many(jean.post(consultation, {"leave_type": "PARENTAL"}), language="fr", window=HOUR)
    assert jean.get(consultation).status_code == 200
    assert luc.post(consultation, {"status": "approved"}).status_code == 302


def test_the_enterprise_choice_search_is_counted_per_user(demo: None, login_as: Any, settings: Any) -> None:
    limits(settings, search_per_user="3/h")
    luc = employer(login_as, demo_data.LUC_JANSSENS_NISS, demo_data.BOULANGERIE_DUBOIS_NUMBER, "de")
    choice = reverse("employer:choose_enterprise")
    send_up_to_the_limit(lambda: luc.get(choice, {"q": "Boulangerie"}), 3)

    assert_too_many(luc.get(choice, {"q": "Zorg"}), language="de", window=HOUR)
    assert luc.get(choice).status_code == 200  # the list without a search stays open
    jean = employer(login_as, demo_data.JEAN_DUBOIS_NISS, demo_data.BOULANGERIE_DUBOIS_NUMBER)
    assert jean.get(choice, {"q": "Boulangerie"}).status_code != 429


def test_answering_notices_is_limited_per_user_and_a_refused_answer_is_not_saved(
    jean: Client, login_as: Any, settings: Any
) -> None:
    limits(settings, notice_per_user="2/h")
    assert jean.post(reverse("employer:notice_settings"), {"accepts": "yes"}).status_code == 302
    sophie = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    assert send_notice(sophie).status_code == 302
    notice = WorkerNotice.objects.get()
    answer = reverse("employer:notice_answer", args=[notice.pk])
    # No decision: refused by the form (shown by the GET it redirects to), counted.
    send_up_to_the_limit(lambda: jean.post(answer, {}, follow=True), 2)

    response = jean.post(answer, {"decision": "accepted"})

    assert_too_many(response, language="fr", window=HOUR)
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.draft_id is None
    assert jean.get(answer).status_code == 200  # reading the notice is not limited


def test_an_anonymous_visitor_is_sent_to_the_login_and_never_counted(demo: None, settings: Any) -> None:
    """A form posted without a session goes to the page that says the session ended, a page opened to the
    login (identity/session_end.py): neither is counted."""
    limits(settings, niss_lookup_per_user="1/h", niss_lookup_per_enterprise="1/h", search_per_user="1/h")
    anonymous = Client()
    step = reverse("employer:step_worker", args=[uuid.uuid4()])
    for _ in range(3):
        for response in (
            anonymous.post(step, {"action": "search", "search-niss": demo_data.SOPHIE_LAMBERT_NISS}),
            anonymous.post(
                reverse("employer:access"), {"niss": demo_data.SOPHIE_LAMBERT_NISS, "role": "user"}
            ),
            anonymous.get(reverse("employer:consultation"), {"q": demo_data.SOPHIE_LAMBERT_NISS}),
        ):
            assert response.status_code == 302
            assert response["Location"].startswith(
                (reverse("identity:login"), reverse("identity:session_ended"))
            )


def test_an_outsider_refused_by_the_guard_spends_nothing_of_the_enterprises_limit(
    jean: Client, login_as: Any, settings: Any
) -> None:
    limits(settings, niss_lookup_per_user="2/h", niss_lookup_per_enterprise="2/h")
    draft = start_draft(jean)
    an = employer(login_as, demo_data.AN_VERHOEVEN_NISS, demo_data.ZORGGROEP_NUMBER, "nl")
    for _ in range(3):
        # Another enterprise's user on Jean's draft, and on the access page she may not manage.
        assert search_worker(an, draft).status_code == 404
        assert (
            an.post(
                reverse("employer:access"), {"niss": demo_data.SOPHIE_LAMBERT_NISS, "role": "user"}
            ).status_code
            == 403
        )

    send_up_to_the_limit(lambda: search_worker(jean, draft), 2)
    assert search_worker(an, start_draft(an)).status_code != 429


def test_looking_up_access_managers_without_access_is_a_search_counted_per_user(
    demo: None, login_as: Any, settings: Any
) -> None:
    limits(settings, search_per_user="2/h")
    sophie = employer(
        login_as, demo_data.SOPHIE_LAMBERT_NISS, demo_data.BOULANGERIE_DUBOIS_NUMBER, "en"
    )  # no access anywhere
    no_access = reverse("employer:no_access")
    assert sophie.get(no_access).status_code == 200
    send_up_to_the_limit(lambda: sophie.post(no_access, {"enterprise_number": demo_data.ZORGGROEP_NUMBER}), 2)

    assert_too_many(
        sophie.post(no_access, {"enterprise_number": demo_data.ZORGGROEP_NUMBER}), language="en", window=HOUR
    )
    assert sophie.get(no_access).status_code == 200
    marc = employer(login_as, demo_data.MARC_PEETERS_NISS, demo_data.BOULANGERIE_DUBOIS_NUMBER, "en")
    assert marc.post(no_access, {"enterprise_number": demo_data.ZORGGROEP_NUMBER}).status_code != 429
