"""``{% language_switch %}``: base.html's language switch (includes/language_switch.html), kept per language.

Its markup is the same on every page in a language but for the csrf token and the page's address: it is
drawn once per (language, languages offered, the switch's address) with stand-ins, kept by the process,
and each request's two values, escaped as the template escapes them, put in their place (the loop over
the languages, their names and a dozen nodes a page fewer). ``tests/portal/test_pages.py`` compares it
with the template drawn afresh.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

TEMPLATE = "includes/language_switch.html"
# Stand-ins: characters no translation or address holds, left as they are by the template's escaping.
_TOKEN, _PATH = "\x00token\x00", "\x00path\x00"
_KEPT: dict[tuple[Any, ...], str] = {}


class _StandInRequest:
    def get_full_path(self) -> str:
        return _PATH


@register.simple_tag(takes_context=True)
def language_switch(context: template.Context, action: str) -> SafeString:
    """``{% language_switch url %}``: the switch posting to ``url`` (the template's ``{% url %}``)."""
    values: dict[str, Any] = {
        "action": action,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
        "LANGUAGES": context.get("LANGUAGES"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
    token, request = values["csrf_token"], values["request"]
    if request is None or not token or token == "NOTPROVIDED":  # the template decides
        return mark_safe(render_to_string(TEMPLATE, values))  # noqa: S308 - escaped by the engine
    key = (values["LANGUAGE_CODE"], tuple(values["LANGUAGES"] or ()), values["action"])
    kept = _KEPT.get(key)
    if kept is None:
        stand_ins = {**values, "csrf_token": _TOKEN, "request": _StandInRequest()}
        kept = _KEPT.setdefault(key, render_to_string(TEMPLATE, stand_ins))
    return mark_safe(  # noqa: S308 - each value escaped as {% csrf_token %} and {{ }} do
        kept.replace(_TOKEN, conditional_escape(str(token))).replace(
            _PATH, conditional_escape(request.get_full_path())
        )
    )
