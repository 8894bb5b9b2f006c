"""Small HTTP helpers shared by the interfaces."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any address of this site with its query; a longer "next" is not one of ours.
MAX_NEXT_LENGTH = 2000


def safe_next(request: HttpRequest, candidate: str | None, default: str = "") -> str:
    """``candidate`` when it is a path on this site (``/…``), else ``default`` (no open redirect).

    Only a local path is accepted: never a view name (``redirect("-1")`` would try to reverse it, and
    ``NaN`` or ``1e309`` used to end in a server error), never another host (``//evil``, ``/\\evil``),
    never a control character (a line feed cannot go into a Location header). Callers redirect to the
    result as a URL (``HttpResponseRedirect``), not through ``redirect()``, which also takes view names.
    """
    if not candidate or len(candidate) > MAX_NEXT_LENGTH:
        return default
    if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return default
    if any(ord(char) < 32 or ord(char) == 127 for char in candidate):
        return default
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return candidate


def download_response(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A file the browser must save, never show: ``Content-Disposition: attachment``, no sniffing, a
    sandboxing CSP, nothing kept in a cache (the worker's and the office's attachments)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
