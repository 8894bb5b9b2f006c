"""The legal reasons the employment office may give for refusing a request, each with its legal reference
and its text (translated when read, so that the C62 letter carries it in the worker's language).

A refusal stores the codes (``Decision.refusal_reasons``); the texts and references are read from here.
A code is written in the database: it never changes, a reason that no longer applies stays listed.
References as domain-research §1 and the rules README give them (no article where the research names
none; the royal decrees on parental leave and medical assistance are marked [U] there); the rules of
step 6 that check the same conditions are in ``interruptions/rules/README.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from careerbreak.core.errors import DomainError


@dataclass(frozen=True)
class RefusalReason:
    code: str
    reference: str
    text: Promise

    def __str__(self) -> str:
        return str(self.text)


CATALOGUE: tuple[RefusalReason, ...] = (
    RefusalReason(
        "notice_too_short",
        "CCT n° 103; Law of 22.01.1985",
        _("The written notice to the employer was not given in time before the start of the leave."),
    ),
    RefusalReason(
        "seniority_not_met",
        "CCT n° 103 (24 months); RD 29.10.1997 (12 of the last 15 months)",
        _("The worker had not been employed by the employer long enough at the time of the written notice."),
    ),
    RefusalReason(
        "maximum_reached",
        "CCT n° 103; RD 29.10.1997; RD 10.08.1998",
        _("The maximum duration of this leave has already been reached."),
    ),
    RefusalReason(
        "child_age",
        "CCT n° 103; RD 29.10.1997",
        _("The child is above the age limit for this leave on the start date."),
    ),
    RefusalReason(
        "occupation_not_met",
        "CCT n° 103; RD 12.12.2001 as amended by RD 26.01.2023",
        _("The working time before the notice does not allow this form of interruption."),
    ),
    RefusalReason(
        "not_under_contract",
        "Law of 22.01.1985",
        _("The worker is not under an employment contract or statute with this employer."),
    ),
    RefusalReason(
        "career_not_met",
        "CCT n° 103; CCT n° 174; RVA/ONEM T193",
        _("The career condition for an end-of-career job is not met."),
    ),
    RefusalReason(
        "age_not_met",
        "CCT n° 103; CCT n° 174",
        _("The worker has not reached the age required for an end-of-career job."),
    ),
    RefusalReason(
        "certificate_missing",
        "Law of 22.01.1985, art. 100bis; RD 10.08.1998",
        _("The doctor's certificate this leave requires was not provided."),
    ),
    RefusalReason(
        "caregiver_not_recognised",
        "ONEM T164",
        _("The worker is not recognised as a caregiver by the health insurance fund."),
    ),
    RefusalReason(
        "worker_part_late",
        "RD 12.12.2001",
        _("The request reached the employment office outside the time allowed."),
    ),
    RefusalReason(
        "information_not_supplied",
        "Charter of the socially insured (Law of 11.04.1995)",
        _("The information asked for was not supplied within the time given."),
    ),
)

BY_CODE: dict[str, RefusalReason] = {reason.code: reason for reason in CATALOGUE}


def reasons_of(codes: Iterable[str]) -> list[RefusalReason]:
    """The catalogue's reasons for these codes, in the catalogue's order; DomainError for none or an
    unknown one (translated, field ``reasons``)."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        raise DomainError(_("Choose at least one reason for the refusal."), code="no_reason", field="reasons")
    unknown = [code for code in wanted if code not in BY_CODE]
    if unknown:
        raise DomainError(_("Choose reasons from the list."), code="unknown_reason", field="reasons")
    return [reason for reason in CATALOGUE if reason.code in wanted]


# The appeal (domain-research / DOMAIN.md §3: labour court within three months of the notification,
# Charter of the socially insured, art. 23 [P]).
APPEAL_REFERENCE = "Law of 11.04.1995 (Charter of the socially insured), art. 23"
