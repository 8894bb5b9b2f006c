"""The schema of a draft's content (`Draft.data`): what steps 4 to 6 entered, as typed values.

`Draft.data` stays a JSON object in the database; `DraftData.from_json` reads it, `DraftData.to_json`
writes it. Code reads and writes a draft through `Draft.content` (a `DraftData`), never by string key.

The stored shape, version 2::

    {"schema_version": 2,
     "worker": {"niss": "…", "status": "…", "joint_committee": "…"},          # step 4
     "type": {"leave_type": "…", "kind": "…", "related_ticket": "…"},         # step 5
     "leave": {"start": "2027-02-01", "weekly_hours": "38", "child_disabled": false, …},  # step 6
     "sources": {"weekly_hours": "dimona", "child_birth_date": "register", "start": "employer", …}}

A section not reached yet is absent. ``sources`` says where each step-6 value came from (`ValueSource`:
the national register, Dimona, computed from other values, or entered by the employer); a value without
a source was entered by the employer (the API's values, say). Drafts saved before the schema had no
``schema_version`` and the same sections: `from_json` reads them as version 1 (version 0 is that
upgrade); version 1 had no sources: its values were all confirmed by the employer on step 6, so the
upgrade to version 2 marks them "employer". Each later version adds its upgrade to `_UPGRADES`.

The labels of step 6 live here too (`FIELD_LABELS`, `field_label`): the form of step 6, the summary of
step 7 and the PDF read them from this one place.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from careerbreak.interruptions.types import EndOfCareerException, LeaveField, PriorRegime, RequestKind
from careerbreak.vocabularies import LeaveForm, LeaveType

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

SCHEMA_VERSION = 2


class ValueSource(models.TextChoices):
    """Where a step-6 value came from: prefilled from a registry, computed, or entered by the employer."""

    # Shown after a value, in brackets, on the summary: lower case.
    REGISTER = "register", _("from the national register")
    DIMONA = "dimona", _("from the Dimona declaration")
    COMPUTED = "computed", _("computed from the hours and the form")
    EMPLOYER = "employer", _("entered by the employer")


F = LeaveField

# The labels of step 6 (DOMAIN §2, §5), defined once: the form, the summary and the PDF use them.
FIELD_LABELS: Mapping[LeaveField, StrPromise] = {
    F.RELATED_TICKET: _("Ticket of the related request"),
    F.NOTICE_DATE: _("Date of the written notice"),
    F.START: _("Start date"),
    F.END: _("End date"),
    F.FORM: _("Form of the interruption"),
    F.WEEKLY_HOURS: _("Worker's weekly hours (Q)"),
    F.REFERENCE_HOURS: _("Weekly hours of a full-time worker (S)"),
    F.DAYS_PER_WEEK: _("Working days a week"),
    F.HOURS_DURING_LEAVE: _("Weekly hours during the leave"),
    F.MONTHS_OF_CONTRACT_LAST_15: _("Months under contract with you in the last 15 months"),
    F.COLLECTIVE_AGREEMENT_NUMBER: _("Registration number of the collective agreement"),
    F.COLLECTIVE_AGREEMENT_DATE: _("Date of the collective agreement"),
    F.EMPLOYER_AGREEMENT: _("Has the employer agreed to this leave?"),
    F.SHORTER_NOTICE_AGREED: _("The employer and the worker agreed on a shorter notice"),
    F.CHILD_BIRTH_DATE: _("Date of birth of the child"),
    F.CHILD_ADOPTED_ON: _("Date of registration of the adopted child in the household"),
    F.CHILD_DISABLED: _("Does the child have a recognised disability?"),
    F.CHILD_NISS: _("National register number of the child"),
    F.PATIENT_NISS: _("National register number of the person cared for"),
    F.PATIENT_BIRTH_DATE: _("Date of birth of the person cared for"),
    F.SINGLE_PARENT: _("The worker is a single parent"),
    F.END_OF_CAREER_EXCEPTION: _("Exception invoked"),
    F.CAREER_YEARS: _("Years of professional career"),
    F.CAREGIVER_RECOGNITION: _("Is the worker recognised as a caregiver by the health insurance fund?"),
    F.REPLACEMENT: _("Will the worker be replaced?"),
}
# The regime fields share one msgid with the number of months as a parameter.
REGIME_MONTHS: Mapping[LeaveField, int] = {F.REGIME_12_MONTHS: 12, F.REGIME_24_MONTHS: 24}


def field_label(name: str) -> str:
    """The label of a step-6 field in the active language; an unknown name is returned as it is."""
    if name in REGIME_MONTHS:
        return gettext("Employment during the %(months)s months before the notice") % {
            "months": REGIME_MONTHS[LeaveField(name)]
        }
    try:
        label = FIELD_LABELS.get(LeaveField(name))
    except ValueError:
        return name
    return str(label) if label is not None else name


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float | bool):
        raise TypeError(value)
    return Decimal(value)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    # Yes/no radios stored as their posted value.
    if value in ("yes", "no"):
        return bool(value == "yes")
    raise TypeError(value)


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(value)


def _enum(enum: Any) -> Callable[[Any], Any]:
    return lambda value: enum(value)


# How each step-6 value is read from JSON (or from a form's cleaned value).
_PARSERS: Mapping[str, Callable[[Any], Any]] = {
    F.NOTICE_DATE: _date,
    F.START: _date,
    F.END: _date,
    F.FORM: _enum(LeaveForm),
    F.WEEKLY_HOURS: _decimal,
    F.REFERENCE_HOURS: _decimal,
    F.DAYS_PER_WEEK: _decimal,
    F.HOURS_DURING_LEAVE: _decimal,
    F.REGIME_12_MONTHS: _enum(PriorRegime),
    F.REGIME_24_MONTHS: _enum(PriorRegime),
    F.MONTHS_OF_CONTRACT_LAST_15: _decimal,
    F.COLLECTIVE_AGREEMENT_NUMBER: _str,
    F.COLLECTIVE_AGREEMENT_DATE: _date,
    F.EMPLOYER_AGREEMENT: _bool,
    F.SHORTER_NOTICE_AGREED: _bool,
    F.CHILD_BIRTH_DATE: _date,
    F.CHILD_ADOPTED_ON: _date,
    F.CHILD_DISABLED: _bool,
    F.CHILD_NISS: _str,
    F.PATIENT_NISS: _str,
    F.PATIENT_BIRTH_DATE: _date,
    F.SINGLE_PARENT: _bool,
    F.END_OF_CAREER_EXCEPTION: _enum(EndOfCareerException),
    F.CAREER_YEARS: _decimal,
    F.CAREGIVER_RECOGNITION: _bool,
    F.REPLACEMENT: _bool,
}

# Kept in the request's columns rather than among its details.
_NOT_DETAILS = frozenset({F.NOTICE_DATE, F.START, F.END, F.FORM})


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, LeaveForm | LeaveType | PriorRegime | EndOfCareerException | RequestKind):
        return value.value
    return value


@dataclass(frozen=True)
class WorkerChoice:
    """Step 4: the worker, their status and joint committee."""

    niss: str
    status: str
    joint_committee: str = ""

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> WorkerChoice:
        return cls(
            niss=str(values.get("niss") or ""),
            status=str(values.get("status") or ""),
            joint_committee=str(values.get("joint_committee") or ""),
        )

    def to_json(self) -> dict[str, Any]:
        return {"niss": self.niss, "status": self.status, "joint_committee": self.joint_committee}


@dataclass(frozen=True)
class TypeChoice:
    """Step 5: the type of interruption, and whether the request is new, extends or modifies another."""

    leave_type: LeaveType
    kind: RequestKind = RequestKind.NEW
    # The request extended or modified.
    related_ticket: str = ""

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> TypeChoice:
        return cls(
            leave_type=LeaveType(values["leave_type"]),
            kind=RequestKind(values.get("kind") or RequestKind.NEW),
            related_ticket=str(values.get("related_ticket") or ""),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "leave_type": self.leave_type.value,
            "kind": self.kind.value,
            "related_ticket": self.related_ticket,
        }


@dataclass(frozen=True)
class LeaveData:
    """Step 6: the leave's values, typed. A value not entered (or not readable) is None."""

    notice_date: datetime.date | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    form: LeaveForm | None = None
    weekly_hours: Decimal | None = None
    reference_hours: Decimal | None = None
    days_per_week: Decimal | None = None
    hours_during_leave: Decimal | None = None
    regime_12_months: PriorRegime | None = None
    regime_24_months: PriorRegime | None = None
    months_of_contract_last_15: Decimal | None = None
    collective_agreement_number: str | None = None
    collective_agreement_date: datetime.date | None = None
    employer_agreement: bool | None = None
    shorter_notice_agreed: bool | None = None
    child_birth_date: datetime.date | None = None
    child_adopted_on: datetime.date | None = None
    child_disabled: bool | None = None
    child_niss: str | None = None
    patient_niss: str | None = None
    patient_birth_date: datetime.date | None = None
    single_parent: bool | None = None
    end_of_career_exception: EndOfCareerException | None = None
    career_years: Decimal | None = None
    caregiver_recognition: bool | None = None
    replacement: bool | None = None
    # Keys this schema does not know (a request's details copied into an extension, say), kept as they
    # were so that nothing stored is lost.
    other: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> LeaveData:
        """Read JSON values (or a form's cleaned values). Empty ones are skipped, unreadable ones dropped."""
        known: dict[str, Any] = {}
        other: dict[str, Any] = {}
        for key, value in values.items():
            if value in (None, ""):
                continue
            parse = _PARSERS.get(key)
            if parse is None:
                other[key] = value
                continue
            try:
                known[key] = parse(value)
            except (ValueError, TypeError, InvalidOperation):
                continue
        return cls(**known, other=other)

    def as_values(self) -> dict[str, Any]:
        """The values entered, as Python values (dates, decimals, booleans, codes as plain strings)."""
        out: dict[str, Any] = {}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if item.name == "other" or value is None:
                continue
            out[item.name] = value.value if isinstance(value, str) and hasattr(value, "value") else value
        out.update(self.other)
        return out

    def to_json(self) -> dict[str, Any]:
        return {key: _json_value(value) for key, value in self.as_values().items()}

    def replace(self, **changes: Any) -> LeaveData:
        return dataclasses.replace(self, **changes)

    def merged(self, values: Mapping[str, Any]) -> LeaveData:
        """These values with ``values`` (JSON or cleaned form values) entered over them."""
        return LeaveData.from_json({**self.to_json(), **{k: _json_value(v) for k, v in values.items()}})

    def details_json(self) -> dict[str, Any]:
        """The type-specific declarations a request keeps as its details (not the dates or the form)."""
        return {key: value for key, value in self.to_json().items() if key not in _NOT_DETAILS}


