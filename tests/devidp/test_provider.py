"""The development identity provider: discovery, keys, the login page, the token and user info endpoints."""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from careerbreak.devidp import keys
from careerbreak.devidp.models import AccessToken, AuthorizationCode
from careerbreak.devidp.protocol import pkce_challenge
from tests.oidc_fixtures import ISSUER, UNKNOWN_NISS, make_person

pytestmark = pytest.mark.django_db

JEAN = "78041213507"
CLIENT_ID = "careerbreak-dev"
SECRET = "careerbreak-dev-secret"
REDIRECT_URI = "http://testserver/auth/callback"


@pytest.fixture(autouse=True)
def _provider(oidc_provider: Any) -> None:
    """Provider settings and key (the relying party's side is not used here)."""


def basic(client_id: str = CLIENT_ID, secret: str = SECRET) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def auth_params(verifier: str, **overrides: str) -> dict[str, str]:
    params = {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "scope": "openid profile egovnrn",
        "state": "state-123",
        "nonce": "nonce-456",
        "code_challenge": pkce_challenge(verifier),
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v != ""}


def get_code(client: Client, verifier: str, *, niss: str = JEAN, means: str = "eid", **overrides: str) -> str:
    data = {**auth_params(verifier, **overrides), "means": means, "niss": niss, "action": "login"}
    if means == "eid":
        data["pin"] = "1234"
    response = client.post("/devidp/authorize", data)
    assert response.status_code == 302, response.content.decode()[:1000]
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == ["state-123"]
    return query["code"][0]


def redeem(
    client: Client, code: str, verifier: str, *, authorization: str | None = None, **overrides: str
) -> Any:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    data.update(overrides)
    return client.post("/devidp/token", data, HTTP_AUTHORIZATION=authorization or basic())


def verifier() -> str:
    return secrets.token_urlsafe(48)


# --- discovery and keys --------------------------------------------------------------------------


