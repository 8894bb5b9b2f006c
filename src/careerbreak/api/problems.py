"""Errors as RFC 9457 problem details (``application/problem+json``), for every error the API answers.

A problem names its ``type`` (a URI under /api/v1/problems/ that the documentation explains), a
``title``, the HTTP ``status``, a ``detail`` in the caller's language (``Accept-Language``), and for
refused input ``errors``: one entry per finding with its ``code``, the ``field`` path in the body
(``worker.niss``, ``start_date``), the ``message`` and, where the rules give one, the
``legal_reference``.

One vocabulary: every refusal the API gives has one ``type``, one ``status`` and one ``title``
(``PROBLEM_TYPES``, the table of docs/api.md), answered by one helper each below (``not_found``,
``insufficient_scope``, ``enterprise_not_allowed``, ``invalid_request``, ``conflict``, …); ``problem``
refuses a type not in the table.
"""

from __future__ import annotations

import json
from typing import Any, TypedDict

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BEARER_REALM = 'Bearer realm="careerbreak"'

# type → (status, title). A type's status is fixed, apart from ``document-unavailable`` (500 when the
# stored file fails its integrity check, 503 while the storage is unavailable).
PROBLEM_TYPES: dict[str, tuple[int, Promise]] = {
    "unauthorized": (401, gettext_lazy("Authentication required")),
    "insufficient-scope": (403, gettext_lazy("This call needs another scope.")),
    "enterprise-not-allowed": (403, gettext_lazy("Not allowed for this enterprise")),
    "forbidden": (403, gettext_lazy("Not allowed")),
    "not-found": (404, gettext_lazy("Not found")),
    "method-not-allowed": (405, gettext_lazy("Method not allowed")),
    "conflict": (409, gettext_lazy("The request conflicts with the current state")),
    "idempotency-key-in-progress": (409, gettext_lazy("Request in progress")),
    "invalid-idempotency-key": (400, gettext_lazy("Invalid Idempotency-Key")),
    "too-large": (413, gettext_lazy("Body too large")),
    "invalid-request": (422, gettext_lazy("The request was refused")),
    "idempotency-key-reused": (422, gettext_lazy("Idempotency-Key already used")),
    "rate-limited": (429, gettext_lazy("Too many calls")),
    "server-error": (500, gettext_lazy("Server error")),
    "document-unavailable": (503, gettext_lazy("Document unavailable")),
}


class ProblemError(TypedDict, total=False):
    code: str
    field: str
    message: str
    legal_reference: str


def problem(
    *,
    status: int,
    type_: str,
    title: str = "",
    detail: str = "",
    errors: list[ProblemError] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """An ``application/problem+json`` response; ``type_`` is the short name (``invalid-request``), one
    of ``PROBLEM_TYPES``, whose title it takes unless given one."""
    _, type_title = PROBLEM_TYPES[type_]  # a type outside the vocabulary is a KeyError, in the tests
    body: dict[str, Any] = {
        "type": f"/api/v1/problems/{type_}",
        "title": title or str(type_title),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def _typed(type_: str, **kwargs: Any) -> HttpResponse:
    return problem(status=PROBLEM_TYPES[type_][0], type_=type_, **kwargs)


def not_found(detail: str = "") -> HttpResponse:
    """404: nothing there, or nothing this client may see (the same answer for both)."""
    return _typed(
        "not-found", detail=detail or _("There is nothing at this address, or nothing this client may see.")
    )


def insufficient_scope(scope: str) -> HttpResponse:
    """403: the token lacks ``scope`` (RFC 6750 §3.1 ``insufficient_scope``, in its challenge too)."""
    return _typed(
        "insufficient-scope",
        detail=_("Ask the token endpoint for a token with the scope %(scope)s.") % {"scope": scope},
        headers={"WWW-Authenticate": f'{BEARER_REALM}, error="insufficient_scope", scope="{scope}"'},
    )


def enterprise_not_allowed() -> HttpResponse:
    """403: the enterprise the call names is neither the client's nor one whose mandate it holds today."""
    return _typed(
        "enterprise-not-allowed",
        detail=_(
            "This client may not act for this enterprise today: it is not the client's enterprise "
            "and no mandate of it holds."
        ),
    )


def forbidden(detail: str) -> HttpResponse:
    """403 for another reason than a scope or an enterprise (a permission the domain refuses)."""
    return _typed("forbidden", detail=detail)


def invalid_request(errors: list[ProblemError], detail: str = "") -> HttpResponse:
    """422: the input is refused; ``errors`` has one entry per finding."""
    return _typed(
        "invalid-request",
        detail=detail or _("Correct the fields named in errors and send it again."),
        errors=errors,
    )


def conflict(errors: list[ProblemError], detail: str = "") -> HttpResponse:
    """409: the thing changed already (decided, cancelled, answered): the call cannot apply to it now."""
    return _typed("conflict", detail=detail, errors=errors)
