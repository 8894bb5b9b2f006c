from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from careerbreak.core.forms import RadioChoiceField
from careerbreak.identity.access import EnterpriseAccess
from careerbreak.registries.identifiers import EnterpriseNumberField, NissField


class ChooseEnterpriseForm(forms.Form):
    enterprise = RadioChoiceField(
        label=_("Enterprise you act for"),
        required_message=_("Choose the enterprise you act for."),
        invalid_message=_("Choose one of the enterprises listed."),
    )

    def __init__(self, *args: Any, accesses: list[EnterpriseAccess], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["enterprise"]).choices = [
            (a.enterprise.number, a.enterprise.name) for a in accesses
        ]


class GrantAccessForm(forms.Form):
    niss = NissField(
        label=_("National register number"),
        help_text=_("11 digits, as on the identity card, for example 78.04.12-135.07."),
    )
    # The number alone would reveal the name of whoever it belongs to: the manager gives both.
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=128,
        help_text=_("As on the person's identity card."),
        error_messages={"required": _("Enter the person's last name.")},
    )
    role = RadioChoiceField(
        label=_("Role"),
        required_message=_("Choose the role to grant."),
        invalid_message=_("Choose one of the roles listed."),
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = roles


class FindAccessManagersForm(forms.Form):
    enterprise_number = EnterpriseNumberField(
        label=_("Enterprise number"),
        help_text=_("10 digits, for example 0812.345.603."),
    )


class HeadcountForm(forms.Form):
    """Step 3: the employer confirms or corrects the headcount on 30 June of the previous year."""

    headcount = forms.IntegerField(
        label=_("Headcount on 30 June of the previous year"),
        help_text=_(
            "Workers under contract on that day, counted per head. Confirm or correct the figure: the notice "
            "term of time credit and whether your agreement is needed depend on it. Leave it empty if you do "
            "not know it."
        ),
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "invalid": _("Enter the headcount as a whole number of workers, for example 25."),
            "min_value": _("The headcount cannot be negative."),
            "max_value": _("The headcount is at most %(limit_value)s workers."),
        },
    )
