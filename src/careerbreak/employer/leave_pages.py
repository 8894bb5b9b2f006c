"""Step 6 of the web, one topic per page: views over subsets of the step-6 form, and the values the
registries already hold, offered to the employer to confirm or correct.

The form (``interruptions.step_forms.LeaveDataForm``) and the rules stay the one place that checks the
leave data: the API binds the whole form at once; the web shows it a page at a time, each page a subset of
its fields restricted to those the chosen type and form need (``fields_for``), and checks the whole after
the last page. No JavaScript: what a page shows depends on what the earlier pages saved.

Where a value comes from is recorded in the draft (``DraftData.sources``): the child picked from the
national register, the hours, regime and months under contract from Dimona, the hours during the leave
computed from S and the form; a value the employer typed or changed is theirs.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from careerbreak.core.forms import RadioChoiceField
from careerbreak.interruptions.drafts import LeaveData, ValueSource
from careerbreak.interruptions.rules.common import regime_from_hours
from careerbreak.interruptions.rules.dates import add_months, add_years, months_between
from careerbreak.interruptions.step_forms import LeaveDataForm
from careerbreak.interruptions.types import CATALOGUE, LeaveField, LeaveForm, LeaveType, fields_for
from careerbreak.registries.models import Employment, Person

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

F = LeaveField

# The web-only question of the child page: a child of the register (by number) or another one.
CHILD_CHOICE = "child"
ANOTHER_CHILD = "another"


@dataclass(frozen=True)
class LeavePage:
    slug: str
    title: StrPromise
    fields: tuple[LeaveField, ...]


PERIOD = LeavePage(
    "period", _("The notice and the period"), (F.NOTICE_DATE, F.START, F.END, F.FORM, F.SHORTER_NOTICE_AGREED)
)
CHILD = LeavePage("child", _("The child"), (F.CHILD_DISABLED,))
OTHER_CHILD = LeavePage("other-child", _("The child"), (F.CHILD_BIRTH_DATE, F.CHILD_ADOPTED_ON, F.CHILD_NISS))
PERSON = LeavePage(
    "person",
    _("The person cared for"),
    (F.PATIENT_NISS, F.PATIENT_BIRTH_DATE, F.SINGLE_PARENT, F.CAREGIVER_RECOGNITION),
)
CAREER = LeavePage("career", _("The worker's career"), (F.END_OF_CAREER_EXCEPTION, F.CAREER_YEARS))
WORK = LeavePage(
    "work",
    _("The worker's working time"),
    (
        F.WEEKLY_HOURS,
        F.REFERENCE_HOURS,
        F.DAYS_PER_WEEK,
        F.HOURS_DURING_LEAVE,
        F.REGIME_12_MONTHS,
        F.REGIME_24_MONTHS,
        F.MONTHS_OF_CONTRACT_LAST_15,
    ),
)
AGREEMENTS = LeavePage(
    "agreements",
    _("Agreements and replacement"),
    (F.COLLECTIVE_AGREEMENT_NUMBER, F.COLLECTIVE_AGREEMENT_DATE, F.EMPLOYER_AGREEMENT, F.REPLACEMENT),
)
ALL_PAGES: tuple[LeavePage, ...] = (PERIOD, CHILD, OTHER_CHILD, PERSON, CAREER, WORK, AGREEMENTS)
BY_SLUG: Mapping[str, LeavePage] = {page.slug: page for page in ALL_PAGES}

# The age under which a child opens the type (today), for step 5's hint when the register knows none.
CHILD_AGE_LIMITS: Mapping[LeaveType, int] = {
    LeaveType.TC_CHILD_CARE: 8,
    LeaveType.PARENTAL: 12,
    LeaveType.TC_SERIOUSLY_ILL_MINOR: 18,
    LeaveType.TC_DISABLED_CHILD: 21,
}


def asks_child(leave_type: LeaveType) -> bool:
    return F.CHILD_BIRTH_DATE in CATALOGUE[leave_type].fields


def needed_fields(form: LeaveDataForm, leave: LeaveData) -> set[str]:
    """The fields the chosen form needs (every field of the type while no form is chosen)."""
    if leave.form is None:
        return set(form.fields)
    return {
        name.value
        for name in fields_for(
            form.leave_type,
            leave.form,
            sector=form.sector,
            reference_headcount=form.reference_headcount,
            # No exception stored: not chosen yet, or none invoked; the agreement is then asked, optional.
            end_of_career_exception=(
                leave.end_of_career_exception.value if leave.end_of_career_exception else None
            ),
        )
    }


def register_child(
    children: Sequence[Person], leave: LeaveData, sources: Mapping[str, ValueSource]
) -> Person | None:
    """The register's child the draft names: picked on the child page, or named by number and birth date
    as the register knows them (a modification or an extension of a request, a draft of before)."""
    child = next((c for c in children if leave.child_niss and c.niss == leave.child_niss), None)
    if child is None:
        return None
    if sources.get(F.CHILD_BIRTH_DATE.value) is ValueSource.REGISTER:
        return child
    return child if child.birth_date is not None and child.birth_date == leave.child_birth_date else None


def pages_for(
    form: LeaveDataForm,
    leave: LeaveData,
    *,
    children: Sequence[Person],
    sources: Mapping[str, ValueSource],
    another_child: bool = False,
) -> list[LeavePage]:
    """The pages of step 6 for this draft, in order: those with at least one question that applies."""
    needed = needed_fields(form, leave)
    pages: list[LeavePage] = [PERIOD]
    if asks_child(form.leave_type):
        if children:
            pages.append(CHILD)
        entered_by_hand = (
            leave.child_birth_date is not None and register_child(children, leave, sources) is None
        )
        if not children or another_child or entered_by_hand:
            pages.append(OTHER_CHILD)
    for page in (PERSON, CAREER, WORK, AGREEMENTS):
        if any(name.value in needed for name in page.fields):
            pages.append(page)
    return pages


def page_fields(page: LeavePage, form: LeaveDataForm, leave: LeaveData) -> list[str]:
    needed = needed_fields(form, leave)
    return [name.value for name in page.fields if name.value in form.fields and name.value in needed]


def child_label(child: Person) -> str:
    born = formats.date_format(child.birth_date, "SHORT_DATE_FORMAT") if child.birth_date else "–"
    return str(_("%(name)s, born on %(date)s") % {"name": child.full_name, "date": born})


def restrict(
    form: LeaveDataForm, page: LeavePage, leave: LeaveData, children: Sequence[Person]
) -> LeaveDataForm:
    """``form`` showing only this page's questions (those the type and form need)."""
    names = page_fields(page, form, leave)
    kept = {name: form.fields[name] for name in names}
    if page is CHILD:
        choice = RadioChoiceField(
            label=_("Which child is the leave for?"),
            choices=[(child.niss, child_label(child)) for child in children]
            + [(ANOTHER_CHILD, _("Another child (adoption, foster care, not known to the register)"))],
            required_message=_("Choose the child the leave is for."),
            invalid_message=_("Choose one of the children listed."),
        )
        choice.help_text = _("The children of the worker known to the national register.")
        kept = {CHILD_CHOICE: choice, **kept}
    if page is OTHER_CHILD and F.CHILD_BIRTH_DATE.value in kept:
        # Asked here because the register does not know the child: the leave cannot go without it.
        kept[F.CHILD_BIRTH_DATE.value].required = True
        kept[F.CHILD_BIRTH_DATE.value].error_messages["required"] = _("Enter the child's date of birth.")
    form.fields = kept
    return form


