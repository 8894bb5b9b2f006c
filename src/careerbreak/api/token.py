"""The token endpoint: OAuth 2.0 client credentials (RFC 6749 §4.4), a plain Django view.

The client authenticates with ``client_secret_basic`` (HTTP Basic, RFC 6749 §2.3.1) or ``private_key_jwt``
(``client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`` and a
``client_assertion`` signed with its key, RFC 7523 §2.2). The answer is a short-lived bearer token with
the scopes asked (``scope``, space-separated; none: all the client's). Errors follow RFC 6749 §5.2.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from careerbreak.api.frame import too_many
from careerbreak.core.ratelimit import API_TOKEN_PER_IP, RateLimited, check
from careerbreak.identity.api_clients import (
    JWT_BEARER,
    TokenError,
    api_token_issue,
    client_by_assertion,
    client_by_secret,
)
from careerbreak.identity.models import ApiClient

logger = logging.getLogger(__name__)


def _json(body: dict[str, Any], *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    # RFC 6749 §5.1: tokens and refusals are never cached.
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise TokenError("invalid_client", "The Basic credentials cannot be read.", status=401) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise TokenError("invalid_client", "The Basic credentials cannot be read.", status=401)
    # RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    return unquote(client_id.replace("+", " ")), unquote(secret.replace("+", " "))


def audience(request: HttpRequest) -> str:
    """What a client assertion's ``aud`` must name: the token endpoint's URL."""
    return settings.API_TOKEN_AUDIENCE or request.build_absolute_uri(request.path)


def _client(request: HttpRequest) -> ApiClient:
    basic = _basic_credentials(request)
    assertion_type = request.POST.get("client_assertion_type", "")
    assertion = request.POST.get("client_assertion", "")
    if "client_secret" in request.POST:
        raise TokenError(
            "invalid_request", "Send the secret with HTTP Basic (client_secret_basic), not in the body."
        )
    if basic is not None and (assertion_type or assertion):
        raise TokenError("invalid_request", "Use one way of authenticating the client, not two.")
    if basic is not None:
        return client_by_secret(client_id=basic[0], secret=basic[1])
    if assertion_type or assertion:
        if assertion_type != JWT_BEARER or not assertion:
            raise TokenError(
                "invalid_request", f"client_assertion_type must be {JWT_BEARER}, with a client_assertion."
            )
        return client_by_assertion(
            assertion=assertion, audience=audience(request), client_id=request.POST.get("client_id", "")
        )
    raise TokenError(
        "invalid_client", "Authenticate the client: HTTP Basic or a client assertion.", status=401
    )


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """``POST`` form-encoded ``grant_type=client_credentials`` [``scope``] with the client's credentials."""
    try:
        check(request, API_TOKEN_PER_IP)
    except RateLimited as limited:
        return too_many(limited.retry_after)
    try:
        if request.content_type != "application/x-www-form-urlencoded":
            raise TokenError(
                "invalid_request", "Send the parameters form-encoded (application/x-www-form-urlencoded)."
            )
        grant_type = request.POST.get("grant_type", "")
        if not grant_type:
            raise TokenError("invalid_request", "grant_type is missing.")
        client = _client(request)
        if grant_type != "client_credentials":
            raise TokenError("unsupported_grant_type", "Only grant_type=client_credentials is supported.")
        issued = api_token_issue(client=client, scope=request.POST.get("scope", ""))
    except TokenError as error:
        logger.info("token refused: %s (%s)", error.error, error.description)
        headers = {"WWW-Authenticate": 'Basic realm="careerbreak"'} if error.status == 401 else None
        return _json(
            {"error": error.error, "error_description": error.description},
            status=error.status,
            headers=headers,
        )
    return _json(
        {
            "access_token": issued.token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "scope": " ".join(issued.scopes),
        }
    )
