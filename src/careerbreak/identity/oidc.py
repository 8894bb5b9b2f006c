"""OpenID Connect relying party for the Federal Authentication Service (FAS).

Authorization code flow with PKCE (S256), state and nonce kept in the session per flow and used once.
Every name that differs between FAS and the development identity provider is a setting (OIDC_*).

All HTTP goes through ``http_client()``; tests replace it with a client whose transport calls the
Django application in-process (``httpx.WSGITransport``), so the development provider mounted under
/devidp answers the back channel without a network.

Failures raise ``LoginRefused`` with a stable reason code (see ``REASONS``); the views turn it into a
page that explains what happened and an audit event.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any, Final
from urllib.parse import quote, urlencode, urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.urls import reverse
from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    JoseError,
)
from joserfc.jwk import KeySet, RSAKey
from stdnum.be import ssn

logger = logging.getLogger(__name__)

# Session keys. Other apps read the last two to decide what a logged-in user may do.
SESSION_FLOWS: Final = "oidc_flows"
SESSION_ASSURANCE_LEVEL: Final = "assurance_level"
SESSION_AUTH_MEANS: Final = "auth_means"

ALLOWED_ALGORITHMS: Final = ("RS256",)
FLOW_MAX_AGE_SECONDS: Final = 600
# A user may have a few logins pending (several tabs); older ones are dropped.
MAX_PENDING_FLOWS: Final = 5
METADATA_TTL_SECONDS: Final = 300
JWKS_TTL_SECONDS: Final = 3600
LANGUAGES: Final = ("fr", "nl", "de", "en")

# Reason codes of refused logins (stable: tests, audit rows and the refusal page use them).
REASONS: Final = (
    "state_invalid",
    "flow_expired",
    "cancelled",
    "provider_error",
    "provider_unavailable",
    "code_rejected",
    "token_error",
    "token_invalid",
    "token_expired",
    "signature_invalid",
    "issuer_invalid",
    "audience_invalid",
    "nonce_invalid",
    "acr_unknown",
    "niss_missing",
    "person_unknown",
    "account_disabled",
)

_LEVEL_URN = re.compile(r"^urn:\S*?Level(\d{3})$")
_AUTH_MEANS = {500: "eid", 450: "itsme"}


class LoginRefused(Exception):
    """A login that cannot go on. ``reason`` is one of REASONS; ``detail`` is for logs and audit only."""

    def __init__(self, reason: str, detail: str = "", *, niss: str = "", next_url: str = "") -> None:
        assert reason in REASONS, reason
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.niss = niss
        self.next_url = next_url


@dataclass(frozen=True)
class Flow:
    """One login in progress, kept in the session under its state until the provider sends the user back."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    next_url: str
    created_at: float


@dataclass(frozen=True)
class Identity:
    """Who the provider says logged in, and how."""

    niss: str
    given_name: str
    surname: str
    language: str
    email: str
    assurance_level: int
    auth_means: str
    acr: str
    subject: str


# --- HTTP and provider documents -----------------------------------------------------------------

_client_lock = threading.Lock()
_client: httpx.Client | None = None
_cache_lock = threading.Lock()
# issuer -> (fetched at, document)
_metadata_cache: dict[str, tuple[float, dict[str, Any]]] = {}
# jwks_uri -> (fetched at, key set)
_jwks_cache: dict[str, tuple[float, KeySet]] = {}


def http_client() -> httpx.Client:
    """The one HTTP client for the provider's back channel (tests replace this function)."""
    global _client
    with _client_lock:
        if _client is None:
            _client = httpx.Client(
                timeout=httpx.Timeout(settings.OIDC_HTTP_TIMEOUT),
                follow_redirects=False,
                headers={"User-Agent": "careerbreak-oidc"},
            )
        return _client


def clear_caches() -> None:
    """Forget the provider's metadata and keys (the next login fetches them again)."""
    with _cache_lock:
        _metadata_cache.clear()
        _jwks_cache.clear()


def _issuer() -> str:
    return str(settings.OIDC_ISSUER).rstrip("/")


