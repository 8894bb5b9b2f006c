"""Errors as RFC 9457 problem details (``application/problem+json``), for every error the API answers.

A problem names its ``type`` (a URI under /api/v1/problems/ that the documentation explains), a
``title``, the HTTP ``status``, a ``detail`` in the caller's language (``Accept-Language``), and for
refused input ``errors``: one entry per finding with its ``code``, the ``field`` path in the body
(``worker.niss``, ``start_date``), the ``message`` and, where the rules give one, the
``legal_reference``.
"""

from __future__ import annotations

import json
from typing import Any, TypedDict

from django.http import HttpResponse


class ProblemError(TypedDict, total=False):
    code: str
    field: str
    message: str
    legal_reference: str


def problem(
    *,
    status: int,
    type_: str,
    title: str,
    detail: str = "",
    errors: list[ProblemError] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """An ``application/problem+json`` response; ``type_`` is the short name (``invalid-request``)."""
    body: dict[str, Any] = {"type": f"/api/v1/problems/{type_}", "title": title, "status": status}
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
