"""Messages say why, in the user's language (issue 11, point 7).

Every refusal names the rule (its `reference`), the figure that applied, the figure the request has, and
what the user can do. A finding built in one language and read in another shows no label of the first.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from careerbreak.interruptions.rules import LeaveRequestFacts, check
from careerbreak.interruptions.types import LeaveForm, LeaveType, RequestKind, Sector, WorkerStatusCode

from .calendar import DAY, FIFTH, HALF, START, TENTH, D, months_from_start
from .factories import PATIENT_NISS, only, period, valid


def after(leave_type: LeaveType, start: datetime.date, end: datetime.date, subject: str) -> LeaveRequestFacts:
    """A valid request of this type after an earlier one of the same type, for the same person."""
    return valid(leave_type, prior_periods=(period(leave_type, start, end, subject=subject),))


# (case, facts, code, fragments of the English message: the rule's figure, the request's, what to do)
REFUSALS: list[tuple[str, LeaveRequestFacts, str, tuple[str, ...]]] = [
    (
        "form-not-allowed",
        valid(LeaveType.TC_TRAINING, form=TENTH),
        "form.not_allowed",
        ("1/10", "half-time, 1/5", "Choose one of them"),
    ),
    (
        "type-not-yet-in-force",
        valid(
            LeaveType.CAREGIVER,
            start=D(2020, 8, 3),
            end=D(2020, 9, 2),
            notice_date=D(2020, 7, 1),
            today=D(2020, 7, 1),
        ),
        "type.not_yet_in_force",
        ("01/09/2020", "03/08/2020", "Check the start date"),
    ),
    (
        "q-not-positive",
        valid(LeaveType.TC_TRAINING, weekly_hours=Decimal(0)),
        "hours.q_not_positive",
        ("0", "Give"),
    ),
    (
        "s-not-positive",
        valid(LeaveType.TC_TRAINING, reference_hours=Decimal(-1), weekly_hours=Decimal(1)),
        "hours.s_not_positive",
        ("-1", "Give"),
    ),
    (
        "kind-related-closed",
        valid(
            LeaveType.TC_TRAINING,
            kind=RequestKind.MODIFICATION,
            related_ticket="T-1",
            prior_periods=(period(LeaveType.TC_TRAINING, D(2020, 1, 1), D(2020, 6, 30), ticket="T-1"),),
        ),
        "kind.related_closed",
        ("T-1", "File a new request"),
    ),
    (
        "kind-extension-other-type",
        valid(
            LeaveType.TC_TRAINING,
            kind=RequestKind.EXTENSION,
            related_ticket="T-1",
            prior_periods=(period(LeaveType.PARENTAL, D(2026, 6, 1), START - DAY, ticket="T-1"),),
        ),
        "kind.extension_other_type",
        ("is a parental leave", "training", "Choose parental leave", "file a new request"),
    ),
    (
        "training-exhausted",
        valid(
            LeaveType.TC_TRAINING,
            prior_periods=(period(LeaveType.TC_TRAINING, D(2015, 1, 1), D(2017, 12, 31)),),
        ),
        "maximum.training_exhausted",
        ("training", "36 months", "choose another motive"),
    ),
    (
        "caregiver-person-maximum",
        after(LeaveType.CAREGIVER, D(2025, 1, 1), D(2025, 3, 31), PATIENT_NISS),
        "caregiver.person_maximum",
        ("3 months", "this request lasts 1 month", "Shorten it"),
    ),
    (
        "caregiver-career-maximum",
        after(LeaveType.CAREGIVER, D(2021, 1, 1), D(2021, 6, 30), "x"),
        "caregiver.career_maximum",
        ("6 months", "this request lasts 1 month", "Shorten it"),
    ),
    (
        "medical-maximum",
        after(LeaveType.MEDICAL_ASSISTANCE, D(2024, 1, 1), D(2024, 12, 31), PATIENT_NISS),
        "medical.maximum",
        ("12 months", "this request lasts 3 months", "Shorten it"),
    ),
    (
        "medical-small-enterprise",
        valid(LeaveType.MEDICAL_ASSISTANCE, reference_headcount=7),
        "medical.agreement_small_enterprise",
        ("fewer than 10 workers", "(7 on 30 June", "Tick that you agree"),
    ),
    (
        "parental-exhausted",
        after(LeaveType.PARENTAL, D(2025, 1, 1), D(2025, 4, 30), "24021000123"),
        "parental.exhausted",
        ("4 months", "check the child's national register number"),
    ),
]


@pytest.mark.parametrize(
    ("facts", "code", "fragments"), [row[1:] for row in REFUSALS], ids=[row[0] for row in REFUSALS]
)
def test_a_refusal_names_its_rule_the_figures_and_what_to_do(
    facts: LeaveRequestFacts, code: str, fragments: tuple[str, ...]
) -> None:
    finding = only(check(facts), code)
    assert finding.is_error
    assert finding.reference
    for fragment in fragments:
        assert fragment in finding.message, (fragment, finding.message)


@pytest.mark.parametrize(("facts", "code"), [row[1:3] for row in REFUSALS], ids=[row[0] for row in REFUSALS])
@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_refusal_reads_in_the_users_language(
    facts: LeaveRequestFacts, code: str, language: str
) -> None:
    """Built in English (the tests' language), read in another: translated, every placeholder filled."""
    finding = only(check(facts), code)
    english = finding.message
    with translation.override(language):
        translated = finding.message
    assert translated != english
    assert "%(" not in translated


@pytest.mark.parametrize(
    ("facts", "code", "french", "english"),
    [
        (valid(LeaveType.TC_TRAINING, form=TENTH), "form.not_allowed", "mi-temps", "half-time"),
        (valid(LeaveType.TC_END_OF_CAREER, form=LeaveForm.FULL), "form.not_allowed", "mi-temps", "half-time"),
        (
            valid(
                LeaveType.PUBLIC_CAREER_BREAK,
                form=FIFTH,
                worker_status=WorkerStatusCode.PUBLIC_STATUTORY,
                sector=Sector.FEDERAL_PUBLIC,
            ),
            "public.statutory_form",
            "mi-temps",
            "half-time",
        ),
    ],
    ids=["training-tenth", "end-of-career-full", "statutory-fifth"],
)
# Inside a sentence a leave form has no capital (issue 15: "in de vorm halftijds", "mi-temps, 1/5").
def test_a_list_of_labels_is_read_in_the_language_of_the_reader(
    facts: LeaveRequestFacts, code: str, french: str, english: str
) -> None:
    finding = only(check(facts), code)  # built while English is active
    with translation.override("fr"):
        message = finding.message
    assert french in message
    assert english not in message


def test_the_training_maximum_names_training_not_the_generic_maximum() -> None:
    facts = valid(
        LeaveType.TC_TRAINING,
        end=months_from_start(6),
        prior_periods=(period(LeaveType.TC_TRAINING, D(2020, 1, 1), D(2022, 9, 30), HALF),),
    )
    finding = only(check(facts), "maximum.training")
    assert "Time credit for training is limited to 36 months" in finding.message
    assert "all motives" not in finding.message
