"""Every way a login is refused: a clear page (never a 500), an audit row, nobody logged in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from joserfc.jwk import RSAKey

from careerbreak.core.models import AuditEvent
from careerbreak.devidp.protocol import pkce_challenge
from careerbreak.identity import oidc
from careerbreak.identity.models import User
from tests.oidc_fixtures import (
    UNKNOWN_NISS,
    ProviderStub,
    authorize,
    begin_login,
    local_url,
    make_person,
    oidc_login,
    provider_key,
    sign_token,
    unsigned_token,
)

pytestmark = pytest.mark.django_db

JEAN = "78041213507"


def assert_refused(
    response: Any, reason: str, text: str, *, status: int = 400, logged_in_before: bool = False
) -> AuditEvent:
    """The refusal page with its explanation and retry link; one audit row; nobody logged in."""
    assert response.status_code == status, response.content.decode()[:500]
    assert "identity/login_refused.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert text in page
    assert reverse("identity:login") in page
    assert "Traceback" not in page
    assert "_auth_user_id" not in response.wsgi_request.session
    event = AuditEvent.objects.get(action="careerbreak.login.refused")
    assert event.data["reason"] == reason
    if not logged_in_before:
        assert not AuditEvent.objects.filter(action="careerbreak.login.succeeded").exists()
    return event


def login_with_token(client: Any, provider: ProviderStub, rewrite: Any, *, niss: str = JEAN) -> Any:
    """A full login where the ID token the relying party receives is replaced by ``rewrite(claims)``."""
    make_person(niss)
    provider.rewrite_id_token = rewrite
    return oidc_login(client, niss)


# --- state ---------------------------------------------------------------------------------------


def test_a_callback_without_state_is_refused(client, oidc_provider):
    begin_login(client)

    response = client.get(reverse("identity:callback"), {"code": "abc"})

    assert_refused(response, "state_invalid", "This login can no longer be completed")


def test_a_callback_with_a_state_this_browser_did_not_start_is_refused(client, oidc_provider):
    make_person(JEAN)
    other_browser = type(client)()
    step = begin_login(other_browser)
    callback = authorize(other_browser, step, niss=JEAN)

    response = client.get(callback)

    assert_refused(response, "state_invalid", "This login can no longer be completed")
    assert not User.objects.exists()


def test_a_replayed_callback_is_refused(client, oidc_provider):
    make_person(JEAN)
    step = begin_login(client)
    callback = authorize(client, step, niss=JEAN)
    assert client.get(callback).status_code == 302
    client.post(reverse("identity:logout"))
    # The login set the cookie to the person's language; read the refusal in English again.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(callback)

    assert_refused(response, "state_invalid", "This login can no longer be completed", logged_in_before=True)


def test_a_login_completed_after_ten_minutes_is_refused(client, oidc_provider):
    make_person(JEAN)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        step = begin_login(client, next_url="/employer/enterprise/")
        callback = authorize(client, step, niss=JEAN)
        traveller.shift(timedelta(minutes=11))

        response = client.get(callback)

    assert_refused(response, "flow_expired", "The login took too long")
    assert "next=%2Femployer%2Fenterprise%2F" in response.content.decode()


# --- answers of the provider ---------------------------------------------------------------------


def test_cancelling_at_the_provider_is_refused_as_a_cancelled_login(client, oidc_provider):
    make_person(JEAN)
    step = begin_login(client)
    callback = authorize(client, step, niss=JEAN, action="cancel")
    assert "error=access_denied" in callback

    response = client.get(callback)

    assert_refused(response, "cancelled", "You cancelled the login")


def test_another_error_from_the_provider_is_refused(client, oidc_provider):
    step = begin_login(client)

    response = client.get(reverse("identity:callback"), {"state": step.state, "error": "login_required"})

    event = assert_refused(response, "provider_error", "The authentication service did not log you in")
    assert event.data["detail"] == "login_required"


def test_a_provider_that_is_down_gives_a_refusal_page_when_starting(client, oidc_provider: ProviderStub):
    oidc_provider.down = True

    response = client.get(reverse("identity:login"), {"next": "/employer/"})

    assert_refused(response, "provider_unavailable", "cannot be reached", status=503)


def test_a_provider_that_goes_down_before_the_token_request_gives_a_refusal_page(
    client, oidc_provider: ProviderStub
):
    make_person(JEAN)
    step = begin_login(client)
    callback = authorize(client, step, niss=JEAN)
    oidc_provider.down = True

    response = client.get(callback)

    assert_refused(response, "provider_unavailable", "cannot be reached", status=503)


def test_a_provider_answering_a_server_error_gives_a_refusal_page(client, oidc_provider: ProviderStub):
    oidc_provider.respond = lambda request: httpx.Response(502, text="Bad gateway")

    response = client.get(reverse("identity:login"))

    assert_refused(response, "provider_unavailable", "cannot be reached", status=503)


def test_metadata_naming_another_issuer_is_refused_as_a_configuration_error(
    client, oidc_provider: ProviderStub
):
    oidc_provider.respond = lambda request: httpx.Response(
        200,
        json={
            "issuer": "https://idp.example",
            "authorization_endpoint": "https://idp.example/authorize",
            "token_endpoint": "https://idp.example/token",
            "jwks_uri": "https://idp.example/jwks",
        },
    )

    response = client.get(reverse("identity:login"))

    # A configuration error on our side, not an outage of the provider (issue 18).
    event = assert_refused(response, "configuration_error", "a problem on our side", status=503)
    assert "issuer" in event.data["detail"]


def test_a_code_already_redeemed_is_refused_by_the_token_endpoint(client, oidc_provider):
    make_person(JEAN)
    step = begin_login(client)
    callback = authorize(client, step, niss=JEAN)
    flow = client.session["oidc_flows"][step.state]
    code = callback.split("code=")[1].split("&")[0]
    credentials = base64.b64encode(b"careerbreak-dev:careerbreak-dev-secret").decode()
    first_use = client.post(
        "/devidp/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": flow["redirect_uri"],
            "code_verifier": flow["code_verifier"],
        },
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    assert first_use.status_code == 200

    response = client.get(callback)

    event = assert_refused(response, "code_rejected", "The login could not be confirmed")
    assert "invalid_grant" in event.data["detail"]


def test_a_code_presented_after_sixty_seconds_is_refused(client, oidc_provider):
    make_person(JEAN)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        step = begin_login(client)
        callback = authorize(client, step, niss=JEAN)
        traveller.shift(timedelta(seconds=61))

        response = client.get(callback)

    assert_refused(response, "code_rejected", "The login could not be confirmed")


def test_a_token_endpoint_refusing_our_client_is_refused_as_our_problem(client, oidc_provider: ProviderStub):
    make_person(JEAN)
    oidc_provider.respond = lambda request: (
        httpx.Response(401, json={"error": "invalid_client"}) if request.url.path.endswith("/token") else None
    )

    response = oidc_login(client, JEAN)

    assert_refused(response, "token_error", "This is a problem on our side")


def test_a_token_answer_without_id_token_is_refused(client, oidc_provider: ProviderStub):
    make_person(JEAN)
    oidc_provider.respond = lambda request: (
        httpx.Response(200, json={"access_token": "x", "token_type": "Bearer"})
        if request.url.path.endswith("/token")
        else None
    )

    response = oidc_login(client, JEAN)

    assert_refused(response, "token_invalid", "could not be read")


# --- the ID token --------------------------------------------------------------------------------


def test_an_expired_id_token_is_refused(client, oidc_provider, settings):
    now = int(time.time())

    def expired(claims: dict[str, Any]) -> str:
        return sign_token({**claims, "iat": now - 600, "exp": now - settings.OIDC_LEEWAY_SECONDS - 5})

    response = login_with_token(client, oidc_provider, expired)

    assert_refused(response, "token_expired", "The confirmation of your identity has expired")


def test_an_id_token_that_expired_within_the_leeway_is_accepted(client, oidc_provider, settings):
    now = int(time.time())

    def barely(claims: dict[str, Any]) -> str:
        return sign_token({**claims, "exp": now - settings.OIDC_LEEWAY_SECONDS + 20})

    response = login_with_token(client, oidc_provider, barely)

    assert response.status_code == 302


def test_an_id_token_signed_with_another_key_is_refused(client, oidc_provider):
    intruder = RSAKey.generate_key(2048)

    def forged(claims: dict[str, Any]) -> str:
        # Same kid as the provider's key, wrong key.
        return sign_token(claims, key=intruder, header={"kid": provider_key().kid})

    response = login_with_token(client, oidc_provider, forged)

    assert_refused(response, "signature_invalid", "could not be verified")


def test_an_id_token_naming_an_unknown_key_is_refused_after_one_refetch_of_the_keys(
    client, oidc_provider: ProviderStub
):
    intruder = RSAKey.generate_key(2048, auto_kid=True)

    response = login_with_token(client, oidc_provider, lambda claims: sign_token(claims, key=intruder))

    event = assert_refused(response, "signature_invalid", "could not be verified")
    assert "kid" in event.data["detail"]
    assert len(oidc_provider.requests_to("/jwks")) == 2


def test_an_unsigned_id_token_is_refused(client, oidc_provider):
    response = login_with_token(client, oidc_provider, unsigned_token)

    assert_refused(response, "signature_invalid", "could not be verified")


def test_an_id_token_signed_with_hs256_using_the_public_key_as_secret_is_refused(client, oidc_provider):
    def confused(claims: dict[str, Any]) -> str:
        # The classic attack: HMAC with the provider's public key (which anyone can fetch) as secret.
        def part(value: bytes) -> str:
            return base64.urlsafe_b64encode(value).rstrip(b"=").decode()

        header = {"alg": "HS256", "typ": "JWT", "kid": provider_key().kid}
        signing_input = f"{part(json.dumps(header).encode())}.{part(json.dumps(claims).encode())}"
        secret = provider_key().as_pem(private=False)
        signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{part(signature)}"

    response = login_with_token(client, oidc_provider, confused)

    assert_refused(response, "signature_invalid", "could not be verified")


_ISSUER = ("issuer_invalid", "comes from an unknown service")
_AUDIENCE = ("audience_invalid", "meant for another site")
_NONCE = ("nonce_invalid", "does not belong to this login")


@pytest.mark.parametrize(
    ("alter", "code", "text"),
    [
        pytest.param(lambda c: {**c, "iss": "https://idp.example/fas"}, *_ISSUER, id="from another issuer"),
        pytest.param(lambda c: {**c, "aud": "another-app"}, *_AUDIENCE, id="for another client"),
        pytest.param(
            lambda c: {**c, "aud": [c["aud"], "another-app"], "azp": "another-app"},
            *_AUDIENCE,
            id="for several audiences, authorised to another party",
        ),
        pytest.param(lambda c: {**c, "nonce": "other"}, *_NONCE, id="with another nonce"),
        pytest.param(lambda c: {k: v for k, v in c.items() if k != "nonce"}, *_NONCE, id="without nonce"),
    ],
)
def test_an_id_token_whose_claims_are_not_for_this_login_is_refused(client, oidc_provider, alter, code, text):
    response = login_with_token(client, oidc_provider, lambda claims: sign_token(alter(claims)))

    assert_refused(response, code, text)


@pytest.mark.parametrize("acr", ["urn:be:fedict:iam:fas:citizen", "Level500"])
def test_an_id_token_with_an_unknown_assurance_level_is_refused(client, oidc_provider, acr):
    def unknown_level(claims: dict[str, Any]) -> str:
        altered = {k: v for k, v in claims.items() if k != "acr"}
        if acr is not None:
            altered["acr"] = acr
        return sign_token(altered)

    response = login_with_token(client, oidc_provider, unknown_level)

    assert_refused(response, "acr_unknown", "This means of login is not accepted")


def without_acr(claims: dict[str, Any]) -> str:
    return sign_token({k: v for k, v in claims.items() if k != "acr"})


def test_an_id_token_without_an_assurance_level_is_refused_with_a_page_saying_what_is_missing(
    client, oidc_provider
):
    response = login_with_token(client, oidc_provider, without_acr)

    event = assert_refused(response, "acr_missing", "did not send it")
    assert "acr" in event.data["detail"]


def test_an_id_token_without_an_assurance_level_gets_the_configured_default(client, oidc_provider, settings):
    settings.OIDC_DEFAULT_ASSURANCE_LEVEL = 400

    response = login_with_token(client, oidc_provider, without_acr)

    assert response.status_code == 302
    assert client.session["assurance_level"] == 400
    assert client.session["auth_means"] == "other"


def test_an_acr_in_userinfo_does_not_stand_in_for_the_id_tokens(client, oidc_provider, settings):
    # The development provider's userinfo carries acr; acr is about the authentication of this token.
    settings.DEVIDP_CLAIMS_IN_USERINFO_ONLY = True

    response = login_with_token(client, oidc_provider, without_acr)

    assert_refused(response, "acr_missing", "did not send it")


def test_a_userinfo_answer_about_another_subject_is_refused(client, oidc_provider: ProviderStub, settings):
    settings.DEVIDP_CLAIMS_IN_USERINFO_ONLY = True
    oidc_provider.respond = lambda request: (
        httpx.Response(200, json={"sub": "someone-else", "egovNRN": JEAN})
        if request.url.path.endswith("/userinfo")
        else None
    )
    make_person(JEAN)

    response = oidc_login(client, JEAN)

    event = assert_refused(response, "token_invalid", "could not be read")
    assert "sub" in event.data["detail"]


def test_a_login_without_the_national_number_claim_is_refused(client, oidc_provider, settings):
    # Without the egovnrn scope the provider does not release egovNRN.
    settings.OIDC_SCOPES = "openid profile"
    make_person(JEAN)

    response = oidc_login(client, JEAN)

    assert_refused(response, "niss_missing", "Your national register number was not received")
    assert not User.objects.exists()


def test_a_malformed_national_number_claim_is_refused(client, oidc_provider):
    response = login_with_token(
        client, oidc_provider, lambda claims: sign_token({**claims, "egovNRN": "78041213508"})
    )

    assert_refused(response, "niss_missing", "Your national register number was not received")


def test_a_person_unknown_to_the_national_register_is_refused(client, oidc_provider):
    response = oidc_login(client, UNKNOWN_NISS)

    event = assert_refused(
        response, "person_unknown", "You are not known to the national register", status=403
    )
    assert event.actor_niss == UNKNOWN_NISS
    assert not User.objects.exists()


def test_a_deactivated_user_is_refused(client, oidc_provider):
    make_person(JEAN)
    User.objects.create_user(niss=JEAN, is_active=False)

    response = oidc_login(client, JEAN)

    assert_refused(response, "account_disabled", "Your access to this service is blocked", status=403)


def test_the_refusal_page_offers_to_log_in_again_towards_the_same_page(client, oidc_provider):
    make_person(JEAN)
    step = begin_login(client, next_url="/employer/enterprise/")
    callback = authorize(client, step, niss=JEAN, action="cancel")

    response = client.get(callback)

    assert 'href="/auth/login/?next=%2Femployer%2Fenterprise%2F"' in response.content.decode()


def test_the_pkce_verifier_in_the_session_matches_the_challenge_sent(client, oidc_provider):
    # Guards the refusal tests above: they rely on the flow stored under the state.
    step = begin_login(client)

    flow = client.session["oidc_flows"][step.state]

    assert pkce_challenge(flow["code_verifier"]) == step.params["code_challenge"]
    assert local_url(step.url).startswith("/devidp/authorize?")


# --- the readiness hook --------------------------------------------------------------------------


def test_a_provider_matching_the_configuration_reports_no_configuration_problem(oidc_provider):
    assert oidc.configuration_problems() == []


def test_a_provider_that_is_down_is_not_reported_as_a_configuration_problem(oidc_provider: ProviderStub):
    oidc_provider.down = True

    assert oidc.configuration_problems() == []


def test_an_issuer_mismatch_is_reported_as_a_configuration_problem(oidc_provider, settings):
    settings.OIDC_ISSUER = "http://testserver/devidp/"

    (problem,) = oidc.configuration_problems()

    assert "http://testserver/devidp/" in problem and "identical" in problem
