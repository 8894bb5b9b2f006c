"""Four of Django's tags and filters, cheaper: the template engine loads this library after Django's own
(config/settings.py, TEMPLATES ``builtins``), so every template's ``{% url %}``, ``{% extends %}`` and
``|date`` are these (docs/adr/0026-pages-rendering-speed.md, ADR 0039), and so is ``{% static %}`` in a
template that does not ``{% load static %}`` (base.html; ADR 0036).

``{% extends %}`` is Django's with the root template's blocks found once per compiled template
(``KeptBlocksExtendsNode``; Django walks every node of base.html on every rendering to find them).

``{% url %}`` remembers the addresses without arguments.

Django's ``{% url %}`` reverses the name at every rendering: 20 to 40 µs each, and a logged-in page draws
about ten links without arguments (the header, the navigation, the session's time-out), more than the
whole rendering of the benchmarks' baseline page. An address without arguments depends only on the name,
the URL configuration in force, the script prefix, the current application (namespaces) and the language
(translated routes): with those as the key it is reversed once per process. A ``{% url %}`` with
arguments is Django's, unchanged.

``{% static %}`` remembers the address of a path written in the template (``{% static 'x.css' %}``; a path
from a variable or through a filter is Django's, unchanged). Django asks the static files' storage every
time: 20 to 50 µs with the manifest of the production storage, two a page. The address depends only on the
path, the storage and its settings (``STATIC_URL``, ``STORAGES``, ``DEBUG``, which the manifest's storage
reads), which a process does not change (a test that changes them empties what is kept).

``|date`` writes the numeric formats (the pages' ``SHORT_DATE_FORMAT``, ``SHORT_DATETIME_FORMAT`` in every
language: day, month, year, hours, minutes and separators) with Python's formatting instead of Django's
``DateFormat``, which costs about 60 µs a date (a Dimona list of 80 workers: 5 ms): the format is read
from the active language's settings as Django reads it, split as Django splits it, and any format with a
letter other than ``d j m n y Y G H i`` is Django's own filter. tests/core/test_fast_builtins.py
compares both on every format of the four languages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Parser, Template, TextNode, Token
from django.template.defaultfilters import date as django_date
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode, do_extends
from django.templatetags.static import StaticNode
from django.templatetags.static import do_static as django_static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

_CACHE: dict[tuple[Any, ...], str] = {}
_LIMIT = 2048  # names of this project's URLs × languages × prefixes: far fewer; a bound all the same


class CachedURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        if self.args or self.kwargs:
            return str(super().render(context))
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app  # type: ignore[union-attr]
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace  # type: ignore[union-attr]
            except AttributeError:
                current_app = None
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        key = (view_name, current_app, urlconf, get_script_prefix(), get_language())
        url = _CACHE.get(key)
        if url is None:
            try:
                url = reverse(view_name, current_app=current_app)
            except NoReverseMatch:
                if self.asvar is None:
                    raise
                url = ""
            else:
                if len(_CACHE) < _LIMIT:
                    _CACHE[key] = url
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    """As Django forgets its resolvers when a test changes the URL configuration, and its static files'
    storage when a test changes theirs."""
    if setting == "ROOT_URLCONF":
        _CACHE.clear()
    if setting in ("STATIC_URL", "STORAGES", "DEBUG", "INSTALLED_APPS"):
        _STATIC.clear()


@register.tag
def url(parser: Parser, token: Token) -> CachedURLNode:
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


_STATIC: dict[str, str] = {}


class CachedStaticNode(StaticNode):
    def url(self, context: template.Context) -> str:
        path = self.path.resolve(context)
        if self.path.filters or not isinstance(self.path.var, str):  # a variable's path: Django's
            return str(self.handle_simple(path))
        found = _STATIC.get(path)
        if found is None:
            found = str(self.handle_simple(path))
            if len(_STATIC) < _LIMIT:
                _STATIC[path] = found
        return found


@register.tag
def static(parser: Parser, token: Token) -> CachedStaticNode:
    node = django_static(parser, token)
    return CachedStaticNode(varname=node.varname, path=node.path)


class KeptBlocksExtendsNode(ExtendsNode):
    """Django's ``{% extends %}``, with the root template's blocks found once per compiled template.

    Django walks the whole of the root template's nodes (base.html: every tag and its children) on every
    rendering to find its blocks; a compiled template does not change, so its blocks are kept on it
    (the cached loader keeps base.html's for the process; a template loaded afresh carries its own)."""

    def render(self, context: template.Context) -> str:
        compiled_parent: Any = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        root_blocks = _root_blocks(compiled_parent)
        if root_blocks is not None:  # the parent is the root: its blocks, as Django adds them
            block_context.add_blocks(root_blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return str(compiled_parent._render(context))


def _root_blocks(parent: Template) -> dict[str, Any] | None:
    """The blocks of ``parent`` if it extends nothing (None if it does), as ``ExtendsNode.render`` finds
    them, kept on the compiled template (``add_blocks`` only reads them)."""
    kept: dict[str, Any] | None
    try:
        kept = parent._kept_root_blocks  # type: ignore[attr-defined]
        return kept
    except AttributeError:
        pass
    kept = None
    for node in parent.nodelist:
        if not isinstance(node, TextNode):  # the ExtendsNode has to be the first non-text node
            if not isinstance(node, ExtendsNode):
                kept = {n.name: n for n in parent.nodelist.get_nodes_by_type(BlockNode)}  # type: ignore[attr-defined]
            break
    parent._kept_root_blocks = kept  # type: ignore[attr-defined]
    return kept


@register.tag
def extends(parser: Parser, token: Token) -> KeptBlocksExtendsNode:
    node = do_extends(parser, token)
    return KeptBlocksExtendsNode(node.nodelist, node.parent_name, node.template_dirs)


_PARTS: dict[str, Callable[[Any], str]] = {
    "d": lambda value: f"{value.day:02d}",
    "j": lambda value: str(value.day),
    "m": lambda value: f"{value.month:02d}",
    "n": lambda value: str(value.month),
    "y": lambda value: f"{value.year % 100:02d}",
    "Y": lambda value: f"{value.year:04d}",
}
_TIME_PARTS: dict[str, Callable[[Any], str]] = {
    "G": lambda value: str(value.hour),
    "H": lambda value: f"{value.hour:02d}",
    "i": lambda value: f"{value.minute:02d}",
}
_COMPILED: dict[tuple[str, bool], list[Callable[[Any], str]] | None] = {}


def _literal(text: str) -> Callable[[Any], str]:
    return lambda _value: text


def _compiled(pattern: str, with_time: bool) -> list[Callable[[Any], str]] | None:
    """The pieces of ``pattern`` as Django's ``Formatter.format`` splits it, or None if one is not ours."""
    key = (pattern, with_time)
    if key not in _COMPILED:
        parts: list[Callable[[Any], str]] | None = []
        known = {**_PARTS, **_TIME_PARTS} if with_time else _PARTS
        for index, piece in enumerate(re_formatchars.split(pattern)):
            if index % 2:
                if piece not in known:
                    parts = None
                    break
                parts.append(known[piece])  # type: ignore[union-attr]
            elif piece:
                parts.append(_literal(re_escaped.sub(r"\1", piece)))  # type: ignore[union-attr]
        _COMPILED[key] = parts
    return _COMPILED[key]


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: Any = None) -> str:
    """Django's ``|date``; numeric formats written directly (see the module)."""
    kind = type(value)
    if kind is datetime.date or kind is datetime.datetime:
        pattern = get_format(arg or "DATE_FORMAT")
        if isinstance(pattern, str):
            parts = _compiled(pattern, kind is datetime.datetime)
            if parts is not None:
                return "".join([part(value) for part in parts])
    return str(django_date(value, arg))
