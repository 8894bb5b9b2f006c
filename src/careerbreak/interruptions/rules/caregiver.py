"""Caregiver leave (congé pour aidants proches / verlof voor mantelzorg), all sectors.

Legal basis: Law of 22 January 1985 (career break) and the caregiver-leave decree implementing the law of
12 May 2014 on the recognition of caregivers (general knowledge, exact references not in the research
[U]). ONEM info sheet T164, ONEM FAQ. domain-research §1.3 [C] [S61]-[S63].

- Since 1.09.2020; public sector: regions and communities from 1.09.2020, federal state and autonomous
  public companies from 1.01.2021 [C] (types.CATALOGUE `available_from`, checked in rules.common, by the
  start date).
- Recognition as a caregiver "with social rights" by the health insurance fund, valid 1 year [C].
- Per person helped: 3 months full-time in 1-month blocks, or 6 months 1/2 or 1/5 in 2-month blocks [C]/[P]
  (extended from the original 1 / 2 months; the research gives no date for that change, so one row).
  DOMAIN.md §4 gives "per request: 1 month (full), 2 (1/2, 1/5)", so a request is one block.
- Over the career: 6 months full-time / 12 months partial [C]/[P]. How forms combine is not in the
  research: a partial month counts as half a full-time month here [U].
- Notice: in writing, at least 7 days before, shorter with the employer's agreement [C] [S62][S63].
- "Part-timers: full only" [C]/[P] [S62]: the partial forms for a full-time worker only, on the regime
  when the leave is asked (Q against S; rules.common.THEMATIC_REGIME, issue 11.5).
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
    LeaveRequestFacts,
    Months,
    error,
    in_force,
    warning,
)
from careerbreak.interruptions.types import LeaveForm

REF_RECOGNITION = "Caregiver leave: recognition by the health insurance fund; ONEM T164 [S61][S62]"
REF_DURATION = (
    "Caregiver leave: 1-month (full) or 2-month (partial) periods; ONEM T164 [S61][S62]; DOMAIN.md §4"
)
REF_MAXIMUM = (
    "Caregiver leave: 3 months full / 6 partial per person, 6 / 12 over the career; ONEM T164 [S61][S62]"
)
REF_NOTICE = "Caregiver leave: written notice at least 7 days before [S62][S63]"

FORM_WEIGHT = usage.PARTIAL_MONTH_AS_HALF  # a partial month counts half a full-time month [U]

PER_REQUEST: Effective[dict[LeaveForm, common.Duration]] = Effective(
    (
        BEFORE_RECORDS,
        {
            LeaveForm.FULL: common.Duration(1, 1),
            LeaveForm.HALF: common.Duration(2, 2),
            LeaveForm.ONE_FIFTH: common.Duration(2, 2),
        },
    )
)


@dataclass(frozen=True)
class Maxima:
    per_person_full_months: int
    career_full_months: int


MAXIMA: Effective[Maxima] = Effective(
    (BEFORE_RECORDS, Maxima(per_person_full_months=3, career_full_months=6))
)
NOTICE_DAYS: Effective[int] = Effective((BEFORE_RECORDS, 7))


def check(facts: LeaveRequestFacts) -> list[Finding]:
    per_request = in_force(PER_REQUEST, facts.rule_date)[facts.form]
    notice_days = in_force(NOTICE_DAYS, facts.rule_date)
    return [
        *_recognition(facts),
        *common.check_request_duration(facts, per_request, left=None, reference=REF_DURATION),
        *_maxima(facts),
        *common.notice_too_short(
            facts, days=notice_days, reference=REF_NOTICE, code="caregiver.notice_short"
        ),
    ]


def _recognition(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.caregiver_recognition is not True:
        yield error(
            "caregiver.recognition_missing",
            "caregiver_recognition",
            _(
                "Caregiver leave needs the worker's recognition as a caregiver by their health insurance "
                "fund. Confirm that the worker has given you the recognition; the worker adds it to their "
                "part."
            ),
            REF_RECOGNITION,
        )


def _maxima(facts: LeaveRequestFacts) -> Iterator[Finding]:
    rule = in_force(MAXIMA, facts.rule_date)
    weight = FORM_WEIGHT[facts.form]
    partial_weight = FORM_WEIGHT[LeaveForm.HALF]
    requested = facts.months * weight
    others = facts.other_periods()
    career_used = usage.CAREGIVER_CAREER.used(others)
    request = {"form": facts.form, "months": Months(facts.months)}
    if career_used + requested > rule.career_full_months:
        yield error(
            "caregiver.career_maximum",
            "end",
            _(
                "Caregiver leave is limited to %(full)s full-time or %(partial)s partial over the career. "
                "%(used)s full-time are already used or requested, which leaves %(left)s in the form "
                "%(form)s; this request lasts %(months)s. Shorten it, or check the periods already taken."
            ),
            REF_MAXIMUM,
            full=Months(rule.career_full_months),
            partial=Months(rule.career_full_months / partial_weight),
            used=Months(career_used),
            left=Months(max(Fraction(0), rule.career_full_months - career_used) / weight),
            **request,
        )
    per_person = {
        "full": Months(rule.per_person_full_months),
        "partial": Months(rule.per_person_full_months / partial_weight),
    }
    if not facts.patient_niss:
        yield warning(
            "caregiver.person_niss_missing",
            "patient_niss",
            _(
                "Give the national register number of the person helped, so that the leave already taken for "
                "them can be counted (at most %(full)s full-time or %(partial)s partial per person)."
            ),
            REF_MAXIMUM,
            **per_person,
        )
        return
    used = usage.CAREGIVER_PER_PERSON.used(others, facts.patient_niss)
    if used + requested > rule.per_person_full_months:
        yield error(
            "caregiver.person_maximum",
            "end",
            _(
                "Caregiver leave is limited to %(full)s full-time or %(partial)s partial per person helped. "
                "For this person %(used)s full-time are already used or requested, which leaves %(left)s in "
                "the form %(form)s; this request lasts %(months)s. Shorten it, or check the person's "
                "national register number."
            ),
            REF_MAXIMUM,
            used=Months(used),
            left=Months(max(Fraction(0), rule.per_person_full_months - used) / weight),
            **per_person,
            **request,
        )
