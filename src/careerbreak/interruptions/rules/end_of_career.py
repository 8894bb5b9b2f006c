"""End-of-career job, private sector (emploi de fin de carrière / landingsbaan): 1/2 or 1/5 until pension.

Legal basis: right at the employer, CCT n° 103 (end-of-career time credit; CCT 103/7 in force 1.01.2026);
allowance, Royal Decree of 12.12.2001 as amended; exceptions from 55, interprofessional CCT n° 174 plus a
sector or company CCT, extended until 30.06.2029. ONEM info sheets T161/T162 (older), T193 (1.01.2026),
RVA FAQ 2026. domain-research §1.2 [C] [S38]-[S46].

The right at the employer needs a career of 25 years as an employee at the notice (CCT 103; RVA FAQ 2026
[S39]; a career year is 312 days, CCT 103ter [S142]): below it, an ERROR
(`end_of_career.career_insufficient`).
When the career years are not given, the allowance's WARNING asks for them; the right is not refused on an
unanswered question.

Dates of change:
- Age: 60, or 55 with an exception; the exceptions apply to leaves starting until 30.06.2029 (start date).
- Career condition (by the date of the notice): until 31.12.2025, 25 years; from 1.01.2026, 31 years for
  men / 26 for women, one more year each 1 January, to 35 / 30 from 1.01.2030 (the women's figure is to be
  evaluated in 2029). The research gives the condition "for allowances" (RVA T193) and also lists a career
  condition for the right; it is a WARNING here, because a landing job without allowance is still
  possible and must still be declared [S46].
- From 1.01.2026: 1/5 also for full-timers on fewer than 5 days a week, with agreement (rules.time_credit).
Per request: at least 3 months (1/2) or 6 months (1/5), no maximum. Conditions at the notice: 24 months of
seniority, employment during the previous 24 months (full-time for 1/5, at least 3/4 for 1/2).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from careerbreak.interruptions.rules import common, time_credit
from careerbreak.interruptions.rules.base import (
    BEFORE_RECORDS,
    Effective,
    Finding,
    LeaveRequestFacts,
    Months,
    error,
    in_force,
    regime_at_least,
    warning,
)
from careerbreak.interruptions.rules.dates import ONE_DAY, age_on, birthday
from careerbreak.interruptions.types import EndOfCareerException, LeaveForm, PriorRegime

REF_AGE = (
    "CCT 103 (end of career); CCT 174 and sector or company CCT for 55 (until 30.06.2029); RVA T193 "
    "[S39][S43]-[S45]"
)
REF_RIGHT_CAREER = (
    "CCT 103 (end of career): a career of 25 years as an employee at the notice (CCT 103ter: a year is 312 "
    "days, 7,800 days for 25 years); RVA FAQ 2026 [S39][S142]"
)
REF_CAREER = "RD 12.12.2001 as amended; RVA T193 (1.01.2026): career condition by year [S39][S40][S43][S44]"
REF_REGIME = "CCT 103 (end of career): employment during the 24 months before the notice [S39]"
REF_DURATION = "CCT 103 (end of career): at least 3 months (1/2) or 6 months (1/5) per request [S38][S39]"
REF_EXCEPTION = "CCT 174 plus a sector or company CCT (exceptions from 55) [S43][S44][S45]"


@dataclass(frozen=True)
class AgeRule:
    age: int
    exception_age: int | None  # None: no exception possible for this start


EXCEPTIONS_LAST_START = datetime.date(2029, 6, 30)

# Keyed by the start date of the leave.
AGE: Effective[AgeRule] = Effective(
    (BEFORE_RECORDS, AgeRule(age=60, exception_age=55)),
    (EXCEPTIONS_LAST_START + ONE_DAY, AgeRule(age=60, exception_age=None)),
)


@dataclass(frozen=True)
class CareerYears:
    men: int
    women: int


# Keyed by the date of the notice.
CAREER_YEARS: Effective[CareerYears] = Effective(
    (BEFORE_RECORDS, CareerYears(men=25, women=25)),
    (datetime.date(2026, 1, 1), CareerYears(men=31, women=26)),
    (datetime.date(2027, 1, 1), CareerYears(men=32, women=27)),
    (datetime.date(2028, 1, 1), CareerYears(men=33, women=28)),
    (datetime.date(2029, 1, 1), CareerYears(men=34, women=29)),
    (datetime.date(2030, 1, 1), CareerYears(men=35, women=30)),
)

REQUEST_DURATION: Effective[dict[LeaveForm, common.Duration]] = Effective(
    (BEFORE_RECORDS, {LeaveForm.HALF: common.Duration(3), LeaveForm.ONE_FIFTH: common.Duration(6)})
)

REGIME_24_MONTHS_FOR_FORM: Effective[dict[LeaveForm, PriorRegime]] = Effective(
    (
        BEFORE_RECORDS,
        {LeaveForm.HALF: PriorRegime.AT_LEAST_THREE_QUARTERS, LeaveForm.ONE_FIFTH: PriorRegime.FULL_TIME},
    )
)

# The right at the employer needs this many years of career as an employee at the notice (CCT 103); the
# rising condition of CAREER_YEARS governs the allowance only.
RIGHT_CAREER_YEARS: Effective[int] = Effective((BEFORE_RECORDS, 25))

LONG_CAREER_YEARS: Effective[int] = Effective((BEFORE_RECORDS, 35))
# The regime is looked at over this many months before the notice.
REGIME_REFERENCE_MONTHS = 24
# Exceptions tied to a joint committee (construction: 124; adapted work: 327).
EXCEPTION_JOINT_COMMITTEE: dict[EndOfCareerException, str] = {
    EndOfCareerException.CONSTRUCTION: "124",
    EndOfCareerException.ADAPTED_WORK: "327",
}


def check(facts: LeaveRequestFacts) -> list[Finding]:
    duration = in_force(REQUEST_DURATION, facts.rule_date)[facts.form]
    return [
        *common.check_request_duration(facts, duration, left=None, reference=REF_DURATION),
        *_age(facts),
        *_career(facts),
        *_regime(facts),
        *time_credit.shared(facts, motive=False),
    ]


def _age(facts: LeaveRequestFacts) -> Iterator[Finding]:
    birth = facts.worker_birth_date
    if birth is None:
        yield error(
            "end_of_career.birth_date_unknown",
            "worker_birth_date",
            _(
                "The worker's birth date is unknown; an end-of-career job depends on age. Check the national "
                "register."
            ),
            REF_AGE,
        )
        return
    rule = in_force(AGE, facts.start)
    age = age_on(birth, facts.start)
    if age >= rule.age:
        return
    exception = facts.end_of_career_exception
    if exception is not None and rule.exception_age is not None and age >= rule.exception_age:
        yield from _exception(facts, exception, rule)
        return
    # The exception age as it was before the exceptions ended, for the message.
    exception_age = rule.exception_age or AGE.at(EXCEPTIONS_LAST_START).exception_age
    params = {
        "age": rule.age,
        "birth": birth,
        "worker_age": age,
        "start": facts.start,
        "turns": birthday(birth, rule.age),
        "exception_age": exception_age,
        "last_start": EXCEPTIONS_LAST_START,
    }
    if exception is not None and rule.exception_age is None:
        template = _(
            "The exceptions from %(exception_age)s apply to end-of-career jobs starting by %(last_start)s. "
            "The worker (born %(birth)s) is %(worker_age)s on %(start)s and must be %(age)s: the leave can "
            "start from %(turns)s."
        )
    elif exception is not None:
        template = _(
            "Even with an exception, an end-of-career job starts from age %(exception_age)s. The worker "
            "(born %(birth)s) is %(worker_age)s on %(start)s. Check the start date or the birth date."
        )
    else:
        template = _(
            "An end-of-career job starts from age %(age)s (%(exception_age)s with an exception of CCT 174, "
            "for leaves starting by %(last_start)s). The worker (born %(birth)s) is %(worker_age)s on "
            "%(start)s and turns %(age)s on %(turns)s. Move the start, or choose the exception that applies."
        )
    yield error("end_of_career.too_young", "start", template, REF_AGE, **params)


def _exception(facts: LeaveRequestFacts, exception: EndOfCareerException, rule: AgeRule) -> Iterator[Finding]:
    template_number = _(
        "An end-of-career job before %(age)s needs a sector or company collective agreement besides CCT 174. "
        "Give the registration number of that agreement."
    )
    template_date = _(
        "An end-of-career job before %(age)s needs a sector or company collective agreement besides CCT 174. "
        "Give the date of that agreement."
    )
    for finding in time_credit.require_collective_agreement(
        facts, template_number=template_number, template_date=template_date, reference=REF_EXCEPTION
    ):
        yield dataclasses.replace(finding, params={**finding.params, "age": rule.age})
    if exception is EndOfCareerException.LONG_CAREER:
        needed = in_force(LONG_CAREER_YEARS, facts.rule_date)
        if facts.career_years is None or facts.career_years < needed:
            yield error(
                "end_of_career.long_career_short",
                "career_years",
                _(
                    "The long-career exception needs %(needed)s years of career; you declared %(years)s. "
                    "Check the career years or choose another exception."
                ),
                REF_EXCEPTION,
                needed=needed,
                years=facts.career_years if facts.career_years is not None else "—",
            )
    committee = EXCEPTION_JOINT_COMMITTEE.get(exception)
    if committee and facts.joint_committee and facts.joint_committee.split(".")[0] != committee:
        yield error(
            "end_of_career.exception_joint_committee",
            "end_of_career_exception",
            _(
                "The exception %(exception)s applies to workers of joint committee %(needed)s; this worker "
                "is in joint committee %(committee)s. Choose another exception or check the joint committee."
            ),
            REF_EXCEPTION,
            exception=exception,
            needed=committee,
            committee=facts.joint_committee,
        )


def _career(facts: LeaveRequestFacts) -> Iterator[Finding]:
    right = in_force(RIGHT_CAREER_YEARS, facts.rule_date)
    if facts.career_years is not None and facts.career_years < Decimal(right):
        # Below the right's condition the request is refused; the allowance's condition, higher or equal,
        # would only repeat it.
        yield error(
            "end_of_career.career_insufficient",
            "career_years",
            _(
                "An end-of-career job needs a career of at least %(needed)s years as an employee on the date "
                "of the notice (CCT 103); you declared %(years)s. Check the career years (a year counts 312 "
                "days of work or assimilated days); below %(needed)s years the worker has no right to it."
            ),
            REF_RIGHT_CAREER,
            needed=right,
            years=facts.career_years,
        )
        return
    rule = in_force(CAREER_YEARS, facts.rule_date)
    # Unknown gender in the national register: the higher figure, so that no allowance is promised wrongly.
    needed = rule.women if facts.worker_gender == "F" else rule.men
    if facts.career_years is None:
        yield warning(
            "end_of_career.career_missing",
            "career_years",
            _(
                "Give the worker's career years: ONEM pays the end-of-career allowance only after %(needed)s "
                "years of career."
            ),
            REF_CAREER,
            needed=needed,
        )
        return
    if facts.career_years < Decimal(needed):
        yield warning(
            "end_of_career.career_short",
            "career_years",
            _(
                "For a notice given on %(notice)s, ONEM pays the end-of-career allowance after %(men)s years "
                "of career for men and %(women)s for women; you declared %(years)s. The leave remains "
                "possible without allowance (and must still be declared)."
            ),
            REF_CAREER,
            notice=facts.rule_date,
            men=rule.men,
            women=rule.women,
            years=facts.career_years,
        )


def _regime(facts: LeaveRequestFacts) -> Iterator[Finding]:
    minimum = in_force(REGIME_24_MONTHS_FOR_FORM, facts.rule_date)[facts.form]
    period = Months(REGIME_REFERENCE_MONTHS)
    if facts.regime_24_months is None:
        yield error(
            "end_of_career.regime_missing",
            "regime_24_months",
            _(
                "Give the worker's regime during the %(period)s before the notice: an end-of-career job "
                "depends on it."
            ),
            REF_REGIME,
            period=period,
        )
    elif not regime_at_least(facts.regime_24_months, minimum):
        yield error(
            "end_of_career.regime_insufficient",
            "regime_24_months",
            _(
                "An end-of-career job in the form %(form)s needs the worker to have worked %(minimum)s "
                "during the %(period)s before the notice; you declared %(regime)s. Check the regime, or "
                "choose the half-time form if the worker worked at least three-quarter time."
            ),
            REF_REGIME,
            form=facts.form,
            minimum=minimum,
            period=period,
            regime=facts.regime_24_months,
        )
