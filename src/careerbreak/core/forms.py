"""Form pieces shared by the interfaces. Dates are entered as day, month and year (GOV.UK pattern)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# Dates centuries away are typing mistakes; nothing in this service is before 1900 or after 2100.
MIN_YEAR = 1900
MAX_YEAR = 2100


class DateInputsWidget(forms.MultiWidget):
    template_name = "includes/date_inputs.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        def part(size: int, css: str) -> forms.TextInput:
            return forms.TextInput(
                attrs={"inputmode": "numeric", "size": size, "class": css, "autocomplete": "off"}
            )

        super().__init__([part(2, "date-day"), part(2, "date-month"), part(4, "date-year")], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                parsed = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [parsed.day, parsed.month, parsed.year]
        return [None, None, None]


class DayMonthYearField(forms.MultiValueField):
    """A date typed as three numbers; each mistake gets its own message."""

    widget = DateInputsWidget
    default_error_messages = {
        "required": _("Enter the date as day, month and year."),
        "incomplete": _("Enter the day, the month and the year."),
        "invalid": _("Enter the date with numbers only, for example 15 3 2026."),
        "invalid_date": _("This date does not exist: check the day and the month."),
        "year_range": _("Enter a year between %(min)s and %(max)s."),
    }

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.CharField(max_length=2),
            forms.CharField(max_length=2),
            forms.CharField(max_length=4),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        parts = [str(part).strip() if part is not None else "" for part in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not all(parts):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        # ASCII digits only: "²".isdigit() is true, but int("²") raises (a server error, issue 9).
        if not all(
            part.isascii() and part.isdigit() and len(part) <= limit
            for part, limit in zip(parts, (2, 2, 4), strict=True)
        ):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = (int(part) for part in parts)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(
                self.error_messages["year_range"],
                code="year_range",
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )
        try:
            return datetime.date(year, month, day)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date") from exc

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() does the work
        return data_list


class LanguageMarkedSelect(forms.Select):
    """A select whose options may be written in another language than the page (``languages``: value →
    language), each such option marked ``lang=`` for screen readers (issue 15: joint-committee names)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages: dict[str, str] = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        language = self.languages.get(str(option["value"]))
        if language:
            option["attrs"]["lang"] = language
        return option


class RadioChoiceField(forms.ChoiceField):
    """One choice among radio buttons, with the field's own words for "nothing chosen" and "not offered"."""

    widget = forms.RadioSelect

    def __init__(self, *, required_message: Any, invalid_message: Any, **kwargs: Any) -> None:
        kwargs["error_messages"] = {"required": required_message, "invalid_choice": invalid_message}
        super().__init__(**kwargs)


def ticket_or_niss_field() -> forms.CharField:
    """The search box by national number or ticket (Consultation, the office's work queue); its value is
    read by ``interruptions.tickets.ticket_or_niss``."""
    return forms.CharField(
        label=_("National register number of the worker, or ticket"),
        required=False,
        max_length=40,
        help_text=_("For example 90.06.15-122.02 or 2026/00012345/73."),
    )


# "(optional)" after a label (issue 15): a field is marked optional if and only if it may be left empty.
# A field that the form lets through empty but that another answer makes necessary (the name of "another
# child", the date an activity started, …) is *conditional*: it is not marked optional, and its hint says
# when it is needed. The one place that decides is `is_optional`; the templates ask it through the
# `optional_mark` filter (core/templatetags/fields.py).
NEEDED_WHEN = "needed_when"


def needed_when(field: forms.Field, hint: Any = None) -> forms.Field:
    """Declares ``field`` conditional: empty is refused in some branch, which ``hint`` names (shown as the
    field's hint). Without ``hint``, the field's help text must already say when it is needed."""
    if hint is not None:
        field.help_text = format_lazy("{} {}", field.help_text, hint) if field.help_text else hint
    if not field.help_text:
        raise ValueError("a conditional field needs a hint saying when it is needed")
    setattr(field, NEEDED_WHEN, field.help_text)
    field.required = False
    return field


def is_conditional(field: forms.Field) -> bool:
    return bool(getattr(field, NEEDED_WHEN, None))


def is_optional(field: forms.Field) -> bool:
    """Marked "(optional)": the field may be left empty whatever the other answers. A single checkbox is
    never marked: left unticked it is an answer ("no"), and a required one is a certification to tick."""
    if isinstance(field.widget, (forms.CheckboxInput, forms.HiddenInput)):
        return False
    return not field.required and not is_conditional(field)
