"""The monthly allowance of an approved leave: which scheme pays it, which category of the rate table
applies, why none is paid, and the periods of the leave with their amounts.

Pure, like ``interruptions/rules/``: the caller hands in the rate table's lines (``RateLine``) and the
leave's dates; nothing here reads the database or the clock. Rates are date-effective: the rate table
(``AllowanceRate``, loaded by ``manage.py import_allowance_rates``) holds one line per scheme, form,
category and day it applies from, and an indexation (+2 % when the smoothed health index passes the pivot
index, domain-research §4 [P] [S85]) is one more line from its first day, never a change of an older one.
A leave that crosses such a day is paid in two periods, each at its own amount.

Sources (domain-research §4): allowances are flat-rate monthly amounts, not salary-related [C] [S75][S83];
the amount depends on the scheme (thematic leave, time credit, end of career, public career break), the
form, and for some schemes the household (a single parent living only with dependent children receives
an increased thematic-leave allowance since 1.05.2019 [S145]) or the age (public sector [S70]). Which
allowance is refused and why (``NoAllowanceReason``): domain-research §1.1 (RD 26.01.2023: child-care
full-time form for a child under 5 only, 36 months of seniority, occupation condition), §1.2 (career
condition), §1.5 (domicile in Belgium, the EEA or Switzerland [S75]; no cumulation with a pension [S71]).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from careerbreak.core.errors import DomainError
from careerbreak.vocabularies import LeaveForm, LeaveType

ONE_DAY = datetime.timedelta(days=1)


class Scheme(models.TextChoices):
    """Which allowance pays a leave: the rate table's first column."""

    THEMATIC = "thematic", _("Thematic leave allowance")
    TIME_CREDIT = "time_credit", _("Time credit allowance")
    END_OF_CAREER = "end_of_career", _("End-of-career allowance")
    PUBLIC_CAREER_BREAK = "public_career_break", _("Career break allowance (public sector)")


SCHEME_OF: dict[str, Scheme] = {
    LeaveType.TC_CHILD_CARE: Scheme.TIME_CREDIT,
    LeaveType.TC_PALLIATIVE: Scheme.TIME_CREDIT,
    LeaveType.TC_SERIOUS_ILLNESS: Scheme.TIME_CREDIT,
    LeaveType.TC_DISABLED_CHILD: Scheme.TIME_CREDIT,
    LeaveType.TC_SERIOUSLY_ILL_MINOR: Scheme.TIME_CREDIT,
    LeaveType.TC_TRAINING: Scheme.TIME_CREDIT,
    LeaveType.TC_END_OF_CAREER: Scheme.END_OF_CAREER,
    LeaveType.PARENTAL: Scheme.THEMATIC,
    LeaveType.MEDICAL_ASSISTANCE: Scheme.THEMATIC,
    LeaveType.PALLIATIVE: Scheme.THEMATIC,
    LeaveType.CAREGIVER: Scheme.THEMATIC,
    LeaveType.PUBLIC_CAREER_BREAK: Scheme.PUBLIC_CAREER_BREAK,
}


def scheme_of(leave_type: str) -> Scheme:
    return SCHEME_OF[leave_type]


class Category(models.TextChoices):
    """Who receives which amount within a scheme and form: the rate table's third column."""

    STANDARD = "standard", _("Standard rate")
    # Living only with dependent children: the increased thematic-leave allowance [S145].
    SINGLE_PARENT = "single_parent", _("Single parent")
    # Public-sector allowances vary with age [S70] (the bands are the table's; no figure was found).
    UNDER_50 = "under_50", _("Under 50")
    FROM_50 = "from_50", _("50 or older")


def category_for(*, scheme: Scheme, single_parent: bool, age: int | None) -> Category:
    """The category the worker's facts point to. ``single_parent``: the worker part's household is "only
    with my dependent children"; ``age`` on the start of the leave (None: unknown)."""
    if scheme is Scheme.THEMATIC and single_parent:
        return Category.SINGLE_PARENT
    if scheme is Scheme.PUBLIC_CAREER_BREAK and age is not None:
        return Category.FROM_50 if age >= 50 else Category.UNDER_50
    return Category.STANDARD


