"""Career break in the public sector (interruption de carrière ordinaire / gewone loopbaanonderbreking).

Legal basis: Law of 22 January 1985 (career break) and, per authority, its public-sector royal decrees;
for federal civil servants the rules published on Fedweb / BOSA (exact decrees not named in the research
[U]). domain-research §1.4 [C] [S65]-[S70].

- 60 months full-time and 60 months partial over the career (two separate counters, calendar months) [C].
- Periods of at least 3 and at most 12 months [C] [S66][S67].
- Request in writing 2 months before (shorter if accepted); an extension 1 month before the end of the
  running period [C] [S66][S67].
- Federal statutory staff: partial only at half-time (no 1/5) [C] [S66][S67]; not for trainees
  (types.CATALOGUE) [C].
- Replacement of the worker: some regimes require it, and ONEM claims indemnities when the worker is not
  replaced [C] [S69]: asked, a WARNING when unanswered.
- End-of-career partial interruption from 55 exists where the authority provides it [C] [S65]: not in the
  catalogue (DOMAIN.md §4), so not checked.
No date of change is given in the research: one row per table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from careerbreak.interruptions.rules import common, usage
from careerbreak.interruptions.rules.base import (
    BEFORE_RECORDS,
    Effective,
    Finding,
    Labels,
    LeaveRequestFacts,
    Months,
    error,
    in_force,
    warning,
)
from careerbreak.interruptions.rules.dates import end_for
from careerbreak.interruptions.types import LeaveForm, RequestKind, Sector, WorkerStatusCode

REF_DURATION = "Public-sector career break: periods of 3 to 12 months (Fedweb, BOSA) [S66][S67]"
REF_MAXIMUM = "Public-sector career break: 60 months full-time + 60 months partial over the career [S66][S67]"
REF_NOTICE = (
    "Public-sector career break: request 2 months before; extension 1 month before the end [S66][S67]"
)
REF_STATUTORY = "Federal statutory staff: partial career break at half-time only (Fedweb, BOSA) [S66][S67]"
REF_REPLACEMENT = "Replacement of the worker in some public regimes; ONEM indemnities (case law) [S69]"

PER_REQUEST: Effective[common.Duration] = Effective((BEFORE_RECORDS, common.Duration(3, 12)))


@dataclass(frozen=True)
class Maxima:
    full_months: int
    partial_months: int


MAXIMA: Effective[Maxima] = Effective((BEFORE_RECORDS, Maxima(full_months=60, partial_months=60)))


@dataclass(frozen=True)
class Notice:
    new_months: int
    extension_months: int


NOTICE: Effective[Notice] = Effective((BEFORE_RECORDS, Notice(new_months=2, extension_months=1)))
# Partial forms open to federal statutory staff.
FEDERAL_STATUTORY_PARTIAL_FORMS: Effective[frozenset[LeaveForm]] = Effective(
    (BEFORE_RECORDS, frozenset({LeaveForm.HALF}))
)


def check(facts: LeaveRequestFacts) -> list[Finding]:
    per_request = in_force(PER_REQUEST, facts.rule_date)
    return [
        *_statutory_form(facts),
        *common.check_request_duration(facts, per_request, left=None, reference=REF_DURATION),
        *_maxima(facts),
        *_notice(facts),
        *_replacement(facts),
    ]


def _statutory_form(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if not (
        facts.sector is Sector.FEDERAL_PUBLIC and facts.worker_status is WorkerStatusCode.PUBLIC_STATUTORY
    ):
        return
    allowed = in_force(FEDERAL_STATUTORY_PARTIAL_FORMS, facts.rule_date)
    if facts.form.is_partial and facts.form not in allowed:
        yield error(
            "public.statutory_form",
            "form",
            _(
                "Federal statutory staff can take a partial career break only at %(allowed)s, not %(form)s. "
                "Choose that form or the full-time form."
            ),
            REF_STATUTORY,
            form=facts.form,
            allowed=Labels(tuple(form for form in LeaveForm if form in allowed)),
        )


def _maxima(facts: LeaveRequestFacts) -> Iterator[Finding]:
    rule = in_force(MAXIMA, facts.rule_date)
    partial = facts.form.is_partial
    maximum = rule.partial_months if partial else rule.full_months
    used = (usage.PUBLIC_PARTIAL if partial else usage.PUBLIC_FULL).used(facts.other_periods())
    if used + facts.months <= maximum:
        return
    left = max(maximum - used, Fraction(0))
    template = (
        _(
            "A partial career break is limited to %(maximum)s over the career. %(used)s are already used or "
            "requested, which leaves %(left)s; this request lasts %(months)s. End it on %(latest_end)s at "
            "the latest."
        )
        if partial
        else _(
            "A full-time career break is limited to %(maximum)s over the career. %(used)s are already used "
            "or requested, which leaves %(left)s; this request lasts %(months)s. End it on %(latest_end)s at "
            "the latest."
        )
    )
    yield error(
        "public.maximum_partial" if partial else "public.maximum_full",
        "end",
        template,
        REF_MAXIMUM,
        maximum=Months(maximum),
        used=Months(used),
        left=Months(left),
        months=Months(facts.months),
        latest_end=end_for(facts.start, left) if left > 0 else facts.start,
    )


def _notice(facts: LeaveRequestFacts) -> Iterator[Finding]:
    rule = in_force(NOTICE, facts.rule_date)
    if facts.kind is RequestKind.EXTENSION:
        yield from common.notice_too_short(
            facts,
            months=rule.extension_months,
            reference=REF_NOTICE,
            code="public.extension_notice_short",
            template=_(
                "An extension is requested %(term)s before the running period ends: with the request of "
                "%(notice)s the extension can start on %(earliest)s at the earliest, not %(start)s. Tick "
                "that you accepted a shorter term, or move the start."
            ),
        )
    else:
        yield from common.notice_too_short(
            facts, months=rule.new_months, reference=REF_NOTICE, code="public.notice_short"
        )


def _replacement(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.replacement is None:
        yield warning(
            "public.replacement_unanswered",
            "replacement",
            _(
                "Say whether the worker is replaced during the career break: in some public regimes a worker "
                "who is not replaced leads ONEM to claim indemnities from the employer."
            ),
            REF_REPLACEMENT,
        )
