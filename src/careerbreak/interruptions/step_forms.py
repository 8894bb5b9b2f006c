"""The forms of step 4 (the worker's status and joint committee) and step 6 (the leave data), below the
interfaces: the employer's steps render them, the API binds them to its JSON (``leave_form_data``), so the
web and the API check the same fields with the same messages. Step 6 is built from the catalogue: the
fields the chosen type needs, only those.
"""

from __future__ import annotations

import copy
import datetime
import functools
import re
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from careerbreak.core.forms import DayMonthYearField, LanguageMarkedSelect, RadioChoiceField, needed_when
from careerbreak.interruptions.drafts import FIELD_LABELS, field_label
from careerbreak.interruptions.types import (
    CATALOGUE,
    EndOfCareerException,
    LeaveField,
    LeaveForm,
    LeaveType,
    PriorRegime,
    fields_for,
)
from careerbreak.registries.identifiers import CollectiveAgreementNumberField, NissField
from careerbreak.registries.models import JointCommittee, WorkerStatus
from careerbreak.registries.sources import ReferenceData, reference_data
from careerbreak.vocabularies import active_language

F = LeaveField

# The worker statuses and joint committees step 4 offers, read once per process and kept this long (they
# change a few times a year, by a data migration or the registries' import); a change saved in this
# process is seen at once (the signals below), one saved in another process within this delay.
REFERENCE_SECONDS = 300.0
_reference: tuple[float, ReferenceData, list[WorkerStatus], list[JointCommittee]] | None = None


def _reference_lists() -> tuple[list[WorkerStatus], list[JointCommittee]]:
    global _reference
    source = reference_data()
    now = time.monotonic()
    if _reference is None or _reference[1] is not source or now - _reference[0] > REFERENCE_SECONDS:
        statuses, committees = source.worker_statuses(), source.joint_committees()
        if not (statuses and committees):  # not loaded yet (a database being set up): ask again next time
            return statuses, committees
        _reference = (now, source, statuses, committees)
    return _reference[2], _reference[3]


def reference_status(code: str) -> WorkerStatus | None:
    """The worker status with this code, from the lists the process keeps (the source is asked for one
    not among them)."""
    found = next((s for s in _reference_lists()[0] if s.code == code), None)
    return found if found is not None else reference_data().worker_status(code)


def reference_committee(number: str) -> JointCommittee | None:
    """The joint committee with this number, from the lists the process keeps (the source is asked for
    one not among them: no longer in force, or none)."""
    found = next((c for c in _reference_lists()[1] if c.number == number), None)
    return found if found is not None else reference_data().joint_committee(number)


def forget_reference_lists(**_kwargs: Any) -> None:
    """Read the statuses and committees again on the next form (a row of them changed)."""
    global _reference
    _reference = None


for _model in (WorkerStatus, JointCommittee):
    post_save.connect(
        forget_reference_lists, sender=_model, dispatch_uid=f"step_forms.{_model.__name__}.save"
    )
    post_delete.connect(
        forget_reference_lists, sender=_model, dispatch_uid=f"step_forms.{_model.__name__}.delete"
    )


class _ValidatedOnly:
    """For a form made with ``copy_fields=False`` (only validated, never drawn): its fields are cleaned as
    Django's ``BaseForm._clean_fields`` cleans them (each widget's value from the data, the field's
    ``clean``, then a ``clean_<name>`` method), without making a ``BoundField`` per field, which only a
    drawn form uses (ADR 0042). A disabled field, whose value is its initial one, goes through Django's."""

    _validated_only = False

    def _clean_fields(self) -> None:
        form = cast(forms.BaseForm, self)
        if not self._validated_only:
            super()._clean_fields()  # type: ignore[misc]
            return
        data, files = form.data, form.files
        for name, field in form.fields.items():
            try:
                if field.disabled:
                    value = field._clean_bound_field(form[name])  # type: ignore[attr-defined]
                else:
                    value = field.clean(field.widget.value_from_datadict(data, files, form.add_prefix(name)))
                form.cleaned_data[name] = value
                if hasattr(form, f"clean_{name}"):
                    form.cleaned_data[name] = getattr(form, f"clean_{name}")()
            except forms.ValidationError as error:
                form.add_error(name, error)


# A form only validated takes its fields from what the process keeps: nothing of the declared ones to copy.
_NO_FIELDS: dict[str, forms.Field] = {}


