"""Belgian identifiers: normalise what people type, validate it, format it for display.

Three identifiers, each stored compact (digits only) and shown formatted:

- the NISS (national register number) or BIS number, 11 digits, shown ``YY.MM.DD-SSS.CC``;
- the enterprise number (BCE/KBO), 10 digits starting with 0 or 1, shown ``0812.345.603``;
- the ONSS employer number, 7 registration digits and 2 check digits, shown ``1234567-49``.

Each failure is a Django ``ValidationError`` with a stable ``code`` (tests and the API rely on it) and a
translatable message that says what is wrong and what to do. The NISS and enterprise checks are
python-stdnum's, written out here for the digits that reach them (every API validation normalises three
numbers, and stdnum's generic cleaning cost 5 % of it: ADR 0045); ``tests/registries/test_identifiers.py``
holds them equal to stdnum's for every input. The ONSS check digits have no stdnum module, so the formula
(DOMAIN.md §6) is ours.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from stdnum.be import nn as stdnum_nn
from stdnum.be import ssn as stdnum_ssn

__all__ = [
    "CollectiveAgreementNumberField",
    "EnterpriseNumberField",
    "NissField",
    "OnssNumberField",
    "build_enterprise_number",
    "build_niss",
    "build_onss_number",
    "enterprise_check_digits",
    "format_collective_agreement_number",
    "format_enterprise_number",
    "format_niss",
    "format_onss_number",
    "is_valid_enterprise_number",
    "is_valid_niss",
    "is_valid_onss_number",
    "niss_birth_date",
    "niss_check_digits",
    "niss_gender",
    "niss_kind",
    "normalize_collective_agreement_number",
    "normalize_enterprise_number",
    "normalize_niss",
    "normalize_onss_number",
    "onss_check_digits",
    "validate_enterprise_number",
    "validate_niss",
    "validate_onss_number",
]

# What people put between digits: spaces of every kind, dots, dashes, slashes.
_SEPARATORS = re.compile(r"[\s.\-/_]+")

NissKind = Literal["niss", "bis"]


def _strip(value: object) -> str:
    return _SEPARATORS.sub("", str(value if value is not None else ""))


# --- Registration number of a collective agreement ------------------------------------------------------
# As the FPS Employment registers it: the registration number, "CO" and the joint committee (with its
# sub-committee), e.g. 123456/CO/200 or 155471/CO/140.03; people also give the registration digits alone.
# Stored normalised ("123456/CO/200", or "123456"), which is the official shape it is shown in.

_COLLECTIVE_AGREEMENT = re.compile(
    r"^(?P<number>[0-9]{1,7})(?:\s*/\s*CO\s*/\s*(?P<committee>[0-9]{3}(?:\.[0-9]{1,2})?))?$", re.IGNORECASE
)
COLLECTIVE_AGREEMENT_FORMAT_MESSAGE = _(
    "Enter the registration number of the agreement as registered, for example 123456/CO/200, or its "
    "digits only (123456)."
)


def normalize_collective_agreement_number(value: object) -> str:
    """ "123456 / co / 200" -> "123456/CO/200"; "123456" stays; "" for nothing. Anything else: an error."""
    text = " ".join(str(value if value is not None else "").split())
    if not text:
        return ""
    match = _COLLECTIVE_AGREEMENT.match(text)
    if match is None:
        raise ValidationError(COLLECTIVE_AGREEMENT_FORMAT_MESSAGE, code="collective_agreement_format")
    number, committee = match["number"], match["committee"]
    return f"{number}/CO/{committee}" if committee else number


def format_collective_agreement_number(value: str) -> str:
    """The official shape of a stored number (what was stored normalised; older free text as it is)."""
    try:
        return normalize_collective_agreement_number(value)
    except ValidationError:
        return value


class CollectiveAgreementNumberField(forms.CharField):
    """The registration number of a collective agreement, in its registered shape or as digits."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return normalize_collective_agreement_number(super().to_python(value))


