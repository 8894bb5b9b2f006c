"""API clients: registered, rotated and revoked by a main access manager; authenticated at the token
endpoint (RFC 6749 client credentials with ``client_secret_basic`` or RFC 7523 ``private_key_jwt``).

Design: docs/adr/0018-api-tokens.md (opaque short-lived tokens, hashed secrets, the assertion rules) and
docs/adr/0019-api-jti-store.md (replayed assertions refused through a table every process shares).
"""

from __future__ import annotations

import datetime
import functools
import json
import secrets
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound, PermissionDenied
from careerbreak.identity.acting import Acting
from careerbreak.identity.api_tokens import issue_access_token
from careerbreak.identity.models import ApiAccessToken, ApiAssertionJti, ApiClient, ApiScope

# Only asymmetric signatures: the server keeps no secret of a private_key_jwt client (never "none", HS*).
ASSERTION_ALGORITHMS = ("RS256", "PS256", "ES256")
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# Clock skew tolerated between the client and us, in seconds.
LEEWAY = 30
# The members that only a private key has (RFC 7518 §6.2.2, §6.3.2; "k" is a symmetric key).
_PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
_MIN_RSA_BITS = 2048


# ---------------------------------------------------------------------------------------------------
# Registering, rotating, revoking (a main access manager of the enterprise)


def _main_manager(acting: Acting) -> Acting:
    if acting.access is None or acting.user is None or not acting.access.is_main_access_manager:
        raise PermissionDenied(_("Only the main access manager manages the API clients."))
    return acting


def jwks_parse(text: str) -> dict[str, Any]:
    """The public JWKS pasted by a manager, checked: JSON ``{"keys": [...]}``, public RSA (2048 bits or
    more) or EC P-256 keys only, each usable by one of ``ASSERTION_ALGORITHMS``.

    Raises DomainError (field ``jwks``) naming what is wrong.
    """
    try:
        data = json.loads(text)
    except ValueError:
        raise DomainError(
            _("The public keys are not valid JSON."), code="jwks_not_json", field="jwks"
        ) from None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or not keys or not all(isinstance(key, dict) for key in keys):
        raise DomainError(
            _('The public keys must be a JWKS: {"keys": [ ... ]} with at least one key.'),
            code="jwks_no_keys",
            field="jwks",
        )
    for key in keys:
        if _PRIVATE_MEMBERS & set(key):
            raise DomainError(
                _(
                    "Paste only the public keys: this set contains a private or secret key. "
                    "Keep it to yourself."
                ),
                code="jwks_private_key",
                field="jwks",
            )
        kty = key.get("kty")
        if kty not in {"RSA", "EC"} or (kty == "EC" and key.get("crv") != "P-256"):
            raise DomainError(
                _("Only RSA keys and EC keys on the P-256 curve are accepted."),
                code="jwks_key_type",
                field="jwks",
            )
    try:
        key_set = KeySet.import_key_set({"keys": keys})
    except (JoseError, ValueError, TypeError):
        raise DomainError(
            _("One of the public keys cannot be read."), code="jwks_unreadable", field="jwks"
        ) from None
    for key in key_set.keys:
        if key.key_type == "RSA" and getattr(key.raw_value, "key_size", 0) < _MIN_RSA_BITS:
            raise DomainError(
                _("RSA keys must have at least 2048 bits."), code="jwks_key_too_short", field="jwks"
            )
    return {"keys": keys}


def _new_secret() -> tuple[str, str]:
    secret = secrets.token_urlsafe(32)
    return secret, make_password(secret)


def _scopes(scopes: list[str]) -> list[str]:
    allowed = set(ApiScope.values)
    chosen = sorted(set(scopes))
    if not chosen or not set(chosen) <= allowed:
        raise DomainError(_("Choose at least one permission."), code="scopes", field="scopes")
    return chosen


