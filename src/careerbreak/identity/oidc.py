"""OpenID Connect relying party for the Federal Authentication Service (FAS), or any compliant provider.

Authorization code flow with PKCE (S256), state and nonce kept in the session per flow and used once.
The protocol pieces are Authlib's (ADR 0010): the authorization request and PKCE challenge, client
authentication at the token endpoint (client_secret_basic, client_secret_post, private_key_jwt), the
ID token claim rules (iss, aud, azp, exp, iat, nonce, at_hash); signatures are checked by joserfc, the
JOSE library Authlib itself is built on. What stays ours is what no library knows: the session flows,
the reason of every refusal, the FAS claims and assurance levels, and the provider being reached only
through ``http_client()``.

Everything that differs between providers is a setting (OIDC_*, see README "Pointing the service at
FAS"). Tests replace ``http_client()`` with a client whose transport calls the Django application
in-process (``httpx.WSGITransport``), so the development provider mounted under /devidp answers the
back channel without a network.

Failures raise ``LoginRefused`` with a stable reason code (see ``REASONS``); the views turn it into a
page that explains what happened and an audit event.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import httpx
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from authlib.oidc.discovery.well_known import get_well_known_url
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.urls import reverse
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError
from joserfc.jwk import Key, KeySet, import_key
from stdnum.be import ssn

from careerbreak.core.oauth2 import ClientAuth
from careerbreak.vocabularies import Language

logger = logging.getLogger(__name__)

# Session keys. Other apps read the assurance level and means to decide what a logged-in user may do.
SESSION_FLOWS: Final = "oidc_flows"
SESSION_ASSURANCE_LEVEL: Final = "assurance_level"
SESSION_AUTH_MEANS: Final = "auth_means"
# The ID token of the login, sent back as id_token_hint when logging out at the provider.
SESSION_ID_TOKEN: Final = "oidc_id_token"

# Asymmetric signatures only: "none" and HS* (a secret shared with, or guessed from, the public key)
# are never accepted for ID tokens, whatever discovery says.
SUPPORTED_ALGORITHMS: Final = ("RS256", "PS256", "ES256")
SUPPORTED_AUTH_METHODS: Final = ("client_secret_basic", "client_secret_post", "private_key_jwt")
FLOW_MAX_AGE_SECONDS: Final = 600
# A user may have a few logins pending (several tabs); older ones are dropped.
MAX_PENDING_FLOWS: Final = 5
METADATA_TTL_SECONDS: Final = 300
JWKS_TTL_SECONDS: Final = 3600
LANGUAGES: Final = tuple(Language.values)  # the preferred languages a login may carry (ADR 0011)

# Reason codes of refused logins (stable: tests, audit rows and the refusal page use them).
REASONS: Final = (
    "state_invalid",
    "flow_expired",
    "cancelled",
    "provider_error",
    "provider_unavailable",
    "configuration_error",
    "code_rejected",
    "token_error",
    "token_invalid",
    "token_expired",
    "signature_invalid",
    "issuer_invalid",
    "audience_invalid",
    "nonce_invalid",
    "acr_missing",
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
    id_token: str = ""


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
    # Exactly as configured: Discovery §4.3 compares the issuer character for character, so an issuer
    # with a trailing slash must be configured with it (as its discovery document states it).
    return str(settings.OIDC_ISSUER)


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


def _configuration_error(problem: str) -> LoginRefused:
    # Operators must see this (log at error level, readiness check); users get a page that does not
    # pretend the provider is down.
    logger.error("OpenID Connect configuration error: %s", problem)
    return LoginRefused("configuration_error", problem)


def _check_endpoint(url: object, name: str) -> str:
    if not isinstance(url, str) or not url:
        raise LoginRefused("provider_unavailable", f"metadata: {name} missing")
    scheme = urlsplit(url).scheme
    allowed = {"https"} if getattr(settings, "PRODUCTION", False) else {"https", "http"}
    if scheme not in allowed:
        raise _configuration_error(f"metadata: {name} is not {'/'.join(sorted(allowed))}")
    return url


def provider_metadata(*, refresh: bool = False) -> dict[str, Any]:
    """The provider's discovery document (OpenID Connect Discovery §4), cached for a few minutes."""
    issuer = _issuer()
    now = time.monotonic()
    with _cache_lock:
        cached = _metadata_cache.get(issuer)
    if cached is not None and not refresh and now - cached[0] < METADATA_TTL_SECONDS:
        return cached[1]
    # Discovery §4.1: a terminating "/" of the issuer is removed before the well-known path is appended.
    document = _get_json(get_well_known_url(issuer, external=True), "metadata")
    if not isinstance(document, dict):
        raise LoginRefused("provider_unavailable", "metadata: not an object")
    if document.get("issuer") != issuer:
        raise _configuration_error(
            f"metadata: issuer {document.get('issuer')!r} != OIDC_ISSUER {issuer!r} (must be identical)"
        )
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        _check_endpoint(document.get(name), name)
    with _cache_lock:
        _metadata_cache[issuer] = (now, document)
    return document


