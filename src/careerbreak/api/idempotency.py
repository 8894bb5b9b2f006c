"""``Idempotency-Key`` on a POST: the same key and body replay the first answer (status, body and the
``Location``), the same key with another body or on another path is refused (422), a call still running
under the key answers 409. Keys are per client and kept at least 24 hours (identity.idempotency).

Use ``@idempotent`` under the router's decorator on a view that returns an ``HttpResponse``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from careerbreak.api.problems import problem
from careerbreak.identity.idempotency import idempotency_begin, idempotency_finish, idempotency_release

HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 255
# Answer headers kept with the answer, to replay them.
REPLAYED_HEADERS = ("Location",)


def body_fingerprint(body: bytes) -> str:
    """The SHA-256 of the body; of its canonical JSON when it is JSON (key order and spacing ignored)."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def idempotent(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get(HEADER, "")
        if not key:
            return view(request, *args, **kwargs)
        if len(key) > KEY_MAX_LENGTH or not key.isprintable():
            return problem(
                status=400,
                type_="invalid-idempotency-key",
                title=_("Invalid Idempotency-Key"),
                detail=_("An Idempotency-Key has at most 255 printable characters."),
            )
        client = request.auth.client  # type: ignore[attr-defined]
        claim = idempotency_begin(
            client=client,
            key=key,
            operation=f"{request.method} {request.path}",
            fingerprint=body_fingerprint(request.body),
        )
        if claim.outcome == "mismatch":
            return problem(
                status=422,
                type_="idempotency-key-reused",
                title=_("Idempotency-Key already used"),
                detail=_(
                    "This Idempotency-Key was used for another request. Use a new key for a new request."
                ),
            )
        if claim.outcome == "in_progress":
            return problem(
                status=409,
                type_="idempotency-key-in-progress",
                title=_("Request in progress"),
                detail=_("A request with this Idempotency-Key is still being processed. Try again shortly."),
                headers={"Retry-After": "1"},
            )
        row = claim.row
        assert row is not None
        if claim.outcome == "replay":
            response = HttpResponse(row.body, status=row.status, content_type=row.content_type)
            for name, value in row.headers.items():
                response[name] = value
            response["Idempotent-Replayed"] = "true"
            response["Cache-Control"] = "no-store"
            return response
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            idempotency_release(row=row)
            raise
        if response.status_code >= 500:
            idempotency_release(row=row)
        else:
            idempotency_finish(
                row=row,
                status=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=response.content.decode(),
                headers={name: response[name] for name in REPLAYED_HEADERS if name in response},
            )
        return response

    return wrapped
