from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from careerbreak.core.errors import DomainError
from careerbreak.core.forms import RadioChoiceField
from careerbreak.identity.access import EnterpriseAccess
from careerbreak.identity.api_clients import jwks_parse
from careerbreak.identity.models import ApiClient, ApiScope
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


class ApiClientForm(forms.Form):
    """Register an API client: its name, how it authenticates, what it may do, its public keys."""

    name = forms.CharField(
        label=_("Name of the client"),
        max_length=128,
        help_text=_("For you to recognise it, for example the name of your payroll software."),
        error_messages={"required": _("Enter a name for the client.")},
    )
    auth_method = RadioChoiceField(
        label=_("How the client proves who it is"),
        choices=ApiClient.AuthMethod.choices,
        required_message=_("Choose how the client proves who it is."),
        invalid_message=_("Choose one of the ways listed."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the client may do"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one permission."),
            "invalid_choice": _("Choose among the permissions listed."),
        },
    )
    jwks = forms.CharField(
        label=_("Public keys (JWKS)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            'Only for a signed assertion: the public keys of the client as a JWKS, {"keys": [...]}; '
            "RSA of 2048 bits or more, or EC P-256."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("auth_method") == ApiClient.AuthMethod.PRIVATE_KEY_JWT:
            if not data.get("jwks", "").strip():
                self.add_error("jwks", _("Paste the client's public keys."))
            else:
                try:
                    data["jwks"] = jwks_parse(data["jwks"])
                except DomainError as error:
                    self.add_error("jwks", str(error.message))
        else:
            data["jwks"] = None
        return data


class ApiClientKeysForm(forms.Form):
    """New public keys for a client that signs assertions."""

    jwks = forms.CharField(
        label=_("New public keys (JWKS)"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            'The public keys of the client as a JWKS, {"keys": [...]}; RSA of 2048 bits or more, or EC P-256.'
        ),
        error_messages={"required": _("Paste the client's public keys.")},
    )

    def clean_jwks(self) -> dict[str, Any]:
        try:
            return jwks_parse(self.cleaned_data["jwks"])
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from None