def api_client_register(
    *,
    acting: Acting,
    name: str,
    auth_method: str,
    scopes: list[str],
    jwks: dict[str, Any] | None = None,
) -> tuple[ApiClient, str]:
    """Register an API client of the actor's enterprise; returns it and, for ``client_secret_basic``,
    its secret (shown once, stored hashed; "" for ``private_key_jwt``).

    Errors: PermissionDenied unless the main access manager; DomainError for no scope or a
    ``private_key_jwt`` client without keys (``jwks`` comes from ``jwks_parse``). Side effect: an audit row.
    """
    acting = _main_manager(acting)
    assert acting.user is not None and acting.access is not None
    chosen = _scopes(scopes)
    secret, secret_hash = "", ""
    if auth_method == ApiClient.AuthMethod.CLIENT_SECRET_BASIC:
        secret, secret_hash = _new_secret()
        jwks = None
    elif auth_method == ApiClient.AuthMethod.PRIVATE_KEY_JWT:
        if not jwks:
            raise DomainError(_("Paste the client's public keys."), code="jwks_missing", field="jwks")
    else:
        raise DomainError(_("Choose how the client authenticates."), code="auth_method", field="auth_method")
    with transaction.atomic():
        client = ApiClient.objects.create(
            client_id=f"cb-{secrets.token_hex(12)}",
            name=name.strip(),
            enterprise=acting.access.enterprise,
            auth_method=auth_method,
            secret_hash=secret_hash,
            jwks=jwks,
            scopes=chosen,
            registered_by=acting.user,
        )
        audit_log(
            action=AuditAction.API_CLIENT_REGISTERED,
            acting=acting,
            object_type="api_client",
            object_id=client.client_id,
            data={"name": client.name, "auth_method": auth_method, "scopes": chosen},
        )
    return client, secret


def _own_client(acting: Acting, client_id: str) -> ApiClient:
    assert acting.access is not None
    client = (
        ApiClient.objects.active()
        .select_for_update()
        .filter(client_id=client_id, enterprise=acting.access.enterprise)
        .first()
    )
    if client is None:
        raise NotFound(_("This API client no longer exists."))
    return client


def _end_tokens(acting: Acting, client: ApiClient, action: str) -> None:
    """The client's live tokens stop working now; the change is audited."""
    ApiAccessToken.objects.filter(client=client).delete()
    audit_log(action=action, acting=acting, object_type="api_client", object_id=client.client_id)


def api_client_rotate(
    *, acting: Acting, client_id: str, jwks: dict[str, Any] | None = None
) -> tuple[ApiClient, str]:
    """A new secret (``client_secret_basic``, returned once) or new public keys (``private_key_jwt``,
    from ``jwks_parse``) for an active client of the actor's enterprise; the tokens already issued stop
    working at once.

    Errors: PermissionDenied unless the main access manager; NotFound for a client revoked or of another
    enterprise; DomainError for a key client without keys. Side effect: an audit row.
    """
    acting = _main_manager(acting)
    secret = ""
    with transaction.atomic():
        client = _own_client(acting, client_id)
        if client.auth_method == ApiClient.AuthMethod.CLIENT_SECRET_BASIC:
            secret, client.secret_hash = _new_secret()
        else:
            if not jwks:
                raise DomainError(_("Paste the client's public keys."), code="jwks_missing", field="jwks")
            client.jwks = jwks
        client.rotated_at = timezone.now()
        client.save(update_fields=["secret_hash", "jwks", "rotated_at"])
        _end_tokens(acting, client, AuditAction.API_CLIENT_ROTATED)
    return client, secret


def api_client_revoke(*, acting: Acting, client_id: str) -> ApiClient:
    """Revoke an active client of the actor's enterprise: its tokens stop working at once and it gets
    no new one.

    Errors: PermissionDenied unless the main access manager; NotFound for a client already revoked or of
    another enterprise. Side effect: an audit row.
    """
    acting = _main_manager(acting)
    with transaction.atomic():
        client = _own_client(acting, client_id)
        client.revoked_at = timezone.now()
        client.revoked_by_niss = acting.niss
        client.save(update_fields=["revoked_at", "revoked_by_niss"])
        _end_tokens(acting, client, AuditAction.API_CLIENT_REVOKED)
    return client


