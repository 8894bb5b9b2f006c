"""Middleware of our own. Nothing here knows the domain."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreWhenAuthenticatedMiddleware:
    """``Cache-Control: private, no-store`` on every response to a logged-in user.

    Such pages carry personal data (a worker's name and number, their requests, their eBox): no shared
    cache may keep them, and the browser may not keep them on disk either, so that a shared computer's
    back button or cache folder shows nothing after logout. Placed after the authentication middleware;
    the user is looked at once the view has run, so that the login callback's own response (the user
    is logged in during it) is covered too. Directives the view set (``max-age=0`` …) are kept.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        was_authenticated = _authenticated(request)
        response = self.get_response(request)
        if was_authenticated or _authenticated(request):
            # private and public exclude each other: patch_cache_control drops "public" for us.
            patch_cache_control(response, private=True, no_store=True)
        return response


def _authenticated(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


# The key under which a session remembers when its idle expiry was last pushed back (epoch seconds).
RENEWED_AT = "_renewed_at"


def _now() -> float:
    return time.time()


class SlidingSessionMiddleware:
    """Pushes a session's idle expiry back at most once per ``SESSION_RENEW_AFTER`` seconds.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session row (and sends the cookie) on every request
    so that ``SESSION_COOKIE_AGE`` is an idle timeout; that write was a tenth of a logged-in page's time
    (docs/performance.md). Here the session is written back only when something in it changed, or when
    its last renewal is older than ``SESSION_RENEW_AFTER`` (60 s): the idle timeout then ends between
    ``SESSION_COOKIE_AGE - SESSION_RENEW_AFTER`` and ``SESSION_COOKIE_AGE`` after the last request, never
    later (ADR 0022). Placed right after ``SessionMiddleware``, so that its response side runs first and a
    renewal it asks for is saved by Django's own middleware, cookie included. A request without a session
    cookie creates nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.renew_after = float(getattr(settings, "SESSION_RENEW_AFTER", 60))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or response.status_code >= 500:
            return response
        now = _now()
        if session.modified:
            if not session.is_empty():
                session[RENEWED_AT] = int(now)
        elif session.session_key is not None:
            renewed = session.get(RENEWED_AT)  # loads the session if the view did not
            # A cookie whose session is gone leaves no key once loaded: renewing would create a session.
            due = renewed is None or now - float(renewed) >= self.renew_after
            if due and session.session_key is not None:
                session[RENEWED_AT] = int(now)
        return response


def session_seconds_left(session: object) -> int:
    """Seconds until this session's idle timeout, counting the renewal this request will make if due."""
    age = int(settings.SESSION_COOKIE_AGE)
    renewed = getattr(session, "get", lambda _key: None)(RENEWED_AT)
    if renewed is None:
        return age
    since = _now() - float(renewed)
    if since >= float(getattr(settings, "SESSION_RENEW_AFTER", 60)):
        return age
    return max(0, age - int(since))