def _upgrade_from_0(data: dict[str, Any]) -> dict[str, Any]:
    """Drafts saved before the schema: the same sections, without a version."""
    return {**data, "schema_version": 1}


def _upgrade_from_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept no sources: every value of step 6 was confirmed (or typed) by the employer."""
    leave = data.get("leave")
    upgraded = {**data, "schema_version": 2}
    if isinstance(leave, Mapping) and leave:
        upgraded["sources"] = {key: ValueSource.EMPLOYER.value for key in leave if key in _PARSERS}
    return upgraded


# From version n to n + 1.
_UPGRADES: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: _upgrade_from_0,
    1: _upgrade_from_1,
}


def upgrade(data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored draft content in the current version's shape, whatever version it was saved in."""
    return upgrade_schema(data, version=SCHEMA_VERSION, upgrades=_UPGRADES, what="Draft content")


def upgrade_schema(
    data: Mapping[str, Any],
    *,
    version: int,
    upgrades: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]],
    what: str,
) -> dict[str, Any]:
    """Stored JSON with a ``schema_version`` brought to ``version`` through ``upgrades`` (n → n + 1);
    a version newer than the code is refused (ValueError)."""
    current = dict(data)
    stored = int(current.get("schema_version") or 0)
    if stored > version:
        raise ValueError(f"{what} of schema version {stored}; this code reads up to {version}.")
    while stored < version:
        current = upgrades[stored](current)
        stored = int(current["schema_version"])
    return current


