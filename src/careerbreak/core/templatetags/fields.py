"""``{{ field|optional_mark }}``: " (optional)" after a label when the field may be left empty, nothing
otherwise. The rule is ``core.forms.is_optional``; every template that writes a label asks this filter, so
the marking is decided in one place (a test checks that no template writes "optional" itself)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from careerbreak.core.forms import is_optional

register = template.Library()


@register.filter
def optional_mark(bound_field: Any) -> SafeString | str:
    if not is_optional(bound_field.field):
        return ""
    return format_html(' <span class="optional">({})</span>', gettext("optional"))
