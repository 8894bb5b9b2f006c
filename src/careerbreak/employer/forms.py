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
