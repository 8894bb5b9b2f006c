"""Checks shared by every leave type: the type and form on offer, dates, hours, prior regime, overlap,
the kind of request (extension, modification, cancellation), notice terms, the 5 % threshold.

Legal basis and sources (domain-research §1, §2):
- Catalogue of types and forms per sector: DOMAIN.md §4; ONEM coverage of the online service
  [C] [S5][S6][S25].
- Prior regime for partial forms of time credit and the public career break (DOMAIN.md §4, footnote: ½
  needs at least ¾-time during the 12 months before the notice; ⅕ needs full-time): CCT 103 [C] [S11][S12].
  Thematic leaves have their own conditions on the regime when the leave is asked (domain-research §1.3):
  parental leave full-time for every partial form [S48][S50], medical assistance ½ from ¾-time and ⅕
  full-time [S56], caregiver leave full-time [S62]; palliative care not in the research (a warning).
- Worker part deadline (within 2 months after the start; not earlier than 6 months before): RD 12.12.2001
  and ONEM practice [C] [S9][S79][S80]; applies since before the online service.
- 5 % threshold: CCT 103 [C] [S32][S33]; thematic leaves and end-of-career 1/5 from 55 do not count.
- Overlap with another open request: product rule (DOMAIN.md §3, entitlement history).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from careerbreak.interruptions.rules.base import (
    BEFORE_RECORDS,
    Effective,
    Finding,
    Labels,
    LeaveRequestFacts,
    Months,
    PeriodStatus,
    Severity,
    Term,
    Text,
    error,
    in_force,
    regime_at_least,
    warning,
)
from careerbreak.interruptions.rules.dates import ONE_DAY, add_months, age_on, birthday, end_for, overlaps
from careerbreak.interruptions.types import (
    CATALOGUE,
    LeaveFamily,
    LeaveForm,
    LeaveType,
    PriorRegime,
    RequestKind,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

REF_CATALOGUE = "DOMAIN.md §4; ONEM online service coverage [S5][S25]"
REF_REGIME = "CCT 103 art. on occupation conditions; thematic-leave decrees; DOMAIN.md §4 [S11][S12][S56]"
REF_WORKER_PART = "RD 12.12.2001 (time limit of the request to ONEM); ONEM practice [S9][S79][S80]"
REF_THRESHOLD = "CCT 103 (5 % threshold and planning) [S32][S33]"
REF_HISTORY = "DOMAIN.md §3 (entitlement history)"

# The regime the worker must have had during the 12 months before the notice, per partial form.
# The regime is looked at over this many months before the notice (DOMAIN.md §4).
REGIME_REFERENCE_MONTHS = 12
PRIOR_REGIME_FOR_FORM: Effective[dict[LeaveForm, PriorRegime]] = Effective(
    (
        BEFORE_RECORDS,
        {
            LeaveForm.HALF: PriorRegime.AT_LEAST_THREE_QUARTERS,
            LeaveForm.ONE_FIFTH: PriorRegime.FULL_TIME,
            LeaveForm.ONE_TENTH: PriorRegime.FULL_TIME,
        },
    ),
)

# Thematic leaves: the worker's regime when the leave is asked (Q against S), per type and partial form —
# not the time credit's 12 months before the notice. domain-research §1.3: parental leave [S48][S50] (every
# partial form for full-timers only), medical assistance [S56] (1/2 from three-quarter time, 1/5
# full-time), caregiver leave [S62] ("part-timers: full only"). Palliative care: the research gives no
# condition; the medical-assistance one is applied as a WARNING only (THEMATIC_REGIME_UNCONFIRMED).
THEMATIC_REGIME: Effective[dict[LeaveType, dict[LeaveForm, PriorRegime]]] = Effective(
    (
        BEFORE_RECORDS,
        {
            LeaveType.PARENTAL: {
                LeaveForm.HALF: PriorRegime.FULL_TIME,
                LeaveForm.ONE_FIFTH: PriorRegime.FULL_TIME,
                LeaveForm.ONE_TENTH: PriorRegime.FULL_TIME,
            },
            LeaveType.MEDICAL_ASSISTANCE: {
                LeaveForm.HALF: PriorRegime.AT_LEAST_THREE_QUARTERS,
                LeaveForm.ONE_FIFTH: PriorRegime.FULL_TIME,
            },
            LeaveType.CAREGIVER: {
                LeaveForm.HALF: PriorRegime.FULL_TIME,
                LeaveForm.ONE_FIFTH: PriorRegime.FULL_TIME,
            },
            LeaveType.PALLIATIVE: {
                LeaveForm.HALF: PriorRegime.AT_LEAST_THREE_QUARTERS,
                LeaveForm.ONE_FIFTH: PriorRegime.FULL_TIME,
            },
        },
    ),
)
THEMATIC_REGIME_UNCONFIRMED: frozenset[LeaveType] = frozenset({LeaveType.PALLIATIVE})
REF_THEMATIC_REGIME = (
    "domain-research §1.3: parental [S48][S50], medical [S56], caregiver [S62]; palliative [U]"
)

# The worker part reaches ONEM at the latest this many months after the start, at the earliest this many
# months before it.
WORKER_PART_MONTHS_AFTER_START: Effective[int] = Effective((BEFORE_RECORDS, 2))
WORKER_PART_MONTHS_BEFORE_START: Effective[int] = Effective((BEFORE_RECORDS, 6))

# Share of workers on time credit at once above which the employer may postpone new requests.
TIME_CREDIT_THRESHOLD: Effective[Fraction] = Effective((BEFORE_RECORDS, Fraction(5, 100)))
# The threshold is not applied where the employer's agreement is needed anyway (10 workers or fewer).
TIME_CREDIT_THRESHOLD_MIN_HEADCOUNT = 11
# End-of-career 1/5 from this age does not count towards the threshold, neither as the new request nor
# among the workers already on time credit.
TIME_CREDIT_THRESHOLD_EXEMPT_FIFTH_FROM_AGE: Effective[int] = Effective((BEFORE_RECORDS, 55))

EARLIEST_PLAUSIBLE_DATE = datetime.date(1985, 1, 1)  # the career-break law of 22 January 1985


@dataclass(frozen=True)
class Duration:
    """Months per request: at least `minimum`, at most `maximum` (None: no maximum)."""

    minimum: int
    maximum: int | None = None


def check(facts: LeaveRequestFacts) -> list[Finding]:
    """The shared checks. Returns early, with only the structural errors, when the rest would be noise."""
    structural = [*_type_offered(facts), *_form_allowed(facts), *_dates_ordered(facts)]
    if structural:
        return structural
    return [
        *_kind(facts),
        *_dates_plausible(facts),
        *_hours(facts),
        *_prior_regime(facts),
        *_overlap(facts),
        *_threshold(facts),
    ]


def is_structurally_valid(findings: list[Finding]) -> bool:
    codes = {f.code for f in findings}
    return not codes & {
        "type.not_offered",
        "type.not_yet_in_force",
        "form.not_allowed",
        "dates.end_before_start",
    }


def _type_offered(facts: LeaveRequestFacts) -> Iterator[Finding]:
    spec = facts.spec
    if facts.sector not in spec.sectors or facts.worker_status not in spec.statuses:
        yield error(
            "type.not_offered",
            "leave_type",
            _(
                "%(type)s is not open to this worker (%(status)s; %(sector)s). "
                "Choose another type of interruption or check the worker's status."
            ),
            REF_CATALOGUE,
            type=spec.label,
            status=facts.worker_status,
            sector=facts.sector,
        )
        return
    since = spec.available_from.get(facts.sector)
    if since and facts.start < since:
        yield error(
            "type.not_yet_in_force",
            "start",
            _(
                "%(type)s exists in this sector only for leaves starting on or after %(since)s; this leave "
                "starts on %(start)s. Check the start date."
            ),
            REF_CATALOGUE,
            type=spec.label,
            since=since,
            start=facts.start,
        )


def _form_allowed(facts: LeaveRequestFacts) -> Iterator[Finding]:
    spec = facts.spec
    if facts.form not in spec.forms:
        yield error(
            "form.not_allowed",
            "form",
            _(
                "%(type)s cannot be taken in the form %(form)s. Possible forms: %(forms)s. Choose one of "
                "them."
            ),
            REF_CATALOGUE,
            type=spec.label,
            form=facts.form,
            forms=Labels(spec.forms),
        )


def _dates_ordered(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.end < facts.start:
        yield error(
            "dates.end_before_start",
            "end",
            _("The end date (%(end)s) is before the start date (%(start)s). Check both dates."),
            REF_CATALOGUE,
            start=facts.start,
            end=facts.end,
        )


def _dates_plausible(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.kind is RequestKind.CANCELLATION:
        return
    for name in ("start", "notice_date", "child_birth_date", "employment_start"):
        value = getattr(facts, name)
        if value is not None and value < EARLIEST_PLAUSIBLE_DATE:
            yield error(
                "dates.implausible",
                name,
                _("The date %(date)s is before %(earliest)s and cannot be right. Check the year."),
                REF_CATALOGUE,
                date=value,
                earliest=EARLIEST_PLAUSIBLE_DATE,
            )
    if facts.notice_date is None:
        yield error(
            "notice.missing",
            "notice_date",
            _(
                "Give the date of the worker's written notice (the date on the letter or of the electronic "
                "notice)."
            ),
            REF_CATALOGUE,
        )
    else:
        if facts.notice_date > facts.start:
            yield error(
                "notice.after_start",
                "notice_date",
                _(
                    "The written notice (%(notice)s) is dated after the start of the leave (%(start)s). The "
                    "worker gives notice before the leave starts; check the dates."
                ),
                REF_CATALOGUE,
                notice=facts.notice_date,
                start=facts.start,
            )
        if facts.today and facts.notice_date > facts.today:
            yield error(
                "notice.in_future",
                "notice_date",
                _(
                    "The written notice is dated %(notice)s, after today. Give the date the worker actually "
                    "gave notice."
                ),
                REF_CATALOGUE,
                notice=facts.notice_date,
            )
        if facts.employment_start and facts.notice_date < facts.employment_start:
            yield warning(
                "notice.before_employment",
                "notice_date",
                _(
                    "The written notice (%(notice)s) is dated before the employment started here "
                    "(%(employment)s). Check the notice date and the Dimona declaration."
                ),
                REF_CATALOGUE,
                notice=facts.notice_date,
                employment=facts.employment_start,
            )
    if facts.today:
        after = in_force(WORKER_PART_MONTHS_AFTER_START, facts.rule_date)
        before = in_force(WORKER_PART_MONTHS_BEFORE_START, facts.rule_date)
        deadline = add_months(facts.start, after)
        if facts.today > deadline:
            yield warning(
                "worker_part.late",
                "start",
                _(
                    "The leave started on %(start)s: the worker's part had to reach ONEM by %(deadline)s. "
                    "The allowance will start only on the day the worker sends it; tell the worker at once."
                ),
                REF_WORKER_PART,
                start=facts.start,
                deadline=deadline,
            )
        opens = add_months(facts.start, -before)
        if facts.today < opens:
            yield warning(
                "worker_part.not_yet",
                "start",
                _(
                    "The worker can send their part to ONEM only from %(opens)s (%(months)s before the "
                    "start). You can file the employer part now."
                ),
                REF_WORKER_PART,
                opens=opens,
                months=Months(before),
            )


def _hours(facts: LeaveRequestFacts) -> Iterator[Finding]:
    q, s = facts.weekly_hours, facts.reference_hours
    if q is not None and q <= 0:
        yield error(
            "hours.q_not_positive",
            "weekly_hours",
            _("The worker's weekly hours (Q) must be more than 0; you entered %(q)s. Give the hours."),
            REF_REGIME,
            q=q,
        )
    if s is not None and s <= 0:
        yield error(
            "hours.s_not_positive",
            "reference_hours",
            _(
                "The weekly hours of a full-time reference worker (S) must be more than 0; you entered "
                "%(s)s. Give the hours."
            ),
            REF_REGIME,
            s=s,
        )
    if q is not None and s is not None and q > s > 0:
        yield error(
            "hours.q_above_s",
            "weekly_hours",
            _(
                "The worker's weekly hours (Q = %(q)s) are more than those of a full-time reference worker "
                "(S = %(s)s). Q is at most S; check both figures."
            ),
            REF_REGIME,
            q=q,
            s=s,
        )
    days = facts.days_per_week
    if days is not None and not (0 < days <= 7):
        yield error(
            "hours.days_out_of_range",
            "days_per_week",
            _("The days worked a week (%(days)s) must be between 1 and 7."),
            REF_REGIME,
            days=days,
        )
    during = facts.hours_during_leave
    if facts.form.is_partial and during is not None and s is not None and s > 0:
        expected = s * (1 - Decimal(1) / facts.form.share)
        if abs(during - expected) > Decimal("0.01"):
            yield warning(
                "hours.during_leave_mismatch",
                "hours_during_leave",
                _(
                    "During a %(form)s interruption the worker works %(expected)s hours a week (S = %(s)s "
                    "less %(form)s), not %(during)s. Check the regime during the leave."
                ),
                REF_REGIME,
                form=facts.form,
                expected=expected,
                s=s,
                during=during,
            )


def regime_from_hours(q: Decimal | None, s: Decimal | None) -> PriorRegime | None:
    """The worker's regime from Q (their weekly hours) and S (a full-time reference worker's)."""
    if q is None or s is None or q <= 0 or s <= 0:
        return None
    if q >= s:
        return PriorRegime.FULL_TIME
    return PriorRegime.AT_LEAST_THREE_QUARTERS if q * 4 >= s * 3 else PriorRegime.PART_TIME


def _prior_regime(facts: LeaveRequestFacts) -> Iterator[Finding]:
    # The end-of-career job has its own condition over 24 months (rules.end_of_career).
    if not facts.form.is_partial or facts.leave_type is LeaveType.TC_END_OF_CAREER:
        return
    if facts.spec.family is LeaveFamily.THEMATIC:
        yield from _thematic_regime(facts)
        return
    minimum = in_force(PRIOR_REGIME_FOR_FORM, facts.rule_date)[facts.form]
    if facts.regime_12_months is None:
        yield error(
            "regime.missing",
            "regime_12_months",
            _(
                "Give the worker's regime during the %(period)s before the notice: a %(form)s interruption "
                "depends on it."
            ),
            REF_REGIME,
            form=facts.form,
            period=Months(REGIME_REFERENCE_MONTHS),
        )
    elif not regime_at_least(facts.regime_12_months, minimum):
        yield error(
            "regime.insufficient",
            "regime_12_months",
            _(
                "A %(form)s interruption needs the worker to have worked %(minimum)s during the %(period)s "
                "before the notice; you declared %(regime)s. The worker can take the full-time form instead, "
                "or check the regime declared."
            ),
            REF_REGIME,
            form=facts.form,
            period=Months(REGIME_REFERENCE_MONTHS),
            minimum=minimum,
            regime=facts.regime_12_months,
        )


def _thematic_regime(facts: LeaveRequestFacts) -> Iterator[Finding]:
    """A thematic leave's own condition, on the regime when the leave is asked: Q against S; the regime
    declared for the 12 months before the notice only when Q or S is not given."""
    minimum = in_force(THEMATIC_REGIME, facts.rule_date).get(facts.leave_type, {}).get(facts.form)
    if minimum is None:
        return
    regime = regime_from_hours(facts.weekly_hours, facts.reference_hours)
    if regime is None:
        regime = facts.regime_12_months
        field_name = "regime_12_months"
    else:
        field_name = "weekly_hours"
    if regime is None:
        yield error(
            "regime.missing",
            "weekly_hours",
            _(
                "Give the worker's weekly hours (Q) and those of a full-time reference worker (S): %(type)s "
                "in the form %(form)s depends on the worker's regime."
            ),
            REF_THEMATIC_REGIME,
            type=facts.spec.label,
            form=facts.form,
        )
        return
    if regime_at_least(regime, minimum):
        return
    unconfirmed = facts.leave_type in THEMATIC_REGIME_UNCONFIRMED
    yield Finding(
        "regime.unconfirmed" if unconfirmed else "regime.insufficient",
        Severity.WARNING if unconfirmed else Severity.ERROR,
        field_name,
        _(
            "%(type)s in the form %(form)s is usually open to a worker who works %(minimum)s; the worker "
            "works %(regime)s (Q = %(q)s, S = %(s)s). Check the regime with the worker; the full-time form "
            "is open whatever the regime."
        )
        if unconfirmed
        else _(
            "%(type)s in the form %(form)s is open to a worker who works %(minimum)s when the leave is "
            "asked; the worker works %(regime)s (Q = %(q)s, S = %(s)s). The worker can take the full-time "
            "form, or check the weekly hours."
        ),
        REF_THEMATIC_REGIME,
        {
            "type": facts.spec.label,
            "form": facts.form,
            "minimum": minimum,
            "regime": regime,
            "q": facts.weekly_hours if facts.weekly_hours is not None else "—",
            "s": facts.reference_hours if facts.reference_hours is not None else "—",
        },
    )


def _overlap(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.kind is RequestKind.CANCELLATION:
        return
    for period in facts.other_periods():
        if not overlaps(period.start, period.end, facts.start, facts.end):
            continue
        # Another employer's request or history is that employer's and the worker's business: say that
        # there is an overlap, which the worker can explain, and nothing else (no ticket, type or dates).
        own = bool(period.employer_number) and period.employer_number == facts.enterprise_number
        if period.status is PeriodStatus.OPEN and not own:
            yield error(
                "overlap.open_request",
                "start",
                _(
                    "This leave (%(start)s–%(end)s) overlaps another request of the same worker filed by "
                    "another employer. Check the dates with the worker."
                ),
                REF_HISTORY,
                start=facts.start,
                end=facts.end,
            )
        elif period.status is PeriodStatus.OPEN:
            yield error(
                "overlap.open_request",
                "start",
                _(
                    "This leave (%(start)s–%(end)s) overlaps request %(ticket)s of the same worker "
                    "(%(type)s, %(other_start)s–%(other_end)s). Change the dates, or modify or cancel "
                    "request %(ticket)s instead of filing a new one."
                ),
                REF_HISTORY,
                start=facts.start,
                end=facts.end,
                ticket=period.ticket or "—",
                type=period.leave_type.label,
                other_start=period.start,
                other_end=period.end,
            )
        elif not own:
            yield warning(
                "overlap.history",
                "start",
                _(
                    "This leave (%(start)s–%(end)s) overlaps a period already recorded for the worker. "
                    "Check the dates with the worker."
                ),
                REF_HISTORY,
                start=facts.start,
                end=facts.end,
            )
        else:
            yield warning(
                "overlap.history",
                "start",
                _(
                    "This leave (%(start)s–%(end)s) overlaps a period already recorded for the worker "
                    "(%(type)s, %(other_start)s–%(other_end)s). Check the dates with the worker."
                ),
                REF_HISTORY,
                start=facts.start,
                end=facts.end,
                type=period.leave_type.label,
                other_start=period.start,
                other_end=period.end,
            )


def _kind(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.kind is RequestKind.NEW:
        return
    if not facts.related_ticket:
        yield error(
            "kind.related_ticket_missing",
            "related_ticket",
            _(
                "An extension, modification or cancellation names the request it concerns: give its ticket "
                "number."
            ),
            REF_HISTORY,
        )
        return
    related = next((p for p in facts.prior_periods if p.ticket == facts.related_ticket), None)
    if related is None:
        yield error(
            "kind.related_ticket_unknown",
            "related_ticket",
            _(
                "No request %(ticket)s is known for this worker. Check the ticket number, or file a new "
                "request."
            ),
            REF_HISTORY,
            ticket=facts.related_ticket,
        )
        return
    if (
        facts.kind in (RequestKind.MODIFICATION, RequestKind.CANCELLATION)
        and related.status is not PeriodStatus.OPEN
    ):
        yield error(
            "kind.related_closed",
            "related_ticket",
            _(
                "Request %(ticket)s is closed: it can no longer be modified or cancelled. File a new request "
                "instead."
            ),
            REF_HISTORY,
            ticket=facts.related_ticket,
        )
    if facts.kind is RequestKind.EXTENSION:
        if related.leave_type is not facts.leave_type:
            yield error(
                "kind.extension_other_type",
                "leave_type",
                _(
                    "Request %(ticket)s is a %(other)s and this request a %(type)s: an extension keeps the "
                    "same type of interruption. Choose %(other)s, or file a new request."
                ),
                REF_HISTORY,
                ticket=facts.related_ticket,
                other=related.leave_type,
                type=facts.leave_type,
            )
        if facts.start != related.end + ONE_DAY:
            yield error(
                "kind.extension_not_contiguous",
                "start",
                _(
                    "An extension starts the day after the request it extends ends: request %(ticket)s ends "
                    "on %(other_end)s, so the extension starts on %(expected)s. Otherwise file a new request."
                ),
                REF_HISTORY,
                ticket=facts.related_ticket,
                other_end=related.end,
                expected=related.end + ONE_DAY,
            )


def check_child(
    facts: LeaveRequestFacts,
    *,
    age_limit: int,
    reference: str,
    consequence: Text,
    code_prefix: str,
) -> Iterator[Finding]:
    """The child's birth (or adoption) date allows this leave: born (and, if adopted, in the household)
    by the start, and under `age_limit` on the start date (the birthday itself is too late)."""
    birth = facts.child_birth_date
    if birth is None:
        yield error(
            f"{code_prefix}.child_birth_date_missing",
            "child_birth_date",
            _("Give the child's birth date: this type of leave depends on the child's age."),
            reference,
        )
        return
    if facts.start < birth:
        yield error(
            f"{code_prefix}.child_not_born",
            "start",
            _("The leave starts (%(start)s) before the child's birth (%(birth)s). Check both dates."),
            reference,
            start=facts.start,
            birth=birth,
        )
    if facts.child_adopted_on and facts.start < facts.child_adopted_on:
        yield error(
            f"{code_prefix}.before_adoption",
            "start",
            _(
                "For an adopted child the leave starts at the earliest when the child is registered in the "
                "worker's household (%(adopted)s), not on %(start)s. Move the start."
            ),
            reference,
            adopted=facts.child_adopted_on,
            start=facts.start,
        )
    age = age_on(birth, facts.start)
    if age >= age_limit:
        yield error(
            f"{code_prefix}.child_too_old",
            "child_birth_date",
            _(
                "The child must be under %(limit)s on the start date of the leave (born %(birth)s, %(age)s "
                "on %(start)s; the leave had to start by %(last_start)s). %(consequence)s"
            ),
            reference,
            limit=age_limit,
            birth=birth,
            age=age,
            start=facts.start,
            last_start=birthday(birth, age_limit) - ONE_DAY,
            consequence=consequence,
        )


def check_request_duration(
    facts: LeaveRequestFacts, duration: Duration, *, left: Fraction | None, reference: str
) -> Iterator[Finding]:
    """Minimum and maximum months per request. A balance left shorter than the minimum may still be
    taken (research [S29]): the minimum is then the balance."""
    months = facts.months
    minimum = Fraction(duration.minimum)
    if left is not None and 0 < left < minimum:
        minimum = left
    params = {
        "type": facts.spec.label,
        "form": facts.form,
        "months": Months(months),
        "start": facts.start,
        "end": facts.end,
    }
    if months < minimum:
        yield error(
            "duration.too_short",
            "end",
            _(
                "%(type)s, %(form)s: a request lasts at least %(minimum)s; this one lasts %(months)s "
                "(%(start)s–%(end)s). Set the end date on %(min_end)s or later."
            ),
            reference,
            minimum=Months(minimum),
            min_end=end_for(facts.start, minimum, at_least=True),
            **params,
        )
    if duration.maximum is not None and months > duration.maximum:
        yield error(
            "duration.too_long",
            "end",
            _(
                "%(type)s, %(form)s: a request lasts at most %(maximum)s; this one lasts %(months)s "
                "(%(start)s–%(end)s). End it on %(max_end)s at the latest and file an extension for the rest."
            ),
            reference,
            maximum=Months(duration.maximum),
            max_end=end_for(facts.start, Fraction(duration.maximum)),
            **params,
        )


def check_cancellation(facts: LeaveRequestFacts) -> list[Finding]:
    """A cancellation only needs to name an open request of the worker."""
    return list(_kind(facts))


def counts_towards_threshold(
    leave_type: LeaveType, form: LeaveForm, birth_date: datetime.date | None, on: datetime.date
) -> bool:
    """Whether a leave counts among the workers on time credit for the 5 % threshold, on that day.

    The same test for the new request and for those already absent (interruptions.selectors): thematic
    leaves and career breaks do not count, nor an end-of-career 1/5 of a worker aged 55 or more that day.
    A worker whose birth date is unknown counts (the threshold only warns).
    """
    if CATALOGUE[LeaveType(leave_type)].family is not LeaveFamily.TIME_CREDIT:
        return False
    exempt_from = in_force(TIME_CREDIT_THRESHOLD_EXEMPT_FIFTH_FROM_AGE, on)
    return not (
        leave_type == LeaveType.TC_END_OF_CAREER
        and form == LeaveForm.ONE_FIFTH
        and birth_date is not None
        and age_on(birth_date, on) >= exempt_from
    )


def _threshold(facts: LeaveRequestFacts) -> Iterator[Finding]:
    headcount, on_credit = facts.reference_headcount, facts.workers_on_time_credit
    if headcount is None or on_credit is None or headcount < TIME_CREDIT_THRESHOLD_MIN_HEADCOUNT:
        return
    if not counts_towards_threshold(facts.leave_type, facts.form, facts.worker_birth_date, facts.start):
        return
    share = in_force(TIME_CREDIT_THRESHOLD, facts.rule_date)
    if Fraction(on_credit + 1, headcount) > share:
        yield warning(
            "threshold.exceeded",
            "start",
            _(
                "With this request %(count)s of %(headcount)s workers would be on time credit at once, more "
                "than %(percent)s %%. You may postpone the start (planning rules of CCT 103); you may also "
                "accept it."
            ),
            REF_THRESHOLD,
            count=on_credit + 1,
            headcount=headcount,
            percent=share * 100,
        )


def notice_too_short(
    facts: LeaveRequestFacts,
    *,
    months: int = 0,
    days: int = 0,
    reference: str,
    code: str = "notice.too_short",
    severity: Severity = Severity.ERROR,
    template: StrPromise | None = None,
    **extra: object,
) -> Iterator[Finding]:
    """The start must fall at least `months` (calendar) plus `days` after the written notice, unless a
    shorter term was agreed in writing (`shorter_notice_agreed`).

    `template` replaces the default message; it gets `notice`, `term`, `earliest`, `start` and `extra`.
    """
    if facts.notice_date is None or facts.shorter_notice_agreed or facts.notice_date > facts.start:
        return
    earliest = add_months(facts.notice_date, months) + datetime.timedelta(days=days)
    if facts.start >= earliest:
        return
    if template is None:
        template = (
            _(
                "The notice (%(notice)s) is usually given %(term)s before the start, i.e. for a start on "
                "%(earliest)s or later; the leave starts on %(start)s. Check the dates, or tick that a "
                "shorter term was agreed with the worker."
            )
            if severity is Severity.WARNING
            else _(
                "The notice (%(notice)s) must be given %(term)s before the start: the leave can start on "
                "%(earliest)s at the earliest, not %(start)s. Move the start, or tick that a shorter term "
                "was agreed in writing with the worker."
            )
        )
    yield Finding(
        code,
        severity,
        "notice_date",
        template,
        reference,
        {
            "notice": facts.notice_date,
            "term": Term(months=months, days=days),
            "earliest": earliest,
            "start": facts.start,
            **extra,
        },
    )