@dataclass(frozen=True)
class DraftData:
    """What a draft holds: one section per step reached (None before it)."""

    worker: WorkerChoice | None = None
    type: TypeChoice | None = None
    leave: LeaveData | None = None
    # Where each step-6 value came from (a field name to a `ValueSource`); absent: the employer's.
    sources: Mapping[str, ValueSource] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> DraftData:
        current = upgrade(data or {})
        worker, chosen, leave = current.get("worker"), current.get("type"), current.get("leave")
        sources: dict[str, ValueSource] = {}
        for key, value in (current.get("sources") or {}).items():
            try:
                sources[str(key)] = ValueSource(value)
            except ValueError:
                continue
        try:
            typed = TypeChoice.from_json(chosen) if chosen is not None else None
        except (KeyError, ValueError):
            # A type this service no longer offers: step 5 is chosen again.
            typed = None
        return cls(
            worker=WorkerChoice.from_json(worker) if worker is not None else None,
            type=typed,
            leave=LeaveData.from_json(leave) if leave is not None else None,
            sources=sources,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema_version": self.schema_version}
        if self.worker is not None:
            out["worker"] = self.worker.to_json()
        if self.type is not None:
            out["type"] = self.type.to_json()
        if self.leave is not None:
            out["leave"] = self.leave.to_json()
        if self.sources:
            out["sources"] = {key: source.value for key, source in sorted(self.sources.items())}
        return out

    def source_of(self, name: str) -> ValueSource:
        """Where the step-6 value ``name`` came from (the employer, unless a source was recorded)."""
        return self.sources.get(name, ValueSource.EMPLOYER)

    def replace(self, **changes: Any) -> DraftData:
        return dataclasses.replace(self, **changes)

    @property
    def complete(self) -> bool:
        """Every section entered (the draft can be checked and confirmed)."""
        return self.worker is not None and self.type is not None and self.leave is not None

    @property
    def is_modification(self) -> bool:
        return self.type is not None and self.type.kind == RequestKind.MODIFICATION
