"""Time credit with motive, private sector (crédit-temps avec motif / tijdskrediet met motief).

Legal basis: right at the employer, CCT n° 103 of the National Labour Council (as amended by CCT 103/6 of
27.09.2022 and CCT 103/7, in force 1.01.2026); right to ONEM allowances, Royal Decree of 12.12.2001 as
amended by the Royal Decree of 26.01.2023 (in force 1.02.2023). ONEM info sheets T159 (procedure), T160
(motives), E59 and E65 (employers). domain-research §1.1 [C] [S9]-[S17][S26]-[S35], [S40].

Rules are chosen by the date of the worker's written notice (`LeaveRequestFacts.rule_date`); the child's
age is taken on the start date. Dates of change:
- since CCT 103 (before the oldest request held): motives, maxima 51 / 36 months, per-request minima,
  notice 3 / 6 months by headcount, 24 months seniority, agreement in enterprises of 10 or fewer.
- 1.02.2023 (notice from that day, RD 26.01.2023): allowance rules — full-time child-care allowance only
  for a child under 5; child-care allowance limited to 48 months (51 kept by workers who had 30 months on
  1.02.2023); occupation condition for the allowance (full form: 12 months full-time or 24 months
  employment; partial forms: 12 months full-time).
- 1.06.2023 [P] (one source says 1.01.2024): 36 months seniority for the child-care allowance.
- 1.01.2026 (CCT 103/7): 1/5 also for full-timers working fewer than 5 days a week, with a collective or
  written agreement.

Allowance rules only inform (WARNING): the right to the leave at the employer stays.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from careerbreak.interruptions.rules import common, palliative, parental, usage
from careerbreak.interruptions.rules.base import (
    BEFORE_RECORDS,
    Effective,
    Finding,
    LeaveRequestFacts,
    Months,
    Text,
    error,
    in_force,
    warning,
)
from careerbreak.interruptions.rules.dates import ONE_DAY, add_months, age_on, end_for, months_between
from careerbreak.interruptions.types import (
    TIME_CREDIT_AGREEMENT_MAX_HEADCOUNT,
    LeaveForm,
    LeaveType,
    PriorRegime,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

REF_CCT103 = "CCT 103 (as amended by CCT 103/6 and 103/7); ONEM T160 [S13][S14][S26]"
REF_DURATION = "CCT 103, minimum period per request; ONEM T160 [S29]"
REF_MAXIMUM = "CCT 103, maximum over the career (51 months, training 36) [S14][S26]"
REF_STARRED = "CCT 103: full and half-time only where a sector or company CCT opens them [S14][S27][S28]"
REF_NOTICE = (
    "CCT 103, written notice 3 or 6 months before (headcount on 30 June of the previous year) [S4][S20][S32]"
)
REF_SENIORITY = (
    "CCT 103, 24 months of seniority with the employer at the notice, every employment with that employer "
    "counted [S12][S30]"
)
REF_AGREEMENT = "CCT 103, enterprises of 10 workers or fewer: employer's agreement [S32][S35]"
REF_FIFTH_DAYS = (
    "CCT 103 / 103/7 (from 1.01.2026): 1/5 for full-timers on fewer than 5 days with agreement [S12][S40]"
)
REF_ALLOWANCE = "RD 12.12.2001 as amended by RD 26.01.2023, in force 1.02.2023 [S15][S16][S17][S30][S31]"
REF_ALLOWANCE_SENIORITY = (
    "RD 12.12.2001 as amended in 2023: 36 months seniority for the child-care allowance [P] [S30]"
)

MOTIVES = usage.MOTIVES  # the types that share the 51-month maximum

_FULL, _HALF, _FIFTH = LeaveForm.FULL, LeaveForm.HALF, LeaveForm.ONE_FIFTH


_THREE_SIX = {_FULL: common.Duration(3), _HALF: common.Duration(3), _FIFTH: common.Duration(6)}
_ONE_TO_THREE = {_FULL: common.Duration(1, 3), _HALF: common.Duration(1, 3), _FIFTH: common.Duration(1, 3)}

# Months per request (DOMAIN.md §4; research: palliative by periods of 1 month, serious illness 1 to 3).
REQUEST_DURATION: Effective[dict[LeaveType, dict[LeaveForm, common.Duration]]] = Effective(
    (
        BEFORE_RECORDS,
        {
            LeaveType.TC_CHILD_CARE: _THREE_SIX,
            LeaveType.TC_PALLIATIVE: {
                _FULL: common.Duration(1, 1),
                _HALF: common.Duration(1, 1),
                _FIFTH: common.Duration(1, 1),
            },
            LeaveType.TC_SERIOUS_ILLNESS: _ONE_TO_THREE,
            LeaveType.TC_DISABLED_CHILD: _THREE_SIX,
            LeaveType.TC_SERIOUSLY_ILL_MINOR: _ONE_TO_THREE,
            LeaveType.TC_TRAINING: _THREE_SIX,
        },
    ),
)


@dataclass(frozen=True)
class CareerMaxima:
    all_motives: int
    training: int


# Calendar months whatever the form (1/5 for 12 months counts 12) [C] [S14][S26].
CAREER_MAXIMA: Effective[CareerMaxima] = Effective(
    (BEFORE_RECORDS, CareerMaxima(all_motives=51, training=36))
)

# The child must be under this age on the start date.
CHILD_AGE_LIMIT: Effective[dict[LeaveType, int]] = Effective(
    (
        BEFORE_RECORDS,
        {LeaveType.TC_CHILD_CARE: 8, LeaveType.TC_DISABLED_CHILD: 21, LeaveType.TC_SERIOUSLY_ILL_MINOR: 18},
    ),
)


@dataclass(frozen=True)
class NoticeTerms:
    large_above: int  # more workers than this on 30 June of the previous year: the short term
    large_months: int
    small_months: int
    after_palliative_days: int  # time credit with motive right after exhausted palliative leave


NOTICE: Effective[NoticeTerms] = Effective(
    (BEFORE_RECORDS, NoticeTerms(large_above=20, large_months=3, small_months=6, after_palliative_days=14))
)
SENIORITY_MONTHS: Effective[int] = Effective((BEFORE_RECORDS, 24))
AGREEMENT_MAX_HEADCOUNT: Effective[int] = Effective((BEFORE_RECORDS, TIME_CREDIT_AGREEMENT_MAX_HEADCOUNT))


@dataclass(frozen=True)
class FifthDays:
    minimum_days: int
    fewer_with_agreement: bool


FIFTH_DAYS: Effective[FifthDays] = Effective(
    (BEFORE_RECORDS, FifthDays(minimum_days=5, fewer_with_agreement=False)),
    (datetime.date(2026, 1, 1), FifthDays(minimum_days=5, fewer_with_agreement=True)),
)


@dataclass(frozen=True)
class ChildCareAllowance:
    full_form_child_under: int  # full-time allowance only for a child under this age
    max_months: int
    # Workers who had taken at least this many months before `cutoff` keep `grandfathered_max`.
    grandfathered_from: int
    grandfathered_max: int
    cutoff: datetime.date


CHILD_CARE_ALLOWANCE: Effective[ChildCareAllowance | None] = Effective(
    (BEFORE_RECORDS, None),
    (
        datetime.date(2023, 2, 1),
        ChildCareAllowance(
            full_form_child_under=5,
            max_months=48,
            grandfathered_from=30,
            grandfathered_max=51,
            cutoff=datetime.date(2023, 2, 1),
        ),
    ),
)
CHILD_CARE_ALLOWANCE_SENIORITY_MONTHS: Effective[int | None] = Effective(
    (BEFORE_RECORDS, None), (datetime.date(2023, 6, 1), 36)
)


@dataclass(frozen=True)
class OccupationCondition:
    """Allowance: partial forms need `full_time_months` of full-time work before the notice; the full
    form that, or `employment_months` of employment in any regime."""

    full_time_months: int
    employment_months: int


ALLOWANCE_OCCUPATION: Effective[OccupationCondition | None] = Effective(
    (BEFORE_RECORDS, None),
    (datetime.date(2023, 2, 1), OccupationCondition(full_time_months=12, employment_months=24)),
)


def check(facts: LeaveRequestFacts) -> list[Finding]:
    """Time credit with motive (every type in MOTIVES)."""
    return [
        *_collective_agreement(facts),
        *_duration(facts),
        *_career_maxima(facts),
        *_child(facts),
        *_palliative_certificate(facts),
        *shared(facts, motive=True),
        *_allowance_occupation(facts),
        *_child_care_allowance(facts),
    ]


def shared(facts: LeaveRequestFacts, *, motive: bool) -> list[Finding]:
    """What every time credit checks, with motive or end of career: notice, seniority, small enterprises,
    1/5 over fewer than 5 days."""
    return [
        *_notice(facts, motive=motive),
        *_seniority(facts, motive=motive),
        *_agreement(facts),
        *_fifth_days(facts),
    ]


def _collective_agreement(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.form not in facts.spec.agreement_forms:
        return
    yield from require_collective_agreement(
        facts,
        template_number=_(
            "%(type)s in the form %(form)s exists only where a sector or company collective agreement opens "
            "it. Give the registration number of that agreement."
        ),
        template_date=_(
            "%(type)s in the form %(form)s exists only where a sector or company collective agreement opens "
            "it. Give the date of that agreement."
        ),
        reference=REF_STARRED,
    )


def require_collective_agreement(
    facts: LeaveRequestFacts, *, template_number: StrPromise, template_date: StrPromise, reference: str
) -> Iterator[Finding]:
    """The collective agreement's registration number and date are given, and the date is not ahead."""
    params = {"type": facts.spec.label, "form": facts.form}
    if not facts.collective_agreement_number.strip():
        yield error("cct.number_missing", "collective_agreement_number", template_number, reference, **params)
    if facts.collective_agreement_date is None:
        yield error("cct.date_missing", "collective_agreement_date", template_date, reference, **params)
    elif facts.today and facts.collective_agreement_date > facts.today:
        yield error(
            "cct.date_in_future",
            "collective_agreement_date",
            _(
                "The collective agreement is dated %(date)s, after today. Give the date of the agreement in "
                "force."
            ),
            reference,
            date=facts.collective_agreement_date,
        )


