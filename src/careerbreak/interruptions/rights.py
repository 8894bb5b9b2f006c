"""The worker's rights used and left ("Mes droits") and the attestation of the periods used.

`rights_from(periods, on=...)` is pure: for every maximum of the catalogue (`LIMITS`), the months used
and left — over the career, or per child / per patient where the law counts so — with the periods behind
each figure. It counts with the same `rules.usage` counters the rules' maxima read, and reads each maximum
from the rule module's own table on the day given: the page and the rules cannot disagree.

`worker_rights` and `rights_attestation` read the acting worker's periods (`selectors.prior_periods`: the
requests in the system with any employer and the office's earlier history), audit the read, and give the
page's rows or the PDF (PDF/UA-1, in the worker's language, through `documents.rendering`).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import NotFound
from careerbreak.documents.services import document_bytes, document_store
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.rules import (
    caregiver,
    medical_assistance,
    palliative,
    parental,
    public_career_break,
    time_credit,
    usage,
)
from careerbreak.interruptions.rules.base import Months, PeriodStatus, PriorPeriod, in_force
from careerbreak.interruptions.rules.dates import months_between
from careerbreak.interruptions.selectors import prior_periods
from careerbreak.interruptions.types import CATALOGUE, LeaveForm
from careerbreak.registries.models import Person
from careerbreak.registries.sources import enterprise_register, national_register

ATTESTATION_KIND = "rights_attestation"

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class Limit:
    """One maximum: what counts (`counter`), what the page calls it, and its value on a day."""

    counter: usage.Counter
    title: StrPromise
    maximum: Callable[[datetime.date], int | None]  # None: no maximum (end-of-career job)
    note: StrPromise | None = None
    # Shown only when something was used (types most workers never take).
    only_when_used: bool = False


LIMITS: tuple[Limit, ...] = (
    Limit(
        usage.TIME_CREDIT_MOTIVES,
        _("Time credit with motive, all motives together"),
        lambda day: in_force(time_credit.CAREER_MAXIMA, day).all_motives,
        _("Calendar months, whatever the form (full-time, half-time or 1/5)."),
    ),
    Limit(
        usage.TIME_CREDIT_TRAINING,
        _("Time credit with motive: training"),
        lambda day: in_force(time_credit.CAREER_MAXIMA, day).training,
        _("Calendar months, whatever the form; they also count in the maximum of all motives."),
    ),
    Limit(
        usage.PARENTAL,
        _("Parental leave, per child"),
        lambda day: in_force(parental.PER_CHILD_FULL_MONTHS, day),
        _("Full-time months: a month at half-time counts 1/2, at 1/5 counts 1/5, at 1/10 counts 1/10."),
    ),
    Limit(
        usage.MEDICAL_ASSISTANCE,
        _("Medical assistance, per person cared for"),
        lambda day: in_force(medical_assistance.PER_PATIENT, day).full_months,
        _(
            "Full-time months: a partial month counts 1/2. The maximum is doubled for a single parent caring "
            "for a child aged 16 or under."
        ),
    ),
    Limit(
        usage.PALLIATIVE,
        _("Palliative care, per person cared for"),
        lambda day: in_force(palliative.PER_PATIENT_MONTHS, day),
        _("Calendar months, whatever the form."),
    ),
    Limit(
        usage.CAREGIVER_CAREER,
        _("Caregiver leave, over the career"),
        lambda day: in_force(caregiver.MAXIMA, day).career_full_months,
        _("Full-time months: a partial month counts 1/2."),
    ),
    Limit(
        usage.CAREGIVER_PER_PERSON,
        _("Caregiver leave, per person helped"),
        lambda day: in_force(caregiver.MAXIMA, day).per_person_full_months,
        _("Full-time months: a partial month counts 1/2."),
    ),
    Limit(
        usage.PUBLIC_FULL,
        _("Career break (public sector), full-time"),
        lambda day: in_force(public_career_break.MAXIMA, day).full_months,
        only_when_used=True,
    ),
    Limit(
        usage.PUBLIC_PARTIAL,
        _("Career break (public sector), partial"),
        lambda day: in_force(public_career_break.MAXIMA, day).partial_months,
        only_when_used=True,
    ),
    Limit(
        usage.END_OF_CAREER,
        _("End-of-career job"),
        lambda day: None,
        _("No maximum over the career."),
        only_when_used=True,
    ),
)


@dataclass(frozen=True)
class UsedPeriod:
    """A period behind a figure: its calendar months and the months it uses of the maximum."""

    period: PriorPeriod
    counted: Fraction
    employer_name: str = ""  # filled by `worker_rights` from the enterprise register

    @property
    def calendar_months(self) -> Months:
        return Months(months_between(self.period.start, self.period.end))

    @property
    def counted_months(self) -> Months:
        return Months(self.counted)

    @property
    def requested(self) -> bool:
        """A request in progress (filed, not yet decided or not yet over), not a period already taken."""
        return self.period.status is PeriodStatus.OPEN


@dataclass(frozen=True)
class Right:
    """Months used and left of one maximum, for one child or patient where the law counts so."""

    limit: Limit
    subject_niss: str  # "" over the career, or when the records name no child or patient
    maximum: int | None
    used: Fraction
    periods: tuple[UsedPeriod, ...]
    subject: Person | None = None  # filled by `worker_rights` from the national register

    @property
    def per_subject(self) -> bool:
        return self.limit.counter.per is not usage.Per.CAREER

    @property
    def subject_label(self) -> str:
        """Whom the figure is for, worded in the active language (per child or patient only)."""
        if self.subject is not None:
            if self.subject.birth_date is None:
                return self.subject.full_name
            return gettext("%(name)s, born %(date)s") % {
                "name": self.subject.full_name,
                "date": date_format(self.subject.birth_date, "SHORT_DATE_FORMAT"),
            }
        if self.subject_niss:
            return gettext("a person the national register does not know")
        if self.periods:
            return gettext("not named in the records")
        return gettext("no leave used yet; this maximum applies to each one")

    @property
    def heading(self) -> str:
        """The figure's title: the maximum, and for whom where it counts per child or patient."""
        if not self.per_subject:
            return str(self.limit.title)
        return gettext("%(title)s: %(subject)s") % {"title": self.limit.title, "subject": self.subject_label}

    @property
    def left(self) -> Fraction | None:
        return None if self.maximum is None else max(Fraction(0), self.maximum - self.used)

    @property
    def used_months(self) -> Months:
        return Months(self.used)

    @property
    def maximum_months(self) -> Months | None:
        return None if self.maximum is None else Months(self.maximum)

    @property
    def left_months(self) -> Months | None:
        left = self.left
        return None if left is None else Months(left)

    @property
    def left_by_form(self) -> list[tuple[LeaveForm, Months]]:
        """What is left in each partial form the type offers, where the forms are weighed (e.g. 4 full-time
        months of parental leave left are 8 at half-time)."""
        left = self.left
        counter = self.limit.counter
        if left is None or not counter.full_time:
            return []
        forms: set[LeaveForm] = set()
        for leave_type in counter.types:
            forms.update(CATALOGUE[leave_type].forms)
        return [
            (form, Months(left / counter.weight(form)))
            for form in LeaveForm
            if form in forms and form.is_partial
        ]

    @property
    def left_in_forms(self) -> str:
        """What is left in the partial forms, worded in the active language ("" where not weighed)."""
        return ", ".join(
            gettext("%(months)s in the form %(form)s") % {"months": months, "form": form.in_sentence}
            for form, months in self.left_by_form
        )


