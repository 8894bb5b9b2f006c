"""Logging in against OpenID Connect providers this project did not write (issue 18).

The main provider is oidc-provider-mock (PyPI, built on Authlib's server side), run as its own process
on a free 127.0.0.1 port and reached over real HTTP: the browser is Django's test client driving our
views, the provider's login form is posted with httpx, and our back channel uses a real httpx client.

What oidc-provider-mock cannot express is covered by ``SmallProvider`` below, a provider of a few lines
served through httpx.MockTransport (our relying party still goes through its whole code path):
ES256 ID tokens, an issuer with a trailing slash, keys rotated without a ``kid``. The claims in
userinfo only are covered against our development provider in its FAS-like mode (the mock puts every
user claim in the ID token too).

Bounded in time: the provider must answer within STARTUP_SECONDS; under CI=true a provider that does
not start fails the suite instead of skipping it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from careerbreak.core.models import AuditEvent
from careerbreak.identity import oidc
from careerbreak.identity.models import User
from tests.oidc_fixtures import local_url, make_person, oidc_login

pytestmark = pytest.mark.django_db

JEAN = "78041213507"
STARTUP_SECONDS = 20
FAS_CLAIMS = {
    "egovNRN": JEAN,
    "givenName": "Jean",
    "surname": "Dubois",
    "prefLanguage": "fr",
    "acr": "urn:be:fedict:iam:fas:Level500",
}


# --- oidc-provider-mock, its own process ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def mock_issuer() -> Iterator[str]:
    """The issuer of a running oidc-provider-mock (http://127.0.0.1:<free port>)."""
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _out, err = process.communicate(timeout=5)
                message = f"oidc-provider-mock did not start: {err.decode(errors='replace')[-500:]}"
                if os.environ.get("CI", "").lower() == "true":
                    pytest.fail(message)
                pytest.skip(message)
            time.sleep(0.1)
        yield issuer
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def mock_provider(mock_issuer: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Our relying party configured, by settings alone, for oidc-provider-mock; real HTTP."""
    settings.OIDC_ISSUER = mock_issuer
    settings.OIDC_CLIENT_ID = "careerbreak-interop"
    settings.OIDC_CLIENT_SECRET = "any-secret"
    # The mock releases only the standard scopes; its users' other claims come with "openid".
    settings.OIDC_SCOPES = "openid profile"
    back_channel = httpx.Client(timeout=5)
    oidc.clear_caches()
    monkeypatch.setattr(oidc, "http_client", lambda: back_channel)
    yield mock_issuer
    oidc.clear_caches()
    back_channel.close()


def set_mock_user(issuer: str, sub: str, claims: dict[str, Any]) -> None:
    response = httpx.put(f"{issuer}/users/{sub}", json=claims, timeout=5)
    assert response.status_code == 204, response.text


def login_at_mock(client: Client, sub: str) -> Any:
    """Start at our login view, log in as ``sub`` on the mock's form, come back to our callback."""
    start = client.get(reverse("identity:login"))
    assert start.status_code == 302, start.content.decode()[:500]
    # The provider's login form posts back to its authorize URL with the chosen subject.
    answer = httpx.post(start["Location"], data={"sub": sub}, timeout=5)
    assert answer.status_code == 302, answer.text[:500]
    assert answer.headers["location"].startswith("http://testserver/auth/callback?")
    return client.get(local_url(answer.headers["location"]))


def assert_logged_in(client: Client, response: Any, *, level: int) -> User:
    assert response.status_code == 302, response.content.decode()[:800]
    user = User.objects.get(niss=JEAN)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[oidc.SESSION_ASSURANCE_LEVEL] == level
    return user


def assert_refused_with(response: Any, reason: str, text: str) -> None:
    assert "identity/login_refused.html" in [t.name for t in response.templates]
    assert text in response.content.decode()
    assert AuditEvent.objects.get(action="careerbreak.login.refused").data["reason"] == reason
    assert "_auth_user_id" not in response.wsgi_request.session


def test_claims_in_the_id_token_log_the_right_person_in_at_the_right_level(client, mock_provider, settings):
    # Userinfo switched off: everything must come from the ID token.
    settings.OIDC_USERINFO = False
    make_person(JEAN)
    set_mock_user(mock_provider, "jean-id-token", FAS_CLAIMS)

    user = assert_logged_in(client, login_at_mock(client, "jean-id-token"), level=500)

    assert (user.first_name, user.last_name, user.language) == ("Jean", "Dubois", "fr")
    assert client.session[oidc.SESSION_AUTH_MEANS] == "eid"


def test_claims_read_with_userinfo_from_the_mock_log_in(client, mock_provider):
    make_person(JEAN)
    set_mock_user(mock_provider, "jean-userinfo", FAS_CLAIMS)

    assert_logged_in(client, login_at_mock(client, "jean-userinfo"), level=500)


def test_an_eidas_level_of_assurance_maps_to_our_level(client, mock_provider):
    make_person(JEAN)
    set_mock_user(mock_provider, "jean-eidas", {**FAS_CLAIMS, "acr": "http://eidas.europa.eu/LoA/high"})

    assert_logged_in(client, login_at_mock(client, "jean-eidas"), level=450)
    assert client.session[oidc.SESSION_AUTH_MEANS] == "other"


def test_a_fas_assurance_level_claim_is_read_when_configured(client, mock_provider, settings):
    settings.OIDC_CLAIM_ASSURANCE_LEVEL = "assurance_level"
    settings.OIDC_ASSURANCE_LEVEL_MAP = ["high=500", "substantial=400"]
    make_person(JEAN)
    claims = {k: v for k, v in FAS_CLAIMS.items() if k != "acr"}
    set_mock_user(mock_provider, "jean-fas-level", {**claims, "assurance_level": "substantial"})

    assert_logged_in(client, login_at_mock(client, "jean-fas-level"), level=400)


def test_no_acr_is_refused_with_the_page_that_says_what_is_missing(client, mock_provider):
    make_person(JEAN)
    set_mock_user(mock_provider, "jean-no-acr", {k: v for k, v in FAS_CLAIMS.items() if k != "acr"})

    response = login_at_mock(client, "jean-no-acr")

    assert response.status_code == 400
    assert_refused_with(response, "acr_missing", "did not send it")


def test_no_acr_gets_the_configured_default_level(client, mock_provider, settings):
    settings.OIDC_DEFAULT_ASSURANCE_LEVEL = 400
    make_person(JEAN)
    set_mock_user(mock_provider, "jean-default", {k: v for k, v in FAS_CLAIMS.items() if k != "acr"})

    assert_logged_in(client, login_at_mock(client, "jean-default"), level=400)


def _register_client(issuer: str, method: str) -> dict[str, Any]:
    response = httpx.post(
        f"{issuer}/oauth2/clients",
        json={"redirect_uris": ["http://testserver/auth/callback"], "token_endpoint_auth_method": method},
        timeout=5,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_client_secret_post_logs_in_with_a_client_registered_for_it(client, mock_provider, settings):
    registered = _register_client(mock_provider, "client_secret_post")
    settings.OIDC_CLIENT_ID = registered["client_id"]
    settings.OIDC_CLIENT_SECRET = registered["client_secret"]
    settings.OIDC_TOKEN_ENDPOINT_AUTH_METHOD = "client_secret_post"
    make_person(JEAN)
    set_mock_user(mock_provider, "jean-post", FAS_CLAIMS)

    assert_logged_in(client, login_at_mock(client, "jean-post"), level=500)


def test_the_wrong_client_authentication_is_refused_by_the_mock_as_our_problem(
    client, mock_provider, settings
):
    # Guards the test above: the mock does enforce the registered method.
    registered = _register_client(mock_provider, "client_secret_post")
    settings.OIDC_CLIENT_ID = registered["client_id"]
    settings.OIDC_CLIENT_SECRET = registered["client_secret"]
    make_person(JEAN)
    set_mock_user(mock_provider, "jean-basic", FAS_CLAIMS)

    response = login_at_mock(client, "jean-basic")

    assert_refused_with(response, "token_error", "This is a problem on our side")


def test_logging_out_goes_on_to_the_providers_end_session_endpoint(client, mock_provider):
    make_person(JEAN)
    set_mock_user(mock_provider, "jean-logout", FAS_CLAIMS)
    assert_logged_in(client, login_at_mock(client, "jean-logout"), level=500)
    id_token = client.session[oidc.SESSION_ID_TOKEN]

    response = client.post(reverse("identity:logout"))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{mock_provider}/oauth2/end_session"
    params = dict(parse_qsl(location.query))
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver/"
    assert "_auth_user_id" not in client.session


# --- Our development provider in its FAS-like mode: identity claims in userinfo only -------------


def test_claims_in_userinfo_only_log_the_right_person_in(client, oidc_provider, settings):
    settings.DEVIDP_CLAIMS_IN_USERINFO_ONLY = True
    make_person(JEAN)

    response = oidc_login(client, JEAN)

    (token_answer,) = oidc_provider.requests_to("/token")
    assert token_answer is not None
    assert len(oidc_provider.requests_to("/userinfo")) == 1
    user = assert_logged_in(client, response, level=500)
    assert (user.first_name, user.last_name) == ("Jean", "Dubois")


def test_without_userinfo_a_fas_like_provider_gives_no_national_number(client, oidc_provider, settings):
    # Proves the test above needs userinfo: the ID token alone does not carry the person.
    settings.DEVIDP_CLAIMS_IN_USERINFO_ONLY = True
    settings.OIDC_USERINFO = False
    make_person(JEAN)

    response = oidc_login(client, JEAN)

    assert_refused_with(response, "niss_missing", "Your national register number was not received")


# --- A small provider for what the mock cannot express ---------------------------------------------


def _b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


@dataclass
class SmallProvider:
    """Discovery, JWKS, token and userinfo endpoints over httpx.MockTransport, with settable keys."""

    issuer: str
    algorithm: str = "RS256"
    key: Any = None
    send_kid: bool = True
    pending: dict[str, str] = field(default_factory=dict)
    jwks_requests: int = 0
    auth_methods: list[str] = field(default_factory=lambda: ["client_secret_basic"])
    # Our public key, registered for private_key_jwt; and how each token request authenticated.
    client_key: Any = None
    auth_seen: list[str] = field(default_factory=list)
    # FAS-like: the person's claims only from userinfo, answered as a signed JWT when asked.
    userinfo_only: bool = False
    userinfo_as_jwt: bool = False
    userinfo_sub: str = "small-provider-jean"

    def __post_init__(self) -> None:
        self.rotate()

    def rotate(self) -> None:
        self.key = ECKey.generate_key("P-256") if self.algorithm == "ES256" else RSAKey.generate_key(2048)

    def public_jwks(self) -> dict[str, Any]:
        public = self.key.as_dict(private=False)
        if self.send_kid:
            public["kid"] = self.key.thumbprint()
        return {"keys": [public]}

    def base(self) -> str:
        return self.issuer.rstrip("/")

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        base_path = urlsplit(self.base()).path
        if path == f"{base_path}/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "userinfo_endpoint": f"{self.base()}/userinfo",
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.base()}/authorize",
                    "token_endpoint": f"{self.base()}/token",
                    "jwks_uri": f"{self.base()}/jwks",
                    "id_token_signing_alg_values_supported": [self.algorithm],
                    "token_endpoint_auth_methods_supported": self.auth_methods,
                },
            )
        if path == f"{base_path}/jwks":
            self.jwks_requests += 1
            return httpx.Response(200, json=self.public_jwks())
        if path == f"{base_path}/token":
            form = dict(parse_qsl(request.content.decode()))
            self.auth_seen.append(self.client_authentication(request, form))
            nonce = self.pending.pop(form.get("code", ""), None)
            if nonce is None:
                return httpx.Response(400, json={"error": "invalid_grant"})
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "sub": "small-provider-jean",
                "aud": "careerbreak-dev",
                "iat": now,
                "exp": now + 300,
                "nonce": nonce,
                **({"acr": FAS_CLAIMS["acr"]} if self.userinfo_only else FAS_CLAIMS),
            }
            header = {"alg": self.algorithm, **({"kid": self.key.thumbprint()} if self.send_kid else {})}
            token = jwt.encode(header, claims, self.key, algorithms=[self.algorithm])
            return httpx.Response(200, json={"access_token": "at", "token_type": "Bearer", "id_token": token})
        if path == f"{base_path}/userinfo":
            assert request.headers["authorization"] == "Bearer at"
            claims = {"sub": self.userinfo_sub, **FAS_CLAIMS}
            if not self.userinfo_as_jwt:
                return httpx.Response(200, json=claims)
            signed = jwt.encode(
                {"alg": self.algorithm, **({"kid": self.key.thumbprint()} if self.send_kid else {})},
                {**claims, "iss": self.issuer, "aud": "careerbreak-dev"},
                self.key,
                algorithms=[self.algorithm],
            )
            return httpx.Response(200, content=signed.encode(), headers={"Content-Type": "application/jwt"})
        return httpx.Response(404)

    def client_authentication(self, request: httpx.Request, form: dict[str, str]) -> str:
        if request.headers.get("authorization", "").startswith("Basic "):
            return "client_secret_basic"
        if "client_secret" in form:
            return "client_secret_post"
        if "client_assertion" in form and self.client_key is not None:
            assertion = jwt.decode(form["client_assertion"], self.client_key).claims
            assert assertion["iss"] == assertion["sub"] == "careerbreak-dev"
            assert assertion["aud"] == f"{self.base()}/token"
            return "private_key_jwt"
        return "none"

    def login(self, client: Client) -> Any:
        start = client.get(reverse("identity:login"))
        assert start.status_code == 302, start.content.decode()[:500]
        params = dict(parse_qsl(urlsplit(start["Location"]).query))
        code = secrets.token_urlsafe(16)
        self.pending[code] = params["nonce"]
        return client.get(reverse("identity:callback"), {"code": code, "state": params["state"]})


