"""The catalogue of request types (DOMAIN.md §4) as data, and the vocabulary of step 6 (DOMAIN.md §5).

Pure Python: no model, no database. The employer's step 5 offers `types_for(sector, status)`; step 6 shows
`fields_for(leave_type, form, ...)` and nothing else; the rules in `interruptions.rules` read the same
catalogue, so that a type's forms, sectors and starred forms are written down once.

Where DOMAIN.md and `reference/domain-research.md` differ, DOMAIN.md decides (its own rule); differences
are noted where they matter.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

# The shared vocabularies live one floor below every app (ADR 0011); re-exported here for the rules.
from careerbreak.vocabularies import LeaveForm as LeaveForm
from careerbreak.vocabularies import LeaveType as LeaveType
from careerbreak.vocabularies import Sector as Sector
from careerbreak.vocabularies import WorkerStatusCode as WorkerStatusCode

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

PUBLIC_SECTORS: frozenset[Sector] = frozenset(
    {Sector.FEDERAL_PUBLIC, Sector.REGIONAL_PUBLIC, Sector.LOCAL_PUBLIC, Sector.EDUCATION}
)
ALL_SECTORS: frozenset[Sector] = frozenset(Sector)
# The public sectors whose ordinary career break ONEM still handles (domain-research §0).
ONEM_CAREER_BREAK_SECTORS: frozenset[Sector] = frozenset({Sector.FEDERAL_PUBLIC, Sector.EDUCATION})

PRIVATE_STATUSES: frozenset[WorkerStatusCode] = frozenset(
    {WorkerStatusCode.PRIVATE_BLUE_COLLAR, WorkerStatusCode.PRIVATE_WHITE_COLLAR}
)
ALL_STATUSES: frozenset[WorkerStatusCode] = frozenset(WorkerStatusCode)


class LeaveFamily(models.TextChoices):
    TIME_CREDIT = "time_credit", _("Time credit")
    THEMATIC = "thematic", _("Thematic leave")
    PUBLIC_CAREER_BREAK = "public_career_break", _("Career break (public sector)")


class RequestKind(models.TextChoices):
    NEW = "new", _("New request")
    EXTENSION = "extension", _("Extension of a request")
    MODIFICATION = "modification", _("Modification of a request")
    CANCELLATION = "cancellation", _("Cancellation of a request")


class PriorRegime(models.TextChoices):
    """The worker's working regime over a reference period before the notice (12 or 24 months)."""

    FULL_TIME = "full_time", _("Full-time")
    AT_LEAST_THREE_QUARTERS = "three_quarters", _("At least three-quarter time, not full-time")
    PART_TIME = "part_time", _("Part-time, less than three-quarter time")


class EndOfCareerException(models.TextChoices):
    """Exceptions that open the end-of-career job from 55 (CCT 174 plus a sector or company CCT).

    domain-research §1.2 [C] [S43][S44][S45].
    """

    HEAVY_JOB = "heavy_job", _("Heavy job (5 of the last 10 or 7 of the last 15 years)")
    NIGHT_WORK = "night_work", _("20 years of night work")
    CONSTRUCTION = "construction", _("Construction (joint committee 124) with a medical certificate")
    COMPANY_IN_DIFFICULTY = "company_in_difficulty", _("Company in difficulty or restructuring")
    ADAPTED_WORK = "adapted_work", _("Adapted work (joint committee 327)")
    LONG_CAREER = "long_career", _("Long career (35 years)")