def rights_from(periods: tuple[PriorPeriod, ...], *, on: datetime.date) -> list[Right]:
    """Every maximum's months used and left on `on`, from the worker's `periods` (pure)."""
    rights: list[Right] = []
    for limit in LIMITS:
        counter = limit.counter
        maximum = limit.maximum(on)
        counted = [p for p in sorted(periods, key=lambda p: p.start) if counter.counts(p)]
        if limit.only_when_used and not counted:
            continue
        subjects = counter.subjects(counted) if counter.per is not usage.Per.CAREER else [""]
        for subject in subjects or [""]:
            mine = [p for p in counted if counter.per is usage.Per.CAREER or p.subject_niss == subject]
            rights.append(
                Right(
                    limit=limit,
                    subject_niss=subject,
                    maximum=maximum,
                    # The rules' own call: the same counter, the same child or patient.
                    used=counter.used(periods, subject if counter.per is not usage.Per.CAREER else None),
                    periods=tuple(UsedPeriod(p, counter.months(p)) for p in mine),
                )
            )
    return rights


@dataclass
class WorkerRights:
    """The page's data: every right, and the names the periods refer to."""

    person: Person
    on: datetime.date
    rights: list[Right]
    # Every period once, in calendar months (the attestation's list).
    periods: list[UsedPeriod] = field(default_factory=list)


