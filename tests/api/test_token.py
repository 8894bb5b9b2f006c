"""The token endpoint: client credentials with client_secret_basic or private_key_jwt (RFC 6749, RFC 7523),
and the refusals: a wrong secret, an unknown or revoked client, a replayed, expired, misaddressed or
unsigned assertion, a scope the client may not ask."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from careerbreak.identity.api_clients import JWT_BEARER
from careerbreak.identity.api_tokens import token_lookup
from careerbreak.identity.models import ApiClient, ApiScope
from tests.factories import API_TEST_SECRET, ApiClientFactory

pytestmark = pytest.mark.django_db

AUDIENCE = "http://testserver/api/v1/oauth/token"


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {raw}"}


def ask(client: Client, data: dict[str, str], **headers: str) -> Any:
    return client.post(
        reverse("api:token"), urlencode(data), content_type="application/x-www-form-urlencoded", **headers
    )


def key_client(key: RSAKey | ECKey, **extra: Any) -> ApiClient:
    return ApiClientFactory(
        auth_method=ApiClient.AuthMethod.PRIVATE_KEY_JWT,
        secret_hash="",
        jwks={"keys": [key.as_dict(private=False)]},
        **extra,
    )


def assertion(key: Any, client_id: str, *, alg: str = "RS256", jti: str | None = None, **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": client_id, "sub": client_id, "aud": AUDIENCE, "iat": now, "exp": now + 60}
    body["jti"] = jti or uuid.uuid4().hex
    body.update(claims)
    return jwt.encode({"alg": alg}, {k: v for k, v in body.items() if v is not None}, key, algorithms=[alg])


def assertion_form(token: str, **extra: str) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_assertion_type": JWT_BEARER,
        "client_assertion": token,
        **extra,
    }


@pytest.fixture(scope="module")
def rsa_key() -> RSAKey:
    return RSAKey.generate_key(2048)


def test_a_client_with_its_secret_gets_a_short_lived_bearer_token_with_its_scopes(client: Client) -> None:
    api_client = ApiClientFactory(scopes=[ApiScope.REQUESTS_READ, ApiScope.REQUESTS_WRITE])

    response = ask(
        client, {"grant_type": "client_credentials"}, **basic(api_client.client_id, API_TEST_SECRET)
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert body["scope"] == "requests:read requests:write"
    assert response["Cache-Control"] == "no-store"
    row = token_lookup(body["access_token"])
    assert row is not None and row.client == api_client
    assert (row.expires_at - timezone.now()).total_seconds() <= 600


def test_a_client_asking_fewer_scopes_gets_only_those(client: Client) -> None:
    api_client = ApiClientFactory()
    data = {"grant_type": "client_credentials", "scope": "notices"}

    response = ask(client, data, **basic(api_client.client_id, API_TEST_SECRET))

    assert response.json()["scope"] == "notices"


def test_a_scope_the_client_may_not_ask_is_refused(client: Client) -> None:
    api_client = ApiClientFactory(scopes=[ApiScope.REQUESTS_READ])
    data = {"grant_type": "client_credentials", "scope": "requests:read requests:write"}

    response = ask(client, data, **basic(api_client.client_id, API_TEST_SECRET))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("who", ["wrong secret", "unknown client", "revoked client"])
def test_a_wrong_secret_an_unknown_or_a_revoked_client_is_an_invalid_client(client: Client, who: str) -> None:
    api_client = ApiClientFactory(revoked_at=timezone.now() if who == "revoked client" else None)
    client_id = "cb-nobody" if who == "unknown client" else api_client.client_id
    secret = "not-it" if who == "wrong secret" else API_TEST_SECRET

    response = ask(client, {"grant_type": "client_credentials"}, **basic(client_id, secret))

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response["WWW-Authenticate"].startswith("Basic")


def test_no_client_authentication_is_an_invalid_client(client: Client) -> None:
    response = ask(client, {"grant_type": "client_credentials"})

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_another_grant_type_is_unsupported_and_a_missing_one_is_an_invalid_request(client: Client) -> None:
    api_client = ApiClientFactory()
    credentials = basic(api_client.client_id, API_TEST_SECRET)

    assert ask(client, {"grant_type": "password"}, **credentials).json()["error"] == "unsupported_grant_type"
    assert ask(client, {}, **credentials).json()["error"] == "invalid_request"


def test_the_secret_in_the_body_is_refused(client: Client) -> None:
    api_client = ApiClientFactory()
    data = {
        "grant_type": "client_credentials",
        "client_id": api_client.client_id,
        "client_secret": API_TEST_SECRET,
    }

    response = ask(client, data)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_a_json_body_is_an_invalid_request(client: Client) -> None:
    api_client = ApiClientFactory()

    response = client.post(
        reverse("api:token"),
        '{"grant_type": "client_credentials"}',
        content_type="application/json",
        **basic(api_client.client_id, API_TEST_SECRET),
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_a_client_signing_an_assertion_with_its_registered_rsa_key_gets_a_token(
    client: Client, rsa_key: RSAKey
) -> None:
    api_client = key_client(rsa_key)

    response = ask(client, assertion_form(assertion(rsa_key, api_client.client_id)))

    assert response.status_code == 200, response.content
    assert token_lookup(response.json()["access_token"]).client == api_client  # type: ignore[union-attr]


@pytest.mark.parametrize("alg", ["PS256", "ES256"])
def test_ps256_and_es256_assertions_are_accepted(client: Client, rsa_key: RSAKey, alg: str) -> None:
    key = ECKey.generate_key("P-256") if alg == "ES256" else rsa_key
    api_client = key_client(key)

    response = ask(client, assertion_form(assertion(key, api_client.client_id, alg=alg)))

    assert response.status_code == 200, response.content


def test_a_replayed_assertion_is_refused(client: Client, rsa_key: RSAKey) -> None:
    api_client = key_client(rsa_key)
    token = assertion(rsa_key, api_client.client_id, jti="once")
    assert ask(client, assertion_form(token)).status_code == 200

    replay = ask(client, assertion_form(token))
    same_jti = ask(client, assertion_form(assertion(rsa_key, api_client.client_id, jti="once")))

    assert replay.status_code == 401
    assert "already used" in replay.json()["error_description"]
    assert same_jti.status_code == 401


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"aud": "https://elsewhere.example/token"}, "aud"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 3700}, "expired"),
        ({"exp": None}, "no exp"),
        ({"exp": int(time.time()) + 86400}, "too long"),
        ({"jti": ""}, "no jti"),
        ({"sub": "someone-else"}, "sub"),
        ({"nbf": int(time.time()) + 3600}, "nbf"),
    ],
)
def test_an_assertion_with_a_wrong_audience_expired_or_incomplete_is_refused(
    client: Client, rsa_key: RSAKey, claims: dict[str, Any], why: str
) -> None:
    api_client = key_client(rsa_key)
    token = assertion(rsa_key, api_client.client_id, **claims)
    if why == "no jti":
        token = jwt.encode(
            {"alg": "RS256"},
            {
                "iss": api_client.client_id,
                "sub": api_client.client_id,
                "aud": AUDIENCE,
                "exp": int(time.time()) + 60,
            },
            rsa_key,
        )

    response = ask(client, assertion_form(token))

    assert response.status_code == 401, why
    assert response.json()["error"] == "invalid_client"


def test_an_assertion_signed_by_another_key_is_refused(client: Client, rsa_key: RSAKey) -> None:
    api_client = key_client(rsa_key)
    other = RSAKey.generate_key(2048)

    response = ask(client, assertion_form(assertion(other, api_client.client_id)))

    assert response.status_code == 401


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_an_unsigned_or_hs256_assertion_is_refused(client: Client, rsa_key: RSAKey) -> None:
    api_client = key_client(rsa_key)
    now = int(time.time())
    claims = {"iss": api_client.client_id, "sub": api_client.client_id, "aud": AUDIENCE, "exp": now + 60}
    none_header, hs_header = _b64(b'{"alg":"none"}'), _b64(b'{"alg":"HS256"}')
    unsigned = f"{none_header}.{_b64(json.dumps({**claims, 'jti': 'a'}).encode())}."
    # HS256 keyed with the client's public key (the classic algorithm confusion).
    signing_input = f"{hs_header}.{_b64(json.dumps({**claims, 'jti': 'b'}).encode())}"
    mac = hmac.new(rsa_key.as_pem(private=False), signing_input.encode(), hashlib.sha256).digest()
    hs256 = f"{signing_input}.{_b64(mac)}"

    for token in (unsigned, hs256):
        response = ask(client, assertion_form(token))
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert "RS256, PS256 or ES256" in response.json()["error_description"]


def test_an_assertion_of_an_unknown_or_revoked_client_is_refused(client: Client, rsa_key: RSAKey) -> None:
    revoked = key_client(rsa_key, revoked_at=timezone.now())

    for client_id in ("cb-nobody", revoked.client_id):
        response = ask(client, assertion_form(assertion(rsa_key, client_id)))
        assert response.status_code == 401


def test_a_wrong_assertion_type_is_an_invalid_request(client: Client, rsa_key: RSAKey) -> None:
    api_client = key_client(rsa_key)
    data = assertion_form(assertion(rsa_key, api_client.client_id), client_assertion_type="urn:other")

    response = ask(client, data)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_the_token_endpoint_refuses_get(client: Client) -> None:
    response = client.get(reverse("api:token"))

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
