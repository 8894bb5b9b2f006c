"""The session-timeout warning of base.html: when the session ends and when to warn; and base.html's
session bar (who is logged in, the logout link), kept per language (ADR 0036)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from careerbreak.core.middleware import session_seconds_left

register = template.Library()

# Warn this long before the session ends (half the session when it is shorter than twice this).
WARN_SECONDS = 5 * 60


def session_timeout_context(context: dict[str, Any]) -> dict[str, Any]:
    """What includes/session_timeout.html is drawn with."""
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


# Stand-ins drawn into the kept markup where each request's own values go: characters no translation,
# address or number holds, left as they are by the template's escaping (the address's |urlencode writes
# its stand-in as %00next%00).
_SECONDS, _TOKEN, _NEXT = "\x00seconds\x00", "\x00token\x00", "\x00next\x00"
_NEXT_DRAWN = urlencode(_NEXT)
_KEPT: dict[tuple[str, int, int], str] = {}


@register.simple_tag(takes_context=True)
def session_timeout(context: dict[str, Any]) -> SafeString:
    """includes/session_timeout.html for this request. Its markup is the same for every page in a language
    but for the seconds left, the csrf token and the page's address: it is drawn once per language (and
    warning length) with stand-ins, kept by the process, and each request's values, escaped as the
    template escapes them, put in their place (about a dozen template nodes a page fewer)."""
    values = session_timeout_context(context)
    token = values["csrf_token"]
    if not token or token == "NOTPROVIDED":  # {% csrf_token %} draws nothing: the template decides
        return mark_safe(render_to_string(_TEMPLATE, values))  # noqa: S308 - escaped by the engine
    key = (get_language() or "", values["warn_seconds"], values["warn_minutes"])
    kept = _KEPT.get(key)
    if kept is None:
        stand_ins = {**values, "session_seconds": _SECONDS, "csrf_token": _TOKEN, "next_path": _NEXT}
        kept = _KEPT.setdefault(key, render_to_string(_TEMPLATE, stand_ins))
    return mark_safe(  # noqa: S308 - each value escaped as {{ }}, {% csrf_token %} and |urlencode do
        kept.replace(_SECONDS, conditional_escape(localize(values["session_seconds"])))
        .replace(_TOKEN, conditional_escape(str(token)))
        .replace(_NEXT_DRAWN, conditional_escape(urlencode(values["next_path"])))
    )


_TEMPLATE = "includes/session_timeout.html"


# -- the session bar ----------------------------------------------------------------------------------------

SESSION_BAR = "includes/session_bar.html"
_NAME = "\x00name\x00"
_BAR_NEXT = "\x00bar-next\x00"
_BAR_NEXT_DRAWN = urlencode(_BAR_NEXT)
_BAR_KEPT: dict[tuple[Any, ...], str] = {}


class _StandInUser:
    def get_full_name(self) -> str:
        return _NAME


class _StandInRequest:
    def get_full_path(self) -> str:
        return _BAR_NEXT


@register.simple_tag(takes_context=True)
def session_bar(context: template.Context) -> SafeString:
    """includes/session_bar.html, drawn in base.html's context as ``{% include %}`` draws it. Without an
    enterprise to act for (the office's and the worker's pages) its markup is the same in a language but
    for the user's name and the page's address: drawn once per language (and logout address) with
    stand-ins, kept by the process, and each request's two values, escaped as the template escapes them
    (``{% blocktranslate %}``'s value, ``|urlencode``), put in their place. With an enterprise, drawn afresh.
    What is kept holds no one's data."""
    engine = context.template.engine if context.template is not None else template.Engine.get_default()
    page_template = engine.get_template(SESSION_BAR)
    request, user = context.get("request"), context.get("user")
    if context.get("acting_enterprise") or request is None or user is None:
        return mark_safe(page_template.render(context))  # noqa: S308 - escaped by the engine
    key = (get_language() or "", get_script_prefix(), get_urlconf())
    kept = _BAR_KEPT.get(key)
    if kept is None:
        with context.push(user=_StandInUser(), request=_StandInRequest()):
            kept = _BAR_KEPT.setdefault(key, page_template.render(context))
    return mark_safe(  # noqa: S308 - each value escaped as {% blocktranslate %} and |urlencode do
        kept.replace(_NAME, conditional_escape(user.get_full_name())).replace(
            _BAR_NEXT_DRAWN, conditional_escape(urlencode(request.get_full_path()))
        )
    )
