"""check(): every type dispatched to its family's rules, errors first; the "done when" examples."""

from decimal import Decimal

import pytest

from careerbreak.interruptions.rules import FAMILY_RULES, Severity, check, has_errors
from careerbreak.interruptions.types import CATALOGUE, LeaveForm, LeaveType, PriorRegime

from .calendar import D
from .factories import change, codes, error_codes, valid

# The reminders some types always give.
ALWAYS = {
    LeaveType.TC_PALLIATIVE: {"time_credit.palliative_certificate"},
    LeaveType.PALLIATIVE: {"palliative.certificate"},
}


def test_every_type_has_its_family_rules() -> None:
    assert set(FAMILY_RULES) == set(LeaveType)


@pytest.mark.parametrize(
    ("leave_type", "form"),
    [(t, f) for t in LeaveType for f in CATALOGUE[t].forms],
    ids=[f"{t}-{f}" for t in LeaveType for f in CATALOGUE[t].forms],
)
def test_a_well_filled_request_of_every_type_and_form_passes(leave_type: LeaveType, form: LeaveForm) -> None:
    findings = check(valid(leave_type, form=form))
    assert codes(findings) == ALWAYS.get(leave_type, set()), [str(f) for f in findings]
    assert not has_errors(findings)


def test_errors_come_before_warnings() -> None:
    facts = valid(LeaveType.TC_PALLIATIVE, employment_start=D(2025, 1, 1))
    findings = check(facts)
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s is not Severity.ERROR)
    assert severities[0] is Severity.ERROR and severities[-1] is Severity.WARNING


def test_family_rules_are_skipped_when_the_form_is_not_possible() -> None:
    findings = check(valid(LeaveType.TC_END_OF_CAREER, form=LeaveForm.FULL, career_years=Decimal(1)))
    assert codes(findings) == {"form.not_allowed"}


def test_every_finding_names_a_field_a_reference_and_a_message() -> None:
    facts = change(
        valid(LeaveType.TC_CHILD_CARE, form=LeaveForm.FULL),
        collective_agreement_number="",
        child_birth_date=D(2015, 1, 1),
        employment_start=D(2026, 1, 1),
        regime_12_months=PriorRegime.PART_TIME,
        reference_headcount=5,
    )
    findings = check(facts)
    assert {"cct.number_missing", "time_credit.child_too_old", "seniority.insufficient"} <= error_codes(
        findings
    )
    assert "agreement.small_enterprise" in error_codes(findings)
    for finding in findings:
        assert finding.field and finding.reference and finding.message
        assert "%(" not in finding.message  # every placeholder filled


# The three examples of the brief, end to end.


def test_parental_one_fifth_by_a_full_timer_at_an_8_worker_employer_notified_in_time_is_accepted() -> None:
    facts = valid(
        LeaveType.PARENTAL,
        form=LeaveForm.ONE_FIFTH,
        child_birth_date=D(2024, 2, 10),
        employment_start=D(2015, 1, 5),
        reference_headcount=8,
        notice_date=D(2026, 5, 4),
        today=D(2026, 5, 6),
        start=D(2026, 7, 6),
        end=D(2026, 12, 5),
    )
    assert not has_errors(check(facts))


def test_one_fifth_child_care_time_credit_of_five_months_is_stopped() -> None:
    facts = valid(LeaveType.TC_CHILD_CARE, form=LeaveForm.ONE_FIFTH, start=D(2026, 10, 1), end=D(2027, 2, 28))
    assert error_codes(check(facts)) == {"duration.too_short"}


def test_parental_leave_for_a_child_of_13_is_stopped() -> None:
    facts = valid(LeaveType.PARENTAL, child_birth_date=D(2013, 5, 1))
    assert error_codes(check(facts)) == {"parental.child_too_old"}
