"""Logging in through OpenID Connect in tests, with everything in-process.

The browser side is Django's test client; the relying party's back channel (metadata, JWKS, token
endpoint) goes through ``httpx.WSGITransport`` into the same Django application, where the development
identity provider is mounted under http://testserver/devidp.

Use in a conftest.py::

    from tests.oidc_fixtures import devidp_key_path, oidc_login_as, oidc_provider  # noqa: F401

then in a test::

    def test_something(client, oidc_login_as):
        oidc_login_as("78041213507", means="itsme")  # creates the demo person if missing
        response = client.get("/employer/")

``force_login_as(client, niss, assurance_level=500)`` skips the protocol when a test only needs a
logged-in user with the same session keys.
"""

from __future__ import annotations

import base64
import json
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from django.utils import translation
from joserfc import jwt
from joserfc.jwk import RSAKey

from careerbreak.identity import oidc
from careerbreak.identity.models import User
from careerbreak.registries.models import Person

if TYPE_CHECKING:
    # The test client's response type exists in django-stubs only.
    from django.test.client import _MonkeyPatchedWSGIResponse

ISSUER = "http://testserver/devidp"
DEMO_PIN = "1234"
Means = Literal["eid", "itsme"]

# The fixed demo users (DOMAIN.md); tests create the rows they need with make_person().
DEMO_PERSONS: dict[str, dict[str, Any]] = {
    "78041213507": {
        "first_name": "Jean",
        "last_name": "Dubois",
        "language": "fr",
        "email": "jean.dubois@example.be",
    },
    "81110324486": {
        "first_name": "An",
        "last_name": "Verhoeven",
        "language": "nl",
        "email": "an.verhoeven@example.be",
    },
    "75022805713": {"first_name": "Luc", "last_name": "Janssens", "language": "nl", "email": ""},
    "90061512202": {"first_name": "Sophie", "last_name": "Lambert", "language": "fr", "email": ""},
    "64090103383": {"first_name": "Marc", "last_name": "Peeters", "language": "nl", "email": ""},
}
# A valid national number that no test creates as a Person.
UNKNOWN_NISS = "85073003328"


def make_person(niss: str = "78041213507", **fields: Any) -> Person:
    """The Person with this NISS, created (from DEMO_PERSONS, then ``fields``) if missing."""
    defaults = {
        "first_name": "Test",
        "last_name": f"Citizen {niss[-4:]}",
        **DEMO_PERSONS.get(niss, {}),
        **fields,
    }
    person, _created = Person.objects.get_or_create(niss=niss, defaults=defaults)
    return person


# --- The in-process back channel -----------------------------------------------------------------


_handler: WSGIHandler | None = None


def _wsgi_handler() -> WSGIHandler:
    global _handler
    if _handler is None:
        with warnings.catch_warnings():
            # WhiteNoise notes that static files were not collected; tests do not serve them.
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            _handler = WSGIHandler()
    return _handler


def _django_wsgi_app() -> Callable[..., Iterable[bytes]]:
    handler = _wsgi_handler()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        # Like Django's test client: a request must not close the test's database connection
        # (the test runs inside a transaction that the nested request shares).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        # The nested request runs in the test's thread: its LocaleMiddleware must not change the
        # language of the request that made the back-channel call (separate processes in real life).
        outer_language = translation.get_language()
        try:
            response = handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            translation.activate(outer_language)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return app


def unverified_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, read without checking anything (to build altered copies)."""
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@dataclass
class ProviderStub:
    """Controls the relying party's view of the provider during one test.

    ``down``: every back-channel request fails as if the provider were unreachable.
    ``rewrite_id_token``: given the claims of the ID token the provider issued, return the token the
    relying party receives instead (to test expired, mis-addressed or badly signed tokens).
    ``respond``: return a response for a request to short-circuit the provider (None: pass through).
    ``requests``: every back-channel request, in order.
    """

    down: bool = False
    rewrite_id_token: Callable[[dict[str, Any]], str] | None = None
    respond: Callable[[httpx.Request], httpx.Response | None] | None = None
    requests: list[httpx.Request] = field(default_factory=list)
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(transport=_ProviderTransport(self), timeout=5)

    def requests_to(self, path_suffix: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith(path_suffix)]


class _ProviderTransport(httpx.BaseTransport):
    def __init__(self, stub: ProviderStub) -> None:
        self._stub = stub
        self._wsgi = httpx.WSGITransport(app=_django_wsgi_app())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self._stub.requests.append(request)
        if self._stub.down:
            raise httpx.ConnectError("the identity provider is down (test)", request=request)
        if self._stub.respond is not None:
            answer = self._stub.respond(request)
            if answer is not None:
                return answer
        response = self._wsgi.handle_request(request)
        if self._stub.rewrite_id_token is not None and request.url.path.endswith("/token"):
            response.read()
            if response.status_code == 200:
                body = response.json()
                body["id_token"] = self._stub.rewrite_id_token(unverified_claims(body["id_token"]))
                return httpx.Response(200, json=body, request=request)
        return response


@pytest.fixture(scope="session")
def devidp_key_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the provider keeps its signing key during the test session (generated on first use)."""
    return tmp_path_factory.mktemp("devidp") / "keys" / "signing-key.pem"


