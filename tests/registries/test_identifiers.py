"""NISS/BIS, enterprise and ONSS numbers: what is accepted, what is refused, and with which message."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum import exceptions as stdnum_errors
from stdnum.be import ssn as stdnum_ssn
from stdnum.be import vat as stdnum_vat

from careerbreak.registries import identifiers as ids
from careerbreak.registries.identifiers import (
    EnterpriseNumberField,
    NissField,
    OnssNumberField,
    build_enterprise_number,
    build_niss,
    build_onss_number,
    format_enterprise_number,
    format_niss,
    format_onss_number,
    is_valid_enterprise_number,
    is_valid_niss,
    is_valid_onss_number,
    niss_birth_date,
    niss_gender,
    niss_kind,
    normalize_enterprise_number,
    normalize_niss,
    normalize_onss_number,
    onss_check_digits,
    validate_niss,
)

pytestmark = pytest.mark.usefixtures("english")


def refusal(function: object, value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        function(value)  # type: ignore[operator]
    return caught.value


# --- NISS / BIS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "78.04.12-135.07",
        "78041213507",
        "780412 135 07",
        " 78 04 12 135 07 ",
        "78/04/12-135-07",
        "780412\u00a013507",
    ],
)
def test_a_niss_is_accepted_with_any_usual_punctuation_and_stored_as_11_digits(typed: str) -> None:
    assert normalize_niss(typed) == "78041213507"


def test_a_niss_with_a_wrong_check_digit_is_refused_with_advice_to_check_the_identity_card() -> None:
    error = refusal(normalize_niss, "78.04.12-135.08")
    assert error.code == "niss_checksum"
    assert "the check digit does not match: check the number on the identity card" in error.messages[0]


@pytest.mark.parametrize("typed", ["7804121350", "780412135077", "1", "78.04.12-135"])
def test_a_niss_of_the_wrong_length_is_refused_saying_it_must_have_11_digits(typed: str) -> None:
    error = refusal(normalize_niss, typed)
    assert error.code == "niss_length"
    digits = sum(ch.isdigit() for ch in typed)
    assert error.messages == [
        "A national register number must have 11 digits (for example 85.07.30-033.28): "
        f"this one has {digits}."
    ]


@pytest.mark.parametrize(
    "typed", ["78O41213507", "BE78041213507", "78041213507!", "", "７８０４１２１３５０７"]
)
def test_a_niss_with_letters_or_other_signs_is_refused_saying_it_must_have_11_digits(typed: str) -> None:
    error = refusal(normalize_niss, typed)
    assert error.code == "niss_format"
    assert "must have 11 digits" in error.messages[0]


@pytest.mark.parametrize("number", ["78141213577", "78351213530"])
def test_a_niss_whose_check_digits_match_an_impossible_birth_month_is_refused(number: str) -> None:
    assert 97 - int(number[:9]) % 97 == int(number[9:])  # the check digits themselves are right
    assert refusal(normalize_niss, number).code == "niss_date"


def test_a_person_born_in_2000_or_later_is_checked_with_the_leading_2_rule() -> None:
    assert normalize_niss("17.07.30-033.84") == "17073003384"
    assert niss_birth_date("17073003384") == datetime.date(2017, 7, 30)
    # The same first nine digits with the check of the 1900s belong to someone born in 1917.
    assert niss_birth_date("17073003355") == datetime.date(1917, 7, 30)


def test_the_examples_of_the_research_file_are_valid_national_numbers() -> None:
    for number in ["85073003328", "17073003384", "20070199922"]:
        assert is_valid_niss(number)
        assert niss_kind(number) == "niss"


def test_a_bis_number_has_its_month_raised_by_40_when_the_sex_is_known() -> None:
    number = build_niss(datetime.date(1998, 7, 28), 997, month_offset=40)
    assert number == "98472899765"
    assert niss_kind(number) == "bis"
    assert niss_gender(number) == "M"
    assert niss_birth_date(number) == datetime.date(1998, 7, 28)


def test_a_bis_number_has_its_month_raised_by_20_when_the_sex_is_unknown() -> None:
    number = build_niss(datetime.date(1984, 3, 9), 12, month_offset=20)
    assert number[2:4] == "23"
    assert normalize_niss(number) == number
    assert niss_kind(number) == "bis"
    assert niss_gender(number) is None
    assert niss_birth_date(number) == datetime.date(1984, 3, 9)


def test_a_bis_number_born_after_2000_uses_the_leading_2_rule_too() -> None:
    number = build_niss(datetime.date(2003, 1, 5), 2, month_offset=40)
    assert number.startswith("034105002")
    assert niss_kind(number) == "bis"
    assert niss_birth_date(number) == datetime.date(2003, 1, 5)
    assert niss_gender(number) == "F"


def test_the_sequence_number_tells_men_odd_from_women_even() -> None:
    assert niss_gender("78041213507") == "M"
    assert niss_gender("90061512202") == "F"


def test_a_niss_is_shown_in_the_usual_format() -> None:
    assert format_niss("78041213507") == "78.04.12-135.07"
    assert format_niss("not a number") == "not a number"


def test_a_niss_with_an_unknown_birth_date_has_no_birth_date() -> None:
    number = build_niss(None, 1)
    assert is_valid_niss(number)
    assert niss_birth_date(number) is None


def test_the_niss_validator_can_guard_any_django_field() -> None:
    validate_niss("78041213507")
    with pytest.raises(ValidationError):
        validate_niss("78041213508")


@given(
    birth=st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(2024, 12, 31)),
    sequence=st.integers(min_value=1, max_value=998),
    offset=st.sampled_from([0, 20, 40]),
)
def test_every_built_number_survives_formatting_and_decodes_its_birth_date(
    birth: datetime.date, sequence: int, offset: int
) -> None:
    number = build_niss(birth, sequence, month_offset=offset)
    assert normalize_niss(format_niss(number)) == number
    assert niss_birth_date(number) == birth
    assert niss_kind(number) == ("niss" if offset == 0 else "bis")
    expected_gender = None if offset == 20 else ("M" if sequence % 2 else "F")
    assert niss_gender(number) == expected_gender


@given(
    birth=st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(2024, 12, 31)),
    sequence=st.integers(min_value=1, max_value=998),
    separators=st.lists(st.sampled_from(["", " ", ".", "-", "/", " - "]), min_size=11, max_size=11),
)
def test_separators_anywhere_between_the_digits_do_not_matter(
    birth: datetime.date, sequence: int, separators: list[str]
) -> None:
    number = build_niss(birth, sequence)
    typed = "".join(sep + digit for sep, digit in zip(separators, number, strict=True))
    assert normalize_niss(typed) == number


# --- Enterprise number -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["0812.345.603", "BE0812345603", "be 0812 345 603", "812345603", "0812 345 603"]
)
def test_an_enterprise_number_is_accepted_with_prefix_dots_or_the_old_9_digits(typed: str) -> None:
    assert normalize_enterprise_number(typed) == "0812345603"


def test_an_enterprise_number_of_the_new_1_series_is_accepted() -> None:
    assert normalize_enterprise_number("1000.003.682") == "1000003682"
    assert format_enterprise_number("1000003682") == "1000.003.682"


def test_an_establishment_unit_number_starting_with_2_is_refused_even_with_right_check_digits() -> None:
    assert (int("21234567") + 91) % 97 == 0
    error = refusal(normalize_enterprise_number, "2123.456.791")
    assert error.code == "enterprise_first_digit"
    assert "starts with 0 or 1" in error.messages[0]


@pytest.mark.parametrize("typed", ["08123456", "081234560312", "12"])
def test_an_enterprise_number_of_the_wrong_length_is_refused(typed: str) -> None:
    error = refusal(normalize_enterprise_number, typed)
    assert error.code == "enterprise_length"
    assert "must have 10 digits" in error.messages[0]


@pytest.mark.parametrize("typed", ["0812.345.6O3", "FR0812345603", "", "0000000000"])
def test_an_enterprise_number_with_letters_is_refused(typed: str) -> None:
    assert refusal(normalize_enterprise_number, typed).code == "enterprise_format"


@given(first8=st.integers(min_value=1, max_value=19_999_999))
def test_every_built_enterprise_number_survives_formatting_and_the_be_prefix(first8: int) -> None:
    number = build_enterprise_number(first8)
    assert normalize_enterprise_number(format_enterprise_number(number)) == number
    assert normalize_enterprise_number("BE" + number) == number
    if number.startswith("0"):
        assert normalize_enterprise_number(number[1:]) == number


# --- ONSS number -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1234567-49", "123456749", "1234567 49", "1234567.49"])
def test_an_onss_number_is_accepted_with_or_without_its_dash(typed: str) -> None:
    assert normalize_onss_number(typed) == "123456749"


def test_the_onss_check_digits_follow_96_minus_registration_times_100_mod_97() -> None:
    assert onss_check_digits(1234567) == 49
    assert normalize_onss_number("0009354-67") == "000935467"  # the Belgian State


def test_an_onss_check_of_zero_is_written_97() -> None:
    assert 32 * 100 % 97 == 96
    assert onss_check_digits(32) == 97
    assert normalize_onss_number("0000032-97") == "000003297"
    assert refusal(normalize_onss_number, "0000032-00").code == "onss_checksum"


@pytest.mark.parametrize(
    ("normalize", "typed", "code"),
    [
        pytest.param(
            normalize_enterprise_number, "0812.345.604", "enterprise_checksum", id="enterprise number"
        ),
        pytest.param(normalize_onss_number, "1234567-48", "onss_checksum", id="ONSS number"),
    ],
)
def test_a_number_with_wrong_check_digits_is_refused(
    normalize: Callable[[object], str], typed: str, code: str
) -> None:
    error = refusal(normalize, typed)
    assert error.code == code
    assert "check digits do not match" in error.messages[0]


@pytest.mark.parametrize("typed", ["12345674", "1234567490", "001234567-49"])
def test_an_onss_number_of_the_wrong_length_is_refused(typed: str) -> None:
    assert refusal(normalize_onss_number, typed).code == "onss_length"


@pytest.mark.parametrize("typed", ["12345A7-49", "", "0000000-96"])
def test_an_onss_number_with_letters_or_no_registration_is_refused(typed: str) -> None:
    assert refusal(normalize_onss_number, typed).code == "onss_format"


def test_an_onss_number_is_shown_with_its_dash() -> None:
    assert format_onss_number("123456749") == "1234567-49"


@given(registration=st.integers(min_value=1, max_value=9_999_999))
def test_every_built_onss_number_survives_formatting(registration: int) -> None:
    number = build_onss_number(registration)
    assert normalize_onss_number(format_onss_number(number)) == number


@pytest.mark.parametrize(
    ("build", "is_valid", "largest"),
    [
        pytest.param(build_enterprise_number, is_valid_enterprise_number, 19_999_999, id="enterprise number"),
        pytest.param(build_onss_number, is_valid_onss_number, 9_999_999, id="ONSS number"),
    ],
)
@given(data=st.data())
def test_any_single_wrong_digit_is_caught(
    build: Callable[[int], str], is_valid: Callable[[str], bool], largest: int, data: st.DataObject
) -> None:
    number = build(data.draw(st.integers(min_value=1, max_value=largest)))
    position = data.draw(st.integers(min_value=0, max_value=len(number) - 1))
    shift = data.draw(st.integers(min_value=1, max_value=9))
    wrong = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not is_valid(wrong)


# --- Form fields -----------------------------------------------------------------------------------------


class IdentifiersForm(forms.Form):
    niss = NissField(label="National register number")
    enterprise = EnterpriseNumberField(label="Enterprise number", required=False)
    onss = OnssNumberField(label="ONSS number", required=False)


def test_the_form_fields_clean_what_people_type_to_the_compact_numbers() -> None:
    form = IdentifiersForm({"niss": "78.04.12-135.07", "enterprise": "BE 0812.345.603", "onss": "1234567-49"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"niss": "78041213507", "enterprise": "0812345603", "onss": "123456749"}


def test_the_form_fields_report_the_specific_error_on_their_field() -> None:
    form = IdentifiersForm({"niss": "78.04.12-135.08", "enterprise": "2123456791", "onss": "1234567-48"})
    assert not form.is_valid()
    codes = {name: [e.code for e in errors] for name, errors in form.errors.as_data().items()}
    assert codes == {
        "niss": ["niss_checksum"],
        "enterprise": ["enterprise_first_digit"],
        "onss": ["onss_checksum"],
    }


def test_an_empty_optional_identifier_field_stays_empty_and_a_required_one_is_asked_for() -> None:
    form = IdentifiersForm({"niss": ""})
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["niss"]] == ["required"]
    assert form.cleaned_data == {"enterprise": "", "onss": ""}


def test_a_stored_number_is_shown_formatted_in_the_field() -> None:
    form = IdentifiersForm(initial={"niss": "78041213507", "enterprise": "0812345603", "onss": "123456749"})
    html = str(form["niss"]) + str(form["enterprise"]) + str(form["onss"])
    assert 'value="78.04.12-135.07"' in html
    assert 'value="0812.345.603"' in html
    assert 'value="1234567-49"' in html
    assert 'inputmode="numeric"' in html


# --- The same checks as python-stdnum's (ADR 0045) ------------------------------------------------------
# ``normalize_niss`` and ``normalize_enterprise_number`` check the digits themselves; before ADR 0045 they
# handed them to stdnum. The references below are those earlier versions (their shared steps written once):
# the outcome (the number, or the error's code, message and parameters) must be the same for every input.


def _digits(number: str, length: int, wrong_format: tuple[Any, str], wrong_length: tuple[Any, str]) -> None:
    """The format and length checks, ours before and after ADR 0045: ASCII digits, ``length`` of them."""
    if not number.isdigit() or not number.isascii():
        raise ValidationError(wrong_format[0], code=wrong_format[1])
    if len(number) != length:
        raise ValidationError(wrong_length[0], code=wrong_length[1], params={"count": len(number)})


# stdnum's errors as the earlier versions' ``except`` clauses turned them into ours, in their order.
_NISS_ERRORS = (
    (stdnum_errors.InvalidChecksum, ids.NISS_CHECKSUM_MESSAGE, "niss_checksum"),
    (stdnum_errors.ValidationError, ids.NISS_DATE_MESSAGE, "niss_date"),
)
_ENTERPRISE_ERRORS = (
    (stdnum_errors.InvalidChecksum, ids.ENTERPRISE_CHECKSUM_MESSAGE, "enterprise_checksum"),
    (stdnum_errors.InvalidComponent, ids.ENTERPRISE_FIRST_DIGIT_MESSAGE, "enterprise_first_digit"),
    (stdnum_errors.ValidationError, ids.ENTERPRISE_FORMAT_MESSAGE, "enterprise_format"),
)


def _through_stdnum(
    validate: Callable[[str], str], number: str, errors: tuple[tuple[type, Any, str], ...]
) -> str:
    """``validate(number)``, stdnum's errors turned into ours: (stdnum's error class, our message, our
    code), the first that matches."""
    try:
        return str(validate(number))
    except Exception as error:
        for kind, message, code in errors:
            if isinstance(error, kind):
                raise ValidationError(message, code=code) from error
        raise


def _stdnum_niss(value: object) -> str:
    number = ids._strip(value)
    _digits(number, 11, (ids.NISS_FORMAT_MESSAGE, "niss_format"), (ids.NISS_LENGTH_MESSAGE, "niss_length"))
    check = int(number[9:])
    if not any(97 - (int(prefix + number[:9]) % 97) == check for prefix in ("", "2")):
        raise ValidationError(ids.NISS_CHECKSUM_MESSAGE, code="niss_checksum")
    return _through_stdnum(stdnum_ssn.validate, number, _NISS_ERRORS)


def _stdnum_enterprise_number(value: object) -> str:
    raw = ids._strip(value).upper()
    if raw.startswith("BE"):
        raw = raw[2:]
    if raw.startswith("(0)"):
        raw = "0" + raw[3:]
    if len(raw) == 9:  # padded before the format check here: a "0" changes nothing of it
        raw = "0" + raw
    _digits(
        raw,
        10,
        (ids.ENTERPRISE_FORMAT_MESSAGE, "enterprise_format"),
        (ids.ENTERPRISE_LENGTH_MESSAGE, "enterprise_length"),
    )
    if raw[0] not in "01":
        raise ValidationError(ids.ENTERPRISE_FIRST_DIGIT_MESSAGE, code="enterprise_first_digit")
    return _through_stdnum(stdnum_vat.validate, raw, _ENTERPRISE_ERRORS)


def _outcome(function: Callable[[object], str], value: object) -> tuple[str, ...]:
    try:
        return ("valid", function(value))
    except ValidationError as error:
        return ("refused", str(error.code), str(error.messages[0]), repr(error.params))


def _niss_digits(first9: str) -> list[str]:
    """``first9`` with the check digits of each rule (before 2000, from 2000) and two that match neither
    or (by chance) one of them."""
    before, since = 97 - int(first9) % 97, 97 - int("2" + first9) % 97
    return [f"{first9}{check:02d}" for check in (before, since, (before + 1) % 100, (since + 50) % 100)]


def test_every_birth_year_and_month_gives_stdnums_outcome() -> None:
    """Each year (00–99, either side of today's for the 2000 rule) with each month (00–99: NISS, BIS with
    20 or 40, impossible), day and sequence varied, each with both rules' check digits and wrong ones."""
    days = ("00", "01", "15", "29", "31", "32", "99")
    checked = 0
    for year in range(100):
        for month in range(100):
            day, sequence = days[(year + month) % len(days)], f"{(year * 7 + month) % 1000:03d}"
            for number in _niss_digits(f"{year:02d}{month:02d}{day}{sequence}"):
                assert _outcome(normalize_niss, number) == _outcome(_stdnum_niss, number), number
                checked += 1
    for first6 in ("000001", "002001", "004001", "000000", "200001"):  # the fictitious dates, and near them
        for number in _niss_digits(f"{first6}001") + _niss_digits(f"{first6}998"):
            assert _outcome(normalize_niss, number) == _outcome(_stdnum_niss, number), number
            checked += 1
    assert checked == 40_040


