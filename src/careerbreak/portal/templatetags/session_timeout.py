"""The session-timeout warning of base.html: when the session ends and when to warn."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from careerbreak.core.middleware import session_seconds_left

register = template.Library()

# Warn this long before the session ends (half the session when it is shorter than twice this).
WARN_SECONDS = 5 * 60


@register.inclusion_tag("includes/session_timeout.html", takes_context=True)
def session_timeout(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    # What is left of the idle timeout: the session is renewed at most once a minute (ADR 0022).
    session = getattr(request, "session", None)
    age = int(settings.SESSION_COOKIE_AGE)
    session_seconds = session_seconds_left(session) if session is not None else age
    warn_seconds = min(WARN_SECONDS, age // 2)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "session_seconds": session_seconds,
        "warn_seconds": warn_seconds,
        "warn_minutes": max(1, warn_seconds // 60),
        "next_path": request.get_full_path() if request is not None else "/",
    }
