"""The landing pages: portal home (Citizen / Enterprise) and the list of online services."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from careerbreak.identity.models import User
from careerbreak.identity.services import SESSION_LANGUAGE_CHOSEN, user_language_set


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@require_GET
def enterprise_services(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/enterprise_services.html")


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, back to where the user was), and remember it for the user."""
    response = set_language(request)
    language = request.POST.get("language", "")
    known = language in dict(settings.LANGUAGES)
    if known and isinstance(request.user, User):
        user_language_set(user=request.user, language=language)
    elif known:
        # Not logged in yet: the login makes this choice the user's (identity.views.login_callback).
        request.session[SESSION_LANGUAGE_CHOSEN] = language
    return response


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """The session-timeout warning's "Stay logged in": a new expiry, SESSION_COOKIE_AGE from now."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session.modified = True
    return HttpResponse(status=204)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A translated page instead of Django's technical one (expired session, stale form)."""
    return render(request, "403_csrf.html", status=403)