def provider_jwks(*, refresh: bool = False) -> KeySet:
    """The provider's public keys, cached; ``refresh`` fetches them again (the provider rolled its keys)."""
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


def id_token_algorithms(metadata: dict[str, Any]) -> list[str]:
    """The ID token algorithms we accept: OIDC_ID_TOKEN_ALGORITHMS, else those discovery advertises."""
    configured = list(settings.OIDC_ID_TOKEN_ALGORITHMS)
    # Discovery §3: RS256 when the provider does not say.
    advertised = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    wanted = configured or (advertised if isinstance(advertised, list) else ["RS256"])
    return [algorithm for algorithm in wanted if algorithm in SUPPORTED_ALGORITHMS]


def token_endpoint_auth_method(metadata: dict[str, Any]) -> str:
    """OIDC_TOKEN_ENDPOINT_AUTH_METHOD, else the first method discovery advertises that we can use."""
    configured = str(settings.OIDC_TOKEN_ENDPOINT_AUTH_METHOD)
    advertised = metadata.get("token_endpoint_auth_methods_supported")
    if configured:
        if configured not in SUPPORTED_AUTH_METHODS:
            raise _configuration_error(f"OIDC_TOKEN_ENDPOINT_AUTH_METHOD {configured!r} is not supported")
        if isinstance(advertised, list) and configured not in advertised:
            raise _configuration_error(
                f"OIDC_TOKEN_ENDPOINT_AUTH_METHOD {configured!r} not among those advertised {advertised!r}"
            )
        return configured
    # Discovery §3: client_secret_basic when the provider does not say.
    for method in advertised if isinstance(advertised, list) else ["client_secret_basic"]:
        if method in SUPPORTED_AUTH_METHODS and (
            method != "private_key_jwt" or settings.OIDC_CLIENT_PRIVATE_KEY_PATH
        ):
            return str(method)
    raise _configuration_error(f"no usable token endpoint authentication among {advertised!r}")


def configuration_problems() -> list[str]:
    """What is wrong between our OIDC settings and the provider's discovery document (readiness check).

    Empty when the configuration is usable. A provider that cannot be reached is not a configuration
    problem (it is logged by the login that meets it), so it does not make this site unready.
    """
    try:
        metadata = provider_metadata()
        if not id_token_algorithms(metadata):
            raise _configuration_error("no ID token algorithm in common (RS256, PS256, ES256)")
        if token_endpoint_auth_method(metadata) == "private_key_jwt":
            _client_private_key()
    except LoginRefused as refusal:
        return [refusal.detail] if refusal.reason == "configuration_error" else []
    return []


def check_configuration() -> None:
    """Raises when configuration_problems() finds any: /readyz reports the site unready (core/health.py)."""
    problems = configuration_problems()
    if problems:
        raise ImproperlyConfigured("OpenID Connect configuration: " + "; ".join(problems))


# --- Starting a login ----------------------------------------------------------------------------


def pkce_challenge(verifier: str) -> str:
    return str(create_s256_code_challenge(verifier))


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

    extra = {
        "nonce": flow.nonce,
        "code_challenge": pkce_challenge(flow.code_verifier),
        "code_challenge_method": "S256",
    }
    if settings.OIDC_ACR_VALUES:
        extra["acr_values"] = settings.OIDC_ACR_VALUES
    return str(
        prepare_grant_uri(
            str(metadata["authorization_endpoint"]),
            client_id=settings.OIDC_CLIENT_ID,
            response_type="code",
            redirect_uri=flow.redirect_uri,
            scope=settings.OIDC_SCOPES,
            state=flow.state,
            **extra,
        )
    )


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