def _duration(facts: LeaveRequestFacts) -> Iterator[Finding]:
    duration = in_force(REQUEST_DURATION, facts.rule_date)[facts.leave_type][facts.form]
    maxima = in_force(CAREER_MAXIMA, facts.rule_date)
    others = facts.other_periods()
    left = maxima.all_motives - usage.TIME_CREDIT_MOTIVES.used(others)
    if facts.leave_type is LeaveType.TC_TRAINING:
        left = min(left, maxima.training - usage.TIME_CREDIT_TRAINING.used(others))
    yield from common.check_request_duration(facts, duration, left=left, reference=REF_DURATION)


def _career_maxima(facts: LeaveRequestFacts) -> Iterator[Finding]:
    maxima = in_force(CAREER_MAXIMA, facts.rule_date)
    others = facts.other_periods()
    limits = [(maxima.all_motives, usage.TIME_CREDIT_MOTIVES, "maximum.all_motives")]
    if facts.leave_type is LeaveType.TC_TRAINING:
        limits.append((maxima.training, usage.TIME_CREDIT_TRAINING, "maximum.training"))
    for maximum, counter, code in limits:
        used = counter.used(others)
        if used + facts.months <= maximum:
            continue
        left = max(Fraction(0), maximum - used)
        params = {"maximum": Months(maximum), "used": Months(used)}
        if left == 0:
            yield error(
                f"{code}_exhausted",
                "leave_type",
                _(
                    "The worker has used all of this time credit over the career (%(maximum)s; %(used)s "
                    "already used or requested). It is no longer possible; check the worker's Break@Work "
                    "history."
                )
                if code == "maximum.all_motives"
                else _(
                    "The worker has used all the time credit for training over the career (%(maximum)s; "
                    "%(used)s already used or requested). Time credit for training is no longer possible; "
                    "check the worker's Break@Work history, or choose another motive."
                ),
                REF_MAXIMUM,
                **params,
            )
            continue
        template = (
            _(
                "Time credit with motive is limited to %(maximum)s over the career, all motives together, "
                "counted in calendar months whatever the form. Already used or requested: %(used)s; this "
                "request: %(months)s; left: %(left)s. End the leave on %(latest_end)s at the latest."
            )
            if code == "maximum.all_motives"
            else _(
                "Time credit for training is limited to %(maximum)s over the career, counted in calendar "
                "months whatever the form. Already used or requested: %(used)s; this request: %(months)s; "
                "left: %(left)s. End the leave on %(latest_end)s at the latest."
            )
        )
        yield error(
            code,
            "end",
            template,
            REF_MAXIMUM,
            months=Months(facts.months),
            left=Months(left),
            latest_end=end_for(facts.start, left),
            **params,
        )