@pytest.fixture
def small_provider(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., SmallProvider]:
    created: list[httpx.Client] = []

    def make(
        issuer: str = "http://fas.test/fas", algorithm: str = "RS256", send_kid: bool = True
    ) -> SmallProvider:
        provider = SmallProvider(issuer=issuer, algorithm=algorithm, send_kid=send_kid)
        settings.OIDC_ISSUER = issuer
        settings.OIDC_CLIENT_ID = "careerbreak-dev"
        back_channel = httpx.Client(transport=httpx.MockTransport(lambda request: provider.handle(request)))
        created.append(back_channel)
        oidc.clear_caches()
        monkeypatch.setattr(oidc, "http_client", lambda: back_channel)
        return provider

    yield make
    oidc.clear_caches()
    for back_channel in created:
        back_channel.close()


def test_an_es256_id_token_logs_in(client, small_provider):
    provider = small_provider(algorithm="ES256")
    make_person(JEAN)

    assert_logged_in(client, provider.login(client), level=500)


def test_an_issuer_with_a_trailing_slash_configured_as_discovery_states_it_logs_in(client, small_provider):
    provider = small_provider(issuer="http://fas.test/fas/")
    make_person(JEAN)

    assert_logged_in(client, provider.login(client), level=500)
    assert oidc.configuration_problems() == []