class LeaveField(StrEnum):
    """The fields of step 6 (DOMAIN.md §5). Each value is the name of a `LeaveRequestFacts` attribute."""

    KIND = "kind"
    RELATED_TICKET = "related_ticket"
    NOTICE_DATE = "notice_date"
    START = "start"
    END = "end"
    FORM = "form"
    WEEKLY_HOURS = "weekly_hours"  # Q
    REFERENCE_HOURS = "reference_hours"  # S
    DAYS_PER_WEEK = "days_per_week"
    HOURS_DURING_LEAVE = "hours_during_leave"
    REGIME_12_MONTHS = "regime_12_months"
    REGIME_24_MONTHS = "regime_24_months"
    MONTHS_OF_CONTRACT_LAST_15 = "months_of_contract_last_15"
    COLLECTIVE_AGREEMENT_NUMBER = "collective_agreement_number"
    COLLECTIVE_AGREEMENT_DATE = "collective_agreement_date"
    EMPLOYER_AGREEMENT = "employer_agreement"
    SHORTER_NOTICE_AGREED = "shorter_notice_agreed"
    CHILD_BIRTH_DATE = "child_birth_date"
    CHILD_ADOPTED_ON = "child_adopted_on"
    CHILD_DISABLED = "child_disabled"
    CHILD_NISS = "child_niss"
    PATIENT_NISS = "patient_niss"
    PATIENT_BIRTH_DATE = "patient_birth_date"
    SINGLE_PARENT = "single_parent"
    END_OF_CAREER_EXCEPTION = "end_of_career_exception"
    CAREER_YEARS = "career_years"
    CAREGIVER_RECOGNITION = "caregiver_recognition"
    REPLACEMENT = "replacement"


F = LeaveField

# Every request shows these, whatever its type (DOMAIN.md §5).
COMMON_FIELDS: tuple[LeaveField, ...] = (
    F.KIND,
    F.RELATED_TICKET,
    F.NOTICE_DATE,
    F.START,
    F.END,
    F.FORM,
    F.WEEKLY_HOURS,
    F.REFERENCE_HOURS,
    F.DAYS_PER_WEEK,
    F.SHORTER_NOTICE_AGREED,
)

CHILD_FIELDS: tuple[LeaveField, ...] = (F.CHILD_BIRTH_DATE, F.CHILD_ADOPTED_ON)


@dataclass(frozen=True)
class LeaveTypeSpec:
    """One row of the catalogue.

    `agreement_forms` are the starred forms of DOMAIN.md §4: open only where a sector or company
    collective agreement opens them (the employer gives its registration number and date).
    `available_from` holds, per sector, the first start date the type exists for (absent: always).
    `fields` are the type's own step-6 fields, on top of `COMMON_FIELDS` and the conditional ones that
    `fields_for` adds.
    """

    code: LeaveType
    family: LeaveFamily
    sectors: frozenset[Sector]
    statuses: frozenset[WorkerStatusCode]
    forms: tuple[LeaveForm, ...]
    agreement_forms: frozenset[LeaveForm] = frozenset()
    fields: tuple[LeaveField, ...] = ()
    available_from: Mapping[Sector, datetime.date] = field(default_factory=dict)

    @property
    def label(self) -> StrPromise:
        return self.code.label

    def offered(self, sector: str, status: str, on: datetime.date | None = None) -> bool:
        if sector not in self.sectors or status not in self.statuses:
            return False
        since = self.available_from.get(Sector(sector))
        return on is None or since is None or on >= since


FULL, HALF, FIFTH, TENTH = LeaveForm.FULL, LeaveForm.HALF, LeaveForm.ONE_FIFTH, LeaveForm.ONE_TENTH
_TC = LeaveFamily.TIME_CREDIT
_TH = LeaveFamily.THEMATIC
_PRIVATE = frozenset({Sector.PRIVATE})

# Public career break: federal civil servants, not trainees [C] [S66][S67]; teaching staff [C] [S70].
_PUBLIC_CAREER_BREAK_STATUSES = frozenset(
    {
        WorkerStatusCode.PUBLIC_CONTRACTUAL,
        WorkerStatusCode.PUBLIC_STATUTORY,
        WorkerStatusCode.TEACHING_STAFF,
        WorkerStatusCode.AUTONOMOUS_PUBLIC_COMPANY,
    }
)

_STANDARD_FORMS = (FULL, HALF, FIFTH)
# The time-credit forms a sector or company collective agreement must open (DOMAIN.md §4, starred).
_AGREEMENT_FORMS = frozenset({FULL, HALF})


def _time_credit(code: LeaveType, **values: Any) -> LeaveTypeSpec:
    """A time-credit type: private sector, private-sector statuses, full, half or 1/5 unless it says."""
    values.setdefault("forms", _STANDARD_FORMS)
    return LeaveTypeSpec(code=code, family=_TC, sectors=_PRIVATE, statuses=PRIVATE_STATUSES, **values)


