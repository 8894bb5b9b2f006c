"""The forms of the office's decisions: approve (with or without the allowance), refuse (reasons from the
catalogue of legal reasons), and the second agent's sending back of a proposed refusal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from careerbreak.core.forms import needed_when
from careerbreak.interruptions.allowance import NoAllowanceReason
from careerbreak.interruptions.decisions import NOTE_MAX
from careerbreak.interruptions.refusals import CATALOGUE


def _note(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The note is too long: at most %(limit_value)s characters.")},
    )


class ApproveForm(forms.Form):
    with_allowance = forms.TypedChoiceField(
        label=_("Allowance"),
        choices=[("yes", _("With the monthly allowance")), ("no", _("Without an allowance"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the allowance is paid.")},
    )
    no_allowance_reason = needed_when(
        forms.ChoiceField(
            label=_("Why no allowance is paid"),
            help_text=_("Only when the request is approved without an allowance."),
            choices=[("", _("Choose a reason")), *NoAllowanceReason.choices],
            required=False,
            error_messages={"invalid_choice": _("Choose why no allowance is paid.")},
        )
    )
    note = _note(_("Note to the worker"), _("Printed on the decision letter."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("with_allowance") is False and not cleaned.get("no_allowance_reason"):
            self.add_error("no_allowance_reason", _("Choose why no allowance is paid."))
        if cleaned.get("with_allowance"):
            cleaned["no_allowance_reason"] = ""
        return cleaned


class RefuseForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for the refusal"),
        choices=[(reason.code, reason.text) for reason in CATALOGUE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one reason for the refusal."),
            "invalid_choice": _("Choose reasons from the list."),
        },
    )
    note = _note(_("Note to the worker"), _("Printed on the decision letter, after the reasons."))


class SendBackForm(forms.Form):
    sent_back_reason = forms.CharField(
        label=_("Why the refusal is not confirmed"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Say why the refusal is sent back."),
            "max_length": _("The note is too long: at most %(limit_value)s characters."),
        },
    )
