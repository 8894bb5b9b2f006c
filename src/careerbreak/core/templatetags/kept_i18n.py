"""``{% translate %}`` (and ``{% trans %}``) of a text written in the template, kept per language by its node.

Loaded after Django's library (``{% load i18n kept_i18n %}``), whose tags it replaces in that template:
base.html and the work queue's templates (ADR 0041). Django's ``TranslateNode`` resolves its literal,
looks it up in the catalogue, marks it safe, passes it through ``render_value_in_context`` and restores
its percent signs on every rendering: 5 to 10 µs a text, a dozen texts on every office page. A text
written in the template, without a filter or a context, gives the same characters for a given language
on every rendering (the catalogues do not change while the process runs), so the node keeps its
result per language (and the context's escaping, which does not touch a safe text) and gives it again.
A text from a variable, with a filter or a ``context``, is Django's node, unchanged.

``tests/core/test_kept_i18n.py`` compares it with Django's tag in every language.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Parser, Token, render_value_in_context
from django.templatetags.i18n import TranslateNode, do_translate
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

register = template.Library()

# By (language, autoescape); more languages than the site offers may be activated (translation.override
# in code or tests): a bound.
_KEPT_AT_MOST = 32
# Bumped when a test changes what the catalogues are read from: each node then forgets what it kept.
_catalogues = 0


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    global _catalogues
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"):
        _catalogues += 1


class KeptTranslateNode(TranslateNode):
    """Django's ``TranslateNode``; a text written in the template is translated once per language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        expression = self.filter_expression
        self.kept: dict[tuple[str | None, bool], str] | None = (
            {}
            if not expression.filters
            and self.message_context is None
            and isinstance(getattr(expression.var, "literal", None), str)
            else None
        )
        self.kept_for = _catalogues

    def render(self, context: template.Context) -> str:
        kept = self.kept
        if kept is None:
            return str(super().render(context))
        if self.kept_for != _catalogues:
            kept.clear()
            self.kept_for = _catalogues
        key = (get_language(), context.autoescape)
        value = kept.get(key)
        if value is None:
            value = self._translated(context)
            if len(kept) < _KEPT_AT_MOST:
                kept[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _translated(self, context: template.Context) -> str:
        """What Django's ``TranslateNode.render`` gives, before it is put in a variable or returned."""
        self.filter_expression.var.translate = not self.noop
        value = render_value_in_context(self.filter_expression.resolve(context), context)
        restored = value.replace("%%", "%")  # Django's own: the template's doubled percent signs
        if isinstance(value, SafeData):
            return mark_safe(restored)  # noqa: S308 - safe already, as Django's node marks it
        return restored


@register.tag("translate")
@register.tag("trans")
def translate(parser: Parser, token: Token) -> KeptTranslateNode:
    node = do_translate(parser, token)
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)
