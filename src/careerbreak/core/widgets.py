"""Widgets that draw the same markup as Django's, without its template engine.

Django renders a <select> through three templates (select.html, an include of select_option.html per
option, attrs.html per tag): on the office's work queue, whose filter form has four selects of up to
sixteen options on every page, that was about a sixth of the page's CPU (docs/performance.md §5). These
widgets take Django's own context (``get_context``: the value's formatting, the selected option, the
attributes the bound field adds — ``aria-describedby``, ``aria-invalid``) and only write it out in
Python, byte for byte as the templates do, escaped as they are. ``tests/core/test_widgets.py`` compares
both renderings.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: `` name="value"``, a bare `` name`` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


class QuickSelect(forms.Select):
    """``forms.Select`` drawn in Python: select.html with its select_option.html includes."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(option["value"])}"'
                    f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class QuickTextInput(forms.TextInput):
    """``forms.TextInput`` drawn in Python: django/forms/widgets/input.html."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
        return mark_safe(  # noqa: S308 - every value is escaped
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{shown}{_attributes(widget['attrs'])}>"
        )
