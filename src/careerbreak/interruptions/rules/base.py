"""What the rules take (`LeaveRequestFacts`, `PriorPeriod`) and give (`Finding`), and the date tables.

Everything here is plain data: the web form, the API and the back office build the facts from what they
hold (registries, Dimona, the entitlement history) and show the findings. A rule never reads the
database or the clock; "today" is a fact (`LeaveRequestFacts.today`) like any other.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from enum import Enum, StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Generic, TypeVar

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import ngettext

from careerbreak.interruptions.rules.dates import ONE_DAY, months_between
from careerbreak.interruptions.types import (
    CATALOGUE,
    EndOfCareerException,
    LeaveForm,
    LeaveType,
    LeaveTypeSpec,
    PriorRegime,
    RequestKind,
    Sector,
    WorkerStatusCode,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

T = TypeVar("T")

# The first row of a table whose rule has applied since before any request this system checks (the
# research gives no start date for it, or one older than the online service).
BEFORE_RECORDS = datetime.date.min


class Severity(StrEnum):
    ERROR = "error"  # blocks confirmation
    WARNING = "warning"  # informs; the request can be confirmed


class PeriodStatus(StrEnum):
    OPEN = "open"  # filed and not yet decided, or approved and not yet over
    CLOSED = "closed"  # taken (history), whatever the decision on the allowance


@dataclass(frozen=True)
class Finding:
    """One thing the rules found: which field, how serious, which rule, and what to do.

    `template` is a lazy msgid with named placeholders; `message` interpolates `params` in the active
    language when it is read, so a finding built once can be shown in French, Dutch, German or English.
    """

    code: str
    severity: Severity
    field: str
    template: StrPromise
    reference: str
    params: Mapping[str, object] = dataclass_field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        return str(self.template) % {key: display(value) for key, value in self.params.items()}

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return f"{self.severity}: {self.field}: {self.message}"


def display(value: object) -> str:
    """A parameter as the user reads it, inside a sentence: dates in the language's short format (01.12.2013
    in German), numbers with the locale's decimal mark, a leave form or type without the label's capital
    (pass the label itself where the name starts the sentence)."""
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, LeaveForm | LeaveType):
        return value.in_sentence
    if isinstance(value, Fraction | Decimal | float):
        number = (
            Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
        )
        rounded = Decimal(number).quantize(Decimal("0.01")).normalize()
        if rounded == rounded.to_integral_value():
            return str(int(rounded))
        return number_format(rounded)
    if isinstance(value, Enum) and hasattr(value, "label"):
        return str(value.label)
    if isinstance(value, Promise):
        return str(value)
    return str(value)


def display_number(value: Fraction | Decimal | float | int) -> str:
    """At most two decimals, none for a whole number: 5, 2.5 (2,5 in French), 0.33."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = Decimal(value).quantize(Decimal("0.01")).normalize()
    if rounded == rounded.to_integral_value():
        return str(int(rounded))
    return number_format(rounded)


@dataclass(frozen=True)
class Months:
    """A number of months in a message ("1 month", "5 months", "2.5 months"), worded when read."""

    value: Fraction | Decimal | int

    def __str__(self) -> str:
        number = Fraction(self.value)
        count = int(number) if number.denominator == 1 else 2  # a fraction of months reads as a plural
        return ngettext("%(n)s month", "%(n)s months", count) % {"n": display_number(number)}


@dataclass(frozen=True)
class Text:
    """A translatable sentence with its own parameters, used as a parameter of another message."""

    template: StrPromise
    params: Mapping[str, object] = dataclass_field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return str(self.template) % {key: display(value) for key, value in self.params.items()}


@dataclass(frozen=True)
class Labels:
    """A list of labels (forms, types) in a message, joined in the language active when it is read, so
    that a finding built in one language never shows another's labels."""

    items: tuple[object, ...]

    def __str__(self) -> str:
        return ", ".join(display(item) for item in self.items)


@dataclass(frozen=True)
class Term:
    """A notice term or a duration, worded in the language active when the message is read."""

    months: int = 0
    days: int = 0

    def __str__(self) -> str:
        if self.months and not self.days:
            return ngettext("%(n)d month", "%(n)d months", self.months) % {"n": self.months}
        if self.days and self.days % 7 == 0 and not self.months:
            weeks = self.days // 7
            return ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks}
        if not self.months:
            return ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days}
        return "%s + %s" % (Term(months=self.months), Term(days=self.days))  # noqa: UP031