@dataclass(frozen=True)
class _Identifier:
    """What every identifier offers on top of its ``normalize`` (compact digits or ``ValidationError``)."""

    normalize: Callable[[object], str]
    shape: Callable[[str], str]  # the compact digits as shown

    def validate(self, value: object) -> None:
        """A Django validator: raise ``ValidationError`` unless ``value`` is valid."""
        self.normalize(value)

    def is_valid(self, value: object) -> bool:
        try:
            self.normalize(value)
        except ValidationError:
            return False
        return True

    def format(self, value: str) -> str:
        """The identifier as shown (``78.04.12-135.07``, ``0812.345.603``, ``1234567-49``); an invalid
        value comes back unchanged."""
        try:
            compact = self.normalize(value)
        except ValidationError:
            return str(value)
        return self.shape(compact)


# --- NISS / BIS ---------------------------------------------------------------------------------------

NISS_FORMAT_MESSAGE = _(
    "A national register number must have 11 digits (for example 85.07.30-033.28), "
    "without letters or other signs."
)
NISS_LENGTH_MESSAGE = ngettext_lazy(
    "A national register number must have 11 digits (for example 85.07.30-033.28): this one has %(count)d.",
    "A national register number must have 11 digits (for example 85.07.30-033.28): this one has %(count)d.",
    "count",
)
NISS_CHECKSUM_MESSAGE = _(
    "Wrong national register number: the check digit does not match: check the number on the identity card."
)
NISS_DATE_MESSAGE = _(
    "Wrong national register number: the first six digits must be a birth date (year, month, day; "
    "for a BIS number the month plus 20 or 40). Check the number on the identity card."
)


def normalize_niss(value: object) -> str:
    """The compact 11-digit NISS or BIS number typed in ``value``, or ``ValidationError``.

    Accepts the usual punctuation and spaces (``78.04.12-135.07``, ``780412 135 07``). Codes:
    ``niss_format`` (letters or signs), ``niss_length`` (not 11 digits), ``niss_checksum`` (check digits),
    ``niss_date`` (the birth-date part, month plus 20 or 40 for BIS, is impossible).
    """
    number = _strip(value)
    if not number.isdigit() or not number.isascii():
        raise ValidationError(NISS_FORMAT_MESSAGE, code="niss_format")
    if len(number) != 11:
        raise ValidationError(NISS_LENGTH_MESSAGE, code="niss_length", params={"count": len(number)})
    # What ``stdnum.be.ssn.validate`` checks of 11 ASCII digits (ADR 0045). The mod-97 check digits, of
    # the first nine digits for births before 2000, of the same prefixed by a 2 from 2000, that rule only
    # for a birth year (20YY) not in the future (stdnum reads today's year as it does).
    check = int(number[9:])
    if 97 - int(number[:9]) % 97 != check and (
        97 - int("2" + number[:9]) % 97 != check or int(number[:2]) + 2000 > datetime.date.today().year
    ):
        raise ValidationError(NISS_CHECKSUM_MESSAGE, code="niss_checksum")
    # The month: 00–12 (a NISS; 00 when unknown), 20–32 or 40–52 (a BIS number, month plus 20 or 40). The
    # day is not checked (0 or past the month's end is an unknown day), nor is the fictitious 00.00.01.
    month = int(number[2:4])
    if month > 52 or month % 20 > 12:
        raise ValidationError(NISS_DATE_MESSAGE, code="niss_date")
    return number


def niss_kind(niss: str) -> NissKind:
    """'bis' when the month carries the BIS offset (+20 or +40), 'niss' otherwise."""
    number = normalize_niss(niss)
    return "bis" if int(number[2:4]) >= 20 else "niss"


_NISS = _Identifier(normalize_niss, lambda number: str(stdnum_nn.format(number)))
validate_niss = _NISS.validate
is_valid_niss = _NISS.is_valid
format_niss = _NISS.format


def niss_birth_date(niss: str) -> datetime.date | None:
    """The birth date the number encodes; None when the number leaves month or day unknown (00)."""
    number = normalize_niss(niss)
    birth: datetime.date | None = stdnum_ssn.get_birth_date(number)
    return birth


def niss_gender(niss: str) -> Literal["M", "F"] | None:
    """'M' (odd sequence) or 'F' (even); None for a BIS number issued with the sex unknown (month + 20)."""
    number = normalize_niss(niss)
    if 20 <= int(number[2:4]) < 40:
        return None
    return "M" if int(number[6:9]) % 2 else "F"