def test_an_issuer_configured_without_the_slash_discovery_states_is_a_configuration_error(
    client, small_provider, settings
):
    small_provider(issuer="http://fas.test/fas/")
    settings.OIDC_ISSUER = "http://fas.test/fas"

    response = client.get(reverse("identity:login"))

    assert response.status_code == 503
    assert "cannot be reached" not in response.content.decode()
    assert_refused_with(response, "configuration_error", "a problem on our side")
    (problem,) = oidc.configuration_problems()
    assert "http://fas.test/fas/" in problem


def test_keys_rotated_without_a_kid_are_fetched_again_once_and_the_login_works(client, small_provider):
    provider = small_provider(algorithm="ES256", send_kid=False)
    make_person(JEAN)
    assert_logged_in(client, provider.login(client), level=500)
    client.post(reverse("identity:logout"))

    provider.rotate()
    response = provider.login(client)

    assert response.status_code == 302, response.content.decode()[:500]
    assert provider.jwks_requests == 2


def test_a_token_signed_by_a_key_the_provider_never_published_is_refused_after_one_refetch(
    client, small_provider
):
    provider = small_provider(send_kid=False)
    make_person(JEAN)
    published = provider.public_jwks()
    provider.rotate()
    provider.public_jwks = lambda: published  # type: ignore[method-assign]

    response = provider.login(client)

    assert_refused_with(response, "signature_invalid", "could not be verified")
    assert provider.jwks_requests == 2


