"""``{% kept_include "template" name=value … %}``: a part of a page drawn once per language and values, then
kept by the process (ADR 0041).

The included template is rendered with the values given and nothing else: no request, no user, no csrf
token, no context processor, so what it draws can depend only on them and on the language (the key,
with the template's name). Each value must be a ``str``, ``int``, ``bool`` or ``None`` (a ``TypeError``
otherwise: an object could carry what the key does not show). For the parts every page of a kind
repeats (the office's navigation: a dozen nodes, a translation with the office's name, two addresses);
never for a part that shows anything of the person reading it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

KEPT: dict[tuple[Any, ...], SafeString] = {}
KEPT_AT_MOST = 1024  # templates × languages × values: a few dozen here; a bound all the same
_PLAIN = (str, int, bool, type(None))


@register.simple_tag
def kept_include(template_name: str, **values: Any) -> SafeString:
    for name, value in values.items():
        if not isinstance(value, _PLAIN):
            raise TypeError(f"kept_include {template_name}: {name} is a {type(value).__name__}")
    key = (
        template_name,
        get_language(),
        get_script_prefix(),  # the part's addresses, as {% url %} keeps them (fast_builtins)
        get_urlconf(),
        tuple(sorted((name, type(v).__name__, v) for name, v in values.items())),
    )
    kept = KEPT.get(key)
    if kept is None:
        kept = mark_safe(render_to_string(template_name, values))  # noqa: S308 - escaped by the engine
        if len(KEPT) < KEPT_AT_MOST:
            KEPT[key] = kept
    return kept


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    """A test that changes what a part is drawn from (addresses, languages, catalogues, templates)."""
    if setting in (
        "ROOT_URLCONF",
        "LANGUAGES",
        "LANGUAGE_CODE",
        "LOCALE_PATHS",
        "TEMPLATES",
        "INSTALLED_APPS",
    ):
        KEPT.clear()