def test_the_discovery_document_names_the_issuer_and_its_endpoints(client):
    document = client.get("/devidp/.well-known/openid-configuration").json()

    assert document["issuer"] == ISSUER
    assert document["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert document["token_endpoint"] == f"{ISSUER}/token"
    assert document["userinfo_endpoint"] == f"{ISSUER}/userinfo"
    assert document["jwks_uri"] == f"{ISSUER}/jwks"
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["token_endpoint_auth_methods_supported"] == ["client_secret_basic"]
    assert "urn:be:fedict:iam:fas:Level500" in document["acr_values_supported"]


def test_the_key_set_publishes_the_public_key_under_its_rfc7638_thumbprint(client):
    document = client.get("/devidp/jwks").json()

    (key_data,) = document["keys"]
    assert "d" not in key_data and "p" not in key_data
    key = RSAKey.import_key(key_data)
    assert (
        key_data["kid"]
        == RSAKey.import_key({"kty": "RSA", "n": key_data["n"], "e": key_data["e"]}).thumbprint()
    )
    assert key_data["alg"] == "RS256" and key_data["use"] == "sig"
    assert not key.is_private


def test_a_missing_signing_key_is_generated_in_a_new_directory_and_then_kept(settings, tmp_path):
    path = tmp_path / "not" / "yet" / "key.pem"
    settings.DEVIDP_SIGNING_KEY_PATH = path

    first = keys.signing_key()
    keys.forget_loaded_keys()
    second = keys.signing_key()

    assert path.exists()
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert path.stat().st_mode & 0o077 == 0
    assert first.kid == second.kid == first.thumbprint()
    assert first.as_dict()["n"] == second.as_dict()["n"]


# --- the login page ------------------------------------------------------------------------------


def test_the_login_page_offers_eid_and_itsme_and_cancel(client):
    response = client.get("/devidp/authorize", auth_params(verifier()))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Log in</h1>" in page
    assert "Electronic identity card (eID)" in page
    assert 'data-means="itsme"' in page
    assert 'value="cancel"' in page


def test_the_eid_page_lists_the_demo_users_first_with_a_labelled_select_and_a_pin(client):
    make_person("70010100188", first_name="Aaron", last_name="Aalst")
    for niss in ("64090103383", JEAN):
        make_person(niss)

    response = client.get("/devidp/authorize", {**auth_params(verifier()), "means": "eid"})

    page = response.content.decode()
    assert '<label for="id_niss">National register number' in page
    assert '<label for="id_pin">PIN code' in page
    assert 'type="password"' in page
    assert "Jean Dubois (78.04.12-135.07)" in page
    assert page.index("Jean Dubois") < page.index("Marc Peeters") < page.index("Aaron Aalst")
    assert "csrfmiddlewaretoken" in page


def test_the_itsme_page_asks_no_pin(client):
    response = client.get("/devidp/authorize", {**auth_params(verifier()), "means": "itsme"})

    page = response.content.decode()
    assert "Confirm in itsme" in page
    assert 'id="id_pin"' not in page


def test_the_login_form_allows_the_clients_origin_as_a_form_target(client):
    response = client.get("/devidp/authorize", {**auth_params(verifier()), "means": "eid"})

    assert "http://testserver" in response["Content-Security-Policy"].split("form-action")[1].split(";")[0]


def test_a_wrong_pin_is_refused_on_the_same_page_and_no_code_is_issued(client):
    make_person(JEAN)
    data = {**auth_params(verifier()), "means": "eid", "niss": JEAN, "pin": "0000", "action": "login"}

    response = client.post("/devidp/authorize", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page
    assert 'href="#id_pin"' in page
    assert 'id="id_pin_error"' in page
    assert "The PIN code is wrong" in page
    assert not AuthorizationCode.objects.exists()


def test_an_empty_pin_is_asked_for(client):
    make_person(JEAN)
    data = {**auth_params(verifier()), "means": "eid", "niss": JEAN, "pin": "", "action": "login"}

    response = client.post("/devidp/authorize", data)

    assert "Type the PIN code of the card." in response.content.decode()
    assert not AuthorizationCode.objects.exists()


def test_a_typed_number_that_is_not_a_national_number_is_refused(client):
    data = {**auth_params(verifier()), "means": "itsme", "other_niss": "12345678901", "action": "login"}

    response = client.post("/devidp/authorize", data)

    assert "This is not a valid national register number" in response.content.decode()
    assert not AuthorizationCode.objects.exists()


def test_a_typed_national_number_with_dots_and_dash_is_accepted(client):
    data = {**auth_params(verifier()), "means": "itsme", "other_niss": "85.07.30-033.28", "action": "login"}

    response = client.post("/devidp/authorize", data)

    assert response.status_code == 302
    assert AuthorizationCode.objects.get().niss == UNKNOWN_NISS


def test_choosing_nobody_is_refused(client):
    data = {**auth_params(verifier()), "means": "itsme", "action": "login"}

    response = client.post("/devidp/authorize", data)

    assert "Choose a test citizen or type a national register number." in response.content.decode()


def test_cancelling_returns_access_denied_with_the_state(client):
    response = client.post("/devidp/authorize", {**auth_params(verifier()), "action": "cancel"})

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["error"] == ["access_denied"] and query["state"] == ["state-123"]


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/auth/callback",
        "http://testserver/auth/callback/extra",
        "http://testserver/auth/",
        "",
    ],
)
def test_an_unregistered_redirect_uri_is_refused_without_redirecting(client, redirect_uri):
    response = client.get("/devidp/authorize", auth_params(verifier(), redirect_uri=redirect_uri))

    assert response.status_code == 400
    assert "Location" not in response
    assert "The return address given by the application is not registered" in response.content.decode()


def test_an_unknown_client_is_refused_without_redirecting(client):
    response = client.get("/devidp/authorize", auth_params(verifier(), client_id="someone-else"))

    assert response.status_code == 400
    assert "Location" not in response


