"""The registration number of a collective agreement (issue 11, point 8): accepted as registered
("123456/CO/200") or as digits, stored normalised, shown back in the official shape."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from careerbreak.registries.identifiers import (
    CollectiveAgreementNumberField,
    format_collective_agreement_number,
    normalize_collective_agreement_number,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("123456/CO/200", "123456/CO/200"),
        ("123456/co/200", "123456/CO/200"),
        (" 123456 / CO / 200 ", "123456/CO/200"),
        ("155471/CO/140.03", "155471/CO/140.03"),
        ("1/CO/302", "1/CO/302"),
        ("1234567/CO/330.1", "1234567/CO/330.1"),
        ("123456", "123456"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_the_registered_shape_and_bare_digits_are_accepted_and_normalised(typed: str, stored: str) -> None:
    assert normalize_collective_agreement_number(typed) == stored
    assert format_collective_agreement_number(stored) == stored


@pytest.mark.parametrize(
    "typed",
    ["CO/200", "123456/CO", "123456/XX/200", "123456/CO/20", "12345678/CO/200", "123456/CO/200.123", "abc"],
)
def test_anything_else_is_refused_with_the_official_shape_as_example(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalize_collective_agreement_number(typed)
    assert refused.value.code == "collective_agreement_format"
    assert "123456/CO/200" in str(refused.value.messages[0])


def test_the_form_field_cleans_to_the_normalised_shape() -> None:
    field = CollectiveAgreementNumberField(required=False)
    assert field.clean("170123 / co / 200") == "170123/CO/200"
    assert field.clean("") == ""
    with pytest.raises(ValidationError):
        field.clean("1" * 40)


def test_older_free_text_is_shown_as_it_was_stored() -> None:
    assert format_collective_agreement_number("123.456") == "123.456"