def test_an_unsigned_id_token_is_refused_even_when_discovery_advertises_none_and_hs256(
    client, small_provider
):
    provider = small_provider()
    make_person(JEAN)
    real_handle = provider.handle

    def hs256(request: httpx.Request) -> httpx.Response:
        response = real_handle(request)
        if request.url.path.endswith("/.well-known/openid-configuration"):
            document = response.json()
            document["id_token_signing_alg_values_supported"] = ["HS256", "none", "RS256"]
            return httpx.Response(200, json=document)
        if request.url.path.endswith("/token") and response.status_code == 200:
            body = response.json()
            header, payload, _signature = body["id_token"].split(".")
            forged_header = _b64(json.dumps({"alg": "none"}).encode())
            body["id_token"] = f"{forged_header}.{payload}."
            assert header
            return httpx.Response(200, json=body)
        return response

    provider.handle = hs256  # type: ignore[method-assign]

    response = provider.login(client)

    assert_refused_with(response, "signature_invalid", "could not be verified")


def test_client_secret_post_is_used_when_discovery_advertises_only_it(client, small_provider):
    provider = small_provider()
    provider.auth_methods = ["client_secret_post"]
    make_person(JEAN)

    assert_logged_in(client, provider.login(client), level=500)
    assert provider.auth_seen == ["client_secret_post"]


