"""The rules of step 6 (leave data): pure, date-effective functions over plain values.

`check(LeaveRequestFacts) -> list[Finding]`. Each leave family has its module (`time_credit`,
`end_of_career`, `parental`, `medical_assistance`, `palliative`, `caregiver`, `public_career_break`), and
`common` holds the shared checks. Figures live in `Effective` tables keyed by the day they apply from;
the list of rules, sources and dates is in README.md beside this file.
"""

from careerbreak.interruptions.rules.base import (
    Effective,
    Finding,
    LeaveRequestFacts,
    PeriodStatus,
    PriorPeriod,
    Severity,
    in_force,
)
from careerbreak.interruptions.rules.engine import FAMILY_RULES, check, has_errors

__all__ = [
    "FAMILY_RULES",
    "Effective",
    "Finding",
    "LeaveRequestFacts",
    "PeriodStatus",
    "PriorPeriod",
    "Severity",
    "check",
    "has_errors",
    "in_force",
]