class NoAllowanceReason(models.TextChoices):
    """Why an approved leave is paid no allowance (the right to the leave and the right to the allowance
    are two rights, domain-research §1: ONEM records the leave either way)."""

    CHILD_AGE_FULL_TIME = (
        "child_age_full_time",
        _("Full-time time credit for child care: the allowance is paid only for a child under 5"),
    )
    SENIORITY = "seniority_condition", _("Seniority with the employer insufficient for the allowance")
    OCCUPATION = "occupation_condition", _("Occupation condition before the notice not met")
    CAREER = "career_condition", _("Career condition for the end-of-career allowance not met")
    DOMICILE = "domicile_outside", _("Domicile outside Belgium, the European Economic Area and Switzerland")
    MAXIMUM_REACHED = "maximum_reached", _("Maximum number of months with an allowance reached")
    PENSION = "pension_cumulation", _("A pension cannot be combined with the allowance")
    OTHER = "other_reason", _("Other reason (stated in the note)")


@dataclass(frozen=True)
class RateLine:
    """One line of the rate table, as plain values (``key``: the row's id, to record which line paid)."""

    scheme: str
    form: str
    category: str
    monthly_amount: Decimal
    valid_from: datetime.date
    key: int | None = None


@dataclass(frozen=True)
class AllowanceSlice:
    """A stretch of the leave paid at one monthly amount."""

    start: datetime.date
    end: datetime.date
    monthly_amount: Decimal
    rate: RateLine


class NoRate(DomainError):
    code = "no_rate"


def _lines_for(lines: Iterable[RateLine], scheme: str, form: str, category: str) -> list[RateLine]:
    return sorted(
        (line for line in lines if (line.scheme, line.form, line.category) == (scheme, form, category)),
        key=lambda line: line.valid_from,
    )


def allowance_periods(
    *,
    lines: Iterable[RateLine],
    scheme: Scheme,
    form: LeaveForm | str,
    category: Category,
    start: datetime.date,
    end: datetime.date,
) -> list[AllowanceSlice]:
    """The leave from ``start`` to ``end`` (inclusive) cut at each rate change, each piece with the amount
    in force on its first day.

    The category's own lines are used when the table has any for that scheme and form; a category without
    lines there (a single parent on a form with no increased rate) is paid the standard rate. Raises
    NoRate (translated) when no line is in force on ``start``: the table must be completed, or the agent
    approves without an allowance.
    """
    if end < start:
        raise DomainError(_("The end of the period is before its start."), code="period_reversed")
    lines = list(lines)
    form_value = LeaveForm(form).value
    own = _lines_for(lines, scheme.value, form_value, category.value)
    chosen = own or _lines_for(lines, scheme.value, form_value, Category.STANDARD.value)
    in_force = [line for line in chosen if line.valid_from <= start]
    if not in_force:
        raise NoRate(
            _(
                "The rate table has no amount for %(scheme)s, form %(form)s, on %(day)s. Load the official "
                "rates (manage.py import_allowance_rates), or approve without an allowance."
            )
            % {
                "scheme": scheme.label,
                "form": LeaveForm(form).in_sentence,
                "day": date_format(start, "SHORT_DATE_FORMAT"),
            },
            field="with_allowance",
        )
    current = in_force[-1]
    changes = [line for line in chosen if start < line.valid_from <= end]
    slices = []
    piece_start = start
    for change in changes:
        slices.append(
            AllowanceSlice(piece_start, change.valid_from - ONE_DAY, current.monthly_amount, current)
        )
        piece_start, current = change.valid_from, change
    slices.append(AllowanceSlice(piece_start, end, current.monthly_amount, current))
    return slices


def paid_from(*, start: datetime.date, sent_on: datetime.date | None, late: bool) -> datetime.date:
    """The first day paid: the start, or the day the worker part was sent when it was sent more than two
    months after the start (domain-research §3: "if late, entitlement starts only on the day of sending")."""
    if late and sent_on is not None and sent_on > start:
        return sent_on
    return start
