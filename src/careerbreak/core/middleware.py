"""Middleware of our own. Nothing here knows the domain."""

from __future__ import annotations

from collections.abc import Callable

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