def api_clients_for(*, acting: Acting) -> list[ApiClient]:
    """The enterprise's API clients, active first, for its main access manager."""
    acting = _main_manager(acting)
    assert acting.access is not None
    return sorted(
        ApiClient.objects.filter(enterprise=acting.access.enterprise),
        key=lambda client: (client.revoked_at is not None, client.name.lower(), client.client_id),
    )


def api_client_for(*, acting: Acting, client_id: str) -> ApiClient:
    """One active API client of the enterprise; NotFound otherwise."""
    acting = _main_manager(acting)
    assert acting.access is not None
    client = (
        ApiClient.objects.active().filter(client_id=client_id, enterprise=acting.access.enterprise).first()
    )
    if client is None:
        raise NotFound(_("This API client no longer exists."))
    return client


# ---------------------------------------------------------------------------------------------------
# The token endpoint (RFC 6749 §4.4, errors §5.2)


class TokenError(Exception):
    """A refusal of the token endpoint: its RFC 6749 ``error`` code, a description and the status."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def _invalid_client(description: str) -> TokenError:
    return TokenError("invalid_client", description, status=401)


@functools.cache
def _dummy_hash() -> str:
    """A hash to check against when the client is unknown, so that an unknown id costs what a wrong
    secret does (made on first use: a password hash takes a while)."""
    return make_password("not a secret of anybody")


def client_by_secret(*, client_id: str, secret: str) -> ApiClient:
    """The active ``client_secret_basic`` client whose secret this is; TokenError invalid_client otherwise."""
    client = (
        ApiClient.objects.active()
        .select_related("enterprise")
        .filter(client_id=client_id, auth_method=ApiClient.AuthMethod.CLIENT_SECRET_BASIC)
        .first()
    )
    if (
        not check_password(secret, client.secret_hash if client is not None else _dummy_hash())
        or client is None
    ):
        raise _invalid_client("Unknown client or wrong secret.")
    return client


def _number(claims: dict[str, Any], name: str, *, required: bool) -> int | None:
    value = claims.get(name)
    if value is None:
        if required:
            raise _invalid_client(f"The assertion has no {name}.")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _invalid_client(f"The assertion's {name} is not a number.")
    return int(value)


def client_by_assertion(*, assertion: str, audience: str, client_id: str = "") -> ApiClient:
    """The active ``private_key_jwt`` client that signed this RFC 7523 assertion, which is used up.

    The assertion: signed RS256, PS256 or ES256 by a key of the client's JWKS; ``iss`` = ``sub`` = the
    client id (and ``client_id`` if the request named one); ``aud`` names ``audience`` (the token
    endpoint); ``exp`` in the future and at most API_ASSERTION_MAX_LIFETIME ahead; ``iat`` and ``nbf``,
    if present, not in the future; a ``jti`` never seen before for this client (stored until ``exp``).
    Raises TokenError invalid_client for anything else.
    """
    from django.conf import settings

    try:
        compact = extract_compact(assertion.encode())
        header = compact.protected
        unverified = json.loads(compact.payload)
    except (JoseError, ValueError, TypeError):
        raise _invalid_client("The assertion is not a signed JWT.") from None
    if header.get("alg") not in ASSERTION_ALGORITHMS:
        raise _invalid_client("The assertion must be signed with RS256, PS256 or ES256.")
    issuer = unverified.get("iss") if isinstance(unverified, dict) else None
    if not isinstance(issuer, str) or not issuer or (client_id and client_id != issuer):
        raise _invalid_client("The assertion's iss must be the client id.")
    client = (
        ApiClient.objects.active()
        .select_related("enterprise")
        .filter(client_id=issuer, auth_method=ApiClient.AuthMethod.PRIVATE_KEY_JWT)
        .first()
    )
    if client is None:
        raise _invalid_client("Unknown client.")
    try:
        token = jwt.decode(
            assertion,
            KeySet.import_key_set(cast(Any, client.jwks)),
            algorithms=list(ASSERTION_ALGORITHMS),
        )
    except (JoseError, ValueError, TypeError):
        raise _invalid_client("The assertion's signature does not match the client's keys.") from None
    claims = token.claims
    if claims.get("sub") != client.client_id or claims.get("iss") != client.client_id:
        raise _invalid_client("The assertion's iss and sub must be the client id.")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if audience not in audiences:
        raise _invalid_client("The assertion's aud must be the token endpoint's URL.")
    now = int(timezone.now().timestamp())
    exp = _number(claims, "exp", required=True)
    assert exp is not None
    if exp <= now - LEEWAY:
        raise _invalid_client("The assertion has expired.")
    if exp > now + settings.API_ASSERTION_MAX_LIFETIME + LEEWAY:
        raise _invalid_client("The assertion lives too long: make exp at most a few minutes ahead.")
    for name in ("iat", "nbf"):
        value = _number(claims, name, required=False)
        if value is not None and value > now + LEEWAY:
            raise _invalid_client(f"The assertion's {name} is in the future.")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > 255:
        raise _invalid_client("The assertion needs a jti, a unique identifier of at most 255 characters.")
    _jti_use(client=client, jti=jti, exp=exp, now=now)
    return client


def _jti_use(*, client: ApiClient, jti: str, exp: int, now: int) -> None:
    """Record the assertion's jti; a jti seen before (and not yet expired) is a replay."""
    moment = datetime.datetime.fromtimestamp(now, tz=datetime.UTC)
    # An expired jti can never be replayed (its assertion is refused first): forget it.
    ApiAssertionJti.objects.filter(
        client=client, expires_at__lt=moment - datetime.timedelta(seconds=LEEWAY)
    ).delete()
    try:
        with transaction.atomic():
            ApiAssertionJti.objects.create(
                client=client,
                jti=jti,
                expires_at=datetime.datetime.fromtimestamp(exp, tz=datetime.UTC),
            )
    except IntegrityError:
        raise _invalid_client("This assertion was already used: sign a new one with a new jti.") from None


