"""The frame around every call under /api/: the body limit, problem details for what the URL resolver
answers (404, 405) and one audit row per authenticated call (with the audit rows of a call that writes
nothing else, in one insert: ``core.audit.audit_rows_together``).

The body is read here, at most API_MAX_BODY_BYTES of it, whatever Content-Length claims (a chunked body
has none): more is a 413 before any view runs, and the web's smaller DATA_UPLOAD_MAX_MEMORY_SIZE does not
apply to the API.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from careerbreak.api.frame import method_not_allowed, too_large
from careerbreak.api.problems import not_found
from careerbreak.core.audit import audit_rows_together, client_ip
from careerbreak.identity.api_clients import api_call_record

API_PREFIX = "/api/"
PROBLEM = "application/problem+json"


class ApiFrameMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
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
