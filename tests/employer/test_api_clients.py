"""The API clients page: only the main access manager registers, rotates and revokes the enterprise's
clients; a secret is shown once, on a page never stored; pasted keys must be public RSA or EC P-256 keys.
A plain user, an access manager, a secretariat's user and another enterprise's manager are refused."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from joserfc.jwk import ECKey, OctKey, RSAKey

from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.models import AuditEvent
from careerbreak.identity.api_clients import client_by_secret
from careerbreak.identity.api_tokens import token_lookup
from careerbreak.identity.models import AccessGrant, ApiClient, Role
from tests.conftest import (
    ACME_NUMBER,
    ALICE_NISS,
    BOB_NISS,
    LUC_NISS,
    OSCAR_NISS,
    OTHER_NUMBER,
    SECRETARIAT_NUMBER,
    LoginAs,
)
from tests.factories import AccessGrantFactory, ApiClientFactory, bearer_for

pytestmark = pytest.mark.django_db

NEW = reverse("employer:api_client_new")
LIST = reverse("employer:api_clients")


def secret_on(response: Any) -> str:
    match = re.search(r'<code class="secret">([^<]+)</code>', response.content.decode())
    assert match, "the secret is shown"
    return match.group(1)


@pytest.fixture
def alice(world: dict[str, Any], login_as: LoginAs, settings: Any) -> Client:
    browser = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def test_the_main_access_manager_registers_a_secret_client_and_sees_the_secret_once(
    world: dict[str, Any], alice: Client
) -> None:
    data = {
        "name": "Our payroll",
        "auth_method": "client_secret_basic",
        "scopes": ["requests:read", "notices"],
    }

    response = alice.post(NEW, data)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = secret_on(response)
    client = ApiClient.objects.get(name="Our payroll")
    assert client.enterprise == world["acme"]
    assert client.scopes == ["notices", "requests:read"]
    assert secret not in client.secret_hash
    assert client_by_secret(client_id=client.client_id, secret=secret) == client
    listing = alice.get(LIST)
    assert client.client_id in listing.content.decode()
    assert secret not in listing.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.API_CLIENT_REGISTERED, object_id=client.client_id
    ).exists()


def test_a_key_client_is_registered_with_its_public_keys(alice: Client) -> None:
    jwks = {"keys": [ECKey.generate_key("P-256").as_dict(private=False)]}
    data = {
        "name": "Signed",
        "auth_method": "private_key_jwt",
        "scopes": ["requests:write"],
        "jwks": json.dumps(jwks),
    }

    response = alice.post(NEW, data)

    assert response.status_code == 302
    assert ApiClient.objects.get(name="Signed").jwks == jwks


@pytest.mark.parametrize(
    ("jwks", "message"),
    [
        pytest.param(lambda: "", "Paste the client", id="missing"),
        pytest.param(lambda: "not json", "not valid JSON", id="not-json"),
        pytest.param(lambda: json.dumps({"keys": []}), "at least one key", id="no-key"),
        pytest.param(
            lambda: json.dumps({"keys": [RSAKey.generate_key(2048).as_dict(private=True)]}),
            "private or secret key",
            id="private-rsa",
        ),
        pytest.param(
            lambda: json.dumps({"keys": [OctKey.generate_key(256).as_dict()]}),
            "private or secret key",
            id="oct",
        ),
        pytest.param(
            lambda: json.dumps({"keys": [ECKey.generate_key("P-384").as_dict(private=False)]}),
            "P-256",
            id="p384",
        ),
        pytest.param(
            lambda: json.dumps({"keys": [RSAKey.generate_key(1024).as_dict(private=False)]}),
            "2048 bits",
            id="rsa-1024",
        ),
    ],
)
def test_keys_that_are_missing_private_or_of_another_type_are_refused_on_the_page(
    alice: Client, jwks: Callable[[], str], message: str
) -> None:
    data = {"name": "Signed", "auth_method": "private_key_jwt", "scopes": ["requests:read"], "jwks": jwks()}

    response = alice.post(NEW, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiClient.objects.exists()


def test_a_client_without_name_or_permission_is_refused_on_the_page(alice: Client) -> None:
    response = alice.post(NEW, {"auth_method": "client_secret_basic"})

    assert response.status_code == 400
    assert "Choose at least one permission." in response.content.decode()
    assert not ApiClient.objects.exists()


def test_a_new_secret_replaces_the_old_one_and_ends_the_live_tokens(
    world: dict[str, Any], alice: Client
) -> None:
    client = ApiClientFactory(enterprise=world["acme"])
    token = bearer_for(client)["HTTP_AUTHORIZATION"].removeprefix("Bearer ")

    response = alice.post(reverse("employer:api_client_rotate", args=[client.client_id]))

    new_secret = secret_on(response)
    assert client_by_secret(client_id=client.client_id, secret=new_secret) == client
    assert token_lookup(token) is None


def test_new_keys_replace_a_key_client_s_keys(world: dict[str, Any], alice: Client) -> None:
    client = ApiClientFactory(
        enterprise=world["acme"], auth_method="private_key_jwt", secret_hash="", jwks={"keys": []}
    )
    jwks = {"keys": [RSAKey.generate_key(2048).as_dict(private=False)]}
    url = reverse("employer:api_client_rotate", args=[client.client_id])

    assert alice.get(url).status_code == 200
    response = alice.post(url, {"jwks": json.dumps(jwks)})

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.jwks == jwks and client.rotated_at is not None


def test_revoking_a_client_ends_its_tokens_at_once(world: dict[str, Any], alice: Client) -> None:
    client = ApiClientFactory(enterprise=world["acme"])
    headers = bearer_for(client)

    response = alice.post(reverse("employer:api_client_revoke", args=[client.client_id]))

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert Client().get("/api/v1/whoami", **headers).status_code == 401
    assert "Revoked on" in alice.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("niss", "enterprise"),
    [(BOB_NISS, ACME_NUMBER), (LUC_NISS, ACME_NUMBER), ("access manager", ACME_NUMBER)],
)
def test_anyone_but_the_main_access_manager_is_refused(
    world: dict[str, Any], login_as: LoginAs, niss: str, enterprise: str
) -> None:
    if niss == "access manager":
        grant = AccessGrantFactory(enterprise=world["acme"], role=Role.ACCESS_MANAGER)
        niss = grant.niss
    client = ApiClientFactory(enterprise=world["acme"])
    browser = login_as(niss, enterprise=enterprise)

    for method, url in [
        ("get", LIST),
        ("get", NEW),
        ("post", NEW),
        ("get", reverse("employer:api_client_rotate", args=[client.client_id])),
        ("post", reverse("employer:api_client_revoke", args=[client.client_id])),
    ]:
        assert getattr(browser, method)(url).status_code == 403, (method, url)
    client.refresh_from_db()
    assert client.revoked_at is None


def test_another_enterprise_s_manager_cannot_touch_this_enterprise_s_clients(
    world: dict[str, Any], login_as: LoginAs
) -> None:
    client = ApiClientFactory(enterprise=world["acme"])
    oscar = login_as(OSCAR_NISS, enterprise=OTHER_NUMBER)

    assert client.client_id not in oscar.get(LIST).content.decode()
    assert oscar.post(reverse("employer:api_client_revoke", args=[client.client_id])).status_code == 404
    assert oscar.post(reverse("employer:api_client_rotate", args=[client.client_id])).status_code == 404
    client.refresh_from_db()
    assert client.revoked_at is None


def test_an_outsider_not_logged_in_is_sent_to_the_login(client: Client) -> None:
    response = client.get(LIST)

    assert response.status_code == 302
    assert reverse("identity:login") in response["Location"]


def test_a_secretariat_s_main_manager_registers_the_secretariat_s_client(
    world: dict[str, Any], login_as: LoginAs
) -> None:
    AccessGrant.objects.filter(niss=LUC_NISS).update(role=Role.MAIN_ACCESS_MANAGER)
    luc = login_as(LUC_NISS, enterprise=SECRETARIAT_NUMBER)

    luc.post(NEW, {"name": "PayCo", "auth_method": "client_secret_basic", "scopes": ["requests:write"]})

    assert ApiClient.objects.get(name="PayCo").enterprise == world["secretariat"]