def error(code: str, field_name: str, template: StrPromise, reference: str, **params: object) -> Finding:
    return Finding(code, Severity.ERROR, field_name, template, reference, params)


def warning(code: str, field_name: str, template: StrPromise, reference: str, **params: object) -> Finding:
    return Finding(code, Severity.WARNING, field_name, template, reference, params)


class Effective(Generic[T]):
    """A rule's value over time: rows of (in force from, value), oldest first.

    A figure that changes on a date is one more row, never an `if` in a rule.
    """

    def __init__(self, *rows: tuple[datetime.date, T]) -> None:
        if not rows:
            raise ValueError("an effective table needs at least one row")
        days = [day for day, _ in rows]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValueError("effective table rows must be in strictly increasing date order")
        self.rows: tuple[tuple[datetime.date, T], ...] = rows

    def at(self, day: datetime.date) -> T:
        return self._row(day)[1]

    def since(self, day: datetime.date) -> datetime.date:
        """The day the value in force on `day` took effect (for messages: "for a notice from …")."""
        return self._row(day)[0]

    def _row(self, day: datetime.date) -> tuple[datetime.date, T]:
        found: tuple[datetime.date, T] | None = None
        for row in self.rows:
            if row[0] > day:
                break
            found = row
        if found is None:
            raise LookupError(
                f"no rule in force on {day.isoformat()} (first row {self.rows[0][0].isoformat()})"
            )
        return found


def in_force(table: Effective[T], day: datetime.date) -> T:
    """The value of `table` in force on `day`."""
    return table.at(day)


@dataclass(frozen=True)
class PriorPeriod:
    """An earlier or pending leave of the worker, with any employer: a request in the system or a period
    of the legacy history. `subject_niss` is the child or patient the leave was for, where one is named."""

    leave_type: LeaveType
    form: LeaveForm
    start: datetime.date
    end: datetime.date
    subject_niss: str = ""
    ticket: str = ""
    status: PeriodStatus = PeriodStatus.CLOSED
    # The enterprise number of the employer of that period ("" when the history does not say): another
    # employer's ticket and dates are never quoted to this one.
    employer_number: str = ""

    def __post_init__(self) -> None:
        _coerce(self, leave_type=LeaveType, form=LeaveForm, status=PeriodStatus)

    @property
    def months(self) -> Fraction:
        return months_between(self.start, self.end)


@dataclass(frozen=True)
class EmploymentPeriod:
    """A Dimona period of the worker with the employer filing: from `start` to `end` (None: running)."""

    start: datetime.date
    end: datetime.date | None = None


def _coerce(instance: object, **enums: type[Enum]) -> None:
    """Plain strings from a form, the API or the database become the enum members the rules compare
    with `is` (a frozen dataclass, hence object.__setattr__)."""
    for name, enum in enums.items():
        value = getattr(instance, name)
        if value is not None and not isinstance(value, enum):
            object.__setattr__(instance, name, enum(value))


def _decimal(value: Decimal | int | float | str | None) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


