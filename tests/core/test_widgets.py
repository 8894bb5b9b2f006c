"""The quick widgets draw exactly what Django's template widgets draw, escaped the same way."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from careerbreak.core.widgets import QuickSelect, QuickTextInput

CHOICES: list[Any] = [
    ("", gettext_lazy("All")),
    ("a", "Alpha & <Omega>"),
    ("b'", "Quote \"double\" and 'single'"),
    (3, 3),
    ("safe", mark_safe("<em>kept</em>")),  # a label marked safe stays as it is, as in Django
]
GROUPED: list[Any] = [("", "–"), ("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", [None, "", "a", "b'", 3, "3", "x", "missing"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_f"}, {"id": "id_f", "aria-describedby": "a b", "aria-invalid": True, "hidden": False}],
)
def test_a_quick_select_draws_what_djangos_select_draws(choices: Any, value: Any, attrs: Any) -> None:
    for language in ("fr", "en"):
        with override(language):
            quick = QuickSelect(choices=choices, attrs={"class": "x&y"}).render("f<", value, attrs)
            django = forms.Select(choices=choices, attrs={"class": "x&y"}).render("f<", value, attrs)
            assert quick == django


def test_a_quick_select_in_a_bound_form_with_an_error_draws_what_django_draws() -> None:
    class Quick(forms.Form):
        status = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect, help_text="?")

    class Django(forms.Form):
        status = forms.ChoiceField(choices=CHOICES, required=False, help_text="?")

    for data in ({}, {"status": "a"}, {"status": "nope<"}):
        quick, django = Quick(data), Django(data)
        assert quick.is_valid() == django.is_valid()
        assert str(quick["status"]) == str(django["status"])
        assert "aria-invalid" in str(quick["status"]) or quick.is_valid()


@pytest.mark.parametrize("value", [None, "", "abc", "<script>&\"'", 12])
@pytest.mark.parametrize("attrs", [None, {"id": "id_q", "maxlength": "40", "required": True}])
def test_a_quick_text_input_draws_what_djangos_text_input_draws(value: Any, attrs: Any) -> None:
    quick = QuickTextInput(attrs={"placeholder": "a&b"}).render("q", value, attrs)
    assert quick == forms.TextInput(attrs={"placeholder": "a&b"}).render("q", value, attrs)
