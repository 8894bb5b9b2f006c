"""The session-timeout warning: its markup for a logged-in user only, and the keepalive behind it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.identity.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client: Client) -> Client:
    client.force_login(User.objects.create_user("78041213507", first_name="Jean", last_name="Dubois"))
    return client


def test_a_logged_in_page_carries_the_warning_hidden_with_the_session_length(
    logged_in: Client, settings: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 1800
    body = logged_in.get("/").content.decode()
    assert 'id="session-timeout"' in body
    assert 'data-session-seconds="1800"' in body and 'data-warn-seconds="300"' in body
    assert "Rester connecté" in body
    # No inline script: the behaviour comes from a static file (CSP script-src 'self').
    assert "careerbreak/app.js" in body and "<script>" not in body


def test_an_anonymous_page_has_no_warning(client: Client) -> None:
    assert 'id="session-timeout"' not in client.get("/").content.decode()


def test_keepalive_gives_the_session_a_new_expiry(logged_in: Client, settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 1800
    response = logged_in.post(reverse("portal:keepalive"))
    assert response.status_code == 204
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 1800


def test_keepalive_refuses_the_anonymous_visitor_and_a_get(client: Client, logged_in: Client) -> None:
    assert Client().post(reverse("portal:keepalive")).status_code == 401
    assert logged_in.get(reverse("portal:keepalive")).status_code == 405


def test_keepalive_needs_the_csrf_token() -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.create_user("90061512202"))
    assert strict.post(reverse("portal:keepalive")).status_code == 403