class WorkerSelectForm(_ValidatedOnly, forms.Form):
    niss = NissField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Worker status"),
        error_messages={
            "required": _("Choose the worker's status."),
            "invalid_choice": _("Choose one of the statuses listed."),
        },
    )
    joint_committee = forms.ChoiceField(
        label=_("Joint committee"),
        widget=LanguageMarkedSelect,
        help_text=_("Prefilled from the Dimona declaration. Change it only if the Dimona is wrong."),
        error_messages={
            "required": _("Choose the joint committee."),
            "invalid_choice": _("Choose one of the joint committees listed."),
        },
    )

    def __init__(self, *args: Any, sector: str, copy_fields: bool = True, **kwargs: Any) -> None:
        """``copy_fields=False`` for a form that is only validated, never drawn nor changed (the API's
        filing, ``interruptions.filing``): its fields are then the ones kept for the sector and language,
        shared, not copies (a field keeps nothing of what it validates; ADR 0034), and the declared
        fields are not copied first (ADR 0042)."""
        if not copy_fields:
            self.base_fields = _NO_FIELDS  # type: ignore[misc]  # what BaseForm.__init__ copies, here
            self._validated_only = True
            kwargs.setdefault("label_suffix", "")  # never drawn: not the translated ":" of each form
        super().__init__(*args, **kwargs)
        if not copy_fields:
            self.fields = dict(_kept_worker_fields(sector))
            return
        statuses, committees, languages = _worker_choices(sector)
        cast(forms.ChoiceField, self.fields["status"]).choices = list(statuses)
        cast(forms.ChoiceField, self.fields["joint_committee"]).choices = list(committees)
        cast(LanguageMarkedSelect, self.fields["joint_committee"].widget).languages = dict(languages)
        self.fields["joint_committee"].required = False


_Choices = list[tuple[str, Any]]
# (sector, active language) → the reference lists they were built from, and the choices built from them
# (``_worker_choices``): built again when the process reads the lists again (``_reference_lists``).
_worker_choices_kept: dict[
    tuple[str, str], tuple[list[WorkerStatus], list[JointCommittee], _Choices, _Choices, dict[str, str]]
] = {}


def _worker_choices(sector: str) -> tuple[_Choices, _Choices, dict[str, str]]:
    """Step 4's status and committee choices for ``sector`` in the active language, and the committees'
    languages other than it; kept per process while the reference lists they come from are the same
    objects (ADR 0030: building them was a twentieth of an API validation's CPU)."""
    all_statuses, committees = _reference_lists()
    language = get_language() or "fr"
    kept = _worker_choices_kept.get((sector, language))
    if kept is not None and kept[0] is all_statuses and kept[1] is committees:
        return kept[2], kept[3], kept[4]
    statuses = [s for s in all_statuses if s.applies_to(sector)]
    status_choices: _Choices = [("", _("Choose…"))] + [(s.code, s.label) for s in statuses]
    committee_choices: _Choices = [("", _("None (public service staff)"))] + [
        (c.number, f"{c.number} – {c.name}") for c in committees
    ]
    active = active_language()
    languages = {c.number: c.name_language for c in committees if c.name_language != active}
    _worker_choices_kept[(sector, language)] = (
        all_statuses,
        committees,
        status_choices,
        committee_choices,
        languages,
    )
    return status_choices, committee_choices, languages


# (sector, active language) → the status choices they were made with, and step 4's fields with their
# choices: the fields of a form only validated (``WorkerSelectForm(copy_fields=False)``).
_worker_fields_kept: dict[tuple[str, str], tuple[_Choices, dict[str, forms.Field]]] = {}


def _kept_worker_fields(sector: str) -> dict[str, forms.Field]:
    """Step 4's fields for ``sector`` in the active language, with their choices, made once per process
    (setting a field's choices normalises the committees' long list: ADR 0034) and made again when the
    choices are (``_worker_choices``, which the reference lists renew)."""
    status_choices = _worker_choices(sector)[0]
    key = (sector, get_language() or "fr")
    kept = _worker_fields_kept.get(key)
    if kept is None or kept[0] is not status_choices:
        kept = (status_choices, WorkerSelectForm(sector=sector).fields)
        _worker_fields_kept[key] = kept
    return kept[1]


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )


