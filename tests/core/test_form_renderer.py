"""The form renderer writes, in Python, exactly what Django's widget templates write (core/form_renderer.py).

Every widget kind the project uses, with hostile values (markup in values, labels and attributes, safe
strings, lazy strings, numbers, boolean attributes, groups of options), is rendered by the project's
renderer and by Django's ``TemplatesSetting`` from the template files: the characters must be the same.
"""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from careerbreak.core.form_renderer import FastTemplatesSetting, _python_twin
from careerbreak.core.forms import DateInputsWidget, DayMonthYearField, LanguageMarkedSelect, RadioChoiceField

HOSTILE = "\"><script>alert(1)</script>&amp;'x"
CHOICES: list[Any] = [
    ("", "---------"),
    ("a", "Plain"),
    (HOSTILE, HOSTILE),
    ("safe", mark_safe("<b>safe</b>")),
    ("lazy", gettext_lazy("Day")),
    (3, 3),
    (4.5, 4.5),
]
GROUPED: list[Any] = [
    ("Group <1>", [("g1", "One"), ("g2", HOSTILE)]),
    ("plain", "Plain"),
    (HOSTILE, [("x", "X")]),
]
ATTRS = {"id": "id_x", "class": 'c"<', "data-x": HOSTILE, "required": True, "disabled": False, "size": 4}


def widgets() -> list[tuple[str, forms.Widget, Any]]:
    select = LanguageMarkedSelect(choices=CHOICES, attrs=ATTRS)
    select.languages = {"a": "nl"}
    cases: list[tuple[str, forms.Widget, Any]] = [
        ("text", forms.TextInput(attrs=ATTRS), HOSTILE),
        ("text empty", forms.TextInput(), ""),
        ("text none", forms.TextInput(), None),
        ("text safe", forms.TextInput(), mark_safe("<i>")),
        ("number", forms.NumberInput(attrs={"min": 0, "step": "0.1"}), 12.5),
        ("email", forms.EmailInput(), "a@b.be"),
        ("hidden", forms.HiddenInput(), HOSTILE),
        ("password", forms.PasswordInput(), "secret"),
        ("checkbox on", forms.CheckboxInput(attrs=ATTRS), True),
        ("checkbox off", forms.CheckboxInput(), False),
        ("textarea", forms.Textarea(attrs=ATTRS), HOSTILE),
        ("textarea empty", forms.Textarea(), ""),
        ("select", select, HOSTILE),
        ("select int", forms.Select(choices=CHOICES), 3),
        ("select grouped", forms.Select(choices=GROUPED), "g2"),
        ("select multiple", forms.SelectMultiple(choices=CHOICES), ["a", HOSTILE]),
        ("radio", forms.RadioSelect(choices=CHOICES, attrs=ATTRS), "a"),
        ("radio no id", forms.RadioSelect(choices=CHOICES), HOSTILE),
        ("radio grouped", forms.RadioSelect(choices=GROUPED, attrs={"id": "id_g"}), "x"),
        ("checkboxes", forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"id": "id_c"}), ["a", "lazy"]),
        ("date", DateInputsWidget(attrs={"id": "id_d"}), "2026-03-15"),
        ("date typed", DateInputsWidget(attrs={"id": "id_d"}), [HOSTILE, "3", ""]),
        ("date no id", DateInputsWidget(), None),
    ]
    return cases


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_every_widget_renders_the_same_characters_as_its_template(language: str) -> None:
    fast, reference = FastTemplatesSetting(), TemplatesSetting()
    with override(language):
        for label, widget, value in widgets():
            expected = widget.render("field<name>", value, renderer=reference)
            assert widget.render("field<name>", value, renderer=fast) == expected, label
            assert "<script>" not in expected, label


def test_each_radio_of_a_bound_field_renders_as_its_template() -> None:
    class Form(forms.Form):
        choice = RadioChoiceField(
            choices=CHOICES, required_message="Choose", invalid_message="Not offered", label=HOSTILE
        )
        date = DayMonthYearField(label="When")

    for renderer in (FastTemplatesSetting(), TemplatesSetting()):
        form = Form(data={"choice": HOSTILE, "date_0": "<b>"}, renderer=renderer)
        form.is_valid()
        tags = [radio.tag() for radio in form["choice"]]
        labels = [str(radio) for radio in form["choice"]]
        rendered = (tags, labels, str(form["date"]))
        if isinstance(renderer, FastTemplatesSetting):
            fast = rendered
        else:
            assert fast == rendered


def test_every_template_rendered_in_python_is_the_one_the_engine_finds() -> None:
    """An override of one of these templates by the project would be rendered from its file instead."""
    for name in (
        "django/forms/widgets/select.html",
        "django/forms/widgets/radio_option.html",
        "includes/date_inputs.html",
    ):
        assert _python_twin(name) is not None, name
    assert _python_twin("django/forms/widgets/clearable_file_input.html") is None
