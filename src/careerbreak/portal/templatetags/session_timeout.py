"""The session-timeout warning of base.html: when the session ends and when to warn."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()

# Warn this long before the session ends (half the session when it is shorter than twice this).
WARN_SECONDS = 5 * 60


@register.inclusion_tag("includes/session_timeout.html", takes_context=True)
def session_timeout(context: dict[str, Any]) -> dict[str, Any]:
    session_seconds = int(settings.SESSION_COOKIE_AGE)
    warn_seconds = min(WARN_SECONDS, session_seconds // 2)
    request = context.get("request")
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "session_seconds": session_seconds,
        "warn_seconds": warn_seconds,
        "warn_minutes": max(1, warn_seconds // 60),
        "next_path": request.get_full_path() if request is not None else "/",
    }