def test_a_cancel_with_an_unregistered_redirect_uri_does_not_redirect(client):
    params = auth_params(verifier(), redirect_uri="https://evil.example/cb")

    response = client.post("/devidp/authorize", {**params, "action": "cancel"})

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge": ""}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": ""}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile"}, "invalid_scope"),
    ],
)
def test_a_faulty_request_from_the_registered_client_is_answered_on_its_redirect_uri(
    client, overrides, error
):
    response = client.get("/devidp/authorize", auth_params(verifier(), **overrides))

    assert response.status_code == 302
    assert response["Location"].startswith(REDIRECT_URI + "?")
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == [error]


def test_asking_for_level_500_offers_only_eid(client):
    params = auth_params(verifier(), acr_values="urn:be:fedict:iam:fas:Level500")
    make_person(JEAN)

    page = client.get("/devidp/authorize", params).content.decode()
    refused = client.post("/devidp/authorize", {**params, "means": "itsme", "niss": JEAN, "action": "login"})

    assert 'data-means="eid"' in page and 'data-means="itsme"' not in page
    assert refused.status_code == 200
    assert not AuthorizationCode.objects.exists()


# --- the token endpoint --------------------------------------------------------------------------


def test_a_code_is_stored_only_as_a_hash(client):
    make_person(JEAN)
    code = get_code(client, verifier())

    row = AuthorizationCode.objects.get()

    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    assert (row.niss, row.nonce, row.redirect_uri) == (JEAN, "nonce-456", REDIRECT_URI)


def test_an_eid_login_gives_an_id_token_with_the_fas_claims(client):
    make_person(JEAN)
    secret = verifier()
    code = get_code(client, secret)

    response = redeem(client, code, secret)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    key_set = KeySet.import_key_set(client.get("/devidp/jwks").json())
    token = jwt.decode(body["id_token"], key_set, algorithms=["RS256"])
    claims = token.claims
    assert token.header["alg"] == "RS256" and token.header["kid"] == key_set.keys[0].kid
    assert claims["iss"] == ISSUER and claims["aud"] == CLIENT_ID
    assert claims["exp"] - claims["iat"] == 300
    assert claims["nonce"] == "nonce-456"
    assert claims["acr"] == "urn:be:fedict:iam:fas:Level500"
    assert claims["egovNRN"] == JEAN
    assert (claims["givenName"], claims["surname"], claims["prefLanguage"]) == ("Jean", "Dubois", "fr")
    assert claims["mail"] == "jean.dubois@example.be"
    assert claims["fedid"]
    assert JEAN not in claims["sub"]


def test_an_itsme_login_is_level_450_and_a_person_without_email_has_no_mail_claim(client):
    make_person("75022805713")
    secret = verifier()
    code = get_code(client, secret, niss="75022805713", means="itsme")

    claims = jwt.decode(redeem(client, code, secret).json()["id_token"], keys.signing_key()).claims

    assert claims["acr"] == "urn:be:fedict:iam:fas:Level450"
    assert "mail" not in claims


def test_the_subject_is_the_same_at_every_login_of_a_person(client):
    make_person(JEAN)
    subjects = set()
    for _ in range(2):
        secret = verifier()
        token = redeem(client, get_code(client, secret), secret).json()["id_token"]
        subjects.add(jwt.decode(token, keys.signing_key()).claims["sub"])

    assert len(subjects) == 1


def test_a_pkce_verifier_that_does_not_match_is_refused(client):
    make_person(JEAN)
    code = get_code(client, verifier())

    response = redeem(client, code, verifier())

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_a_code_is_refused_after_a_failed_pkce_attempt(client):
    make_person(JEAN)
    secret = verifier()
    code = get_code(client, secret)
    redeem(client, code, verifier())

    response = redeem(client, code, secret)

    assert response.json()["error"] == "invalid_grant"


def test_a_code_works_within_sixty_seconds_and_is_refused_after(client):
    make_person(JEAN)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        secret_a, secret_b = verifier(), verifier()
        code_a, code_b = get_code(client, secret_a), get_code(client, secret_b)
        traveller.shift(timedelta(seconds=59))
        in_time = redeem(client, code_a, secret_a)
        traveller.shift(timedelta(seconds=2))
        too_late = redeem(client, code_b, secret_b)

    assert in_time.status_code == 200
    assert too_late.status_code == 400
    assert too_late.json() == {
        "error": "invalid_grant",
        "error_description": "The authorization code has expired.",
    }


def test_a_code_used_twice_is_refused_and_the_tokens_of_its_first_use_are_revoked(client):
    make_person(JEAN)
    secret = verifier()
    code = get_code(client, secret)
    first = redeem(client, code, secret).json()
    assert (
        client.get("/devidp/userinfo", HTTP_AUTHORIZATION=f"Bearer {first['access_token']}").status_code
        == 200
    )

    second = redeem(client, code, secret)

    assert second.status_code == 400
    assert second.json()["error"] == "invalid_grant"
    assert (
        client.get("/devidp/userinfo", HTTP_AUTHORIZATION=f"Bearer {first['access_token']}").status_code
        == 401
    )


def test_a_different_redirect_uri_at_the_token_endpoint_is_refused(client):
    make_person(JEAN)
    secret = verifier()
    code = get_code(client, secret)

    response = redeem(client, code, secret, redirect_uri="http://testserver/other")

    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("authorization", [basic(secret="wrong"), basic(client_id="other"), "", "Bearer abc"])
def test_a_client_that_does_not_authenticate_is_refused(client, authorization):
    make_person(JEAN)
    secret = verifier()
    code = get_code(client, secret)

    response = client.post(
        "/devidp/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": secret,
        },
        HTTP_AUTHORIZATION=authorization,
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response["WWW-Authenticate"].startswith("Basic")
    # The code is not burnt by someone who is not the client.
    assert AuthorizationCode.objects.get().used_at is None


def test_an_unknown_code_and_another_grant_type_are_refused(client):
    unknown = redeem(client, "made-up", verifier())
    password = client.post(
        "/devidp/token", {"grant_type": "password", "username": "x"}, HTTP_AUTHORIZATION=basic()
    )

    assert unknown.json()["error"] == "invalid_grant"
    assert password.json()["error"] == "unsupported_grant_type"


def test_the_token_endpoint_accepts_only_post(client):
    assert client.get("/devidp/token").status_code == 405


# --- user info -----------------------------------------------------------------------------------


def test_user_info_answers_a_valid_bearer_token_with_the_persons_claims(client):
    make_person(JEAN)
    secret = verifier()
    access_token = redeem(client, get_code(client, secret), secret).json()["access_token"]

    claims = client.get("/devidp/userinfo", HTTP_AUTHORIZATION=f"Bearer {access_token}").json()

    assert claims["egovNRN"] == JEAN and claims["surname"] == "Dubois"
    assert claims["acr"] == "urn:be:fedict:iam:fas:Level500"


def test_user_info_refuses_a_missing_unknown_or_expired_token(client):
    make_person(JEAN)
    secret = verifier()
    access_token = redeem(client, get_code(client, secret), secret).json()["access_token"]

    missing = client.get("/devidp/userinfo")
    unknown = client.get("/devidp/userinfo", HTTP_AUTHORIZATION="Bearer nope")
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        expired = client.get("/devidp/userinfo", HTTP_AUTHORIZATION=f"Bearer {access_token}")

    for response in (missing, unknown, expired):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_the_index_page_names_the_issuer(client):
    response = client.get("/devidp/")

    assert ISSUER in response.content.decode()


def test_query_strings_with_every_parameter_round_trip_through_the_login_form(client):
    # The hidden fields carry the request to the form submission unchanged.
    params = auth_params(verifier(), state="a&b=c d", nonce="n/1+2")
    response = client.get("/devidp/authorize", {**params, "means": "eid"})

    page = response.content.decode()
    assert 'name="state" value="a&amp;b=c d"' in page
    assert 'name="nonce" value="n/1+2"' in page
    assert urlencode({"state": params["state"]}) in page.replace("&amp;", "&")