@pytest.mark.parametrize("today", ["2000-01-01", "2026-12-31", "2027-01-01", "2099-12-31"])
def test_the_2000_rule_follows_todays_year_as_stdnums_does(today: str) -> None:
    import time_machine

    with time_machine.travel(datetime.date.fromisoformat(today), tick=False):
        for year in range(100):
            for number in _niss_digits(f"{year:02d}0412135") + _niss_digits(f"{year:02d}4412136"):
                assert _outcome(normalize_niss, number) == _outcome(_stdnum_niss, number), number
    # Born in 2027: refused on the last day of 2026, accepted from the first of 2027.
    born_2027 = build_niss(datetime.date(2027, 1, 15), 135)
    with time_machine.travel(datetime.date(2026, 12, 31), tick=False):
        assert refusal(normalize_niss, born_2027).code == "niss_checksum"
    with time_machine.travel(datetime.date(2027, 1, 1), tick=False):
        assert normalize_niss(born_2027) == born_2027


# What people type: digits, the separators stripped, letters, signs, digits of other scripts, and anything.
_TYPED = st.one_of(
    st.text(alphabet="0123456789 .-/_\u00a0\t", max_size=16),
    st.text(alphabet="0123456789", min_size=9, max_size=12),
    st.text(alphabet="0123456789BEbe()x+²٣ ", max_size=14),
    st.text(max_size=14),
)