def _client_private_key() -> Key:
    path = str(settings.OIDC_CLIENT_PRIVATE_KEY_PATH)
    if not path:
        raise _configuration_error("private_key_jwt needs OIDC_CLIENT_PRIVATE_KEY_PATH")
    try:
        pem = Path(path).read_bytes()
    except OSError as exc:
        raise _configuration_error(f"OIDC_CLIENT_PRIVATE_KEY_PATH: {type(exc).__name__}: {exc}") from exc
    # The key type is named, never guessed from the data (joserfc warns against guessing).
    failure: Exception | None = None
    for key_type in ("RSA", "EC"):
        try:
            return import_key(pem, key_type)
        except (JoseError, ValueError, TypeError) as exc:
            failure = exc
    raise _configuration_error(f"OIDC_CLIENT_PRIVATE_KEY_PATH: not an RSA or EC private key ({failure})")


def _client_auth(metadata: dict[str, Any]) -> ClientAuth:
    method = token_endpoint_auth_method(metadata)
    if method == "private_key_jwt":
        return ClientAuth(
            settings.OIDC_CLIENT_ID,
            _client_private_key(),
            PrivateKeyJWT(str(metadata["token_endpoint"]), alg=settings.OIDC_CLIENT_ASSERTION_ALGORITHM),
        )
    return ClientAuth(settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, method)


def exchange_code(*, code: str, flow: Flow) -> dict[str, Any]:
    """Redeem the authorization code at the token endpoint (configured client authentication, PKCE)."""
    metadata = provider_metadata()
    endpoint = str(metadata["token_endpoint"])
    auth = _client_auth(metadata)
    try:
        response = http_client().post(
            endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": flow.redirect_uri,
                "code_verifier": flow.code_verifier,
            },
            headers={"Accept": "application/json"},
            auth=auth,
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


def _candidate_keys(keys: KeySet, algorithm: str, kid: str | None) -> list[Key]:
    key_type, curve = ("EC", "P-256") if algorithm == "ES256" else ("RSA", None)
    return [
        key
        for key in keys
        if key.key_type == key_type
        and (curve is None or key.get("crv") == curve)
        and key.get("use") in (None, "sig")
        and (kid is None or key.kid == kid)
    ]


def _verified_jwt(token: str, *, what: str, algorithms: list[str]) -> jwt.Token:
    """The JWT, its signature checked against the provider's keys (fetched again once if none fits)."""
    try:
        header = jws.extract_compact(token.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeError) as exc:
        raise LoginRefused("token_invalid", f"{what}: {exc}") from exc
    algorithm = header.get("alg")
    # Checked before any key is used: "none" and HS256 (signed with a public key as secret) never pass.
    if not isinstance(algorithm, str) or algorithm not in algorithms:
        raise LoginRefused("signature_invalid", f"{what}: algorithm {algorithm!r} not allowed")
    raw_kid = header.get("kid")
    kid = raw_kid if isinstance(raw_kid, str) else None
    failure = ""
    # The provider may have rolled its keys since we cached them, with a new kid or (when it sends
    # none) the same empty one: when no cached key verifies, the key set is fetched once more.
    for refresh in (False, True):
        candidates = _candidate_keys(provider_jwks(refresh=refresh), algorithm, kid)
        failure = f"no provider key for kid {kid!r}" if not candidates else f"bad signature (kid {kid!r})"
        for key in candidates:
            try:
                return jwt.decode(token, key, algorithms=[algorithm])
            except BadSignatureError:
                continue
            except JoseError as exc:
                raise LoginRefused("token_invalid", f"{what}: {exc}") from exc
    raise LoginRefused("signature_invalid", f"{what}: {failure}")


_CLAIM_REASONS = {
    "iss": "issuer_invalid",
    "aud": "audience_invalid",
    "azp": "audience_invalid",
    "exp": "token_expired",
    "iat": "token_invalid",
    "nbf": "token_invalid",
    "sub": "token_invalid",
    "nonce": "nonce_invalid",
}


