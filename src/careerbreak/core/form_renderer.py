"""The form renderer: Django's widget templates, written out in Python for the widgets every page draws.

Each ``{{ field }}`` of a page goes through the form renderer: Django renders the widget's template, which
includes ``attrs.html``, one ``select_option.html`` per option, one ``input_option.html`` per radio…
Measured in process (docs/performance.md), that was a third of the rendering of step 5 and of
Consultation. ``FastTemplatesSetting`` is Django's ``TemplatesSetting`` (the project's template engine, so
that a project template can override a widget's) that, for the templates listed in ``_RAW``, writes the
same characters in Python: the same escaping (``render_value_in_context``: localized, then escaped unless
already safe), the same ``stringformat:'s'`` on values, the same whitespace (an included template keeps
its file's last newline; the outermost result is stripped, as ``BaseRenderer.render`` does).

The templates stay the reference: a template overridden by the project (found elsewhere than where its
Python twin expects it) is rendered from its file, and tests/core/test_form_renderer.py renders every
widget of the project's forms both ways, with hostile values, and requires the same characters
(docs/adr/0025-pages-python-widget-rendering.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import django
from django.forms.renderers import TemplatesSetting
from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import stringformat
from django.template.loader import get_template
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

_CONTEXT = Context(autoescape=True)
_DJANGO_WIDGETS = Path(django.__file__).parent / "forms" / "templates" / "django" / "forms" / "widgets"
_OWN = Path(__file__).resolve().parent.parent / "templates"

Widget = Mapping[str, Any]


def _val(value: Any) -> str:
    """``{{ value }}``: localized, then escaped unless safe (Django's own function)."""
    return str(render_value_in_context(value, _CONTEXT))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe (it is ``is_safe``)."""
    result = stringformat(value, "s")
    if isinstance(value, SafeData):
        result = mark_safe(result)  # noqa: S308 - what Django's template does with an is_safe filter
    return _val(result)


def _attrs(widget: Widget) -> str:
    parts = []
    for name, value in widget["attrs"].items():
        if value is not False:
            parts.append(f" {_val(name)}" if value is True else f' {_val(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: Widget) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 - the template's test
    return f'<input type="{_val(widget["type"])}" name="{_val(widget["name"])}"{shown}{_attrs(widget)}>\n'


def _input_template(widget: Widget) -> str:
    return _input(widget) + "\n"


def _input_option(widget: Widget) -> str:
    if not widget["wrap_label"]:
        return _input(widget) + "\n"
    target = widget["attrs"].get("id")
    opening = f'<label for="{_val(target)}">' if target else "<label>"
    return f"{opening}{_input(widget)} {_val(widget['label'])}</label>\n"


def _option_template(widget: Widget) -> str:
    return _input_option(widget) + "\n"


def _select_option(widget: Widget) -> str:
    return f'<option value="{_formatted(widget["value"])}"{_attrs(widget)}>{_val(widget["label"])}</option>\n'


def _select(widget: Widget) -> str:
    parts = [f'<select name="{_val(widget["name"])}"{_attrs(widget)}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_val(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + _raw(option["template_name"], option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(widget: Widget) -> str:
    attrs = widget["attrs"]
    identifier, css = attrs.get("id"), attrs.get("class")
    parts = [
        "<div",
        f' id="{_val(identifier)}"' if identifier else "",
        f' class="{_val(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_val(group)}</label>")
        for option in options:
            parts.append("<div>\n    " + _raw(option["template_name"], option) + "</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _multiple_input_template(widget: Widget) -> str:
    return _multiple_input(widget) + "\n"


def _textarea(widget: Widget) -> str:
    value = _val(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_val(widget["name"])}"{_attrs(widget)}>\n{value}</textarea>\n'


def _date_inputs(widget: Widget) -> str:
    """includes/date_inputs.html (core.forms.DateInputsWidget): day, month and year, each labelled."""
    parts = ['<div class="date-inputs">']
    for counter, sub in enumerate(widget["subwidgets"], start=1):
        label = gettext("Day") if counter == 1 else gettext("Month") if counter == 2 else gettext("Year")
        target = _val(sub["attrs"].get("id", ""))
        parts.append(
            f'<div class="date-part">\n  <label for="{target}">{_val(label)}</label>\n  '
            f"{_raw(sub['template_name'], sub)}</div>"
        )
    parts.append("</div>\n")
    return "".join(parts)


_INPUTS = (
    *("checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password"),
    *("search", "tel", "text", "time", "url"),
)

# Template name → (the file it must come from, what that file renders, with its last newline).
_RAW: dict[str, tuple[Path, Callable[[Widget], str]]] = {
    **{
        f"django/forms/widgets/{name}.html": (_DJANGO_WIDGETS / f"{name}.html", _input_template)
        for name in _INPUTS
    },
    "django/forms/widgets/input.html": (_DJANGO_WIDGETS / "input.html", _input),
    "django/forms/widgets/input_option.html": (_DJANGO_WIDGETS / "input_option.html", _input_option),
    "django/forms/widgets/radio_option.html": (_DJANGO_WIDGETS / "radio_option.html", _option_template),
    "django/forms/widgets/checkbox_option.html": (_DJANGO_WIDGETS / "checkbox_option.html", _option_template),
    "django/forms/widgets/select.html": (_DJANGO_WIDGETS / "select.html", _select),
    "django/forms/widgets/select_option.html": (_DJANGO_WIDGETS / "select_option.html", _select_option),
    "django/forms/widgets/multiple_input.html": (_DJANGO_WIDGETS / "multiple_input.html", _multiple_input),
    "django/forms/widgets/radio.html": (_DJANGO_WIDGETS / "radio.html", _multiple_input_template),
    "django/forms/widgets/checkbox_select.html": (
        _DJANGO_WIDGETS / "checkbox_select.html",
        _multiple_input_template,
    ),
    "django/forms/widgets/textarea.html": (_DJANGO_WIDGETS / "textarea.html", _textarea),
    "includes/date_inputs.html": (_OWN / "includes" / "date_inputs.html", _date_inputs),
}


@functools.cache
def _python_twin(template_name: str) -> Callable[[Widget], str] | None:
    """The Python rendering of ``template_name``, if the engine finds that template where its twin was
    written from (a template overridden elsewhere is rendered from its file)."""
    entry = _RAW.get(template_name)
    if entry is None:
        return None
    expected, render = entry
    origin = get_template(template_name).origin.name  # type: ignore[attr-defined]
    return render if Path(origin).resolve() == expected.resolve() else None


def _raw(template_name: str, widget: Widget) -> str:
    """An included template's output (not stripped), with ``widget`` as its context's widget."""
    render = _python_twin(template_name)
    if render is not None:
        return render(widget)
    return str(get_template(template_name).render({"widget": widget}))


class FastTemplatesSetting(TemplatesSetting):
    """``TemplatesSetting`` with the common widget templates rendered in Python (see the module)."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString | str:
        render = _python_twin(template_name)
        if render is None or request is not None or set(context) != {"widget"}:
            return super().render(template_name, context, request)
        try:
            return render(context["widget"]).strip()
        except KeyError:  # a widget that leaves out a key its template reads: the template decides
            return super().render(template_name, context, request)