def _hours(label: Any, help_text: Any = "", maximum: int = 60) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal("0"),
        max_value=Decimal(maximum),
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )


def _field(name: LeaveField, leave_type: LeaveType) -> forms.Field:
    """The form field for one step-6 value, declared conditional where the rules refuse it empty in some
    case only (core.forms.needed_when: not marked optional, its hint says when it is needed)."""
    field = _plain_field(name, leave_type)
    hint = _needed_when(name, leave_type)
    return needed_when(field, hint or None) if hint is not None else field


def _needed_when(name: LeaveField, leave_type: LeaveType) -> Any:
    """When an empty value is refused by the rules (an error, not a warning), for the fields the form lets
    through empty; "" when the field's own hint already says it; None when it may really be left empty."""
    match name:
        case F.DAYS_PER_WEEK:
            return _("Needed for a 1/5 time credit.")
        case F.MONTHS_OF_CONTRACT_LAST_15:
            return _("Needed for a parental leave in the private sector.")
        case F.CHILD_BIRTH_DATE:
            return _("Needed: this leave depends on the child's age.")
        case F.COLLECTIVE_AGREEMENT_NUMBER | F.COLLECTIVE_AGREEMENT_DATE if (
            leave_type is LeaveType.TC_END_OF_CAREER
        ):
            return _("Needed for an exception to the usual age, which a collective agreement opens.")
        case F.COLLECTIVE_AGREEMENT_NUMBER:
            return ""
        case F.COLLECTIVE_AGREEMENT_DATE:
            return _("Needed for a full-time or half-time form.")
        case F.REGIME_24_MONTHS if leave_type is LeaveType.TC_END_OF_CAREER:
            return _("Needed for an end-of-career job.")
        case F.EMPLOYER_AGREEMENT:
            return _("Needed where the law makes the leave depend on your agreement.")
        case F.CHILD_DISABLED if leave_type is LeaveType.TC_DISABLED_CHILD:
            return _("Needed for this leave.")
        case F.CAREGIVER_RECOGNITION:
            return _("Needed for this leave.")
    return None


