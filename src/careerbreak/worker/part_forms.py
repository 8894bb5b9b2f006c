"""The forms of the worker part, one per page. Each turns what was posted into the section it saves
(`interruptions.worker_part_data`); every mistake is a translated message naming the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from stdnum import bic as bic_number
from stdnum import iban as iban_number
from stdnum.exceptions import ValidationError as StdnumError

from careerbreak.core.forms import DayMonthYearField, needed_when
from careerbreak.interruptions.attachments import megabytes
from careerbreak.interruptions.worker_part import CERTIFICATION_TEXT, CHILD, HELPED, PATIENT, SEPA, TRAINING
from careerbreak.interruptions.worker_part_data import (
    Activity,
    ActivityKind,
    DomicileZone,
    Household,
    HouseholdAnswer,
    Identity,
    Needs,
    Payment,
    Relation,
)
from careerbreak.registries.identifiers import NissField
from careerbreak.registries.models import Person

OTHER_CHILD = "other"


class IdentityForm(forms.Form):
    zone = forms.ChoiceField(
        label=_("Where is your domicile?"),
        choices=DomicileZone.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say in which country you have your domicile.")},
    )
    street = forms.CharField(label=_("Street and number"), max_length=255)
    postal_code = forms.CharField(label=_("Postal code"), max_length=16)
    city = forms.CharField(label=_("Municipality"), max_length=128)
    country = needed_when(
        forms.CharField(
            label=_("Country"),
            max_length=64,
            required=False,
            help_text=_("Only for a domicile outside Belgium."),
        )
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("zone") and data["zone"] != DomicileZone.BELGIUM and not data.get("country"):
            self.add_error("country", _("Enter the country of your domicile."))
        return data

    def section(self) -> Identity:
        data = self.cleaned_data
        zone = DomicileZone(data["zone"])
        return Identity(
            zone=zone,
            street=data["street"].strip(),
            postal_code=data["postal_code"].strip(),
            city=data["city"].strip(),
            country="" if zone == DomicileZone.BELGIUM else data["country"].strip(),
        )

    @staticmethod
    def initial_from(section: Identity | None) -> dict[str, Any] | None:
        return section.to_json() if section is not None else None


class HouseholdForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Your household"),
        choices=Household.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A single parent living only with dependent children receives a higher allowance "
            "for the thematic leaves."
        ),
        error_messages={"required": _("Say with whom you live.")},
    )
    dependent_children = forms.IntegerField(
        label=_("Number of dependent children"),
        min_value=0,
        max_value=20,
        error_messages={
            "required": _("Enter the number of your dependent children (0 if none)."),
            "invalid": _("Enter the number of your dependent children as a whole number, for example 2."),
            "min_value": _("The number of dependent children cannot be negative."),
            "max_value": _("Enter at most 20 dependent children."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("situation") == Household.ONLY_CHILDREN and data.get("dependent_children") == 0:
            self.add_error(
                "dependent_children",
                _("You live only with your dependent children: enter how many they are (at least 1)."),
            )
        return data

    def section(self) -> HouseholdAnswer:
        return HouseholdAnswer(
            situation=Household(self.cleaned_data["situation"]),
            dependent_children=self.cleaned_data["dependent_children"],
        )

    @staticmethod
    def initial_from(section: HouseholdAnswer | None) -> dict[str, Any] | None:
        return section.to_json() if section is not None else None


def _child_label(child: Person) -> str:
    born = date_format(child.birth_date, "DATE_FORMAT") if child.birth_date else "–"
    return str(_("%(name)s, born on %(date)s") % {"name": child.full_name, "date": born})


class NeedsForm(forms.Form):
    """Page 3: only the fields the type needs (``kind``: child, patient, helped, training or "")."""

    def __init__(self, *args: Any, kind: str, children: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == CHILD:
            choices = [(child.niss, _child_label(child)) for child in children]
            choices.append((OTHER_CHILD, str(_("Another child (adopted or foster child)"))))
            self.fields["child"] = forms.ChoiceField(
                label=_("The child"),
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose the child.")},
            )
            for_other = _("Needed if you choose another child.")
            self.fields["child_name"] = needed_when(
                forms.CharField(label=_("Name of the other child"), max_length=255, required=False), for_other
            )
            self.fields["child_birth_date"] = needed_when(
                DayMonthYearField(label=_("Date of birth of the other child"), required=False), for_other
            )
            self.fields["child_registered_on"] = DayMonthYearField(
                label=_("Date of registration of the child in your household"),
                required=False,
                help_text=_(
                    "For an adopted or foster child: the day the child was registered in your household."
                ),
            )
            needed_when(self.fields["child_registered_on"], for_other)
        elif kind in (PATIENT, HELPED):
            person_label = (
                _("Name of the person cared for") if kind == PATIENT else _("Name of the person helped")
            )
            self.fields["person_name"] = forms.CharField(
                label=person_label,
                max_length=255,
                error_messages={"required": _("Enter the name of the person.")},
            )
            self.fields["person_niss"] = NissField(label=_("Their national register number"), required=False)
            self.fields["relation"] = forms.ChoiceField(
                label=_("Their relation to you"),
                choices=Relation.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Say what the person is to you.")},
            )
        elif kind == TRAINING:
            self.fields["training_hours"] = forms.IntegerField(
                label=_("Hours of training a year"),
                min_value=1,
                max_value=3000,
                help_text=_("At least 360 hours a year (or 120 hours a quarter), as the attestation says."),
                error_messages={
                    "required": _("Enter the number of hours of training a year."),
                    "invalid": _("Enter the hours of training as a whole number, for example 360."),
                    "min_value": _("Enter at least 1 hour of training."),
                    "max_value": _("Enter at most 3000 hours of training a year."),
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind == CHILD and data.get("child") == OTHER_CHILD:
            if not (data.get("child_name") or "").strip():
                self.add_error("child_name", _("Enter the name of the child."))
            if data.get("child_birth_date") is None and "child_birth_date" not in self.errors:
                self.add_error("child_birth_date", _("Enter the date of birth of the child."))
            if data.get("child_registered_on") is None and "child_registered_on" not in self.errors:
                self.add_error(
                    "child_registered_on", _("Enter the date the child was registered in your household.")
                )
            birth, registered = data.get("child_birth_date"), data.get("child_registered_on")
            if birth and registered and registered < birth:
                self.add_error("child_registered_on", _("The registration cannot come before the birth."))
        return data

    def section(self) -> Needs:
        data = self.cleaned_data
        if self.kind == CHILD:
            if data["child"] == OTHER_CHILD:
                return Needs(
                    child_name=data["child_name"].strip(),
                    child_birth_date=data["child_birth_date"],
                    child_registered_on=data["child_registered_on"],
                )
            return Needs(child_niss=data["child"])
        if self.kind in (PATIENT, HELPED):
            return Needs(
                person_name=data["person_name"].strip(),
                person_niss=data.get("person_niss") or "",
                relation=Relation(data["relation"]),
            )
        if self.kind == TRAINING:
            return Needs(training_hours=data["training_hours"])
        return Needs()

    @staticmethod
    def initial_from(section: Needs | None, *, default_child: str = "") -> dict[str, Any]:
        if section is None:
            return {"child": default_child} if default_child else {}
        values = section.to_json()
        values["child"] = section.child_niss or (OTHER_CHILD if section.child_name else "")
        values["child_birth_date"] = section.child_birth_date
        values["child_registered_on"] = section.child_registered_on
        return values


class ActivitiesForm(forms.Form):
    """Page 4: each kind of activity or income, ticked, with its dates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in ActivityKind:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False)
            self.fields[f"{kind.value}_start"] = needed_when(
                DayMonthYearField(label=_("Since"), required=False), _("Needed if you tick it.")
            )
            self.fields[f"{kind.value}_end"] = DayMonthYearField(
                label=_("Until (if it ends)"), required=False
            )
            self.fields[f"{kind.value}_detail"] = forms.CharField(
                label=_("Which one (name, kind of benefit)"), max_length=255, required=False
            )

    def groups(self) -> list[dict[str, Any]]:
        """The fields of each kind, for the template."""
        return [
            {
                "box": self[kind.value],
                "start": self[f"{kind.value}_start"],
                "end": self[f"{kind.value}_end"],
                "detail": self[f"{kind.value}_detail"],
            }
            for kind in ActivityKind
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in ActivityKind:
            if not data.get(kind.value):
                continue
            start, end = data.get(f"{kind.value}_start"), data.get(f"{kind.value}_end")
            if start is None and f"{kind.value}_start" not in self.errors:
                self.add_error(
                    f"{kind.value}_start",
                    _("Enter since when: %(activity)s.") % {"activity": str(kind.label).lower()},
                )
            if start and end and end < start:
                self.add_error(f"{kind.value}_end", _("The end cannot come before the start."))
        return data

    def section(self) -> tuple[Activity, ...]:
        data = self.cleaned_data
        return tuple(
            Activity(
                kind=kind,
                start=data[f"{kind.value}_start"],
                end=data.get(f"{kind.value}_end"),
                detail=(data.get(f"{kind.value}_detail") or "").strip(),
            )
            for kind in ActivityKind
            if data.get(kind.value)
        )

    @staticmethod
    def initial_from(section: tuple[Activity, ...] | None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for activity in section or ():
            values[activity.kind.value] = True
            values[f"{activity.kind.value}_start"] = activity.start
            values[f"{activity.kind.value}_end"] = activity.end
            values[f"{activity.kind.value}_detail"] = activity.detail
        return values


class PaymentForm(forms.Form):
    iban = forms.CharField(
        label=_("Account number (IBAN)"),
        max_length=42,
        help_text=_(
            "An account in a country of the Single Euro Payments Area (SEPA), "
            "for example BE71 0961 2345 6769."
        ),
        error_messages={"required": _("Enter the account number (IBAN) the allowance is paid into.")},
    )
    bic = forms.CharField(
        label=_("BIC of the bank"),
        max_length=16,
        required=False,
        help_text=_("Only for an account outside Belgium."),
    )
    holder_confirmed = forms.BooleanField(
        label=_("I hold this account, alone or jointly"),
        error_messages={
            "required": _(
                "Confirm that you hold this account: the allowance is paid only to your own account."
            )
        },
    )

    def clean_iban(self) -> str:
        value = iban_number.compact(self.cleaned_data["iban"])
        try:
            iban_number.validate(value)
        except StdnumError as exc:
            raise forms.ValidationError(
                _("This account number (IBAN) is not valid: check it against your bank card or statement.")
            ) from exc
        if value[:2] not in SEPA:
            raise forms.ValidationError(
                _(
                    "The allowance can be paid only into an account in a country of the "
                    "Single Euro Payments Area (SEPA)."
                )
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        iban, bic = data.get("iban"), (data.get("bic") or "").replace(" ", "").upper()
        if iban and not iban.startswith("BE"):
            if not bic:
                self.add_error("bic", _("Enter the BIC of the bank of an account outside Belgium."))
            elif not bic_number.is_valid(bic):
                self.add_error(
                    "bic", _("This BIC is not valid: 8 or 11 letters and digits, for example GEBABEBB.")
                )
            data["bic"] = bic
        elif iban:
            data["bic"] = ""
        return data

    def section(self) -> Payment:
        data = self.cleaned_data
        return Payment(iban=data["iban"], bic=data["bic"], holder_confirmed=True)

    @staticmethod
    def initial_from(section: Payment | None) -> dict[str, Any] | None:
        if section is None:
            return None
        return {
            "iban": iban_number.format(section.iban),
            "bic": section.bic,
            "holder_confirmed": section.holder_confirmed,
        }


class WorkerConfirmForm(forms.Form):
    certified = forms.BooleanField(
        label=CERTIFICATION_TEXT,
        error_messages={"required": _("Tick the box to certify that the data are accurate and complete.")},
    )


PAGE_FORMS: dict[int, type[forms.Form]] = {
    1: IdentityForm,
    2: HouseholdForm,
    3: NeedsForm,
    4: ActivitiesForm,
    5: PaymentForm,
}


class AttachmentForm(forms.Form):
    """One file a time, with what it is: the kinds the request requires first, then "another document".
    The file is recognised by the service (`interruptions.attachments.recognise`), not here: an empty one
    is let through so that the refusal names it."""

    kind = forms.ChoiceField(
        label=_("What is this document?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the document is.")},
    )
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        error_messages={"required": _("Choose a file to attach.")},
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = kinds
        self.fields["file"].help_text = _(
            "PDF, JPEG or PNG, at most %(size)s MB each and %(count)s per request."
        ) % {"size": megabytes(settings.ATTACHMENT_MAX_BYTES), "count": settings.ATTACHMENTS_MAX}
        if len(kinds) == 1:
            self.initial.setdefault("kind", kinds[0][0])
