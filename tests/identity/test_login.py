"""Logging in through OpenID Connect: the flows that succeed, and what they leave behind."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, unquote

import pytest
from django.conf import settings
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.identity import oidc
from careerbreak.identity.models import User
from tests.oidc_fixtures import (
    ISSUER,
    ProviderStub,
    authorize,
    begin_login,
    force_login_as,
    make_person,
    oidc_login,
)

pytestmark = pytest.mark.django_db

JEAN = "78041213507"
AN = "81110324486"


def test_an_employer_logging_in_with_eid_is_created_logged_in_at_level_500_and_sent_to_next(
    client, oidc_provider
):
    make_person(JEAN)

    response = oidc_login(client, JEAN, means="eid", next_url="/employer/enterprise/")

    assert response.status_code == 302
    assert response["Location"] == "/employer/enterprise/"
    user = User.objects.get(niss=JEAN)
    assert (user.first_name, user.last_name, user.email, user.language) == (
        "Jean",
        "Dubois",
        "jean.dubois@example.be",
        "fr",
    )
    assert not user.has_usable_password()
    session = client.session
    assert session["_auth_user_id"] == str(user.pk)
    assert session[oidc.SESSION_ASSURANCE_LEVEL] == 500
    assert session[oidc.SESSION_AUTH_MEANS] == "eid"
    event = AuditEvent.objects.get(action="careerbreak.login.succeeded")
    assert (event.actor_niss, event.assurance_level) == (JEAN, 500)
    assert event.data["auth_means"] == "eid"


def test_an_employer_logging_in_with_itsme_gets_level_450(client, oidc_provider):
    make_person(AN)

    response = oidc_login(client, AN, means="itsme")

    assert response.status_code == 302
    assert client.session[oidc.SESSION_ASSURANCE_LEVEL] == 450
    assert client.session[oidc.SESSION_AUTH_MEANS] == "itsme"
    assert AuditEvent.objects.get(action="careerbreak.login.succeeded").assurance_level == 450


def test_without_next_the_employer_lands_on_the_employer_start_page(client, oidc_provider):
    make_person(JEAN)

    response = oidc_login(client, JEAN)

    assert response["Location"] == reverse("employer:start") == "/employer/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example",
        "//evil.example/employer/",
        "https:/evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_a_next_address_off_this_site_is_ignored(client, oidc_provider, next_url):
    make_person(JEAN)

    response = oidc_login(client, JEAN, next_url=next_url)

    assert response.status_code == 302
    assert response["Location"] == "/employer/"


def test_the_language_cookie_follows_the_users_language(client, oidc_provider):
    make_person(AN)

    response = oidc_login(client, AN)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"


def test_a_returning_user_gets_fresh_names_but_keeps_the_language_they_chose(client, oidc_provider):
    make_person(JEAN)
    User.objects.create_user(niss=JEAN, first_name="J.", last_name="Old", email="", language="en")

    response = oidc_login(client, JEAN)

    user = User.objects.get(niss=JEAN)
    assert (user.first_name, user.last_name, user.email) == ("Jean", "Dubois", "jean.dubois@example.be")
    assert user.language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert User.objects.count() == 1


def test_logging_in_gives_the_browser_a_new_session_key(client, oidc_provider):
    make_person(JEAN)
    step = begin_login(client)
    key_before = client.session.session_key

    client.get(authorize(client, step, niss=JEAN))

    assert client.session.session_key != key_before
    assert client.session["_auth_user_id"]


def test_the_authorization_request_uses_pkce_s256_state_nonce_and_the_configured_scopes(
    client, oidc_provider
):
    step = begin_login(client)

    assert step.url.startswith(f"{ISSUER}/authorize?")
    params = step.params
    assert params["response_type"] == "code"
    assert params["client_id"] == settings.OIDC_CLIENT_ID
    assert params["redirect_uri"] == "http://testserver/auth/callback"
    assert params["scope"] == settings.OIDC_SCOPES
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["state"] != params["nonce"]
    assert "acr_values" not in params


def test_two_logins_get_different_state_nonce_and_verifier(client, oidc_provider):
    first, second = begin_login(client), begin_login(client)

    assert first.state != second.state
    assert first.nonce != second.nonce
    assert first.params["code_challenge"] != second.params["code_challenge"]


def test_the_configured_acr_values_are_asked_for(client, oidc_provider, settings):
    settings.OIDC_ACR_VALUES = "urn:be:fedict:iam:fas:Level500"

    step = begin_login(client)

    assert step.params["acr_values"] == "urn:be:fedict:iam:fas:Level500"


def test_the_token_request_authenticates_with_client_secret_basic_and_sends_the_pkce_verifier(
    client, oidc_provider: ProviderStub
):
    make_person(JEAN)
    step = begin_login(client)

    client.get(authorize(client, step, niss=JEAN))

    (token_request,) = oidc_provider.requests_to("/token")
    scheme, credentials = token_request.headers["Authorization"].split(" ")
    client_id, secret = base64.b64decode(credentials).decode().split(":")
    assert scheme == "Basic"
    assert (unquote(client_id), unquote(secret)) == (settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)
    form = parse_qs(token_request.content.decode())
    verifier = form["code_verifier"][0]
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert digest == step.params["code_challenge"]
    assert "client_secret" not in form


def test_client_secret_basic_form_encodes_a_secret_with_reserved_characters(
    client, oidc_provider: ProviderStub, settings
):
    # RFC 6749 §2.3.1; the provider refuses this secret, only the request it received matters here.
    settings.OIDC_CLIENT_SECRET = "s3:cr%et+/é"
    make_person(JEAN)

    client.get(authorize(client, begin_login(client), niss=JEAN))

    (token_request,) = oidc_provider.requests_to("/token")
    scheme, credentials = token_request.headers["Authorization"].split(" ")
    client_id, secret = base64.b64decode(credentials).decode().split(":")
    assert (scheme, unquote(client_id), unquote(secret)) == ("Basic", settings.OIDC_CLIENT_ID, "s3:cr%et+/é")


def test_the_provider_metadata_and_keys_are_fetched_once_for_several_logins(
    client, oidc_provider: ProviderStub
):
    make_person(JEAN)

    oidc_login(client, JEAN)
    client.post(reverse("identity:logout"))
    oidc_login(client, JEAN)

    assert len(oidc_provider.requests_to("/.well-known/openid-configuration")) == 1
    assert len(oidc_provider.requests_to("/jwks")) == 1
    assert AuditEvent.objects.filter(action="careerbreak.login.succeeded").count() == 2


def test_a_new_provider_key_is_fetched_when_a_token_names_an_unknown_kid(
    client, oidc_provider: ProviderStub, settings, tmp_path
):
    make_person(JEAN)
    oidc_login(client, JEAN)
    client.post(reverse("identity:logout"))
    # The provider rolls its key: the relying party's cached key set no longer has the new kid.
    settings.DEVIDP_SIGNING_KEY_PATH = tmp_path / "rolled" / "key.pem"

    response = oidc_login(client, JEAN)

    assert response.status_code == 302
    assert len(oidc_provider.requests_to("/jwks")) == 2


def test_logging_out_ends_the_session(client, oidc_provider):
    make_person(JEAN)
    oidc_login(client, JEAN)

    response = client.post(reverse("identity:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert oidc.SESSION_ASSURANCE_LEVEL not in client.session


def test_logging_out_needs_a_post_a_get_only_asks(client, oidc_provider):
    make_person(JEAN)
    oidc_login(client, JEAN)

    response = client.get(reverse("identity:logout"))

    assert response.status_code == 200
    assert "Se déconnecter ?" in response.content.decode()  # Jean's language, from his login
    assert "_auth_user_id" in client.session


def test_the_login_fixture_logs_the_test_client_in(client, oidc_login_as):
    oidc_login_as("90061512202", means="itsme")

    assert client.session[oidc.SESSION_ASSURANCE_LEVEL] == 450
    assert User.objects.get(niss="90061512202").first_name == "Sophie"


def test_force_login_as_sets_the_same_session_keys_as_a_real_login(client):
    make_person(JEAN)

    user = force_login_as(client, JEAN, assurance_level=450)

    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[oidc.SESSION_ASSURANCE_LEVEL] == 450
    assert client.session[oidc.SESSION_AUTH_MEANS] == "itsme"


@pytest.mark.parametrize(
    ("acr", "level"),
    [
        ("urn:be:fedict:iam:fas:Level500", 500),
        ("urn:be:fedict:iam:fas:Level450", 450),
        ("urn:be:fedict:iam:fas:citizen:Level400", 400),
        ("urn:be:fedict:iam:fas:Level100", 100),
        ("urn:be:fedict:iam:fas:Level", None),
        ("Level500", None),
        ("urn:be:fedict:iam:fas:Level5000", None),
        ("", None),
        (None, None),
        (500, None),
    ],
)
def test_the_assurance_level_is_read_from_a_trailing_level_in_the_acr_urn(acr, level):
    assert oidc.assurance_level_from_acr(acr) == level