def _child(facts: LeaveRequestFacts) -> Iterator[Finding]:
    # The limit in force on the notice (the law the request is judged by); the age on the start date (the
    # condition itself). README, note ¹.
    limits = in_force(CHILD_AGE_LIMIT, facts.rule_date)
    if facts.leave_type not in limits:
        return
    yield from common.check_child(
        facts,
        age_limit=limits[facts.leave_type],
        reference=REF_CCT103,
        consequence=Text(
            _("This time credit motive is no longer possible for this child; check the birth date.")
        ),
        code_prefix="time_credit",
    )
    if facts.leave_type is LeaveType.TC_DISABLED_CHILD and facts.child_disabled is not True:
        yield error(
            "time_credit.child_not_disabled",
            "child_disabled",
            _(
                "This motive is for a disabled child: confirm the child's disability (the worker attests it "
                "in their part)."
            ),
            REF_CCT103,
        )


def _palliative_certificate(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.leave_type is LeaveType.TC_PALLIATIVE:
        yield warning(
            "time_credit.palliative_certificate",
            "leave_type",
            _(
                "Palliative care: the worker gives you a certificate from the treating doctor and uploads it "
                "with their part of the request."
            ),
            REF_CCT103,
        )


def _notice(facts: LeaveRequestFacts, *, motive: bool) -> Iterator[Finding]:
    terms = in_force(NOTICE, facts.rule_date)
    if motive and follows_exhausted_palliative_leave(facts):
        yield from common.notice_too_short(
            facts,
            days=terms.after_palliative_days,
            reference=REF_NOTICE,
            template=_(
                "Right after an exhausted palliative care leave, the notice (%(notice)s) is given %(term)s "
                "before the start: the time credit can start on %(earliest)s at the earliest, not %(start)s. "
                "Move the start, or tick that a shorter term was agreed in writing."
            ),
        )
        return
    headcount = facts.reference_headcount
    if headcount is None:
        yield warning(
            "notice.headcount_unknown",
            "notice_date",
            _(
                "The headcount on 30 June of the previous year is unknown, so the notice term (%(large)s or "
                "%(small)s) and whether your agreement is needed cannot be checked. Give the headcount in "
                "the company data (step 3)."
            ),
            REF_NOTICE,
            large=Months(terms.large_months),
            small=Months(terms.small_months),
        )
        return
    large = headcount > terms.large_above
    yield from common.notice_too_short(
        facts,
        months=terms.large_months if large else terms.small_months,
        reference=REF_NOTICE,
        template=(
            _(
                "In an enterprise of more than %(above)s workers (%(headcount)s on 30 June of the previous "
                "year) the time credit notice is given %(term)s before the start: with the notice of "
                "%(notice)s the leave can start on %(earliest)s at the earliest, not %(start)s. Move the "
                "start, or tick that a shorter term was agreed in writing."
            )
            if large
            else _(
                "In an enterprise of %(above)s workers or fewer (%(headcount)s on 30 June of the previous "
                "year) the time credit notice is given %(term)s before the start: with the notice of "
                "%(notice)s the leave can start on %(earliest)s at the earliest, not %(start)s. Move the "
                "start, or tick that a shorter term was agreed in writing."
            )
        ),
        above=terms.large_above,
        headcount=headcount,
    )


def follows_exhausted_palliative_leave(facts: LeaveRequestFacts) -> bool:
    """A palliative care leave ends the day before this start and its patient's months are all used."""
    maximum = in_force(palliative.PER_PATIENT_MONTHS, facts.rule_date)
    others = facts.other_periods()
    for period in others:
        if period.leave_type is LeaveType.PALLIATIVE and period.end == facts.start - ONE_DAY:
            used = usage.PALLIATIVE.used(others, period.subject_niss)
            if used >= maximum:
                return True
    return False


def follows_exhausted_parental_leave(facts: LeaveRequestFacts) -> bool:
    """A parental leave ends the day before this start and that child's months are all used.

    The research's exception needs parental leave exhausted for *all* children; only the child of the
    preceding leave can be seen here, so the exception is assumed for that child alone.
    """
    maximum = in_force(parental.PER_CHILD_FULL_MONTHS, facts.rule_date)
    others = facts.other_periods()
    for period in others:
        if (
            period.leave_type is LeaveType.PARENTAL
            and period.end == facts.start - ONE_DAY
            and parental.used_full_time_equivalent(others, period.subject_niss) >= maximum
        ):
            return True
    return False


def _seniority(facts: LeaveRequestFacts, *, motive: bool) -> Iterator[Finding]:
    months = in_force(SENIORITY_MONTHS, facts.rule_date)
    if facts.notice_date is None or (motive and follows_exhausted_parental_leave(facts)):
        return
    since = facts.seniority_start(facts.notice_date)
    if since is None:
        yield error(
            "seniority.unknown",
            "employment_start",
            _(
                "The start of the worker's employment here is unknown (no Dimona declaration found). Time "
                "credit needs %(months)s of seniority on the date of the notice; check the Dimona."
            ),
            REF_SENIORITY,
            months=Months(months),
        )
        return
    reached = add_months(since, months)
    if facts.notice_date >= reached:
        return
    if len(facts.employment_periods) > 1:
        yield error(
            "seniority.insufficient",
            "notice_date",
            _(
                "Time credit needs %(months)s of seniority with this employer on the date of the notice. "
                "All %(count)s periods of employment here (Dimona) put together give %(seniority)s on "
                "%(notice)s; if the employment goes on, the worker has the seniority on %(reached)s and can "
                "give notice again from that day."
            ),
            REF_SENIORITY,
            months=Months(months),
            count=len(facts.employment_periods),
            seniority=Months(months_between(since, facts.notice_date - ONE_DAY)),
            reached=reached,
            notice=facts.notice_date,
        )
        return
    yield error(
        "seniority.insufficient",
        "notice_date",
        _(
            "Time credit needs %(months)s of seniority with this employer on the date of the notice. "
            "Employed here since %(since)s, the worker has it on %(reached)s, after the notice of "
            "%(notice)s. The worker can give notice again from %(reached)s."
        ),
        REF_SENIORITY,
        months=Months(months),
        since=since,
        reached=reached,
        notice=facts.notice_date,
    )


def _agreement(facts: LeaveRequestFacts) -> Iterator[Finding]:
    maximum = in_force(AGREEMENT_MAX_HEADCOUNT, facts.rule_date)
    headcount = facts.reference_headcount
    if headcount is None or headcount > maximum or facts.employer_agreement is True:
        return
    yield error(
        "agreement.small_enterprise",
        "employer_agreement",
        _(
            "In an enterprise of %(maximum)s workers or fewer (%(headcount)s on 30 June of the previous "
            "year), time credit needs the employer's agreement. Tick that you agree; without your agreement "
            "the request cannot be filed."
        ),
        REF_AGREEMENT,
        maximum=maximum,
        headcount=headcount,
    )


def _fifth_days(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.form is not _FIFTH:
        return
    rule = in_force(FIFTH_DAYS, facts.rule_date)
    days = facts.days_per_week
    if days is None:
        yield error(
            "fifth.days_missing",
            "days_per_week",
            _("Give the days the worker works a week: a 1/5 time credit depends on it."),
            REF_FIFTH_DAYS,
        )
        return
    if days >= rule.minimum_days:
        return
    agreed = facts.employer_agreement is True or bool(facts.collective_agreement_number.strip())
    if rule.fewer_with_agreement and agreed:
        return
    params = {"days": days, "minimum": rule.minimum_days, "since": FIFTH_DAYS.since(facts.rule_date)}
    if rule.fewer_with_agreement:
        yield error(
            "fifth.fewer_days_without_agreement",
            "days_per_week",
            _(
                "The worker works %(days)s days a week. For a notice from %(since)s, a 1/5 time credit over "
                "fewer than %(minimum)s days needs a sector or company collective agreement or your written "
                "agreement: give the agreement's number, or tick your agreement."
            ),
            REF_FIFTH_DAYS,
            **params,
        )
    else:
        yield error(
            "fifth.fewer_days",
            "days_per_week",
            _(
                "The worker works %(days)s days a week. For a notice given on %(notice)s, a 1/5 time credit "
                "needs full-time work over at least %(minimum)s days a week. Choose another form."
            ),
            REF_FIFTH_DAYS,
            notice=facts.rule_date,
            **params,
        )


def _allowance_occupation(facts: LeaveRequestFacts) -> Iterator[Finding]:
    """Since 1.02.2023 the allowance needs prior work; the leave stays possible without it."""
    rule = in_force(ALLOWANCE_OCCUPATION, facts.rule_date)
    if rule is None:
        return
    params = {
        "since": ALLOWANCE_OCCUPATION.since(facts.rule_date),
        "full_time": Months(rule.full_time_months),
        "employment": Months(rule.employment_months),
        "form": facts.form,
    }
    full_time = facts.regime_12_months is PriorRegime.FULL_TIME
    if facts.form is _FULL:
        if full_time or facts.regime_24_months is not None:
            return
        yield warning(
            "allowance.occupation_full",
            "regime_24_months",
            _(
                "For a notice from %(since)s, ONEM pays the allowance for a full-time time credit only after "
                "%(full_time)s of full-time work or %(employment)s of employment before the notice. Give the "
                "regime of the %(employment)s before the notice; without it the worker may get no allowance."
            ),
            REF_ALLOWANCE,
            **params,
        )
    elif not full_time and facts.regime_12_months is not None:
        yield warning(
            "allowance.occupation_partial",
            "regime_12_months",
            _(
                "For a notice from %(since)s, ONEM pays the allowance for a %(form)s time credit only after "
                "%(full_time)s of full-time work before the notice; you declared %(regime)s. The leave "
                "remains possible, without allowance."
            ),
            REF_ALLOWANCE,
            regime=facts.regime_12_months,
            **params,
        )


def _child_care_allowance(facts: LeaveRequestFacts) -> Iterator[Finding]:
    """Child-care allowance since 1.02.2023: full form under 5, at most 48 months; 36 months seniority."""
    if facts.leave_type is not LeaveType.TC_CHILD_CARE:
        return
    rule = in_force(CHILD_CARE_ALLOWANCE, facts.rule_date)
    if rule is not None:
        since = CHILD_CARE_ALLOWANCE.since(facts.rule_date)
        birth = facts.child_birth_date
        if facts.form is _FULL and birth and age_on(birth, facts.start) >= rule.full_form_child_under:
            yield warning(
                "allowance.child_care_full_age",
                "form",
                _(
                    "For a notice from %(since)s, ONEM pays the full-time child-care allowance only for a "
                    "child under %(age)s; the child (born %(birth)s) is %(child_age)s on %(start)s. The "
                    "leave remains possible, without allowance; the half-time and 1/5 forms keep the "
                    "allowance."
                ),
                REF_ALLOWANCE,
                since=since,
                age=rule.full_form_child_under,
                birth=birth,
                child_age=age_on(birth, facts.start),
                start=facts.start,
            )
        others = facts.other_periods()
        used = usage.TIME_CREDIT_CHILD_CARE.used(others)
        before_cutoff = usage.TIME_CREDIT_CHILD_CARE.used(others, until=rule.cutoff - ONE_DAY)
        cap = rule.grandfathered_max if before_cutoff >= rule.grandfathered_from else rule.max_months
        if used + facts.months > cap:
            yield warning(
                "allowance.child_care_months",
                "end",
                _(
                    "For a notice from %(since)s, ONEM pays the child-care allowance for at most %(cap)s. "
                    "Already used or requested: %(used)s; %(without)s of this leave would be without "
                    "allowance."
                ),
                REF_ALLOWANCE,
                since=since,
                cap=Months(cap),
                used=Months(used),
                without=Months(min(facts.months, used + facts.months - cap)),
            )
    seniority = in_force(CHILD_CARE_ALLOWANCE_SENIORITY_MONTHS, facts.rule_date)
    employed_from = facts.seniority_start(facts.notice_date) if facts.notice_date else None
    if seniority and employed_from and facts.notice_date:
        reached = add_months(employed_from, seniority)
        if facts.notice_date < reached:
            yield warning(
                "allowance.child_care_seniority",
                "employment_start",
                _(
                    "For a notice from %(since)s, ONEM pays the child-care allowance only after %(months)s "
                    "of seniority with the employer at the notice; the worker has it on %(reached)s. The "
                    "leave remains possible, without allowance."
                ),
                REF_ALLOWANCE_SENIORITY,
                since=CHILD_CARE_ALLOWANCE_SENIORITY_MONTHS.since(facts.rule_date),
                months=Months(seniority),
                reached=reached,
            )
