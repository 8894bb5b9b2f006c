"""Issue 15, points 1 and 7: a session that ends says so on a page of ours and the login brings the user
back to the page they were on; the language chosen before login survives the login."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.identity.session_end import LOGGED_IN_COOKIE
from careerbreak.interruptions.models import Draft
from tests.oidc_fixtures import AuthorizationStep, authorize, make_person, oidc_login

pytestmark = pytest.mark.django_db

JEAN = demo_data.JEAN_DUBOIS_NISS


def _end_the_session(client: Client) -> None:
    """As when the session expires on the server: the browser still sends its cookies."""
    Session.objects.all().delete()


def _jean_at_the_worker_step(client: Client) -> Draft:
    assert oidc_login(client, JEAN).status_code == 302
    client.get(reverse("employer:choose_enterprise"))
    response = client.post(reverse("employer:company"))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Draft.objects.get()


@pytest.fixture
def ended_at_a_step(client: Client, oidc_provider, demo) -> str:  # type: ignore[no-untyped-def]
    """Jean's draft at the worker step, then the end of his session: the step's address."""
    draft = _jean_at_the_worker_step(client)
    _end_the_session(client)
    return reverse("employer:step_worker", args=[draft.pk])


def _ended_page_next(response) -> str:  # type: ignore[no-untyped-def]
    location = urlsplit(response["Location"])
    assert location.path == reverse("identity:session_ended"), response["Location"]
    return parse_qs(location.query)["next"][0]


def test_a_login_marks_the_browser_and_a_logout_forgets_it(client: Client, oidc_provider, demo) -> None:  # type: ignore[no-untyped-def]
    response = oidc_login(client, JEAN)
    marker = response.cookies[LOGGED_IN_COOKIE]
    assert marker.value == "1" and marker["httponly"] and not marker["max-age"]
    logout = client.post(reverse("identity:logout"))
    assert logout.cookies[LOGGED_IN_COOKIE].value == ""


def test_a_step_submitted_after_the_end_of_the_session_leads_to_our_page_then_back_to_the_step(
    client: Client, ended_at_a_step: str
) -> None:
    step = ended_at_a_step

    response = client.post(
        step, {"action": "search", "search-niss": "90.06.15-122.02"}, HTTP_REFERER=f"http://testserver{step}"
    )

    # Never towards the identity provider from a form: a page of ours.
    assert _ended_page_next(response) == step
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Votre session a pris fin" in body  # Jean's language, from his login
    login_link = f"{reverse('identity:login')}?{urlencode({'next': step})}"
    assert f'href="{login_link}"' in body
    assert page.cookies[LOGGED_IN_COOKIE].value == ""
    # The link starts the login (a GET navigation); the login ends on the step with the saved draft.
    to_provider = client.get(login_link)
    assert to_provider.status_code == 302 and "/devidp/" in to_provider["Location"]
    location = urlsplit(to_provider["Location"])
    callback = authorize(
        client,
        AuthorizationStep(
            url=to_provider["Location"],
            path=location.path,
            params={key: values[0] for key, values in parse_qs(location.query).items()},
        ),
        niss=JEAN,
    )
    back = client.get(callback)
    assert back["Location"] == step
    # Back on the step (the enterprise is chosen again on the way: a new session).
    again = client.get(step, follow=True)
    assert again.status_code == 200
    assert again.request["PATH_INFO"] == step


def test_without_a_referer_the_page_is_the_address_the_form_was_sent_to(
    client: Client, ended_at_a_step: str
) -> None:
    step = ended_at_a_step
    assert _ended_page_next(client.post(step, {"action": "search"})) == step
    # A Referer of another site is not followed.
    response = client.post(step, {"action": "search"}, HTTP_REFERER="https://evil.example/x")
    assert _ended_page_next(response) == step


def test_switching_the_language_after_the_end_of_the_session_ends_on_our_page_in_that_language(
    client: Client, ended_at_a_step: str
) -> None:
    step = ended_at_a_step

    response = client.post(reverse("portal:switch_language"), {"language": "nl", "next": step}, follow=True)

    # Every hop stays on this site (form-action 'self' allows it); none goes to the provider.
    hops = [urlsplit(url).path for url, _status in response.redirect_chain]
    assert hops == [step, reverse("identity:session_ended")]
    assert response.status_code == 200
    assert "Uw sessie is beëindigd" in response.content.decode()


def test_a_page_opened_without_a_session_goes_to_the_login_at_once(client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("employer:company"))
    assert urlsplit(response["Location"]).path == reverse("identity:login")


def test_a_page_opened_after_the_end_of_the_session_says_so_first(client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    client.cookies[LOGGED_IN_COOKIE] = "1"
    response = client.get(reverse("employer:company"))
    assert _ended_page_next(response) == reverse("employer:company")


@pytest.mark.parametrize(
    "address",
    [
        pytest.param(lambda: reverse("worker:notice_new"), id="worker"),
        pytest.param(lambda: reverse("office:queue"), id="office"),
        pytest.param(lambda: reverse("employer:company"), id="employer"),
    ],
)
def test_every_interface_sends_a_form_posted_without_a_session_to_our_page(client: Client, address) -> None:  # type: ignore[no-untyped-def]
    response = client.post(address(), {})
    assert _ended_page_next(response) == address()


def test_the_page_keeps_only_a_way_back_to_this_site(client: Client) -> None:
    body = client.get(reverse("identity:session_ended"), {"next": "//evil.example/"}).content.decode()
    assert "evil.example" not in body.split('<main id="main"')[1]
    assert f'href="{reverse("identity:login")}"' in body


def test_someone_logged_in_again_in_another_tab_goes_straight_back(
    client: Client, oidc_provider, demo
) -> None:  # type: ignore[no-untyped-def]
    oidc_login(client, JEAN)
    response = client.get(reverse("identity:session_ended"), {"next": "/employer/company/"})
    assert response["Location"] == "/employer/company/"


# --- Point 7: the language chosen before login --------------------------------------------------------


def test_the_language_chosen_before_login_wins_over_the_one_remembered(client: Client, oidc_provider) -> None:  # type: ignore[no-untyped-def]
    make_person(JEAN)
    User.objects.create_user(niss=JEAN, first_name="Jean", last_name="Dubois", email="", language="fr")
    client.post(reverse("portal:switch_language"), {"language": "de", "next": "/"})

    response = oidc_login(client, JEAN)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert User.objects.get(niss=JEAN).language == "de"
    page = client.get(reverse("employer:logged_in"))
    assert '<html lang="de">' in page.content.decode()


def test_the_language_of_the_provider_gives_way_to_the_choice_too(client: Client, oidc_provider) -> None:  # type: ignore[no-untyped-def]
    make_person(demo_data.AN_VERHOEVEN_NISS)  # Dutch at the provider
    client.post(reverse("portal:switch_language"), {"language": "fr", "next": "/"})

    response = oidc_login(client, demo_data.AN_VERHOEVEN_NISS)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert User.objects.get(niss=demo_data.AN_VERHOEVEN_NISS).language == "fr"


def test_without_a_choice_the_remembered_language_comes_back(client: Client, oidc_provider) -> None:  # type: ignore[no-untyped-def]
    make_person(JEAN)
    User.objects.create_user(niss=JEAN, first_name="Jean", last_name="Dubois", email="", language="nl")
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)

    response = oidc_login(client, JEAN)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert User.objects.get(niss=JEAN).language == "nl"


def test_the_choice_counts_for_one_login_only(client: Client, oidc_provider) -> None:  # type: ignore[no-untyped-def]
    make_person(JEAN)
    client.post(reverse("portal:switch_language"), {"language": "de", "next": "/"})
    oidc_login(client, JEAN)
    client.post(reverse("identity:logout"))
    User.objects.filter(niss=JEAN).update(language="nl")

    response = oidc_login(client, JEAN)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
