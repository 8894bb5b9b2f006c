"""The API's frame: every error as RFC 9457 problem details (``api.problems``), in the caller's language.

``install_problem_handlers(api)`` replaces django-ninja's default handlers: a missing or dead token is a
401 with ``WWW-Authenticate: Bearer``, a missing scope or another enterprise a 403, refused input a 422
whose ``errors`` name each field by its path in the body, a rate limit a 429 with ``Retry-After``, and an
unexpected exception a 500 that says nothing of it (the log has it, with the request id).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from careerbreak.api.auth import NotForThisEnterprise, ScopeMissing
from careerbreak.api.problems import (
    BEARER_REALM,
    ProblemError,
    enterprise_not_allowed,
    forbidden,
    insufficient_scope,
    invalid_request,
    not_found,
    problem,
)
from careerbreak.core.errors import DomainError, NotFound, PermissionDenied
from careerbreak.core.ratelimit import RateLimited

logger = logging.getLogger(__name__)


def unauthorized(request: HttpRequest) -> HttpResponse:
    # RFC 6750 §3: no credentials → no error code; a token sent but not (or no longer) valid → invalid_token.
    sent = request.headers.get("Authorization", "").lower().startswith("bearer ")
    challenge = f'{BEARER_REALM}, error="invalid_token"' if sent else BEARER_REALM
    return problem(
        status=401,
        type_="unauthorized",
        detail=_("Send a valid access token from the token endpoint: Authorization: Bearer <token>."),
        headers={"WWW-Authenticate": challenge},
    )


def method_not_allowed(allowed: str) -> HttpResponse:
    return problem(
        status=405,
        type_="method-not-allowed",
        detail=_("This address accepts: %(methods)s.") % {"methods": allowed},
        headers={"Allow": allowed} if allowed else None,
    )


def too_large(limit: int) -> HttpResponse:
    return problem(
        status=413,
        type_="too-large",
        detail=_("A call may send at most %(megabytes)s MB.")
        % {"megabytes": formats.number_format(round(limit / 1024 / 1024, 2), decimal_pos=None)},
    )


def too_many(retry_after: int) -> HttpResponse:
    return problem(
        status=429,
        type_="rate-limited",
        detail=_("This client has made too many calls. Try again in %(seconds)s seconds.")
        % {"seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def server_error() -> HttpResponse:
    return problem(
        status=500,
        type_="server-error",
        detail=_("Something went wrong on our side. Try again later; if it persists, contact us."),
    )


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    # ninja prefixes the source ("body", "query", "path") and the parameter's name for a body schema.
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "form"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "body", "data"}:
        parts = parts[1:]
    return ".".join(parts)


def validation_problem(errors: list[dict[str, Any]]) -> HttpResponse:
    findings: list[ProblemError] = [
        {
            "code": str(error.get("type", "invalid")),
            "field": _field(error.get("loc", ())),
            "message": str(error.get("msg", "")),
        }
        for error in errors
    ]
    return invalid_request(findings)


def problem_for(request: HttpRequest, exc: Any) -> HttpResponse:
    """The problem that answers an exception raised by an operation (or its auth)."""
    if isinstance(exc, AuthenticationError):
        return unauthorized(request)
    if isinstance(exc, ScopeMissing):
        return insufficient_scope(exc.scope)
    if isinstance(exc, NotForThisEnterprise):
        return enterprise_not_allowed()
    if isinstance(exc, HttpError):
        if exc.status_code == 401:
            return unauthorized(request)
        if exc.status_code == 403:
            return forbidden(str(exc))
        if exc.status_code == 404:
            return not_found(str(exc))
        # No other HttpError is raised (ninja raises none itself): kept within the vocabulary anyway.
        type_ = "invalid-request" if exc.status_code < 500 else "server-error"
        return problem(status=exc.status_code, type_=type_, detail=str(exc))
    if isinstance(exc, ValidationError):
        return validation_problem(list(exc.errors))
    if isinstance(exc, (Http404, NotFound)):
        return not_found(str(getattr(exc, "message", "")))
    if isinstance(exc, PermissionDenied):
        return forbidden(str(exc.message))
    if isinstance(exc, DomainError):
        finding: ProblemError = {"code": exc.code, "message": str(exc.message)}
        if exc.field:
            finding["field"] = exc.field
        return invalid_request([finding], detail=str(exc.message))
    if isinstance(exc, RateLimited):
        logger.warning("rate limit %s reached: %s %s", exc.scope.group, request.method, request.path)
        return too_many(exc.retry_after)
    logger.exception("API call failed: %s %s", request.method, request.path, exc_info=exc)
    return server_error()


def install_problem_handlers(api: NinjaAPI) -> None:
    """Every error of ``api`` as problem details (replacing django-ninja's handlers, which answer
    ``{"detail": ...}``, and re-raise an unexpected exception into Django's HTML 500)."""
    for exc_class in (Exception, Http404, HttpError, ValidationError, DomainError, RateLimited):
        api.add_exception_handler(exc_class, problem_for)
