"""The security headers of the API's answers, pinned: whatever the middleware layout (the API has its own
chain, ADR 0044), every answer under /api/ carries the site's headers (the same CSP as a web page, DENY
framing, nosniff, the referrer and opener policies), its language, and no cookie; the web keeps its own
middleware (sessions, CSRF)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from tests.api.conftest import ApiCaller, body
from tests.factories import user_for

pytestmark = pytest.mark.django_db

VALIDATE = "/api/v1/requests/validate"


def directives(policy: str) -> set[str]:
    """A policy's directives (django-csp writes them in no fixed order)."""
    return {part.strip() for part in policy.split(";")}


def web_csp(client: Client) -> set[str]:
    policy = directives(client.get("/")["Content-Security-Policy"])
    assert {"default-src 'self'", "frame-ancestors 'none'"} <= policy
    return policy


def assert_site_headers(response: Any, csp: set[str]) -> None:
    assert directives(response["Content-Security-Policy"]) == csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Accept-Language" in response["Vary"]
    assert response.has_header("Content-Language")
    assert not response.cookies, response.cookies


def test_a_validation_carries_the_site_s_headers_no_store_and_its_length(bakery: ApiCaller) -> None:
    csp = web_csp(Client())

    response = bakery.post(VALIDATE, body(), **{"Accept-Language": "nl"})

    assert response.status_code == 200, response.content
    assert_site_headers(response, csp)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Language"] == "nl"
    assert int(response["Content-Length"]) == len(response.content)
    assert response.has_header("X-Request-ID")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/whoami", 401),  # no token: a problem with its challenge
        ("/api/v1/docs", 200),  # the interactive docs: under the site's CSP (test_frame)
        ("/api/v1/openapi.json", 200),
        ("/api/v1/nothing-here", 404),  # the URL resolver's 404, made a problem
    ],
)
def test_every_answer_under_api_carries_the_site_s_headers(path: str, status: int) -> None:
    client = Client()
    csp = web_csp(client)

    response = client.get(path)

    assert response.status_code == status
    assert_site_headers(response, csp)


def test_the_token_endpoint_answers_with_the_site_s_headers_and_no_store() -> None:
    client = Client()
    csp = web_csp(client)

    response = client.post(reverse("api:token"), {"grant_type": "client_credentials"})

    assert response.status_code in {400, 401}
    assert_site_headers(response, csp)
    assert response["Cache-Control"] == "no-store"


def test_a_web_session_sent_to_the_api_is_neither_read_nor_renewed(bakery: ApiCaller) -> None:
    # A browser logged in to the web calling the API: the bearer token decides, the session is not
    # touched (no cookie set, no renewal), and a session alone authenticates nothing.
    bakery.client.force_login(user_for(demo_data.JEAN_DUBOIS_NISS))
    session_cookie = bakery.client.cookies["sessionid"].value

    answer = bakery.post(VALIDATE, body())
    anonymous = Client()
    anonymous.cookies["sessionid"] = session_cookie
    refused = anonymous.get("/api/v1/whoami")

    assert answer.status_code == 200
    assert not answer.cookies
    assert refused.status_code == 401
    assert not refused.cookies


def test_the_web_keeps_its_sessions_and_csrf() -> None:
    client = Client(enforce_csrf_checks=True)

    page = client.get("/")
    refused = client.post("/")

    assert "csrftoken" in page.cookies
    assert page["X-Frame-Options"] == "DENY"
    assert refused.status_code == 403


def test_every_api_view_is_exempt_from_csrf_or_only_read() -> None:
    # Why the API's chain has no CSRF middleware: nothing under /api/ takes a session, and every view that
    # may change something is exempt anyway (django-ninja's operations, the token endpoint).
    from careerbreak.api.urls import urlpatterns

    not_exempt = {p.name for p in urlpatterns if not getattr(p.callback, "csrf_exempt", False)}
    assert not_exempt == {"openapi-json", "openapi-view", "api-root"}
    client = Client(enforce_csrf_checks=True)
    for path in ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/"):
        # Refused as a problem (before the API's own chain: Django's CSRF page, 403).
        refused = client.post(path, {})
        assert refused.status_code in {404, 405}, (path, refused.status_code)
        assert refused["Content-Type"] == "application/problem+json"
