"""The login form of the development identity provider: pick a test citizen, type the PIN (eID)."""

from __future__ import annotations

import hmac
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.be import ssn

from careerbreak.devidp.protocol import Means
from careerbreak.registries.models import Person

# The fixed demo users come first in the list, in this order.
DEMO_NISS = (
    "78041213507",
    "81110324486",
    "75022805713",
    "90061512202",
    "64090103383",
    # The employment office's demo agent and supervisor.
    "79052111774",
    "71100822232",
)
# Every test card has this PIN.
DEMO_PIN = "1234"
# Beyond this many persons the list stops; the others can still be typed.
MAX_LISTED_PERSONS = 300

_SEPARATORS = re.compile(r"[\s.\-/]")


def _label(person: Person) -> str:
    return f"{person.full_name} ({person.formatted_niss})"


def citizen_choices() -> list[Any]:
    persons = list(
        Person.objects.order_by("last_name", "first_name", "niss").only("niss", "first_name", "last_name")[
            : MAX_LISTED_PERSONS + len(DEMO_NISS)
        ]
    )
    demo = {p.niss: p for p in Person.objects.filter(niss__in=DEMO_NISS)}
    demo_choices = [(niss, _label(demo[niss])) for niss in DEMO_NISS if niss in demo]
    other_choices = [(p.niss, _label(p)) for p in persons if p.niss not in demo][:MAX_LISTED_PERSONS]
    choices: list[Any] = [("", _("Choose a test citizen"))]
    if demo_choices:
        choices.append((_("Demo users"), demo_choices))
    if other_choices:
        choices.append((_("Other test citizens") if demo_choices else _("Test citizens"), other_choices))
    return choices


class CitizenLoginForm(forms.Form):
    niss = forms.ChoiceField(
        label=_("National register number"),
        error_messages={"required": _("Choose a test citizen or type a national register number.")},
    )
    other_niss = forms.CharField(
        label=_("Or type a national register number"),
        required=False,
        max_length=20,
        help_text=_("11 digits; dots and dashes may be left out."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    pin = forms.CharField(
        label=_("PIN code"),
        max_length=12,
        help_text=_("Every test card has the PIN code 1234."),
        error_messages={"required": _("Type the PIN code of the card.")},
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, means: Means, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.means = means
        niss_field = self.fields["niss"]
        assert isinstance(niss_field, forms.ChoiceField)
        niss_field.choices = citizen_choices()
        if self.is_bound and str(self.data.get("other_niss", "")).strip():
            # A typed number stands in for the list.
            niss_field.required = False
        if means is not Means.EID:
            # itsme confirms on the phone: no PIN here.
            del self.fields["pin"]

    def clean_other_niss(self) -> str:
        value = _SEPARATORS.sub("", self.cleaned_data.get("other_niss") or "")
        if value and not (value.isdigit() and len(value) == 11 and ssn.is_valid(value)):
            raise forms.ValidationError(
                _("This is not a valid national register number: check the 11 digits."), code="invalid_niss"
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        pin = cleaned.get("pin")
        if self.means is Means.EID and pin and not hmac.compare_digest(pin.encode(), DEMO_PIN.encode()):
            self.add_error("pin", _("The PIN code is wrong. Every test card has the PIN code 1234."))
        return cleaned

    @property
    def chosen_niss(self) -> str:
        return str(self.cleaned_data.get("other_niss") or self.cleaned_data["niss"])
