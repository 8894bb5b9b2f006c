"""An unknown headcount is not zero (issue 11, point 3): None warns and refuses nothing; 0 is a small
enterprise. CCT 103 [S4][S20][S32][S35]: headcount on 30 June of the year before the notice; RD 10.08.1998
[S55] for medical assistance. Severity per row."""

from __future__ import annotations

import pytest

from careerbreak.interruptions.rules import Severity, check
from careerbreak.interruptions.types import LeaveType

from .calendar import D
from .factories import valid

E, W = Severity.ERROR, Severity.WARNING
HEADCOUNT_CODES = {
    "notice.headcount_unknown",
    "notice.too_short",
    "agreement.small_enterprise",
    "medical.headcount_unknown",
    "medical.agreement_small_enterprise",
}


@pytest.mark.parametrize(
    ("leave_type", "headcount", "expected"),
    [
        # Notice on 1 June 2026, start on 1 October 2026: 4 months, enough above 20 workers only.
        (LeaveType.TC_TRAINING, None, {("notice.headcount_unknown", W)}),
        (LeaveType.TC_TRAINING, 0, {("notice.too_short", E), ("agreement.small_enterprise", E)}),
        (LeaveType.TC_TRAINING, 10, {("notice.too_short", E), ("agreement.small_enterprise", E)}),
        (LeaveType.TC_TRAINING, 11, {("notice.too_short", E)}),
        (LeaveType.TC_TRAINING, 20, {("notice.too_short", E)}),
        (LeaveType.TC_TRAINING, 21, set()),
        (LeaveType.MEDICAL_ASSISTANCE, None, {("medical.headcount_unknown", W)}),
        (LeaveType.MEDICAL_ASSISTANCE, 9, {("medical.agreement_small_enterprise", E)}),
        (LeaveType.MEDICAL_ASSISTANCE, 10, set()),
    ],
    ids=[
        "tc-unknown-warns",
        "tc-zero-is-small",
        "tc-10",
        "tc-11",
        "tc-20",
        "tc-21",
        "medical-unknown-warns",
        "medical-9",
        "medical-10",
    ],
)
def test_an_unknown_headcount_warns_and_is_never_read_as_a_small_enterprise(
    leave_type: LeaveType, headcount: int | None, expected: set[tuple[str, Severity]]
) -> None:
    facts = valid(leave_type, reference_headcount=headcount, notice_date=D(2026, 6, 1))
    found = {(f.code, f.severity) for f in check(facts) if f.code in HEADCOUNT_CODES}
    assert found == expected
    for finding in check(facts):
        if finding.code.endswith("headcount_unknown"):
            assert "step 3" in finding.message and finding.reference