def niss_check_digits(birth_date: datetime.date | None, sequence: int, *, month_offset: int = 0) -> str:
    """The two check digits for a birth date and daily sequence (001–998).

    ``month_offset`` is 20 or 40 for a BIS number. People born from 2000 get the leading 2 of the mod-97 rule.
    """
    return build_niss(birth_date, sequence, month_offset=month_offset)[9:]


def build_niss(birth_date: datetime.date | None, sequence: int, *, month_offset: int = 0) -> str:
    """A valid number for a birth date and daily sequence: odd sequences are men, even ones women.

    ``birth_date=None`` gives the fictitious date 00.00.01 used when the date is unknown (1900s rule).
    """
    if not 1 <= sequence <= 998:
        raise ValueError("The daily sequence runs from 001 to 998.")
    if month_offset not in (0, 20, 40):
        raise ValueError("The month offset is 0 (national register), 20 or 40 (BIS).")
    if birth_date is None:
        base, year = "000001", 1900
    else:
        base = f"{birth_date:%y}{birth_date.month + month_offset:02d}{birth_date:%d}"
        year = birth_date.year
    first9 = f"{base}{sequence:03d}"
    prefix = "2" if year >= 2000 else ""
    check = 97 - (int(prefix + first9) % 97)
    return f"{first9}{check:02d}"


# --- Enterprise number (BCE/KBO) -----------------------------------------------------------------------

ENTERPRISE_FORMAT_MESSAGE = _(
    "An enterprise number must have 10 digits (for example 0812.345.603), without letters other than "
    "the prefix BE."
)
ENTERPRISE_LENGTH_MESSAGE = ngettext_lazy(
    "An enterprise number must have 10 digits (for example 0812.345.603): this one has %(count)d.",
    "An enterprise number must have 10 digits (for example 0812.345.603): this one has %(count)d.",
    "count",
)
ENTERPRISE_FIRST_DIGIT_MESSAGE = _(
    "Wrong enterprise number: it starts with 0 or 1. A number starting with 2 to 8 is the number of an "
    "establishment unit: give the number of the enterprise itself."
)
ENTERPRISE_CHECKSUM_MESSAGE = _(
    "Wrong enterprise number: the check digits do not match: check the number in the Crossroads Bank "
    "for Enterprises (BCE/KBO)."
)


def normalize_enterprise_number(value: object) -> str:
    """The compact 10-digit enterprise number typed in ``value``, or ``ValidationError``.

    Accepts ``0812.345.603``, ``BE0812345603``, ``BE 0812 345 603`` and the old 9-digit ``812345603``.
    Codes: ``enterprise_format``, ``enterprise_length``, ``enterprise_first_digit``, ``enterprise_checksum``.
    """
    raw = _strip(value).upper()
    if raw.startswith("BE"):
        raw = raw[2:]
    if raw.startswith("(0)"):
        raw = "0" + raw[3:]
    if not raw.isdigit() or not raw.isascii():
        raise ValidationError(ENTERPRISE_FORMAT_MESSAGE, code="enterprise_format")
    if len(raw) == 9:
        raw = "0" + raw  # numbers issued before 2005 had 9 digits
    if len(raw) != 10:
        raise ValidationError(ENTERPRISE_LENGTH_MESSAGE, code="enterprise_length", params={"count": len(raw)})
    # Our own rule on top of stdnum (which only knows it in recent versions): 0 or 1, never 2–9.
    if raw[0] not in "01":
        raise ValidationError(ENTERPRISE_FIRST_DIGIT_MESSAGE, code="enterprise_first_digit")
    # What ``stdnum.be.vat.validate`` checks of 10 ASCII digits (ADR 0045): not all zeros, and the first
    # eight digits plus the last two a multiple of 97.
    if raw == "0000000000":
        raise ValidationError(ENTERPRISE_FORMAT_MESSAGE, code="enterprise_format")
    if (int(raw[:8]) + int(raw[8:])) % 97:
        raise ValidationError(ENTERPRISE_CHECKSUM_MESSAGE, code="enterprise_checksum")
    return raw


_ENTERPRISE = _Identifier(normalize_enterprise_number, lambda c: f"{c[:4]}.{c[4:7]}.{c[7:]}")
validate_enterprise_number = _ENTERPRISE.validate
is_valid_enterprise_number = _ENTERPRISE.is_valid
format_enterprise_number = _ENTERPRISE.format


