"""Palliative care leave (congé pour soins palliatifs / palliatief verlof), all sectors.

Legal basis: Law of 22 January 1985, art. 100bis (general knowledge, not named in the research [U]).
ONEM info sheet T20. domain-research §1.3 [C] [S57]-[S60].

- Care for a person with an incurable illness in a terminal phase, family or not [C].
- 1 month per request, extendable twice by 1 month: at most 3 months per patient, whatever the form
  (older sources: 2 months; the research gives no date for the change, so one row) [C].
- A right: the worker hands in a treating doctor's certificate (the patient is not named) and the leave
  starts on the first day of the week following its delivery, earlier with the employer's agreement [C].
  The delivery is taken to be the written notice.
- The certificate is uploaded with the worker's part [C] [S60]: a WARNING reminds the employer.
"""

from __future__ import annotations

from collections.abc import Iterator

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
from careerbreak.interruptions.rules.dates import end_for, next_monday_after

REF_DURATION = "Law 22.01.1985 art. 100bis: 1 month, extendable twice; ONEM T20 [S57][S58]"
REF_START = "Law 22.01.1985 art. 100bis: start the week after the certificate [S59]"
REF_CERTIFICATE = "ONEM T20: doctor's certificate uploaded with the worker's part [S59][S60]"

PER_REQUEST: Effective[common.Duration] = Effective((BEFORE_RECORDS, common.Duration(1, 1)))
PER_PATIENT_MONTHS: Effective[int] = Effective((BEFORE_RECORDS, 3))


def check(facts: LeaveRequestFacts) -> list[Finding]:
    per_request = in_force(PER_REQUEST, facts.rule_date)
    return [
        *common.check_request_duration(facts, per_request, left=None, reference=REF_DURATION),
        *_per_patient(facts),
        *_start(facts),
        *_certificate(facts),
    ]


def _per_patient(facts: LeaveRequestFacts) -> Iterator[Finding]:
    maximum = in_force(PER_PATIENT_MONTHS, facts.rule_date)
    if not facts.patient_niss:
        yield warning(
            "palliative.patient_niss_missing",
            "patient_niss",
            _(
                "Give the national register number of the person cared for, so that the leave already taken "
                "for them can be counted (at most %(maximum)s)."
            ),
            REF_DURATION,
            maximum=Months(maximum),
        )
        return
    used = usage.PALLIATIVE.used(facts.other_periods(), facts.patient_niss)
    if used + facts.months <= maximum:
        return
    left = maximum - used
    params = {"maximum": Months(maximum), "used": Months(used), "months": Months(facts.months)}
    if left <= 0:
        yield error(
            "palliative.exhausted",
            "patient_niss",
            _(
                "Palliative care leave is limited to %(maximum)s per person cared for, whatever the form, "
                "and %(used)s are already used or requested for this person. No further palliative care "
                "leave is possible for them; check the person's national register number."
            ),
            REF_DURATION,
            **params,
        )
        return
    yield error(
        "palliative.maximum",
        "end",
        _(
            "Palliative care leave is limited to %(maximum)s per person cared for, whatever the form. For "
            "this person %(used)s are already used or requested; this request lasts %(months)s. End it on "
            "%(latest_end)s at the latest."
        ),
        REF_DURATION,
        latest_end=end_for(facts.start, left),
        **params,
    )


def _start(facts: LeaveRequestFacts) -> Iterator[Finding]:
    if facts.notice_date is None or facts.shorter_notice_agreed or facts.notice_date > facts.start:
        return
    earliest = next_monday_after(facts.notice_date)
    if facts.start < earliest:
        yield error(
            "palliative.start_too_early",
            "start",
            _(
                "Palliative care leave starts on the first day of the week after the worker hands in the "
                "doctor's certificate (%(notice)s): on %(earliest)s at the earliest, not %(start)s. Move the "
                "start, or tick that you agreed to an earlier start."
            ),
            REF_START,
            notice=facts.notice_date,
            earliest=earliest,
            start=facts.start,
        )


def _certificate(facts: LeaveRequestFacts) -> Iterator[Finding]:
    yield warning(
        "palliative.certificate",
        "leave_type",
        _(
            "The worker gives you a certificate from the treating doctor (it does not name the patient) and "
            "uploads it with their part of the request."
        ),
        REF_CERTIFICATE,
    )