def test_private_key_jwt_signs_a_client_assertion_with_the_configured_key(
    client, small_provider, settings, tmp_path
):
    provider = small_provider()
    provider.auth_methods = ["private_key_jwt", "client_secret_basic"]
    our_key = RSAKey.generate_key(2048)
    key_file = tmp_path / "client-key.pem"
    key_file.write_bytes(our_key.as_pem(private=True))
    settings.OIDC_CLIENT_PRIVATE_KEY_PATH = str(key_file)
    provider.client_key = RSAKey.import_key(our_key.as_dict(private=False))
    make_person(JEAN)

    assert_logged_in(client, provider.login(client), level=500)
    assert provider.auth_seen == ["private_key_jwt"]


def test_a_configured_auth_method_the_provider_does_not_advertise_is_a_configuration_problem(
    client, small_provider, settings
):
    provider = small_provider()
    provider.auth_methods = ["client_secret_post"]
    settings.OIDC_TOKEN_ENDPOINT_AUTH_METHOD = "client_secret_basic"
    make_person(JEAN)

    response = provider.login(client)

    assert_refused_with(response, "configuration_error", "a problem on our side")
    (problem,) = oidc.configuration_problems()
    assert "client_secret_basic" in problem


@pytest.mark.parametrize("as_jwt", [False, True], ids=["json", "signed-jwt"])
def test_claims_from_a_userinfo_answer_in_json_or_as_a_signed_jwt_log_in(client, small_provider, as_jwt):
    provider = small_provider(algorithm="ES256")
    provider.userinfo_only = True
    provider.userinfo_as_jwt = as_jwt
    make_person(JEAN)

    user = assert_logged_in(client, provider.login(client), level=500)

    assert (user.first_name, user.last_name, user.language) == ("Jean", "Dubois", "fr")


@pytest.mark.parametrize("as_jwt", [False, True], ids=["json", "signed-jwt"])
def test_a_userinfo_answer_about_another_subject_is_refused(client, small_provider, as_jwt):
    provider = small_provider()
    provider.userinfo_only = True
    provider.userinfo_as_jwt = as_jwt
    provider.userinfo_sub = "someone-else"
    make_person(JEAN)

    response = provider.login(client)

    assert_refused_with(response, "token_invalid", "could not be read")
