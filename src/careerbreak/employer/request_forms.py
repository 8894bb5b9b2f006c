"""Forms of steps 4 to 7. The status and joint committee of step 4 and the leave data of step 6 are
checked by the forms in ``interruptions.step_forms``, which the API binds too."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from careerbreak.core.forms import RadioChoiceField
from careerbreak.interruptions.step_forms import (
    NOT_IN_STEP_6,
    YES_NO,
    LeaveDataForm,
    WorkerSelectForm,
    YesNoField,
    leave_fields,
)
from careerbreak.registries.identifiers import NissField

__all__ = [
    "NOT_IN_STEP_6",
    "YES_NO",
    "ConfirmForm",
    "LeaveDataForm",
    "TypeForm",
    "WorkerSearchForm",
    "WorkerSelectForm",
    "YesNoField",
    "leave_fields",
]


class WorkerSearchForm(forms.Form):
    niss = NissField(
        label=_("National register number"),
        help_text=_("NISS or BIS number, 11 digits, for example 90.06.15-122.02."),
    )


class TypeForm(forms.Form):
    leave_type = RadioChoiceField(
        label=_("Type of interruption"),
        required_message=_("Choose the type of interruption."),
        invalid_message=_("This type cannot be requested for this enterprise and worker."),
    )

    def __init__(self, *args: Any, offered: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["leave_type"]).choices = offered


class ConfirmForm(forms.Form):
    certified = forms.BooleanField(
        label=_("I certify that the data entered are accurate and complete"),
        error_messages={"required": _("Tick the box to certify that the data are accurate and complete.")},
    )