def _plain_field(name: LeaveField, leave_type: LeaveType) -> forms.Field:
    """The form field for one step-6 value. Labels are the service's (DOMAIN §2, §5), shared with the PDF."""
    spec = CATALOGUE[leave_type]
    match name:
        case F.NOTICE_DATE:
            return DayMonthYearField(
                label=FIELD_LABELS[F.NOTICE_DATE],
                help_text=_(
                    "The day the worker gave the written notice (registered letter, signed copy or online)."
                ),
            )
        case F.START:
            return DayMonthYearField(label=FIELD_LABELS[F.START])
        case F.END:
            return DayMonthYearField(label=FIELD_LABELS[F.END], help_text=_("The last day of the leave."))
        case F.FORM:
            return RadioChoiceField(
                label=FIELD_LABELS[F.FORM],
                choices=[(f.value, f.label) for f in spec.forms],
                required_message=_("Choose the form of the interruption."),
                invalid_message=_("This form is not possible for this type."),
            )
        case F.WEEKLY_HOURS:
            return _hours(FIELD_LABELS[F.WEEKLY_HOURS], _("Average weekly working hours of the worker."))
        case F.REFERENCE_HOURS:
            return _hours(
                FIELD_LABELS[F.REFERENCE_HOURS],
                _("Average weekly hours of a full-time reference worker in the enterprise."),
            )
        case F.DAYS_PER_WEEK:
            field = _hours(FIELD_LABELS[F.DAYS_PER_WEEK], maximum=7)
            field.required = False
            return field
        case F.HOURS_DURING_LEAVE:
            field = _hours(
                FIELD_LABELS[F.HOURS_DURING_LEAVE], _("Only for a reduction (half-time, 1/5, 1/10).")
            )
            field.required = False
            return field
        case F.REGIME_12_MONTHS | F.REGIME_24_MONTHS:
            return forms.TypedChoiceField(
                label=field_label(name),
                choices=PriorRegime.choices,
                widget=forms.RadioSelect,
                required=name is F.REGIME_12_MONTHS,
                error_messages={"required": _("Say how the worker was employed before the notice.")},
            )
        case F.MONTHS_OF_CONTRACT_LAST_15:
            field = _hours(FIELD_LABELS[F.MONTHS_OF_CONTRACT_LAST_15], maximum=15)
            field.required = False
            return field
        case F.COLLECTIVE_AGREEMENT_NUMBER:
            return CollectiveAgreementNumberField(
                label=FIELD_LABELS[F.COLLECTIVE_AGREEMENT_NUMBER],
                help_text=_(
                    "Only for a full-time or half-time form: the sector or company agreement that opens it."
                ),
                required=False,
            )
        case F.COLLECTIVE_AGREEMENT_DATE:
            return DayMonthYearField(label=FIELD_LABELS[F.COLLECTIVE_AGREEMENT_DATE], required=False)
        case F.EMPLOYER_AGREEMENT:
            return YesNoField(label=FIELD_LABELS[F.EMPLOYER_AGREEMENT])
        case F.SHORTER_NOTICE_AGREED:
            return forms.BooleanField(label=FIELD_LABELS[F.SHORTER_NOTICE_AGREED], required=False)
        case F.CHILD_BIRTH_DATE:
            return DayMonthYearField(label=FIELD_LABELS[F.CHILD_BIRTH_DATE], required=False)
        case F.CHILD_ADOPTED_ON:
            return DayMonthYearField(
                label=FIELD_LABELS[F.CHILD_ADOPTED_ON],
                required=False,
                help_text=_("Only for an adoption."),
            )
        case F.CHILD_DISABLED:
            return YesNoField(label=FIELD_LABELS[F.CHILD_DISABLED])
        case F.CHILD_NISS:
            return NissField(label=FIELD_LABELS[F.CHILD_NISS], required=False)
        case F.PATIENT_NISS:
            return NissField(label=FIELD_LABELS[F.PATIENT_NISS], required=False)
        case F.PATIENT_BIRTH_DATE:
            return DayMonthYearField(label=FIELD_LABELS[F.PATIENT_BIRTH_DATE], required=False)
        case F.SINGLE_PARENT:
            return forms.BooleanField(label=FIELD_LABELS[F.SINGLE_PARENT], required=False)
        case F.END_OF_CAREER_EXCEPTION:
            return forms.ChoiceField(
                label=FIELD_LABELS[F.END_OF_CAREER_EXCEPTION],
                choices=[
                    ("", pgettext_lazy("end of career exception", "None (age 60)")),
                    *EndOfCareerException.choices,
                ],
                required=False,
            )
        case F.CAREER_YEARS:
            field = _hours(FIELD_LABELS[F.CAREER_YEARS], maximum=60)
            field.required = False
            return field
        case F.CAREGIVER_RECOGNITION:
            return YesNoField(label=FIELD_LABELS[F.CAREGIVER_RECOGNITION])
        case F.REPLACEMENT:
            return YesNoField(label=FIELD_LABELS[F.REPLACEMENT])
    raise ValueError(name)  # pragma: no cover - every LeaveField is handled above


# Chosen in step 5, not in step 6.
NOT_IN_STEP_6 = frozenset({F.KIND, F.RELATED_TICKET})


def leave_fields(leave_type: LeaveType, *, sector: str, reference_headcount: int | None) -> list[LeaveField]:
    """Every field any form of this type needs: the form is chosen on the same page, so fields that only
    some forms need are shown with a hint, and ignored for the other forms."""
    seen: dict[LeaveField, None] = {}
    for form in CATALOGUE[leave_type].forms:
        for name in fields_for(leave_type, form, sector=sector, reference_headcount=reference_headcount):
            if name not in NOT_IN_STEP_6:
                seen[name] = None
    order = list(LeaveField)
    return sorted(seen, key=order.index)


