"""Searches kept in the session under an opaque id, so that a list's address carries ``?s=<id>`` and never
the national number typed: numbers reach neither access logs, nor the browser history, nor a login
``next`` (Consultation, the office's work queue)."""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest

# The most recent searches kept per session and list (older ids then show "search again").
SEARCHES_KEPT = 20


def remember_search(request: HttpRequest, key: str, owner: str, data: dict[str, str]) -> str:
    """Keep ``data`` (the posted filters) for ``owner`` (whose list it is) and return its new id."""
    searches: dict[str, Any] = dict(request.session.get(key) or {})
    search_id = secrets.token_urlsafe(12)
    searches[search_id] = {"enterprise": owner, "data": data}
    # Dicts keep their order: drop the oldest beyond the limit.
    request.session[key] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return search_id


def recalled_search(request: HttpRequest, key: str, search_id: str, owner: str) -> dict[str, str] | None:
    """The filters kept under ``search_id`` for ``owner``, or None (unknown, expired, someone else's)."""
    search = (request.session.get(key) or {}).get(search_id)
    if not search or search.get("enterprise") != owner:
        return None
    return dict(search["data"])