def _thematic(code: LeaveType, **values: Any) -> LeaveTypeSpec:
    """A thematic leave: every sector and status, full, half or 1/5 unless it says."""
    values.setdefault("forms", _STANDARD_FORMS)
    return LeaveTypeSpec(code=code, family=_TH, sectors=ALL_SECTORS, statuses=ALL_STATUSES, **values)


_SPECS: tuple[LeaveTypeSpec, ...] = (
    _time_credit(LeaveType.TC_CHILD_CARE, agreement_forms=_AGREEMENT_FORMS, fields=CHILD_FIELDS),
    _time_credit(LeaveType.TC_PALLIATIVE, agreement_forms=_AGREEMENT_FORMS),
    _time_credit(LeaveType.TC_SERIOUS_ILLNESS, agreement_forms=_AGREEMENT_FORMS),
    _time_credit(LeaveType.TC_DISABLED_CHILD, fields=(*CHILD_FIELDS, F.CHILD_DISABLED)),
    _time_credit(LeaveType.TC_SERIOUSLY_ILL_MINOR, fields=(F.CHILD_BIRTH_DATE,)),
    _time_credit(LeaveType.TC_TRAINING, agreement_forms=_AGREEMENT_FORMS),
    _time_credit(
        LeaveType.TC_END_OF_CAREER,
        forms=(HALF, FIFTH),
        # The regime over 24 months is a condition of the right [C] [S39]; the exception (from 55) needs a
        # sector or company CCT, whose number and date fields_for adds when an exception is invoked.
        fields=(F.REGIME_24_MONTHS, F.CAREER_YEARS, F.END_OF_CAREER_EXCEPTION),
    ),
    _thematic(
        LeaveType.PARENTAL,
        forms=(FULL, HALF, FIFTH, TENTH),
        fields=(*CHILD_FIELDS, F.CHILD_DISABLED, F.CHILD_NISS),
    ),
    _thematic(LeaveType.MEDICAL_ASSISTANCE, fields=(F.PATIENT_NISS, F.PATIENT_BIRTH_DATE, F.SINGLE_PARENT)),
    _thematic(LeaveType.PALLIATIVE, fields=(F.PATIENT_NISS,)),
    _thematic(
        LeaveType.CAREGIVER,
        fields=(F.PATIENT_NISS, F.CAREGIVER_RECOGNITION),
        # Since 1.09.2020; public sector: regions/communities 1.09.2020, federal state and autonomous public
        # companies 1.01.2021 [C] [S61][S62]. Local and education: not given, assumed with the private sector.
        available_from=MappingProxyType(
            {
                Sector.PRIVATE: datetime.date(2020, 9, 1),
                Sector.REGIONAL_PUBLIC: datetime.date(2020, 9, 1),
                Sector.LOCAL_PUBLIC: datetime.date(2020, 9, 1),
                Sector.EDUCATION: datetime.date(2020, 9, 1),
                Sector.FEDERAL_PUBLIC: datetime.date(2021, 1, 1),
            }
        ),
    ),
    LeaveTypeSpec(
        code=LeaveType.PUBLIC_CAREER_BREAK,
        family=LeaveFamily.PUBLIC_CAREER_BREAK,
        # Only where ONEM still handles it (domain-research §0 [C] [S25][S42]): the federal public sector
        # (with the autonomous public companies) and education. Regional and local administrations file
        # only thematic leaves with ONEM: their ordinary career break was regionalised by the 6th state
        # reform (Flemish public sector: zorgkrediet since 2.09.2016). Issue 11.6.
        sectors=ONEM_CAREER_BREAK_SECTORS,
        statuses=_PUBLIC_CAREER_BREAK_STATUSES,
        forms=_STANDARD_FORMS,
        fields=(F.REPLACEMENT,),
    ),
)

CATALOGUE: Mapping[LeaveType, LeaveTypeSpec] = MappingProxyType({spec.code: spec for spec in _SPECS})