@dataclass(frozen=True)
class LeaveRequestFacts:
    """Everything the rules look at for one request.

    Step-6 fields (types.LeaveField) keep their names here, so that a finding's `field` is the form
    field to highlight. Facts from the earlier steps (sector, headcount, worker, Dimona) complete them.
    Q is `weekly_hours`, S is `reference_hours`. An unanswered question is None.
    """

    leave_type: LeaveType
    form: LeaveForm
    notice_date: datetime.date | None
    start: datetime.date
    end: datetime.date
    sector: Sector
    worker_status: WorkerStatusCode
    kind: RequestKind = RequestKind.NEW
    # The enterprise filing (its number), to tell its own requests from other employers'.
    enterprise_number: str = ""
    # The request this one extends, modifies or cancels.
    related_ticket: str = ""
    # The day the employer files; checks against the future are skipped without it.
    today: datetime.date | None = None
    # Enterprise (step 3): headcount on 30 June of the year before the notice.
    reference_headcount: int | None = None
    workers_under_contract: int | None = None
    workers_on_time_credit: int | None = None
    # Worker (step 4, national register and Dimona).
    worker_birth_date: datetime.date | None = None
    worker_gender: str = ""  # "M", "F" or "X", as in the national register
    employment_start: datetime.date | None = None
    # Every Dimona period with this employer (seniority spans successive contracts); empty when only the
    # start of the current one is known (`employment_start`).
    employment_periods: tuple[EmploymentPeriod, ...] = ()
    joint_committee: str = ""
    # Step 6.
    months_of_contract_last_15: Decimal | None = None
    regime_12_months: PriorRegime | None = None
    regime_24_months: PriorRegime | None = None
    weekly_hours: Decimal | None = None
    reference_hours: Decimal | None = None
    days_per_week: Decimal | None = None
    hours_during_leave: Decimal | None = None
    child_birth_date: datetime.date | None = None
    child_adopted_on: datetime.date | None = None  # registration of the child in the household
    child_disabled: bool | None = None
    child_niss: str = ""
    patient_niss: str = ""
    patient_birth_date: datetime.date | None = None
    single_parent: bool = False
    collective_agreement_number: str = ""
    collective_agreement_date: datetime.date | None = None
    employer_agreement: bool | None = None
    shorter_notice_agreed: bool = False
    end_of_career_exception: EndOfCareerException | None = None
    career_years: Decimal | None = None
    caregiver_recognition: bool | None = None
    replacement: bool | None = None
    # The worker's other requests and history, with any employer.
    prior_periods: tuple[PriorPeriod, ...] = ()

    def __post_init__(self) -> None:
        _coerce(
            self,
            leave_type=LeaveType,
            form=LeaveForm,
            sector=Sector,
            worker_status=WorkerStatusCode,
            kind=RequestKind,
            regime_12_months=PriorRegime,
            regime_24_months=PriorRegime,
            end_of_career_exception=EndOfCareerException,
        )
        for name in (
            "months_of_contract_last_15",
            "weekly_hours",
            "reference_hours",
            "days_per_week",
            "hours_during_leave",
            "career_years",
        ):
            object.__setattr__(self, name, _decimal(getattr(self, name)))
        object.__setattr__(self, "prior_periods", tuple(self.prior_periods))
        object.__setattr__(self, "employment_periods", tuple(self.employment_periods))

    @property
    def spec(self) -> LeaveTypeSpec:
        return CATALOGUE[self.leave_type]

    @functools.cached_property
    def months(self) -> Fraction:
        """The length of this request in calendar months (start and end included); worked out once, as
        several rules read it (the facts are frozen)."""
        return months_between(self.start, self.end)

    @property
    def rule_date(self) -> datetime.date:
        """The day whose rules apply: the written notice, or the start when the notice is not given yet."""
        return self.notice_date or self.start

    def seniority_start(self, on: datetime.date) -> datetime.date | None:
        """The day from which the worker would have been employed here without a break to have, on `on`,
        the seniority of every Dimona period with this employer before that day put together.

        One running period gives its own start; successive contracts add up (gaps do not count). Without
        the periods, the start of the current employment; None when nothing is known.
        """
        if not self.employment_periods:
            return self.employment_start
        spans = sorted(
            (period.start, min(period.end or on - ONE_DAY, on - ONE_DAY))
            for period in self.employment_periods
        )
        days, reached = 0, datetime.date.min  # days counted, and the last day counted
        for first, last in spans:
            first = max(first, reached + ONE_DAY) if reached != datetime.date.min else first
            if last >= first:
                days += (last - first).days + 1
                reached = last
        if not days:
            return None
        return on - datetime.timedelta(days=days)

    def other_periods(self) -> tuple[PriorPeriod, ...]:
        """The prior periods without the one this request modifies or cancels (it replaces that one)."""
        if self.kind in (RequestKind.MODIFICATION, RequestKind.CANCELLATION) and self.related_ticket:
            return tuple(p for p in self.prior_periods if p.ticket != self.related_ticket)
        return self.prior_periods


def regime_at_least(regime: PriorRegime | None, minimum: PriorRegime) -> bool:
    order = [PriorRegime.PART_TIME, PriorRegime.AT_LEAST_THREE_QUARTERS, PriorRegime.FULL_TIME]
    return regime is not None and order.index(regime) >= order.index(minimum)
