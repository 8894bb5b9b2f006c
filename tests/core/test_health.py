"""/healthz and /readyz: no login, no cache, no personal data; 503 when the database or the storage fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from careerbreak.core import health


@pytest.fixture(autouse=True)
def login_configuration(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The login's configuration problems as the provider's discovery would show them (none by default)."""
    problems: list[str] = []
    monkeypatch.setattr("careerbreak.identity.oidc.configuration_problems", lambda: list(problems))
    return problems


def assert_not_cached(response: Any) -> None:
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "no-cache" in cache_control


def test_liveness_answers_without_touching_the_database(
    client: Client, django_assert_num_queries: Any
) -> None:
    # No `db` fixture: any query would fail the test (pytest-django blocks database access).
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert_not_cached(response)
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_readiness_checks_the_database_and_the_storage(client: Client, media: Path) -> None:
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "login": "ok"},
    }
    assert_not_cached(response)
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_readiness_fails_when_the_login_is_misconfigured_and_says_why_only_in_the_log(
    client: Client, media: Path, login_configuration: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    login_configuration.append("the issuer https://idp.example.be/ differs from discovery's")
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "storage": "ok", "login": "unavailable"}
    assert "idp.example.be" not in response.content.decode()
    assert "the issuer https://idp.example.be/ differs from discovery's" in caplog.text


@pytest.mark.django_db
def test_readiness_fails_when_the_database_is_unavailable(
    client: Client, media: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "storage": "ok", "login": "ok"},
    }
    # The driver's message (host names, addresses) is logged, never answered.
    assert b"db.internal" not in response.content
    assert "db.internal" in caplog.text
    assert_not_cached(response)


@pytest.mark.django_db
def test_readiness_fails_when_the_storage_is_not_a_writable_folder(client: Client, media: Path) -> None:
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_bytes(b"a file where the documents folder should be")
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "storage": "unavailable", "login": "ok"}


@pytest.mark.django_db
def test_readiness_fails_when_the_object_storage_cannot_be_listed(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unreachable:
        def listdir(self, name: str) -> Any:
            raise ConnectionError("Could not connect to the endpoint URL: https://s3.internal/")

    monkeypatch.setattr(health, "default_storage", Unreachable())
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "storage": "unavailable", "login": "ok"}
    assert b"s3.internal" not in response.content


@pytest.mark.django_db
def test_readiness_is_ok_before_the_first_document_is_stored(client: Client, media: Path) -> None:
    assert not media.exists()
    assert client.get(reverse("readyz")).status_code == 200


@pytest.mark.django_db
def test_a_logged_in_user_gets_the_same_answer_and_no_personal_data(
    login_as: Any, world: dict[str, object], media: Path
) -> None:
    from tests.conftest import ALICE_NISS

    client = login_as(ALICE_NISS)
    for name in ("healthz", "readyz"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert ALICE_NISS not in response.content.decode() and "Alice" not in response.content.decode()


def test_the_health_checks_only_answer_reads(client: Client) -> None:
    assert client.post(reverse("healthz")).status_code == 405


def test_the_health_checks_are_not_redirected_to_https(client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get("/").status_code == 301