def _get_json(url: str, what: str) -> Any:
    try:
        response = http_client().get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise LoginRefused("provider_unavailable", f"{what}: {type(exc).__name__}: {exc}") from exc
    if response.status_code != 200:
        raise LoginRefused("provider_unavailable", f"{what}: HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError as exc:
        raise LoginRefused("provider_unavailable", f"{what}: not JSON") from exc


def _check_endpoint(url: object, name: str) -> str:
    if not isinstance(url, str) or not url:
        raise LoginRefused("provider_unavailable", f"metadata: {name} missing")
    scheme = urlsplit(url).scheme
    allowed = {"https"} if getattr(settings, "PRODUCTION", False) else {"https", "http"}
    if scheme not in allowed:
        raise LoginRefused("provider_unavailable", f"metadata: {name} is not {'/'.join(sorted(allowed))}")
    return url


def provider_metadata(*, refresh: bool = False) -> dict[str, Any]:
    """The provider's discovery document (OpenID Connect Discovery §4), cached for a few minutes."""
    issuer = _issuer()
    now = time.monotonic()
    with _cache_lock:
        cached = _metadata_cache.get(issuer)
    if cached is not None and not refresh and now - cached[0] < METADATA_TTL_SECONDS:
        return cached[1]
    document = _get_json(f"{issuer}/.well-known/openid-configuration", "metadata")
    if not isinstance(document, dict):
        raise LoginRefused("provider_unavailable", "metadata: not an object")
    # Discovery §4.3: the issuer in the document must be exactly the one configured.
    if document.get("issuer") != issuer:
        raise LoginRefused(
            "provider_unavailable", f"metadata: issuer {document.get('issuer')!r} != {issuer!r}"
        )
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        _check_endpoint(document.get(name), name)
    with _cache_lock:
        _metadata_cache[issuer] = (now, document)
    return document


def provider_jwks(*, refresh: bool = False) -> KeySet:
    """The provider's public keys, cached; ``refresh`` fetches them again (a new ``kid`` appeared)."""
    uri = str(provider_metadata()["jwks_uri"])
    now = time.monotonic()
    with _cache_lock:
        cached = _jwks_cache.get(uri)
    if cached is not None and not refresh and now - cached[0] < JWKS_TTL_SECONDS:
        return cached[1]
    document = _get_json(uri, "jwks")
    try:
        keys = KeySet.import_key_set(document)
    except (JoseError, KeyError, TypeError, ValueError) as exc:
        raise LoginRefused("provider_unavailable", f"jwks: {exc}") from exc
    with _cache_lock:
        _jwks_cache[uri] = (now, keys)
    return keys


# --- Starting a login ----------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_challenge(verifier: str) -> str:
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def callback_uri(request: HttpRequest) -> str:
    """Our redirect URI: settings.OIDC_REDIRECT_URI when given, else this site's callback address."""
    configured: str = getattr(settings, "OIDC_REDIRECT_URI", "")
    return configured or request.build_absolute_uri(reverse("identity:callback"))


def _pending_flows(request: HttpRequest) -> dict[str, dict[str, Any]]:
    flows = request.session.get(SESSION_FLOWS)
    return flows if isinstance(flows, dict) else {}


def begin_login(request: HttpRequest, *, next_url: str) -> str:
    """Record a new flow in the session and return the provider's authorization URL to send the user to.

    ``next_url`` must already be checked as safe by the caller.
    """
    metadata = provider_metadata()
    flow = Flow(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(64),
        redirect_uri=callback_uri(request),
        next_url=next_url,
        created_at=time.time(),
    )
    now = time.time()
    flows = {
        state: data
        for state, data in _pending_flows(request).items()
        if now - float(data.get("created_at", 0)) < FLOW_MAX_AGE_SECONDS
    }
    flows[flow.state] = asdict(flow)
    if len(flows) > MAX_PENDING_FLOWS:
        newest = sorted(flows.items(), key=lambda item: float(item[1]["created_at"]))[-MAX_PENDING_FLOWS:]
        flows = dict(newest)
    request.session[SESSION_FLOWS] = flows

    params = {
        "response_type": "code",
        "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": flow.redirect_uri,
        "scope": settings.OIDC_SCOPES,
        "state": flow.state,
        "nonce": flow.nonce,
        "code_challenge": pkce_challenge(flow.code_verifier),
        "code_challenge_method": "S256",
    }
    if settings.OIDC_ACR_VALUES:
        params["acr_values"] = settings.OIDC_ACR_VALUES
    endpoint = str(metadata["authorization_endpoint"])
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(params)}"


# --- Completing a login --------------------------------------------------------------------------


