"""How the months of earlier and pending leaves count against a maximum — one computation, read by the
rules (parental, medical assistance, palliative care, caregiver leave, time credit, public career break)
and by the worker's "Mes droits" page and its attestation (`interruptions.rights`).

A `Counter` names the periods that count (the types, and for the public career break the full or the
partial forms), whether the law counts per child, per patient or person helped, or over the career, and
how a month of each form converts into the unit of the maximum:

- parental leave: "4 months full-time per child or the equivalent (8 half-time, 20 at 1/5, 40 at 1/10)",
  so a month at 1/n is 1/n full-time month (`FULL_TIME_EQUIVALENT`) [S48];
- medical assistance and caregiver leave: "N months full-time or 2N partial", so a partial month (1/2 or
  1/5) is half a full-time month (`PARTIAL_MONTH_AS_HALF`) [S54][S61][S62] — how the forms combine is not
  in the research [U];
- time credit (51 months all motives, 36 training), palliative care (3 months per patient) and the public
  career break (60 full + 60 partial): calendar months whatever the form (no weights) [S14][S26][S57].

Pure: no database, no clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from careerbreak.interruptions.rules.base import PriorPeriod
from careerbreak.interruptions.rules.dates import months_between
from careerbreak.interruptions.types import LeaveForm, LeaveType

# Parental leave: a month at 1/n of the working time is 1/n of a full-time month.
FULL_TIME_EQUIVALENT: Mapping[LeaveForm, Fraction] = {form: Fraction(1, form.share) for form in LeaveForm}

# Thematic leaves whose maxima read "N months full-time or 2N partial" (medical assistance, caregiver): a
# partial month (1/2, 1/5; 1/10 where an older record has it) counts half a full-time month [U].
PARTIAL_MONTH_AS_HALF: Mapping[LeaveForm, Fraction] = {
    LeaveForm.FULL: Fraction(1),
    LeaveForm.HALF: Fraction(1, 2),
    LeaveForm.ONE_FIFTH: Fraction(1, 2),
    LeaveForm.ONE_TENTH: Fraction(1, 2),
}

# Time credit with motive: the types that share the 51-month career maximum.
MOTIVES: frozenset[LeaveType] = frozenset(
    {
        LeaveType.TC_CHILD_CARE,
        LeaveType.TC_PALLIATIVE,
        LeaveType.TC_SERIOUS_ILLNESS,
        LeaveType.TC_DISABLED_CHILD,
        LeaveType.TC_SERIOUSLY_ILL_MINOR,
        LeaveType.TC_TRAINING,
    }
)


class Per(StrEnum):
    CAREER = "career"
    CHILD = "child"
    PATIENT = "patient"  # the patient (medical assistance, palliative care) or the person helped (caregiver)


@dataclass(frozen=True)
class Counter:
    """Which periods count against one maximum, and how much each month of them weighs."""

    key: str
    types: frozenset[LeaveType]
    per: Per = Per.CAREER
    # A month of each form in the unit of the maximum; None: calendar months whatever the form.
    weights: Mapping[LeaveForm, Fraction] | None = None
    # Only periods of these forms (the public career break counts full and partial apart); None: all.
    forms: frozenset[LeaveForm] | None = None

    @property
    def full_time(self) -> bool:
        """The maximum is in full-time months (the forms are weighed), not calendar months."""
        return self.weights is not None

    def weight(self, form: LeaveForm) -> Fraction:
        return self.weights[form] if self.weights is not None else Fraction(1)

    def counts(self, period: PriorPeriod, subject_niss: str | None = None) -> bool:
        if period.leave_type not in self.types:
            return False
        if self.forms is not None and period.form not in self.forms:
            return False
        return subject_niss is None or period.subject_niss == subject_niss

    def months(self, period: PriorPeriod, *, until: datetime.date | None = None) -> Fraction:
        """The months this period uses, in the unit of the maximum (up to `until` when given)."""
        end = min(period.end, until) if until else period.end
        return months_between(period.start, end) * self.weight(period.form)

    def used(
        self,
        periods: Iterable[PriorPeriod],
        subject_niss: str | None = None,
        *,
        until: datetime.date | None = None,
    ) -> Fraction:
        """Months already used or requested in `periods` (for this child or patient when given)."""
        return sum(
            (self.months(p, until=until) for p in periods if self.counts(p, subject_niss)), Fraction(0)
        )

    def subjects(self, periods: Iterable[PriorPeriod]) -> list[str]:
        """The children or patients named in the counted periods, in order of their first period ("" for
        periods that name none)."""
        seen: dict[str, None] = {}
        for period in sorted(periods, key=lambda p: p.start):
            if self.counts(period):
                seen.setdefault(period.subject_niss, None)
        return list(seen)


PARENTAL = Counter("parental", frozenset({LeaveType.PARENTAL}), Per.CHILD, FULL_TIME_EQUIVALENT)
MEDICAL_ASSISTANCE = Counter(
    "medical_assistance", frozenset({LeaveType.MEDICAL_ASSISTANCE}), Per.PATIENT, PARTIAL_MONTH_AS_HALF
)
PALLIATIVE = Counter("palliative", frozenset({LeaveType.PALLIATIVE}), Per.PATIENT)
CAREGIVER_PER_PERSON = Counter(
    "caregiver_person", frozenset({LeaveType.CAREGIVER}), Per.PATIENT, PARTIAL_MONTH_AS_HALF
)
CAREGIVER_CAREER = Counter(
    "caregiver_career", frozenset({LeaveType.CAREGIVER}), Per.CAREER, PARTIAL_MONTH_AS_HALF
)
TIME_CREDIT_MOTIVES = Counter("time_credit", MOTIVES)
TIME_CREDIT_TRAINING = Counter("time_credit_training", frozenset({LeaveType.TC_TRAINING}))
# The child-care allowance's 48 (51) months.
TIME_CREDIT_CHILD_CARE = Counter("time_credit_child_care", frozenset({LeaveType.TC_CHILD_CARE}))
PUBLIC_FULL = Counter(
    "public_full", frozenset({LeaveType.PUBLIC_CAREER_BREAK}), forms=frozenset({LeaveForm.FULL})
)
PUBLIC_PARTIAL = Counter(
    "public_partial",
    frozenset({LeaveType.PUBLIC_CAREER_BREAK}),
    forms=frozenset(form for form in LeaveForm if form.is_partial),
)
END_OF_CAREER = Counter("end_of_career", frozenset({LeaveType.TC_END_OF_CAREER}))