@dataclass(frozen=True)
class IssuedToken:
    token: str
    scopes: list[str]
    expires_in: int


def api_token_issue(*, client: ApiClient, scope: str) -> IssuedToken:
    """A bearer token for an authenticated client with the scopes asked (space-separated; none asked:
    all of the client's). Errors: TokenError invalid_scope for a scope the client may not ask.
    Side effect: the token row (only its hash) and an audit row.
    """
    from django.conf import settings

    asked = set(scope.split()) if scope.strip() else set(client.scopes)
    if not asked <= set(client.scopes):
        raise TokenError(
            "invalid_scope", "The client may not ask for " + " ".join(sorted(asked - set(client.scopes)))
        )
    with transaction.atomic():
        token, row = issue_access_token(client=client, scopes=asked)
        audit_log(
            action=AuditAction.API_TOKEN_ISSUED,
            actor_niss="",
            enterprise_number=client.enterprise.number,
            object_type="api_client",
            object_id=client.client_id,
            data={"api_client_id": client.client_id, "scopes": row.scopes},
        )
    return IssuedToken(token=token, scopes=row.scopes, expires_in=settings.API_TOKEN_LIFETIME)


def api_call_record(
    *,
    client: ApiClient,
    method: str,
    path: str,
    status: int,
    ip_address: str | None,
    enterprise_number: str = "",
) -> None:
    """The audit row of one API call: which client, for which enterprise (``enterprise_number``, the one
    the call acted for; the client's own when it acted for none), under whose name, what, how it ended;
    ``data.client_enterprise`` names the client's enterprise when it acted for another (a secretariat
    for an employer). One insert, no further query (the client comes with its enterprise and registrant)."""
    own = client.enterprise.number
    data: dict[str, object] = {
        "api_client_id": client.client_id,
        "method": method,
        "path": path[:300],
        "status": status,
    }
    if enterprise_number and enterprise_number != own:
        data["client_enterprise"] = own
    audit_log(
        action=AuditAction.API_CALLED,
        actor_niss=client.registered_by.niss,
        enterprise_number=enterprise_number or own,
        object_type="api_client",
        object_id=client.client_id,
        ip_address=ip_address,
        data=data,
    )
