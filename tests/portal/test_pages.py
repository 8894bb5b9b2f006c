import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from careerbreak.identity.models import User

pytestmark = pytest.mark.django_db


def test_the_home_page_offers_the_citizen_and_enterprise_sections_in_french_by_default(
    client: Client,
) -> None:
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in body
    assert "Citoyen" in body and "Entreprise" in body
    assert reverse("portal:enterprise_services") in body


def test_more_online_services_lists_the_career_break_file(client: Client) -> None:
    body = client.get(reverse("portal:enterprise_services")).content.decode()
    assert "Plus de services en ligne" in body
    assert "Dossier interruption de carrière et crédit-temps" in body
    assert reverse("employer:start") in body


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "Burger"), ("de", "Bürger"), ("en", "Citizen"), ("fr", "Citoyen")],
)
def test_the_language_switch_keeps_the_user_on_the_same_page(
    client: Client, language: str, expected: str
) -> None:
    target = reverse("portal:enterprise_services")
    response = client.post(reverse("portal:switch_language"), {"language": language, "next": target})
    assert response.status_code == 302
    assert response["Location"] == target
    home = client.get("/").content.decode()
    assert f'<html lang="{language}">' in home
    assert expected in home


def test_the_language_switch_refuses_to_redirect_to_another_site(client: Client) -> None:
    response = client.post(
        reverse("portal:switch_language"), {"language": "nl", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_chosen_language_is_remembered_for_a_logged_in_user(client: Client) -> None:
    user = User.objects.create_user("78041213507")
    client.force_login(user)
    client.post(reverse("portal:switch_language"), {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert user.language == "de"


def test_an_unknown_page_gets_a_translated_not_found_page(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_a_form_posted_without_its_csrf_token_gets_a_translated_page_not_a_crash() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("portal:switch_language"), {"language": "nl"})
    assert response.status_code == 403
    assert "session" in response.content.decode().lower()


def test_pages_send_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_kept_language_switch_and_session_timeout_are_their_templates_drawn_afresh(
    language: str,
) -> None:
    """base.html's language switch and session-timeout dialog are kept per language with stand-ins for
    the csrf token, the page's address and the seconds left: the same markup as their templates drawn
    for this request, an address full of characters to escape included, and nothing of one request's
    values left in what is kept."""
    from careerbreak.portal.templatetags import language_switch, session_timeout

    language_switch._KEPT.clear()
    session_timeout._KEPT.clear()
    client = Client()
    client.force_login(User.objects.create_user("85073003328", first_name="Léa", last_name="Test"))
    client.cookies["careerbreak_language"] = language
    path = reverse("portal:enterprise_services") + "?next=\"'<b>&amp;%00"
    for _ in range(2):  # drawn into what is kept, then from what is kept
        response = client.get(path)
        assert response.status_code == 200
        body = response.content.decode()
        request = response.wsgi_request
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert token is not None
        switch = render_to_string(
            "includes/language_switch.html",
            {
                "action": reverse("portal:switch_language"),
                "csrf_token": token.group(1),
                "request": request,
                "LANGUAGES": settings.LANGUAGES,
                "LANGUAGE_CODE": language,
            },
        )
        seconds = re.search(r'data-session-seconds="(\d+)"', body)
        assert seconds is not None
        timeout = render_to_string(
            "includes/session_timeout.html",
            {
                **session_timeout.session_timeout_context({"request": request, "csrf_token": token.group(1)}),
                "session_seconds": int(seconds.group(1)),
            },
        )
        assert switch in body and timeout in body
        assert "&#x27;%3Cb%3E&amp;amp;" in switch and "%27%253Cb%253E%26amp%3B" in timeout
    kept = [*language_switch._KEPT.values(), *session_timeout._KEPT.values()]
    assert len(kept) == 2
    assert all(token.group(1) not in html and "3Cb" not in html for html in kept)


# The session bar of base.html as it was written there before it was kept (ADR 0036): the reference.
SESSION_BAR_REFERENCE = (
    '{% load i18n %}<div class="session-bar">\n'
    '      <div class="container session-inner">\n'
    "        <span>{% blocktranslate with name=user.get_full_name %}Logged in as {{ name }}"
    "{% endblocktranslate %}\n"
    "        {% if acting_enterprise %} · {% blocktranslate with name=acting_enterprise.name "
    "number=acting_enterprise.formatted_number %}acting for {{ name }} ({{ number }})"
    "{% endblocktranslate %}\n"
    "          {% if can_switch_enterprise %}<a href=\"{% url 'employer:choose_enterprise' %}\">"
    '{% translate "Change enterprise" %}</a>{% endif %}\n'
    "        {% endif %}</span>\n"
    "        <a href=\"{% url 'identity:logout' %}?next={{ request.get_full_path|urlencode }}\">"
    '{% translate "Log out" %}</a>\n'
    "      </div>\n"
    "    </div>"
)


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_kept_session_bar_is_its_template_drawn_afresh(language: str, world, login_as) -> None:  # type: ignore[no-untyped-def]
    """base.html's session bar is kept per language with stand-ins for the user's name and the page's
    address: the same markup as the template it replaced, a name and an address full of characters to
    escape included; an employer acting for an enterprise gets it drawn afresh; nothing of a request's
    values is kept."""
    from django.template import engines

    from careerbreak.portal.templatetags import session_timeout
    from tests.conftest import ACME_NUMBER, ALICE_NISS

    session_timeout._BAR_KEPT.clear()
    reference = engines["django"].from_string(SESSION_BAR_REFERENCE)
    client = Client()
    client.force_login(User.objects.create_user("85073003328", first_name="Léa <b>&", last_name="O'Test\"%s"))
    employer = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    path = reverse("portal:enterprise_services") + "?next=\"'<b>&amp;%00"
    pages = [
        (client, path),
        (client, reverse("portal:home")),
        (employer, reverse("employer:company") + "?x=<i>"),
    ]
    for _ in range(2):  # drawn into what is kept, then from what is kept
        for browser, address in pages:
            browser.cookies["careerbreak_language"] = language
            response = browser.get(address)
            assert response.status_code == 200
            body = response.content.decode()
            request = response.wsgi_request
            expected = reference.render(
                {
                    "user": request.user,
                    "request": request,
                    "acting_enterprise": getattr(request, "acting_enterprise", None),
                    "can_switch_enterprise": getattr(request, "can_switch_enterprise", False),
                },
                request,
            )
            assert expected in body
    lea = pages[0][0].get(path).content.decode()
    assert (
        "Léa &lt;b&gt;&amp; O&#x27;Test&quot;%s" in lea
        and "next=/enterprise/services/%3Fnext%3D%2522%27%253Cb%253E%26amp%3B%2500" in lea
    )
    [kept] = session_timeout._BAR_KEPT.values()
    assert "Léa" not in kept and "3Cb" not in kept and "Alice" not in kept and "Acme" not in kept
