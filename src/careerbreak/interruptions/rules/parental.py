"""Parental leave (congé parental / ouderschapsverlof), all sectors.

Legal basis: Royal Decree of 29 October 1997 introducing a right to parental leave within the career break
(general knowledge, not named in the research [U]); Law of 22 January 1985 (career break). ONEM info sheet
T19, ONEM FAQ "Congé parental". domain-research §1.3 [C] [S48]-[S53].

- Per child: 4 months full-time, 8 half-time, 20 at 1/5, 40 at 1/10, the forms combinable: a month of a
  form counts 1, 1/2, 1/5 or 1/10 of a full-time month against the 4 [C] [S48].
- Blocks: 1 month (full), 2 (1/2), 5 (1/5), 10 (1/10) [C]; with the employer's agreement, full-time in
  weeks and half-time by the month ("flexibility since 2019" [P] [S52]: the exact day is not in the
  research, the rows start on 1.01.2019). A balance shorter than a block may be taken (assumed [U]).
- The child is under 12 on the start date, under 21 if disabled; an adopted child from the registration
  in the household [C] [S50].
- Private sector: 12 months of employment contract with the employer in the 15 months before the notice;
  public sector and education: none [C] [S50][S51].
- 1/10: employer's agreement [C] [S48].
- Prior regime for partial forms: full-time, every partial form [C] [S48][S50], on the regime when the
  leave is asked (Q against S; rules.common.THEMATIC_REGIME, issue 11.5). It was DOMAIN.md §4's "1/2 from
  three-quarter time", a time-credit rule.
- Notice: 2 to 3 months before, private sector [U]: a WARNING only.
- Allowance for the 4th month (and its equivalents) only for children born or adopted from 8.03.2012 [C].
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from careerbreak.interruptions.rules import common, usage
from careerbreak.interruptions.rules.base import (
    BEFORE_RECORDS,
    Effective,
    Finding,
    LeaveRequestFacts,
    Months,
    PriorPeriod,
    Severity,
    Text,
    error,
    in_force,
    warning,
)
from careerbreak.interruptions.types import LeaveForm, Sector

REF_CHILD = "RD 29.10.1997 (parental leave); ONEM T19 [S48][S50]"
REF_MAXIMUM = "RD 29.10.1997: 4 months full-time per child or the equivalent; ONEM T19 [S48]"
REF_BLOCKS = "RD 29.10.1997: blocks of 1/2/5/10 months; flexible forms with agreement [S48][S52]"
REF_CONTRACT = "RD 29.10.1997: 12 months of contract in the 15 before the notice (private sector) [S50][S51]"
REF_TENTH = "RD 29.10.1997: 1/10 with the employer's agreement [S48]"
REF_NOTICE = "RD 29.10.1997: notice 2 to 3 months before (private sector) [U]"
REF_ALLOWANCE = "ONEM T19: 4th month paid only for children born or adopted from 8.03.2012 [S48]"

PER_CHILD_FULL_MONTHS: Effective[int] = Effective((BEFORE_RECORDS, 4))
# A month of each form in full-time months (1/n of the working time: 1/n), counted by `usage.PARENTAL`.
FORM_WEIGHT = usage.FULL_TIME_EQUIVALENT


@dataclass(frozen=True)
class ChildAge:
    limit: int
    disabled_limit: int


CHILD_AGE: Effective[ChildAge] = Effective((BEFORE_RECORDS, ChildAge(limit=12, disabled_limit=21)))


@dataclass(frozen=True)
class Blocks:
    months: dict[LeaveForm, int]
    # With the employer's agreement: full-time in whole weeks, half-time in whole months.
    flexible: bool


BLOCKS: Effective[Blocks] = Effective(
    (BEFORE_RECORDS, Blocks(months={form: form.share for form in LeaveForm}, flexible=False)),
    (datetime.date(2019, 1, 1), Blocks(months={form: form.share for form in LeaveForm}, flexible=True)),
)


@dataclass(frozen=True)
class Seniority:
    months: int
    within: int


SENIORITY: Effective[Seniority] = Effective((BEFORE_RECORDS, Seniority(months=12, within=15)))
NOTICE_MONTHS: Effective[int] = Effective((BEFORE_RECORDS, 2))
# Children born (or adopted) from this day get the 4th month's allowance; before, 3 months paid.
FOURTH_MONTH_ALLOWANCE_BORN_FROM = datetime.date(2012, 3, 8)


def used_full_time_equivalent(periods: Iterable[PriorPeriod], child_niss: str) -> Fraction:
    """Full-time months of parental leave already used for this child, whatever the forms."""
    return usage.PARENTAL.used(periods, child_niss)


def check(facts: LeaveRequestFacts) -> list[Finding]:
    return [
        *_child(facts),
        *_blocks(facts),
        *_per_child_maximum(facts),
        *_contract(facts),
        *_tenth(facts),
        *_notice(facts),
        *_fourth_month_allowance(facts),
    ]


def _child(facts: LeaveRequestFacts) -> Iterator[Finding]:
    # The limit in force on the notice; the age on the start date (README, note ¹).
    ages = in_force(CHILD_AGE, facts.rule_date)
    if facts.child_disabled:
        limit = ages.disabled_limit
        consequence = Text(_("Parental leave for this child is no longer possible; check the birth date."))
    else:
        limit = ages.limit
        consequence = Text(
            _(
                "Parental leave for this child is no longer possible; check the birth date, or whether the "
                "child is disabled (then the limit is %(disabled_limit)s)."
            ),
            {"disabled_limit": ages.disabled_limit},
        )
    yield from common.check_child(
        facts, age_limit=limit, reference=REF_CHILD, consequence=consequence, code_prefix="parental"
    )


def _left(facts: LeaveRequestFacts) -> Fraction | None:
    """Full-time months left for this child, or None when the child is not identified."""
    if not facts.child_niss:
        return None
    maximum = in_force(PER_CHILD_FULL_MONTHS, facts.rule_date)
    return maximum - used_full_time_equivalent(facts.other_periods(), facts.child_niss)


def _blocks(facts: LeaveRequestFacts) -> Iterator[Finding]:
    rule = in_force(BLOCKS, facts.rule_date)
    block = rule.months[facts.form]
    months = facts.months
    if months.denominator == 1 and months % block == 0:
        return
    left = _left(facts)
    if left is not None and 0 < left * facts.form.share < block and months == left * facts.form.share:
        return  # the balance left for this child, shorter than a block
    if rule.flexible and facts.employer_agreement is True:
        if facts.form is LeaveForm.FULL and _whole_weeks(facts.start, facts.end):
            return
        if facts.form is LeaveForm.HALF and months.denominator == 1:
            return
    if rule.flexible and facts.form is LeaveForm.FULL:
        hint = _("Adjust the end date, or take it in whole weeks with the employer's agreement.")
    elif rule.flexible and facts.form is LeaveForm.HALF:
        hint = _("Adjust the end date, or take it by the month with the employer's agreement.")
    else:
        hint = _("Adjust the end date.")
    yield error(
        "parental.blocks",
        "end",
        _(
            "Parental leave in the form %(form)s is taken in blocks of %(block)s (or a multiple); this "
            "request lasts %(months)s (%(start)s–%(end)s). %(hint)s"
        ),
        REF_BLOCKS,
        form=facts.form,
        block=Months(block),
        months=Months(months),
        start=facts.start,
        end=facts.end,
        hint=hint,
    )


def _whole_weeks(start: datetime.date, end: datetime.date) -> bool:
    return ((end - start).days + 1) % 7 == 0


def _per_child_maximum(facts: LeaveRequestFacts) -> Iterator[Finding]:
    maximum = in_force(PER_CHILD_FULL_MONTHS, facts.rule_date)
    left = _left(facts)
    if left is None:
        yield warning(
            "parental.child_niss_missing",
            "child_niss",
            _(
                "Give the child's national register number, so that the parental leave already taken for "
                "this child can be counted (at most %(maximum)s full-time or the equivalent)."
            ),
            REF_MAXIMUM,
            maximum=Months(maximum),
        )
        return
    share = facts.form.share
    if facts.months * FORM_WEIGHT[facts.form] <= left:
        return
    used = maximum - left
    if left <= 0:
        yield error(
            "parental.exhausted",
            "child_niss",
            _(
                "The worker has used all the parental leave for this child (%(maximum)s full-time or the "
                "equivalent; %(used)s full-time used or requested). Parental leave for this child is no "
                "longer possible; check the child's national register number."
            ),
            REF_MAXIMUM,
            maximum=Months(maximum),
            used=Months(used),
        )
        return
    yield error(
        "parental.maximum",
        "end",
        _(
            "Parental leave is limited to %(maximum)s full-time per child, or %(form_maximum)s in the form "
            "%(form)s. For this child %(used)s full-time are already used or requested, which leaves "
            "%(left_form)s in the form %(form)s; this request lasts %(months)s. Shorten it."
        ),
        REF_MAXIMUM,
        maximum=Months(maximum),
        form_maximum=Months(maximum * share),
        form=facts.form,
        used=Months(used),
        left_form=Months(left * share),
        months=Months(facts.months),
    )


def _contract(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.sector is not Sector.PRIVATE:
        return
    rule = in_force(SENIORITY, facts.rule_date)
    months = facts.months_of_contract_last_15
    params = {"months": Months(rule.months), "within": Months(rule.within)}
    if months is None:
        yield error(
            "parental.contract_missing",
            "months_of_contract_last_15",
            _(
                "Give the months the worker was under contract with you during the %(within)s before the "
                "notice: parental leave in the private sector needs %(months)s."
            ),
            REF_CONTRACT,
            **params,
        )
    elif months < Decimal(rule.months):
        yield error(
            "parental.contract_insufficient",
            "months_of_contract_last_15",
            _(
                "Parental leave in the private sector needs %(months)s of employment contract with you "
                "during the %(within)s before the notice (not necessarily in a row; interim work for you "
                "counts); you declared %(declared)s. Check the months, or wait until the worker has them."
            ),
            REF_CONTRACT,
            declared=Months(months),
            **params,
        )


def _tenth(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.form is LeaveForm.ONE_TENTH and facts.employer_agreement is not True:
        yield error(
            "parental.tenth_needs_agreement",
            "employer_agreement",
            _(
                "Parental leave at 1/10 needs the employer's agreement (on the principle and the "
                "organisation). Tick that you agree, or choose another form."
            ),
            REF_TENTH,
        )


def _notice(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.sector is not Sector.PRIVATE:
        return
    yield from common.notice_too_short(
        facts,
        months=in_force(NOTICE_MONTHS, facts.rule_date),
        reference=REF_NOTICE,
        code="parental.notice_short",
        severity=Severity.WARNING,
    )


def _fourth_month_allowance(facts: LeaveRequestFacts) -> Iterator[Finding]:
    born = facts.child_adopted_on or facts.child_birth_date
    if born is None or born >= FOURTH_MONTH_ALLOWANCE_BORN_FROM or not facts.child_niss:
        return
    paid = in_force(PER_CHILD_FULL_MONTHS, facts.rule_date) - 1
    used = used_full_time_equivalent(facts.other_periods(), facts.child_niss)
    if used + facts.months * FORM_WEIGHT[facts.form] > paid:
        yield warning(
            "parental.fourth_month_unpaid",
            "child_birth_date",
            _(
                "For a child born or adopted before %(born_from)s ONEM pays %(paid)s full-time (or the "
                "equivalent); part of this leave would be without allowance."
            ),
            REF_ALLOWANCE,
            paid=Months(paid),
            born_from=FOURTH_MONTH_ALLOWANCE_BORN_FROM,
        )


def months_left_in_form(facts: LeaveRequestFacts) -> Fraction | None:
    """Months of this form still open for this child (for display in the form), or None if unknown."""
    left = _left(facts)
    return None if left is None else max(Fraction(0), left) * facts.form.share