def _worker_rights(acting: Acting, today: datetime.date) -> WorkerRights:
    person = national_register().get_person(acting.niss) if acting.niss else None
    if person is None:
        raise NotFound("person not found")
    return rights_of(person, today)


def rights_of(person: Person, today: datetime.date) -> WorkerRights:
    """A worker's rights used and left on ``today``, not audited: for the worker's own pages (which audit
    through ``worker_rights``) and the office's review of a request (whose opening is audited)."""
    periods = prior_periods(worker=person)
    employers: dict[str, str] = {}
    for number in sorted({p.employer_number for p in periods if p.employer_number}):
        enterprise = enterprise_register().get_enterprise(number)
        employers[number] = enterprise.name if enterprise is not None else ""

    def named(item: UsedPeriod) -> UsedPeriod:
        return UsedPeriod(item.period, item.counted, employers.get(item.period.employer_number, ""))

    computed = rights_from(periods, on=today)
    subjects = national_register().get_persons({r.subject_niss for r in computed if r.subject_niss})
    rights = [
        Right(
            r.limit,
            r.subject_niss,
            r.maximum,
            r.used,
            tuple(named(item) for item in r.periods),
            subjects.get(r.subject_niss),
        )
        for r in computed
    ]
    every = [named(UsedPeriod(p, months_between(p.start, p.end))) for p in periods]
    return WorkerRights(person=person, on=today, rights=rights, periods=every)


def _audit(acting: Acting, action: AuditAction, data: dict[str, str] | None = None) -> None:
    """A read of the acting person's own rights: the person is both actor and subject."""
    audit_log(
        action=action,
        acting=acting,
        subject_niss=acting.niss,
        object_type="rights",
        object_id=acting.niss,
        data=data,
    )


def worker_rights(*, acting: Acting, today: datetime.date | None = None) -> WorkerRights:
    """The acting worker's rights used and left, audited as a read of their data."""
    result = _worker_rights(acting, today or timezone.localdate())
    _audit(acting, AuditAction.RIGHTS_VIEWED)
    return result


def rights_attestation(
    *, acting: Acting, language: str, today: datetime.date | None = None
) -> tuple[str, bytes]:
    """The attestation of the periods used (filename, PDF bytes), in `language`, audited."""
    result = _worker_rights(acting, today or timezone.localdate())
    with override(language):
        title = gettext("Attestation of the career break and leave periods")
    # Stored like every document the service issues: sealed, with its verification code. Each download is
    # a new attestation (what it shows may change from one day, or one decision, to the next); its
    # reference is random, never the worker's number.
    document = document_store(
        kind=ATTESTATION_KIND,
        reference=f"attestation/{secrets.token_hex(10)}",
        version=1,
        language=language,
        title=title,
        template="documents/rights_attestation.html",
        context={"data": result, "created": timezone.now()},
    )
    pdf = document_bytes(document)
    filename = f"attestation-{result.on.isoformat()}-{language}.pdf"
    _audit(acting, AuditAction.RIGHTS_ATTESTATION_DOWNLOADED, {"filename": filename, "language": language})
    return filename, pdf