class LeaveDataForm(_ValidatedOnly, forms.Form):
    def __init__(
        self,
        *args: Any,
        leave_type: LeaveType,
        sector: str,
        reference_headcount: int | None,
        copy_fields: bool = True,
        **kwargs: Any,
    ) -> None:
        """``copy_fields=False`` for a form that is only validated, never drawn nor changed (the API's
        filing, ``interruptions.filing``): its fields are then the kept ones themselves, not copies (a
        field keeps nothing of what it validates; copying them was a sixth of an API validation's CPU,
        ADR 0034), and cleaned without bound fields (ADR 0042)."""
        if not copy_fields:
            kwargs.setdefault("label_suffix", "")  # never drawn: not the translated ":" of each form
        super().__init__(*args, **kwargs)
        self._validated_only = not copy_fields
        self.leave_type = leave_type
        self.sector = sector
        self.reference_headcount = reference_headcount
        for name, field in _leave_fields_made(
            leave_type, sector=sector, reference_headcount=reference_headcount, language=get_language() or ""
        ):
            # As a form copies its declared fields, unless it is only validated.
            self.fields[name] = copy.deepcopy(field) if copy_fields else field

    def relevant_values(self) -> dict[str, Any]:
        """The cleaned values the chosen form needs; the others are dropped."""
        form = LeaveForm(self.cleaned_data[F.FORM.value])
        needed = {
            name.value
            for name in fields_for(
                self.leave_type,
                form,
                sector=self.sector,
                reference_headcount=self.reference_headcount,
                end_of_career_exception=self.cleaned_data.get(F.END_OF_CAREER_EXCEPTION.value) or None,
            )
        }
        return {key: value for key, value in self.cleaned_data.items() if key in needed and value is not None}


@functools.lru_cache(maxsize=512)
def _leave_fields_made(
    leave_type: LeaveType, *, sector: str, reference_headcount: int | None, language: str
) -> tuple[tuple[str, forms.Field], ...]:
    """Step 6's fields for this type and enterprise, made once per process and language (some labels are
    translated when the field is made); each form takes copies of them, as Django's forms copy their
    declared fields (ADR 0030: making them was a twentieth of an API validation's CPU)."""
    return tuple(
        (name.value, _field(name, leave_type))
        for name in leave_fields(leave_type, sector=sector, reference_headcount=reference_headcount)
    )


# A date as the web's three inputs accept it, typed in one string: 2027-02-01 (ISO), 01/02/2027,
# 1.2.2027 or 1-2-2027 (day first).
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*$")


def _date_parts(value: Any) -> list[str]:
    if isinstance(value, datetime.date):
        return [str(value.day), str(value.month), str(value.year)]
    text = str(value)
    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
        return [day, month, year]
    if match := _DAY_FIRST.match(text):
        return list(match.groups())
    # Not a date in any accepted shape: the field says so with its own message.
    return [text, "", ""] if text.strip() else ["", "", ""]


_DATE, _YES_NO, _BOOLEAN, _TEXT = "date", "yes_no", "boolean", "text"


def _kind(field: forms.Field) -> str:
    if isinstance(field, DayMonthYearField):
        return _DATE
    if isinstance(field, YesNoField):
        return _YES_NO
    if isinstance(field, forms.BooleanField):
        return _BOOLEAN
    return _TEXT


@functools.lru_cache(maxsize=512)
def leave_form_shape(
    leave_type: LeaveType, *, sector: str, reference_headcount: int | None
) -> tuple[tuple[str, str], ...]:
    """The names of step 6's fields for this type and enterprise, each with how the browser posts it;
    built once per process and key (the fields depend on nothing else)."""
    return tuple(
        (name.value, _kind(_field(name, leave_type)))
        for name in leave_fields(leave_type, sector=sector, reference_headcount=reference_headcount)
    )


def leave_form_data(
    form: forms.Form | tuple[tuple[str, str], ...], values: Mapping[str, Any]
) -> dict[str, Any]:
    """``values`` (JSON: ISO or day-first dates, booleans, numbers or strings) as the browser would post
    them to ``form`` (the form, or its ``leave_form_shape``), so that binding the form checks them
    exactly as step 6 checks a typed page. Names the form does not have are left out (the type does not
    use them)."""
    shape = (
        tuple((name, _kind(field)) for name, field in form.fields.items())
        if isinstance(form, forms.Form)
        else form
    )
    data: dict[str, Any] = {}
    for name, kind in shape:
        value = values.get(name)
        if value is None:
            continue
        if kind == _DATE:
            for index, part in enumerate(_date_parts(value)):
                data[f"{name}_{index}"] = part
        elif kind == _YES_NO:
            data[name] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        elif kind == _BOOLEAN:
            if value is True or str(value).lower() in ("true", "yes", "on", "1"):
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def worker_form_data(niss: str, status: str, joint_committee: str) -> dict[str, str]:
    """Step 4's choice as the browser posts it to ``WorkerSelectForm``."""
    return {"niss": niss, "status": status, "joint_committee": joint_committee}