def validate_id_token(
    id_token: str, *, nonce: str, access_token: str = "", metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Check the ID token (OpenID Connect Core §3.1.3.7) and return its claims.

    Signature (RS256, PS256 or ES256 as discovery advertises) against the provider's JWKS; then
    Authlib's rules for a code-flow ID token: iss exactly, aud and azp, exp and iat with
    settings.OIDC_LEEWAY_SECONDS, the nonce of this flow, at_hash when present.
    """
    metadata = metadata if metadata is not None else provider_metadata()
    token = _verified_jwt(id_token, what="id_token", algorithms=id_token_algorithms(metadata))
    claims = CodeIDToken(
        token.claims,
        token.header,
        options={
            "iss": {"essential": True, "value": _issuer()},
            "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
        },
        params={"nonce": nonce, "client_id": settings.OIDC_CLIENT_ID, "access_token": access_token or None},
    )
    try:
        claims.validate(leeway=settings.OIDC_LEEWAY_SECONDS)
    except ExpiredTokenError as exc:
        raise LoginRefused("token_expired", f"id_token: {exc}") from exc
    except ClaimError as exc:
        # A missing-claims error names them joined by commas; the first decides the reason.
        first = exc.claim.split(",")[0]
        reason = _CLAIM_REASONS.get(first, "token_invalid")
        raise LoginRefused(reason, f"id_token: {exc.error}: {exc.claim}") from exc
    except JoseError as exc:
        raise LoginRefused("token_invalid", f"id_token: {exc}") from exc
    return dict(claims)


def fetch_userinfo(*, access_token: str, subject: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """The userinfo claims (Core §5.3), JSON or a signed JWT; {} when the provider offers none.

    Its ``sub`` must be the ID token's (§5.3.4): otherwise the answer may be about someone else.
    """
    endpoint = metadata.get("userinfo_endpoint")
    if not settings.OIDC_USERINFO or not endpoint or not access_token:
        return {}
    endpoint = _check_endpoint(endpoint, "userinfo_endpoint")
    try:
        response = http_client().get(
            endpoint,
            headers={
                "Authorization": f"Bearer {access_token}",
                "Accept": "application/json, application/jwt",
            },
        )
    except httpx.HTTPError as exc:
        raise LoginRefused("provider_unavailable", f"userinfo: {type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500:
        raise LoginRefused("provider_unavailable", f"userinfo: HTTP {response.status_code}")
    if response.status_code != 200:
        raise LoginRefused("token_error", f"userinfo: HTTP {response.status_code}")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    claims: Any
    if content_type == "application/jwt":
        token = _verified_jwt(
            response.text.strip(), what="userinfo", algorithms=id_token_algorithms(metadata)
        )
        claims = token.claims
        # §5.3.2: a signed answer should name its issuer and us; when it does, they must be right.
        if "iss" in claims and claims["iss"] != _issuer():
            raise LoginRefused("issuer_invalid", f"userinfo: iss {claims['iss']!r}")
        audiences = claims.get("aud", settings.OIDC_CLIENT_ID)
        if settings.OIDC_CLIENT_ID not in (audiences if isinstance(audiences, list) else [audiences]):
            raise LoginRefused("audience_invalid", f"userinfo: aud {audiences!r}")
    else:
        try:
            claims = response.json()
        except ValueError as exc:
            raise LoginRefused("token_invalid", "userinfo: neither JSON nor a JWT") from exc
    if not isinstance(claims, dict):
        raise LoginRefused("token_invalid", "userinfo: not an object")
    if claims.get("sub") != subject:
        raise LoginRefused("token_invalid", "userinfo: sub differs from the ID token's")
    return claims


def _level_map() -> dict[str, int]:
    levels: dict[str, int] = {}
    for entry in settings.OIDC_ASSURANCE_LEVEL_MAP:
        value, _sep, level = str(entry).rpartition("=")
        if value and level.strip().isdigit():
            levels[value.strip()] = int(level)
    return levels


def assurance_level_from_acr(acr: object) -> int | None:
    """Our (CSAM) level of an assurance value, or None when unknown.

    A value listed in OIDC_ASSURANCE_LEVEL_MAP (e.g. an eIDAS LoA URI) maps as configured; a FAS URN
    such as urn:be:fedict:iam:fas:Level500 gives its trailing level.
    """
    if isinstance(acr, bool) or not isinstance(acr, str | int):
        return None
    value = str(acr).strip()
    mapped = _level_map().get(value)
    if mapped is not None:
        return mapped
    match = _LEVEL_URN.match(value) if isinstance(acr, str) else None
    return int(match.group(1)) if match else None


def auth_means_for_level(level: int) -> str:
    """The means of login of a level: eid (Level500), itsme (Level450) or other."""
    return _AUTH_MEANS.get(level, "other")


def _text_claim(claims: dict[str, Any], name: str, max_length: int) -> str:
    value = claims.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


def _assurance(id_claims: dict[str, Any], claims: dict[str, Any]) -> tuple[int, str, str]:
    """(level, the value it was read from, means of login) of this login."""
    name = str(settings.OIDC_CLAIM_ASSURANCE_LEVEL)
    # acr describes the authentication this ID token is about (Core §2): only the token's counts.
    # Another claim (FAS's assurance_level) may come from the token or from userinfo.
    raw = id_claims.get(name) if name == "acr" else claims.get(name)
    if raw is None or raw == "":
        default = int(settings.OIDC_DEFAULT_ASSURANCE_LEVEL)
        if default:
            # The provider did not say how the person logged in: the means is unknown too.
            return default, "", "other"
        raise LoginRefused("acr_missing", f"claim {name} missing")
    level = assurance_level_from_acr(raw)
    if level is None:
        raise LoginRefused("acr_unknown", f"{name} {str(raw)[:100]!r}")
    # Only a FAS level says which means was used; a mapped value (eIDAS "high") does not.
    is_fas_level = isinstance(raw, str) and _LEVEL_URN.match(raw.strip()) and str(raw) not in _level_map()
    return level, str(raw), auth_means_for_level(level) if is_fas_level else "other"


def identity_from_claims(claims: dict[str, Any], *, userinfo: dict[str, Any] | None = None) -> Identity:
    """Read who logged in from the (validated) ID token claims and the userinfo claims.

    A claim in both is taken from the ID token (signed and bound to this login).
    """
    merged = {**(userinfo or {}), **claims}
    level, acr, means = _assurance(claims, merged)

    raw_niss = merged.get(settings.OIDC_CLAIM_NISS)
    niss = re.sub(r"[\s.\-]", "", raw_niss) if isinstance(raw_niss, str) else ""
    if not niss:
        raise LoginRefused("niss_missing", f"claim {settings.OIDC_CLAIM_NISS} missing")
    if not (len(niss) == 11 and niss.isdigit() and ssn.is_valid(niss)):
        raise LoginRefused("niss_missing", f"claim {settings.OIDC_CLAIM_NISS} malformed")

    language = _text_claim(merged, settings.OIDC_CLAIM_LANGUAGE, 8).lower()[:2]
    email = _text_claim(merged, settings.OIDC_CLAIM_EMAIL, 254)
    try:
        if email:
            validate_email(email)
    except ValidationError:
        email = ""
    return Identity(
        niss=niss,
        given_name=_text_claim(merged, settings.OIDC_CLAIM_GIVEN_NAME, 128),
        surname=_text_claim(merged, settings.OIDC_CLAIM_SURNAME, 128),
        language=language if language in LANGUAGES else "",
        email=email,
        assurance_level=level,
        auth_means=means,
        acr=acr,
        subject=str(claims.get("sub", "")),
    )


def complete_login(request: HttpRequest) -> tuple[Identity, Flow]:
    """Handle the provider's answer on our callback: state, error, code exchange, ID token, userinfo."""
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
        metadata = provider_metadata()
        access_token = tokens.get("access_token")
        access_token = access_token if isinstance(access_token, str) else ""
        claims = validate_id_token(
            tokens["id_token"], nonce=flow.nonce, access_token=access_token, metadata=metadata
        )
        userinfo = fetch_userinfo(access_token=access_token, subject=str(claims["sub"]), metadata=metadata)
        identity = identity_from_claims(claims, userinfo=userinfo)
        return Identity(**{**asdict(identity), "id_token": tokens["id_token"]}), flow
    except LoginRefused as refusal:
        refusal.next_url = flow.next_url
        raise


def end_session_url(request: HttpRequest, *, id_token: str) -> str:
    """Where to send the browser to log out at the provider too (RP-Initiated Logout), or "".

    Only when the provider advertises an end_session_endpoint and this session logged in there.
    """
    if not id_token:
        return ""
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except LoginRefused:
        return ""
    if not isinstance(endpoint, str) or not endpoint:
        return ""
    post_logout = settings.OIDC_POST_LOGOUT_REDIRECT_URI or request.build_absolute_uri(reverse("portal:home"))
    params = [
        ("id_token_hint", id_token),
        ("client_id", settings.OIDC_CLIENT_ID),
        ("post_logout_redirect_uri", post_logout),
    ]
    return str(add_params_to_uri(endpoint, params))


def assurance_level(request: HttpRequest) -> int | None:
    """The assurance level of the current login (500 eID, 450 itsme, ...), None when not logged in by OIDC."""
    value = request.session.get(SESSION_ASSURANCE_LEVEL)
    return value if isinstance(value, int) else None