def pop_flow(request: HttpRequest, state: str) -> Flow:
    """Take the flow of this state out of the session: a state works once, and only in its browser."""
    flows = _pending_flows(request)
    data = flows.pop(state, None) if state else None
    request.session[SESSION_FLOWS] = flows
    if data is None:
        raise LoginRefused("state_invalid", "unknown, replayed or missing state")
    try:
        flow = Flow(**data)
    except TypeError as exc:
        raise LoginRefused("state_invalid", "malformed flow in session") from exc
    if time.time() - flow.created_at >= FLOW_MAX_AGE_SECONDS:
        raise LoginRefused(
            "flow_expired", f"flow older than {FLOW_MAX_AGE_SECONDS} s", next_url=flow.next_url
        )
    return flow


def _basic_credentials(client_id: str, client_secret: str) -> str:
    # RFC 6749 §2.3.1: both parts are form-urlencoded before being joined and base64-encoded.
    raw = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
    return "Basic " + base64.b64encode(raw.encode()).decode("ascii")


def exchange_code(*, code: str, flow: Flow) -> dict[str, Any]:
    """Redeem the authorization code at the token endpoint (client_secret_basic, PKCE verifier)."""
    endpoint = str(provider_metadata()["token_endpoint"])
    try:
        response = http_client().post(
            endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": flow.redirect_uri,
                "code_verifier": flow.code_verifier,
            },
            headers={
                "Authorization": _basic_credentials(settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET),
                "Accept": "application/json",
            },
        )
    except httpx.HTTPError as exc:
        raise LoginRefused("provider_unavailable", f"token: {type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500:
        raise LoginRefused("provider_unavailable", f"token: HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise LoginRefused("token_invalid", f"token: HTTP {response.status_code}, not JSON") from exc
    if not isinstance(body, dict):
        raise LoginRefused("token_invalid", "token: not an object")
    if response.status_code != 200:
        error = str(body.get("error", ""))[:64]
        if error == "invalid_grant":
            raise LoginRefused(
                "code_rejected", f"token: invalid_grant {str(body.get('error_description', ''))[:120]}"
            )
        raise LoginRefused("token_error", f"token: HTTP {response.status_code} {error}")
    if not isinstance(body.get("id_token"), str):
        raise LoginRefused("token_invalid", "token: no id_token")
    return body


def _verification_key(kid: str | None) -> RSAKey:
    def find(keys: KeySet) -> RSAKey | None:
        candidates = [
            key
            for key in keys
            if isinstance(key, RSAKey) and key.get("use") in (None, "sig") and (kid is None or key.kid == kid)
        ]
        return candidates[0] if len(candidates) == 1 or (kid and candidates) else None

    key = find(provider_jwks())
    if key is None:
        # The provider may have rolled its keys since we cached them: fetch once more.
        key = find(provider_jwks(refresh=True))
    if key is None:
        raise LoginRefused("signature_invalid", f"no provider key for kid {kid!r}")
    return key


_CLAIM_REASONS = {
    "iss": "issuer_invalid",
    "aud": "audience_invalid",
    "exp": "token_expired",
    "iat": "token_invalid",
    "nbf": "token_invalid",
    "sub": "token_invalid",
}


def validate_id_token(id_token: str, *, nonce: str) -> dict[str, Any]:
    """Check the ID token (OpenID Connect Core §3.1.3.7) and return its claims.

    RS256 only; signature against the provider's JWKS; iss, aud (and azp), exp and iat with
    settings.OIDC_LEEWAY_SECONDS; the nonce of this flow.
    """
    try:
        header = jws.extract_compact(id_token.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeError) as exc:
        raise LoginRefused("token_invalid", f"id_token: {exc}") from exc
    algorithm = header.get("alg")
    # Checked before any key is used: "none" and HS256 (signed with a public key as secret) never pass.
    if algorithm not in ALLOWED_ALGORITHMS:
        raise LoginRefused("signature_invalid", f"id_token: algorithm {algorithm!r} not allowed")
    kid = header.get("kid")
    key = _verification_key(kid if isinstance(kid, str) else None)
    try:
        token = jwt.decode(id_token, key, algorithms=list(ALLOWED_ALGORITHMS))
    except BadSignatureError as exc:
        raise LoginRefused("signature_invalid", "id_token: bad signature") from exc
    except JoseError as exc:
        raise LoginRefused("token_invalid", f"id_token: {exc}") from exc
    claims = token.claims

    registry = jwt.JWTClaimsRegistry(
        leeway=settings.OIDC_LEEWAY_SECONDS,
        iss={"essential": True, "value": _issuer()},
        aud={"essential": True, "value": settings.OIDC_CLIENT_ID},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as exc:
        raise LoginRefused("token_expired", f"id_token: {exc}") from exc
    except ClaimError as exc:
        # A missing-claims error names them joined by commas; the first decides the reason.
        first = exc.claim.split(",")[0]
        raise LoginRefused(_CLAIM_REASONS.get(first, "token_invalid"), f"id_token: {exc}") from exc

    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != settings.OIDC_CLIENT_ID:
        raise LoginRefused("audience_invalid", f"id_token: azp {azp!r}")

    token_nonce = claims.get("nonce")
    if not isinstance(token_nonce, str) or not hmac.compare_digest(token_nonce.encode(), nonce.encode()):
        raise LoginRefused("nonce_invalid", "id_token: nonce does not match this login")
    return claims


def assurance_level_from_acr(acr: object) -> int | None:
    """The CSAM level of an acr value such as urn:be:fedict:iam:fas:Level500, or None when unknown."""
    if not isinstance(acr, str):
        return None
    match = _LEVEL_URN.match(acr.strip())
    return int(match.group(1)) if match else None


def auth_means_for_level(level: int) -> str:
    """The means of login of a level: eid (Level500), itsme (Level450) or other."""
    return _AUTH_MEANS.get(level, "other")


def _text_claim(claims: dict[str, Any], name: str, max_length: int) -> str:
    value = claims.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


def identity_from_claims(claims: dict[str, Any]) -> Identity:
    """Read who logged in from the (validated) ID token claims."""
    acr = claims.get("acr")
    level = assurance_level_from_acr(acr)
    if level is None:
        raise LoginRefused("acr_unknown", f"acr {str(acr)[:100]!r}")

    raw_niss = claims.get(settings.OIDC_CLAIM_NISS)
    niss = re.sub(r"[\s.\-]", "", raw_niss) if isinstance(raw_niss, str) else ""
    if not niss:
        raise LoginRefused("niss_missing", f"claim {settings.OIDC_CLAIM_NISS} missing")
    if not (len(niss) == 11 and niss.isdigit() and ssn.is_valid(niss)):
        raise LoginRefused("niss_missing", f"claim {settings.OIDC_CLAIM_NISS} malformed")

    language = _text_claim(claims, settings.OIDC_CLAIM_LANGUAGE, 8).lower()[:2]
    email = _text_claim(claims, settings.OIDC_CLAIM_EMAIL, 254)
    try:
        if email:
            validate_email(email)
    except ValidationError:
        email = ""
    return Identity(
        niss=niss,
        given_name=_text_claim(claims, settings.OIDC_CLAIM_GIVEN_NAME, 128),
        surname=_text_claim(claims, settings.OIDC_CLAIM_SURNAME, 128),
        language=language if language in LANGUAGES else "",
        email=email,
        assurance_level=level,
        auth_means=auth_means_for_level(level),
        acr=str(acr),
        subject=str(claims.get("sub", "")),
    )


def complete_login(request: HttpRequest) -> tuple[Identity, Flow]:
    """Handle the provider's answer on our callback: state, error, code exchange, ID token, claims."""
    flow = pop_flow(request, request.GET.get("state", ""))
    try:
        error = request.GET.get("error", "")
        if error:
            safe_error = re.sub(r"[^a-z_]", "", error.lower())[:64]
            if safe_error == "access_denied":
                raise LoginRefused("cancelled", "access_denied")
            raise LoginRefused("provider_error", safe_error)
        code = request.GET.get("code", "")
        if not code:
            raise LoginRefused("provider_error", "no code")
        tokens = exchange_code(code=code, flow=flow)
        claims = validate_id_token(tokens["id_token"], nonce=flow.nonce)
        return identity_from_claims(claims), flow
    except LoginRefused as refusal:
        refusal.next_url = flow.next_url
        raise


def assurance_level(request: HttpRequest) -> int | None:
    """The assurance level of the current login (500 eID, 450 itsme, ...), None when not logged in by OIDC."""
    value = request.session.get(SESSION_ASSURANCE_LEVEL)
    return value if isinstance(value, int) else None