@pytest.fixture
def oidc_provider(
    settings: Any, devidp_key_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ProviderStub]:
    """The development provider at http://testserver/devidp, reached by the relying party in-process."""
    settings.DEVIDP_SIGNING_KEY_PATH = devidp_key_path
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_CLIENT_ID = "careerbreak-dev"
    settings.OIDC_CLIENT_SECRET = "careerbreak-dev-secret"
    settings.DEVIDP_REDIRECT_URIS = ["http://testserver/auth/callback"]
    stub = ProviderStub()
    oidc.clear_caches()
    monkeypatch.setattr(oidc, "http_client", lambda: stub.client)
    yield stub
    oidc.clear_caches()
    stub.client.close()


# --- Walking through a login ---------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorizationStep:
    """Where login_start sent the browser: the provider's authorize URL and its parameters."""

    url: str
    path: str
    params: dict[str, str]

    @property
    def state(self) -> str:
        return self.params["state"]

    @property
    def nonce(self) -> str:
        return self.params["nonce"]


def local_url(url: str) -> str:
    """The path and query of an absolute URL, as the test client wants them."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def begin_login(client: Client, *, next_url: str | None = None) -> AuthorizationStep:
    """GET /auth/login/ and follow nothing: return where the browser is sent."""
    response = client.get(reverse("identity:login"), {"next": next_url} if next_url is not None else {})
    assert response.status_code == 302, response.content.decode()[:500]
    location = response["Location"]
    parts = urlsplit(location)
    return AuthorizationStep(url=location, path=parts.path, params=dict(parse_qsl(parts.query)))


def authorize(
    client: Client,
    step: AuthorizationStep,
    *,
    niss: str,
    means: Means = "eid",
    pin: str = DEMO_PIN,
    action: str = "login",
) -> str:
    """Submit the provider's login form; return the callback URL (path and query) it redirects to."""
    data = {**step.params, "means": means, "action": action}
    # The provider lists the test citizens; any other number is typed.
    data["niss" if Person.objects.filter(niss=niss).exists() else "other_niss"] = niss
    if means == "eid":
        data["pin"] = pin
    response = client.post(step.path, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return local_url(response["Location"])


def oidc_login(
    client: Client,
    niss: str,
    *,
    means: Means = "eid",
    pin: str = DEMO_PIN,
    next_url: str | None = None,
) -> _MonkeyPatchedWSGIResponse:
    """The whole login; returns the response of our callback (a redirect when it worked).

    Needs the ``oidc_provider`` fixture active. A NISS missing from the provider's list of test
    citizens is sent as a typed number.
    """
    step = begin_login(client, next_url=next_url)
    callback = authorize(client, step, niss=niss, means=means, pin=pin)
    return client.get(callback)


@pytest.fixture
def oidc_login_as(
    client: Client, oidc_provider: ProviderStub, db: None
) -> Callable[..., _MonkeyPatchedWSGIResponse]:
    """``oidc_login_as(niss, means="eid", next_url=None)``: log the test ``client`` in via the provider."""

    def _login(
        niss: str = "78041213507",
        means: Means = "eid",
        next_url: str | None = None,
        *,
        create_person: bool = True,
    ) -> _MonkeyPatchedWSGIResponse:
        if create_person:
            make_person(niss)
        response = oidc_login(client, niss, means=means, next_url=next_url)
        assert response.status_code == 302, response.content.decode()[:2000]
        return response

    return _login


def force_login_as(client: Client, niss: str, *, assurance_level: int = 500) -> User:
    """Log ``client`` in as this NISS without the protocol, with the session keys a real login sets."""
    person = Person.objects.filter(niss=niss).first()
    user, _created = User.objects.get_or_create(
        niss=niss,
        defaults={
            "first_name": person.first_name if person else "",
            "last_name": person.last_name if person else "",
            "language": person.language if person else "",
        },
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[oidc.SESSION_ASSURANCE_LEVEL] = assurance_level
    session[oidc.SESSION_AUTH_MEANS] = oidc.auth_means_for_level(assurance_level)
    session.save()
    return user


# --- Tokens made by tests ------------------------------------------------------------------------


def provider_key() -> RSAKey:
    """The development provider's current signing key (the oidc_provider fixture must be active)."""
    from careerbreak.devidp.keys import signing_key

    return signing_key()


def sign_token(
    claims: dict[str, Any], *, key: RSAKey | None = None, header: dict[str, Any] | None = None
) -> str:
    """An RS256 JWT of these claims, signed with ``key`` (default: the provider's own key)."""
    signing = key or provider_key()
    full_header = {"alg": "RS256", "kid": signing.kid or signing.thumbprint(), **(header or {})}
    return jwt.encode(full_header, claims, signing, algorithms=["RS256"])


def unsigned_token(claims: dict[str, Any]) -> str:
    """A JWT with ``alg: none`` (which no relying party may accept)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.fixture
def client() -> Client:
    """A browser that reads English (the source strings), so assertions do not depend on catalogues."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser
