"""The OpenID Connect side of the development identity provider: authorization requests, codes,
tokens and user info. It speaks like the Federal Authentication Service (FAS): the same claim names
(``egovNRN``, ``givenName``, ``surname``, ``prefLanguage``, ``mail``, ``fedid``) and the same
``acr`` values, so that switching the relying party to FAS is configuration only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import unquote_plus, urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from joserfc import jwt

from careerbreak.devidp.clients import Client, get_client
from careerbreak.devidp.keys import SIGNING_ALGORITHM, signing_key
from careerbreak.devidp.models import AccessToken, AuthorizationCode
from careerbreak.registries.models import Person

CODE_LIFETIME = timedelta(seconds=60)
TOKEN_LIFETIME = timedelta(minutes=5)
ACR_PREFIX = "urn:be:fedict:iam:fas:"
SCOPES_SUPPORTED = ("openid", "profile", "egovnrn")
CLAIMS_SUPPORTED = (
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "egovNRN",
    "givenName",
    "surname",
    "prefLanguage",
    "mail",
    "fedid",
)
# The request parameters carried from the login page to its form submission.
AUTHORIZATION_PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "acr_values",
)

_PKCE_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
_PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")
_LEVEL = re.compile(r"Level(\d{3})$")


class Means(StrEnum):
    EID = "eid"
    ITSME = "itsme"

    @property
    def level(self) -> int:
        return {Means.EID: 500, Means.ITSME: 450}[self]

    @property
    def acr(self) -> str:
        return f"{ACR_PREFIX}Level{self.level}"


def _sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of a verifier (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# --- Authorization requests ----------------------------------------------------------------------


class UntrustedClientError(Exception):
    """The client or its redirect URI is not registered: show an error, never redirect (RFC 6749 §4.1.2.1)."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class AuthorizationRequestError(Exception):
    """A request from a registered client that is refused: the answer goes back to its redirect URI."""

    def __init__(self, error: str, description: str, *, redirect_uri: str, state: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.redirect_uri = redirect_uri
        self.state = state

    def redirect_url(self) -> str:
        return error_redirect_url(self.redirect_uri, self.state, self.error, self.description)


@dataclass(frozen=True)
class AuthorizationRequest:
    client: Client
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str
    nonce: str
    code_challenge: str
    acr_values: str
    params: dict[str, str]

    @property
    def minimum_level(self) -> int:
        """The lowest level named in acr_values (unknown values are ignored, as acr_values is voluntary)."""
        levels = [int(m.group(1)) for value in self.acr_values.split() if (m := _LEVEL.search(value))]
        return min(levels) if levels else 0

    @property
    def allowed_means(self) -> list[Means]:
        return [means for means in Means if means.level >= self.minimum_level]


def parse_authorization_request(data: Mapping[str, str]) -> AuthorizationRequest:
    """Check an authorization request (OpenID Connect Core §3.1.2.1, PKCE S256 required).

    Raises UntrustedClientError when the client or redirect URI is unknown, AuthorizationRequestError
    for any other fault.
    """
    params = {name: str(data.get(name, "")) for name in AUTHORIZATION_PARAMS if data.get(name)}
    client = get_client(params.get("client_id", ""))
    if client is None:
        raise UntrustedClientError(_("This application is not registered with the identity provider."))
    redirect_uri = params.get("redirect_uri", "")
    if not client.allows_redirect_uri(redirect_uri):
        raise UntrustedClientError(
            _("The return address given by the application is not registered with the identity provider.")
        )
    state = params.get("state", "")

    def refuse(error: str, description: str) -> AuthorizationRequestError:
        return AuthorizationRequestError(error, description, redirect_uri=redirect_uri, state=state)

    if params.get("response_type") != "code":
        raise refuse("unsupported_response_type", "Only the authorization code flow is supported.")
    scopes = tuple(params.get("scope", "").split())
    if "openid" not in scopes:
        raise refuse("invalid_scope", "The scope must include openid.")
    if params.get("code_challenge_method") != "S256":
        raise refuse("invalid_request", "PKCE with code_challenge_method=S256 is required.")
    code_challenge = params.get("code_challenge", "")
    if not _PKCE_CHALLENGE.match(code_challenge):
        raise refuse("invalid_request", "The code_challenge is missing or malformed.")
    if data.get("prompt") == "none":
        raise refuse("login_required", "The development identity provider keeps no session.")
    return AuthorizationRequest(
        client=client,
        redirect_uri=redirect_uri,
        scopes=scopes,
        state=state,
        nonce=params.get("nonce", ""),
        code_challenge=code_challenge,
        acr_values=params.get("acr_values", ""),
        params=params,
    )


def _with_query(uri: str, values: dict[str, str]) -> str:
    separator = "&" if "?" in uri else "?"
    return f"{uri}{separator}{urlencode(values)}"


def error_redirect_url(redirect_uri: str, state: str, error: str, description: str = "") -> str:
    values = {"error": error}
    if description:
        values["error_description"] = description
    if state:
        values["state"] = state
    return _with_query(redirect_uri, values)


def issue_code(request: AuthorizationRequest, *, niss: str, means: Means) -> str:
    """Store a new single-use authorization code for this person and return it."""
    code = secrets.token_urlsafe(32)
    now = timezone.now()
    # Old codes are of no use to anyone; drop them while we are here.
    AuthorizationCode.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    AuthorizationCode.objects.create(
        code_hash=_sha256_hex(code),
        client_id=request.client.client_id,
        redirect_uri=request.redirect_uri,
        niss=niss,
        nonce=request.nonce,
        code_challenge=request.code_challenge,
        scope=" ".join(request.scopes),
        acr=means.acr,
        created_at=now,
    )
    return code


def success_redirect_url(request: AuthorizationRequest, code: str) -> str:
    values = {"code": code}
    if request.state:
        values["state"] = request.state
    return _with_query(request.redirect_uri, values)


# --- Token endpoint ------------------------------------------------------------------------------


class TokenError(Exception):
    """An OAuth 2.0 error answer of the token or user info endpoint (RFC 6749 §5.2, RFC 6750 §3.1)."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def as_dict(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def authenticate_client(authorization: str) -> Client:
    """client_secret_basic (RFC 6749 §2.3.1): id and secret form-urlencoded, then Basic."""
    scheme, _sep, credentials = authorization.partition(" ")
    if scheme.lower() != "basic" or not credentials:
        raise TokenError(
            "invalid_client", "Client authentication (client_secret_basic) is required.", status=401
        )
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenError("invalid_client", "Malformed Basic credentials.", status=401) from exc
    raw_id, sep, raw_secret = decoded.partition(":")
    client = get_client(unquote_plus(raw_id)) if sep else None
    if client is None or not client.check_secret(unquote_plus(raw_secret)):
        raise TokenError("invalid_client", "Unknown client or wrong secret.", status=401)
    return client


def redeem_code(
    *, client: Client, code: str, redirect_uri: str, code_verifier: str, issuer: str
) -> dict[str, Any]:
    """Exchange an authorization code for tokens (single use, 60 s, PKCE S256).

    Any presentation by the right client consumes the code. Presenting a used code again revokes the
    access tokens issued for it.
    """
    now = timezone.now()
    refusal: TokenError | None = None
    with transaction.atomic():
        row = AuthorizationCode.objects.select_for_update().filter(code_hash=_sha256_hex(code)).first()
        if row is None or row.client_id != client.client_id:
            raise TokenError("invalid_grant", "Unknown authorization code.")
        claimed = AuthorizationCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
        if not claimed:
            row.access_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
            refusal = TokenError("invalid_grant", "The authorization code was already used.")
        elif now - row.created_at > CODE_LIFETIME:
            refusal = TokenError("invalid_grant", "The authorization code has expired.")
        elif redirect_uri != row.redirect_uri:
            refusal = TokenError("invalid_grant", "The redirect_uri differs from the authorization request.")
        elif not _PKCE_VERIFIER.match(code_verifier) or not hmac.compare_digest(
            pkce_challenge(code_verifier), row.code_challenge
        ):
            refusal = TokenError("invalid_grant", "The PKCE code_verifier does not match the code_challenge.")
    if refusal is not None:
        # Raised after the transaction so that consuming the code and revoking tokens are kept.
        raise refusal

    access_token = secrets.token_urlsafe(32)
    AccessToken.objects.create(
        token_hash=_sha256_hex(access_token), code=row, created_at=now, expires_at=now + TOKEN_LIFETIME
    )
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": int(TOKEN_LIFETIME.total_seconds()),
        "scope": row.scope,
        "id_token": id_token(row, issuer=issuer, now=now),
    }


# --- Tokens and claims ---------------------------------------------------------------------------


def pairwise_subject(client_id: str, niss: str) -> str:
    """A stable identifier of this person for this client that does not reveal the national number."""
    return salted_hmac("careerbreak.devidp.sub", f"{client_id}:{niss}", algorithm="sha256").hexdigest()


def person_claims(niss: str, scopes: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The FAS attributes of a test citizen, as released by the scopes asked for."""
    claims: dict[str, Any] = {}
    if "egovnrn" in scopes:
        claims["egovNRN"] = niss
    if "profile" in scopes:
        claims["fedid"] = salted_hmac("careerbreak.devidp.fedid", niss, algorithm="sha256").hexdigest()[:32]
        person = Person.objects.filter(niss=niss).first()
        if person is not None:
            claims["givenName"] = person.first_name
            claims["surname"] = person.last_name
            claims["prefLanguage"] = person.language
            if person.email:
                claims["mail"] = person.email
    return claims


def id_token(row: AuthorizationCode, *, issuer: str, now: datetime) -> str:
    timestamp = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": pairwise_subject(row.client_id, row.niss),
        "aud": row.client_id,
        "exp": timestamp + int(TOKEN_LIFETIME.total_seconds()),
        "iat": timestamp,
        "auth_time": int(row.created_at.timestamp()),
        "acr": row.acr,
    }
    # FAS-like mode: who the person is comes from userinfo only, the relying party must ask for it.
    if not settings.DEVIDP_CLAIMS_IN_USERINFO_ONLY:
        claims.update(person_claims(row.niss, row.scope.split()))
    if row.nonce:
        claims["nonce"] = row.nonce
    return sign(claims)


def sign(claims: dict[str, Any]) -> str:
    """Sign claims as an RS256 JWT with the provider's key."""
    key = signing_key()
    header = {"alg": SIGNING_ALGORITHM, "kid": key.kid, "typ": "JWT"}
    return jwt.encode(header, claims, key, algorithms=[SIGNING_ALGORITHM])


def userinfo(access_token: str) -> dict[str, Any]:
    now = timezone.now()
    token = (
        AccessToken.objects.select_related("code")
        .filter(token_hash=_sha256_hex(access_token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None:
        raise TokenError("invalid_token", "The access token is unknown, expired or revoked.", status=401)
    code = token.code
    return {
        "sub": pairwise_subject(code.client_id, code.niss),
        "acr": code.acr,
        **person_claims(code.niss, code.scope.split()),
    }
