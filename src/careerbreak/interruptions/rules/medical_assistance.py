"""Medical assistance leave (congé pour assistance médicale / verlof voor medische bijstand), all sectors.

Legal basis: Royal Decree of 10 August 1998 on the career break to assist or care for a seriously ill
member of the household or family (general knowledge, not named in the research [U]); Law of
22 January 1985. ONEM info sheet T18. domain-research §1.3 [C] [S54]-[S56].

- Periods of 1 to 3 months, renewable [C]. From 1.06.2019, full-time also in 1, 2 or 3 weeks with the
  employer's agreement, in the private sector and local authorities [C] (keyed by the notice date).
- Per patient: 12 months full-time, 24 months partial (1/2 or 1/5) [C]; how the forms combine is not in
  the research: a partial month counts as half a full-time month here [U]. Doubled (24 / 48) for a single
  parent caring for their seriously ill child of 16 or under [C].
- Employer with fewer than 10 workers may refuse (so its agreement is needed); fewer than 50 may refuse
  once 6 months full-time / 12 partial have been taken [P] [S55] (a WARNING).
- Prior regime for partial forms: rules.common ([C] [S56] agrees with DOMAIN.md §4).
- Notice: 7 days "often quoted" [U]: a WARNING only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from careerbreak.interruptions.rules import common, usage
from careerbreak.interruptions.rules.base import (
    BEFORE_RECORDS,
    Effective,
    Finding,
    LeaveRequestFacts,
    Months,
    Severity,
    Text,
    error,
    in_force,
    warning,
)
from careerbreak.interruptions.rules.dates import age_on
from careerbreak.interruptions.types import LeaveForm, Sector

REF_DURATION = "RD 10.08.1998: periods of 1 to 3 months; weeks with agreement from 1.06.2019; ONEM T18 [S54]"
REF_MAXIMUM = "RD 10.08.1998: 12 months full-time / 24 partial per patient, doubled for a single parent [S54]"
REF_REFUSAL = "RD 10.08.1998: refusal by employers of fewer than 10 (or 50) workers [P] [S55]"
REF_NOTICE = "Notice of 7 days, commonly quoted [U]"

# Partial months count half against the full-time maximum [U].
FORM_WEIGHT = usage.PARTIAL_MONTH_AS_HALF


@dataclass(frozen=True)
class PerPatient:
    full_months: int
    single_parent_full_months: int
    single_parent_child_max_age: int  # the child is this age or younger on the start date


PER_PATIENT: Effective[PerPatient] = Effective(
    (BEFORE_RECORDS, PerPatient(full_months=12, single_parent_full_months=24, single_parent_child_max_age=16))
)


@dataclass(frozen=True)
class PeriodRule:
    minimum_months: int
    maximum_months: int
    weeks_with_agreement: tuple[int, ...]  # full-time periods in weeks, with the employer's agreement
    weeks_sectors: frozenset[Sector]


PERIOD: Effective[PeriodRule] = Effective(
    (BEFORE_RECORDS, PeriodRule(1, 3, (), frozenset())),
    (
        datetime.date(2019, 6, 1),
        PeriodRule(1, 3, (1, 2, 3), frozenset({Sector.PRIVATE, Sector.LOCAL_PUBLIC})),
    ),
)


@dataclass(frozen=True)
class Refusal:
    agreement_below: int  # fewer workers than this: the employer may refuse any request
    limited_below: int  # fewer workers than this: may refuse once `limited_full_months` are used
    limited_full_months: int


REFUSAL: Effective[Refusal] = Effective(
    (BEFORE_RECORDS, Refusal(agreement_below=10, limited_below=50, limited_full_months=6))
)
NOTICE_DAYS: Effective[int] = Effective((BEFORE_RECORDS, 7))


def check(facts: LeaveRequestFacts) -> list[Finding]:
    return [*_period(facts), *_per_patient(facts), *_refusal(facts), *_notice(facts)]


def _period(facts: LeaveRequestFacts) -> Iterator[Finding]:
    rule = in_force(PERIOD, facts.rule_date)
    months = facts.months
    days = (facts.end - facts.start).days + 1
    weeks_possible = (
        facts.form is LeaveForm.FULL
        and facts.sector in rule.weeks_sectors
        and days % 7 == 0
        and days // 7 in rule.weeks_with_agreement
    )
    params = {
        "minimum": Months(rule.minimum_months),
        "maximum": Months(rule.maximum_months),
        "months": Months(months),
        "start": facts.start,
        "end": facts.end,
    }
    if months < rule.minimum_months:
        if weeks_possible and facts.employer_agreement is True:
            return
        if weeks_possible:
            hint = Text(
                _(
                    "A full-time leave of %(fewest)s to %(most)s whole weeks is possible with the employer's "
                    "agreement: tick it if you agree."
                ),
                {"fewest": min(rule.weeks_with_agreement), "most": max(rule.weeks_with_agreement)},
            )
        else:
            hint = Text(_("Extend the end date."))
        yield error(
            "medical.too_short",
            "end",
            _(
                "Medical assistance leave is taken in periods of %(minimum)s to %(maximum)s; this one lasts "
                "%(months)s (%(start)s–%(end)s). %(hint)s"
            ),
            REF_DURATION,
            hint=hint,
            **params,
        )
    elif months > rule.maximum_months:
        yield error(
            "medical.too_long",
            "end",
            _(
                "Medical assistance leave is taken in periods of %(minimum)s to %(maximum)s; this one lasts "
                "%(months)s (%(start)s–%(end)s). Shorten it and file an extension for the rest."
            ),
            REF_DURATION,
            **params,
        )


def _maximum_for(facts: LeaveRequestFacts) -> int:
    """Full-time months per person cared for: doubled for a single parent of a child of 16 or under."""
    rule = in_force(PER_PATIENT, facts.rule_date)
    doubled = (
        facts.single_parent
        and facts.patient_birth_date is not None
        and age_on(facts.patient_birth_date, facts.start) <= rule.single_parent_child_max_age
    )
    return rule.single_parent_full_months if doubled else rule.full_months


def _used(facts: LeaveRequestFacts) -> Fraction:
    return usage.MEDICAL_ASSISTANCE.used(facts.other_periods(), facts.patient_niss)


def _per_patient(facts: LeaveRequestFacts) -> Iterator[Finding]:
    maximum = _maximum_for(facts)
    limits = {"full": Months(maximum), "partial": Months(maximum / FORM_WEIGHT[LeaveForm.HALF])}
    if not facts.patient_niss:
        yield warning(
            "medical.patient_niss_missing",
            "patient_niss",
            _(
                "Give the national register number of the person cared for, so that the leave already taken "
                "for them can be counted (at most %(full)s full-time or %(partial)s partial)."
            ),
            REF_MAXIMUM,
            **limits,
        )
        return
    used = _used(facts)
    weight = FORM_WEIGHT[facts.form]
    if used + facts.months * weight <= maximum:
        return
    yield error(
        "medical.maximum",
        "end",
        _(
            "Medical assistance leave is limited to %(full)s full-time or %(partial)s partial per person "
            "cared for. For this person %(used)s full-time are already used or requested, which leaves "
            "%(left)s in the form %(form)s; this request lasts %(months)s. Shorten it, or check the person's "
            "national register number."
        ),
        REF_MAXIMUM,
        used=Months(used),
        left=Months(max(Fraction(0), maximum - used) / weight),
        form=facts.form,
        months=Months(facts.months),
        **limits,
    )


def _refusal(facts: LeaveRequestFacts) -> Iterator[Finding]:
    headcount = facts.reference_headcount
    if facts.employer_agreement is True:
        return
    rule = in_force(REFUSAL, facts.rule_date)
    if headcount is None:
        # Unknown is not small: no refusal, a reminder (issue 11.3).
        yield warning(
            "medical.headcount_unknown",
            "employer_agreement",
            _(
                "The headcount on 30 June of the previous year is unknown. An employer of fewer than "
                "%(below)s workers may refuse medical assistance leave; if that is your case and you accept "
                "the leave, tick that you agree. Give the headcount in the company data (step 3)."
            ),
            REF_REFUSAL,
            below=rule.agreement_below,
        )
        return
    if headcount < rule.agreement_below:
        yield error(
            "medical.agreement_small_enterprise",
            "employer_agreement",
            _(
                "An employer of fewer than %(below)s workers (%(headcount)s on 30 June of the previous year) "
                "may refuse medical assistance leave. Tick that you agree if you accept it; if you refuse, "
                "tell the worker and do not file the request."
            ),
            REF_REFUSAL,
            below=rule.agreement_below,
            headcount=headcount,
        )
        return
    if headcount < rule.limited_below and facts.patient_niss:
        used = _used(facts)
        if used >= rule.limited_full_months:
            yield warning(
                "medical.may_refuse",
                "employer_agreement",
                _(
                    "An employer of fewer than %(below)s workers may refuse further medical assistance leave "
                    "once %(full)s full-time or %(partial)s partial have been taken for the person cared for "
                    "(%(used)s full-time here). You may also accept it."
                ),
                REF_REFUSAL,
                below=rule.limited_below,
                full=Months(rule.limited_full_months),
                partial=Months(rule.limited_full_months / FORM_WEIGHT[LeaveForm.HALF]),
                used=Months(used),
            )


def _notice(facts: LeaveRequestFacts) -> Iterator[Finding]:
    yield from common.notice_too_short(
        facts,
        days=in_force(NOTICE_DAYS, facts.rule_date),
        reference=REF_NOTICE,
        code="medical.notice_short",
        severity=Severity.WARNING,
    )
