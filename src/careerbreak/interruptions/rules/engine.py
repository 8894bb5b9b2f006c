"""`check(facts)`: the shared checks, then the rules of the leave family, errors first."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from careerbreak.interruptions.rules import (
    caregiver,
    common,
    end_of_career,
    medical_assistance,
    palliative,
    parental,
    public_career_break,
    time_credit,
)
from careerbreak.interruptions.rules.base import Finding, LeaveRequestFacts, Severity
from careerbreak.interruptions.types import LeaveType, RequestKind

FAMILY_RULES: Mapping[LeaveType, Callable[[LeaveRequestFacts], list[Finding]]] = MappingProxyType(
    {
        **dict.fromkeys(time_credit.MOTIVES, time_credit.check),
        LeaveType.TC_END_OF_CAREER: end_of_career.check,
        LeaveType.PARENTAL: parental.check,
        LeaveType.MEDICAL_ASSISTANCE: medical_assistance.check,
        LeaveType.PALLIATIVE: palliative.check,
        LeaveType.CAREGIVER: caregiver.check,
        LeaveType.PUBLIC_CAREER_BREAK: public_career_break.check,
    }
)


def check(facts: LeaveRequestFacts) -> list[Finding]:
    """Every finding for this request, errors before warnings (each group in rule order).

    A cancellation is only checked for the request it names. When the type, form or dates are unusable
    (type not on offer, form not allowed, end before start), only those errors are returned: the rest
    would be noise.
    """
    if facts.kind is RequestKind.CANCELLATION:
        findings = common.check_cancellation(facts)
    else:
        findings = common.check(facts)
        if common.is_structurally_valid(findings):
            findings += FAMILY_RULES[facts.leave_type](facts)
    return sorted(findings, key=lambda finding: finding.severity is not Severity.ERROR)


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.severity is Severity.ERROR for finding in findings)