def types_for(
    sector: str, worker_status_code: str, *, on: datetime.date | None = None
) -> tuple[LeaveTypeSpec, ...]:
    """The request types offered for this sector and worker status, in catalogue order.

    With `on` (the start date, when known), a type not yet in force for the sector on that day is left out.
    Unknown sector or status values offer nothing.
    """
    if on is None:
        return _types_offered(sector, worker_status_code)
    return tuple(spec for spec in _SPECS if spec.offered(sector, worker_status_code, on))


@functools.lru_cache(maxsize=128)
def _types_offered(sector: str, worker_status_code: str) -> tuple[LeaveTypeSpec, ...]:
    """``types_for`` on no particular day: the catalogue is fixed, so it is worked out once per process
    for each sector and status (a handful of each; ADR 0045)."""
    return tuple(spec for spec in _SPECS if spec.offered(sector, worker_status_code))


@functools.lru_cache(maxsize=128)
def type_codes_offered(sector: str, worker_status_code: str) -> frozenset[str]:
    """The codes of ``types_for(sector, worker_status_code)``, kept per process as it is."""
    return frozenset(spec.code.value for spec in _types_offered(sector, worker_status_code))


# Time credit needs the employer's agreement in enterprises of 10 workers or fewer (CCT 103) [C] [S32]. The
# rules read the same figure (rules.time_credit); fields_for only decides whether to show the field.
TIME_CREDIT_AGREEMENT_MAX_HEADCOUNT = 10


def fields_for(
    leave_type: LeaveType | str,
    form: LeaveForm | str,
    *,
    sector: str | None = None,
    reference_headcount: int | None = None,
    end_of_career_exception: str | None = None,
) -> tuple[LeaveField, ...]:
    """The step-6 fields this type and form need, and only those, in display order.

    Fields that depend on the enterprise (employer agreement by headcount, contract months in the private
    sector, the collective agreement behind an end-of-career exception) are included when the value that
    decides is unknown, so that nothing needed is hidden. `end_of_career_exception`: None while not
    chosen (the agreement fields are shown), "" when the worker invokes none.
    """
    spec = CATALOGUE[LeaveType(leave_type)]
    form = LeaveForm(form)
    fields: list[LeaveField] = list(COMMON_FIELDS)
    if form.is_partial:
        fields.append(F.HOURS_DURING_LEAVE)
    time_credit_full = spec.family is LeaveFamily.TIME_CREDIT and form is FULL
    # The end-of-career job looks at the 24 months before the notice instead (its own fields).
    if (form.is_partial or time_credit_full) and spec.code is not LeaveType.TC_END_OF_CAREER:
        fields.append(F.REGIME_12_MONTHS)
    if time_credit_full:
        # Allowance for a full suspension: 12 months full-time or 24 months part-time (from 1.02.2023) [C].
        fields.append(F.REGIME_24_MONTHS)
    if spec.code is LeaveType.PARENTAL and sector in (None, Sector.PRIVATE):
        fields.append(F.MONTHS_OF_CONTRACT_LAST_15)
    fields.extend(spec.fields)
    if form in spec.agreement_forms or (
        spec.code is LeaveType.TC_END_OF_CAREER and end_of_career_exception != ""
    ):
        fields += [F.COLLECTIVE_AGREEMENT_NUMBER, F.COLLECTIVE_AGREEMENT_DATE]
    if _needs_employer_agreement_field(spec, form, reference_headcount):
        fields.append(F.EMPLOYER_AGREEMENT)
    return tuple(dict.fromkeys(fields))


def _needs_employer_agreement_field(
    spec: LeaveTypeSpec, form: LeaveForm, reference_headcount: int | None
) -> bool:
    if spec.family is LeaveFamily.TIME_CREDIT:
        # Small enterprises; and from 1.01.2026 a 1/5 over fewer than 5 days a week, with written agreement.
        small = reference_headcount is None or reference_headcount <= TIME_CREDIT_AGREEMENT_MAX_HEADCOUNT
        return small or form is FIFTH
    # Parental leave: 1/10 and the flexible forms (weeks, half-time by month) need it; medical assistance:
    # full-time in weeks needs it, and a small employer may refuse. Shown whatever the form.
    return spec.code in (LeaveType.PARENTAL, LeaveType.MEDICAL_ASSISTANCE)