# Prefilled values ----------------------------------------------------------------------------------------


def months_under_contract(periods: Sequence[Employment], notice: datetime.date) -> Decimal:
    """Whole months under contract with the employer in the 15 months before the notice (Dimona)."""
    window_start = add_months(notice, -15) + datetime.timedelta(days=1)
    total = Fraction(0)
    for period in periods:
        start = max(period.start_date, window_start)
        end = min(period.end_date or notice, notice)
        if end >= start:
            total += months_between(start, end)
    return Decimal(min(int(total), 15))


def hours_during_leave(form: LeaveForm | None, reference_hours: Decimal | None) -> Decimal | None:
    """S less the share of the interruption (half-time: S/2; 1/5: 4/5 of S), as the rules expect it."""
    if form is None or not form.is_partial or not reference_hours:
        return None
    return (reference_hours * (1 - Decimal(1) / form.share)).quantize(Decimal("0.01"))


def prefills(
    leave: LeaveData,
    *,
    employment: Employment | None,
    periods: Sequence[Employment],
) -> dict[str, tuple[Any, ValueSource]]:
    """What the registries hold (or what follows from what was entered) for the working-time page."""
    out: dict[str, tuple[Any, ValueSource]] = {}
    if employment is not None:
        out[F.WEEKLY_HOURS.value] = (employment.weekly_hours, ValueSource.DIMONA)
        out[F.REFERENCE_HOURS.value] = (employment.reference_hours, ValueSource.DIMONA)
        regime = regime_from_hours(employment.weekly_hours, employment.reference_hours)
        if regime is not None:
            out[F.REGIME_12_MONTHS.value] = (regime.value, ValueSource.DIMONA)
            out[F.REGIME_24_MONTHS.value] = (regime.value, ValueSource.DIMONA)
    notice = leave.notice_date or leave.start
    if periods and notice is not None:
        out[F.MONTHS_OF_CONTRACT_LAST_15.value] = (months_under_contract(periods, notice), ValueSource.DIMONA)
    reference = leave.reference_hours or (employment.reference_hours if employment else None)
    during = hours_during_leave(leave.form, reference)
    if during is not None:
        out[F.HOURS_DURING_LEAVE.value] = (during, ValueSource.COMPUTED)
    return out


def same_value(a: Any, b: Any) -> bool:
    """Whether a posted value is the prefilled one (decimals compared as numbers, codes as text)."""
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except ArithmeticError:
            return False
    return str(getattr(a, "value", a)) == str(getattr(b, "value", b))


def young_child_known(children: Sequence[Person], leave_type: LeaveType, today: datetime.date) -> bool:
    """Whether the register knows a child of the worker under the type's age limit today."""
    limit = CHILD_AGE_LIMITS.get(leave_type)
    if limit is None:
        return True
    born_after = add_years(today, -limit)
    return any(child.birth_date is not None and child.birth_date > born_after for child in children)


__all__ = [
    "ALL_PAGES",
    "ANOTHER_CHILD",
    "BY_SLUG",
    "CHILD",
    "CHILD_CHOICE",
    "OTHER_CHILD",
    "PERIOD",
    "WORK",
    "LeavePage",
]
