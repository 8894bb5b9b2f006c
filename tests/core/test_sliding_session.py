"""The session's idle timeout without a write on every request (core.middleware.SlidingSessionMiddleware,
ADR 0022): written back when it changed or once its last renewal is a minute old, never extended past
SESSION_COOKIE_AGE after that renewal, and nothing created for a visitor without a session."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from careerbreak.core import middleware
from careerbreak.core.middleware import RENEWED_AT
from careerbreak.identity.models import User

pytestmark = pytest.mark.django_db

START = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [START]
    monkeypatch.setattr(middleware, "_now", lambda: now[0])
    return now


@pytest.fixture
def logged_in(client: Client, clock: list[float], settings: Any) -> Client:
    settings.SESSION_COOKIE_AGE = 1800
    client.force_login(User.objects.create_user("78041213507", first_name="Jean", last_name="Dubois"))
    client.get("/")  # the first page renews: the session now carries its renewal time
    return client


def _row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_page_within_the_minute_writes_nothing(logged_in: Client, clock: list[float]) -> None:
    before = _row(logged_in)
    assert logged_in.session[RENEWED_AT] == int(START)
    clock[0] += 59
    response = logged_in.get("/")
    assert response.status_code == 200
    assert _row(logged_in).expire_date == before.expire_date
    assert _row(logged_in).session_data == before.session_data
    assert "sessionid" not in response.cookies  # no new cookie either


def test_a_page_a_minute_later_pushes_the_expiry_back(logged_in: Client, clock: list[float]) -> None:
    before = _row(logged_in)
    clock[0] += 61
    response = logged_in.get("/")
    assert logged_in.session[RENEWED_AT] == int(START + 61)
    assert _row(logged_in).expire_date > before.expire_date
    assert response.cookies["sessionid"]["max-age"] == 1800


def test_a_change_to_the_session_is_saved_at_once(logged_in: Client, clock: list[float]) -> None:
    clock[0] += 5
    logged_in.post(reverse("portal:keepalive"))
    assert logged_in.session[RENEWED_AT] == int(START + 5)


def test_a_visitor_without_a_session_gets_none(client: Client, clock: list[float]) -> None:
    response = client.get("/")
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def test_a_cookie_whose_session_is_gone_creates_no_session(logged_in: Client, clock: list[float]) -> None:
    Session.objects.all().delete()
    clock[0] += 120
    logged_in.get("/")
    assert Session.objects.count() == 0


def test_the_warning_counts_from_the_last_renewal(logged_in: Client, clock: list[float]) -> None:
    clock[0] += 40  # within the minute: this page does not renew, 40 s of the 1800 are gone
    assert 'data-session-seconds="1760"' in logged_in.get("/").content.decode()
    clock[0] += 30  # past the minute: this page renews, the whole timeout is ahead
    assert 'data-session-seconds="1800"' in logged_in.get("/").content.decode()
