"""The API's own middleware chain (ADR 0044) and the frame around every call under /api/: the body limit,
problem details for what the URL resolver answers (404, 405) and one audit row per authenticated call
(with the audit rows of a call that writes nothing else, in one insert: ``core.audit.audit_rows_together``).

The body is read here, at most API_MAX_BODY_BYTES of it, whatever Content-Length claims (a chunked body
has none): more is a 413 before any view runs, and the web's smaller DATA_UPLOAD_MAX_MEMORY_SIZE does not
apply to the API.

``ApiBranchMiddleware``, early in settings.MIDDLEWARE, sends every request under /api/ through the API's
chain (settings.API_MIDDLEWARE) instead of the rest of the web's: the API is called with bearer tokens,
never with a session, so the sessions, CSRF, the logged-in user, messages and static files have nothing to
do there; the headers the web's middleware gives every answer are given by the API's chain too (the same
CSP, built once: ``ApiContentSecurityPolicyMiddleware``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from careerbreak.api.frame import method_not_allowed, too_large
from careerbreak.api.problems import not_found
from careerbreak.core.audit import audit_rows_together, client_ip
from careerbreak.identity.api_clients import api_call_record

API_PREFIX = "/api/"
PROBLEM = "application/problem+json"


Handler = Callable[[HttpRequest], HttpResponse]


def api_chain(middleware: list[str]) -> Handler:
    """The chain of ``middleware`` around Django's own view handling (URL resolution, the view middleware,
    the view, the exception middleware), built as ``BaseHandler.load_middleware`` builds the site's (for a
    synchronous site; a middleware raising MiddlewareNotUsed is left out)."""
    handler: Any = BaseHandler()  # its private lists, as load_middleware fills them
    handler._view_middleware = []
    handler._template_response_middleware = []
    handler._exception_middleware = []
    chain = convert_exception_to_response(handler._get_response)
    for path in reversed(middleware):
        try:
            instance = import_string(path)(chain)
        except MiddlewareNotUsed:
            continue
        if hasattr(instance, "process_view"):
            handler._view_middleware.insert(0, instance.process_view)
        if hasattr(instance, "process_template_response"):
            handler._template_response_middleware.append(instance.process_template_response)
        if hasattr(instance, "process_exception"):
            handler._exception_middleware.append(instance.process_exception)
        chain = convert_exception_to_response(instance)
    handler._middleware_chain = chain
    return cast(Handler, chain)


class ApiBranchMiddleware:
    """Requests under /api/ go through the API's chain (settings.API_MIDDLEWARE, built once per handler),
    the others on through the web's (the rest of settings.MIDDLEWARE)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.api = api_chain(list(settings.API_MIDDLEWARE))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return self.api(request)
        return self.get_response(request)


class ApiContentSecurityPolicyMiddleware:
    """django-csp's headers with the site's policies, built once: the API uses no nonce and no policy of
    its own (a view's own header is kept). Its answers are JSON, but the interactive docs are a page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.headers = [
            (header, policy)
            for header, policy in (
                (HEADER, build_policy()),
                (HEADER_REPORT_ONLY, build_policy(report_only=True)),
            )
            if policy
        ]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for header, policy in self.headers:
            if header not in response:
                response[header] = policy
        return response


class ApiFrameMiddleware:
    """The body limit, problems for the resolver's 404 and 405, and the call's audit row (in the API's
    chain only: every request it sees is under /api/)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(settings.API_MAX_BODY_BYTES)
        if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > limit:
                return too_large(limit)
            body = request.read(limit + 1)
            if len(body) > limit:
                return too_large(limit)
            request._body = body  # the views read it from here
        # A call that writes nothing but audit rows has them written with its own (one insert).
        with audit_rows_together():
            response = self.get_response(request)
            if not response.get("Content-Type", "").startswith(PROBLEM):
                if response.status_code == 404:
                    response = not_found()
                elif response.status_code == 405:
                    response = method_not_allowed(response.get("Allow", ""))
            client = getattr(request, "api_client", None)
            if client is not None:
                acted_for = getattr(getattr(request, "auth", None), "acted_for", None) or [""]
                api_call_record(
                    client=client,
                    enterprise_number=acted_for[-1],
                    method=request.method or "",
                    path=request.path,
                    status=response.status_code,
                    ip_address=client_ip(request),
                )
        return response