def enterprise_check_digits(first8: int | str) -> int:
    """The check number of an enterprise number: ``97 − (first 8 digits mod 97)``."""
    return 97 - (int(first8) % 97)


def build_enterprise_number(first8: int | str) -> str:
    """A valid enterprise number from its first eight digits (first digit 0 or 1)."""
    head = f"{int(first8):08d}"
    if len(head) != 8 or head[0] not in "01":
        raise ValueError("An enterprise number starts with 0 or 1 and has 8 digits before the check digits.")
    return f"{head}{enterprise_check_digits(head):02d}"


# --- ONSS employer number ------------------------------------------------------------------------------

ONSS_FORMAT_MESSAGE = _(
    "An ONSS number has 9 digits: 7 for the registration and 2 check digits (for example 1234567-49), "
    "without letters or other signs."
)
ONSS_LENGTH_MESSAGE = ngettext_lazy(
    "An ONSS number has 9 digits: 7 for the registration and 2 check digits (for example 1234567-49): "
    "this one has %(count)d.",
    "An ONSS number has 9 digits: 7 for the registration and 2 check digits (for example 1234567-49): "
    "this one has %(count)d.",
    "count",
)
ONSS_CHECKSUM_MESSAGE = _(
    "Wrong ONSS number: the check digits do not match: check the number on a letter from the ONSS "
    "or in your social secretariat's records."
)


def onss_check_digits(registration: int | str) -> int:
    """``96 − (registration × 100 mod 97)``, where a result of 0 is written 97 (DOMAIN.md §6)."""
    check = 96 - (int(registration) * 100 % 97)
    return check or 97


def normalize_onss_number(value: object) -> str:
    """The compact 9-digit ONSS number in ``value`` (``1234567-49``, ``123456749``), or ``ValidationError``.

    Codes: ``onss_format``, ``onss_length``, ``onss_checksum``.
    """
    number = _strip(value)
    if not number.isdigit() or not number.isascii():
        raise ValidationError(ONSS_FORMAT_MESSAGE, code="onss_format")
    if len(number) != 9:
        raise ValidationError(ONSS_LENGTH_MESSAGE, code="onss_length", params={"count": len(number)})
    registration = int(number[:7])
    if registration == 0:
        raise ValidationError(ONSS_FORMAT_MESSAGE, code="onss_format")
    if onss_check_digits(registration) != int(number[7:]):
        raise ValidationError(ONSS_CHECKSUM_MESSAGE, code="onss_checksum")
    return number


_ONSS = _Identifier(normalize_onss_number, lambda c: f"{c[:7]}-{c[7:]}")
validate_onss_number = _ONSS.validate
is_valid_onss_number = _ONSS.is_valid
format_onss_number = _ONSS.format


def build_onss_number(registration: int) -> str:
    """A valid ONSS number from a 7-digit registration number."""
    if not 0 < registration <= 9_999_999:
        raise ValueError("An ONSS registration number has at most 7 digits and is not 0.")
    return f"{registration:07d}{onss_check_digits(registration):02d}"


# --- Form fields ----------------------------------------------------------------------------------------


class _IdentifierField(forms.CharField):
    """A text input that cleans to the compact identifier and shows a stored value formatted."""

    normalizer: Any = None
    formatter: Any = None
    input_max_length = 32
    numeric = False  # digits only: phones show the number pad

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", self.input_max_length)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "spellcheck": "false"})
        if self.numeric:
            attrs["inputmode"] = "numeric"
        return attrs

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return text
        return str(type(self).normalizer(text))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and value.isdigit():
            return type(self).formatter(value)
        return value


class NissField(_IdentifierField):
    """A national register (NISS) or BIS number; ``cleaned_data`` holds the 11 digits."""

    normalizer = staticmethod(normalize_niss)
    formatter = staticmethod(format_niss)
    numeric = True


class EnterpriseNumberField(_IdentifierField):
    """An enterprise number (BCE/KBO); ``cleaned_data`` holds the 10 digits. Accepts a BE prefix."""

    normalizer = staticmethod(normalize_enterprise_number)
    formatter = staticmethod(format_enterprise_number)


class OnssNumberField(_IdentifierField):
    """An ONSS employer number; ``cleaned_data`` holds the 9 digits."""

    normalizer = staticmethod(normalize_onss_number)
    formatter = staticmethod(format_onss_number)
    numeric = True