@given(typed=_TYPED)
def test_any_typed_niss_gives_stdnums_outcome(typed: str) -> None:
    assert _outcome(normalize_niss, typed) == _outcome(_stdnum_niss, typed)


@given(first9=st.integers(min_value=0, max_value=999_999_999), which=st.integers(min_value=0, max_value=3))
def test_any_niss_with_matching_check_digits_gives_stdnums_outcome(first9: int, which: int) -> None:
    number = _niss_digits(f"{first9:09d}")[which]
    assert _outcome(normalize_niss, number) == _outcome(_stdnum_niss, number)


@given(typed=_TYPED)
def test_any_typed_enterprise_number_gives_stdnums_outcome(typed: str) -> None:
    assert _outcome(normalize_enterprise_number, typed) == _outcome(_stdnum_enterprise_number, typed)


@given(first8=st.integers(min_value=0, max_value=99_999_999), check=st.integers(min_value=0, max_value=99))
def test_any_ten_or_nine_digits_give_stdnums_enterprise_outcome(first8: int, check: int) -> None:
    for number in (f"{first8:08d}{check:02d}", f"BE{first8:08d}{check:02d}", f"{first8:08d}{check:02d}"[1:]):
        assert _outcome(normalize_enterprise_number, number) == _outcome(_stdnum_enterprise_number, number)
    valid = f"{first8:08d}{97 - first8 % 97:02d}"
    assert _outcome(normalize_enterprise_number, valid) == _outcome(_stdnum_enterprise_number, valid)


def test_the_enterprise_number_of_zeros_is_refused_as_stdnum_refuses_it() -> None:
    for number in ("0000000000", "000000000", "BE0000000000"):
        assert _outcome(normalize_enterprise_number, number)[:2] == ("refused", "enterprise_format")
        assert _outcome(normalize_enterprise_number, number) == _outcome(_stdnum_enterprise_number, number)
