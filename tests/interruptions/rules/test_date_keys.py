"""Date keys of the child-age rules (issue 11, point 9), as the README says: the table (which limit
applies) is read on the date of the written notice; the child's age is measured on the start date.

Both tables have one row today, so each test adds a second row from 1 July 2026 (limit + 1) and moves
the notice and the start across it."""

from __future__ import annotations

import datetime

import pytest

from careerbreak.interruptions.rules import Effective, check, parental, time_credit
from careerbreak.interruptions.rules.base import BEFORE_RECORDS
from careerbreak.interruptions.types import LeaveType

from .calendar import D
from .factories import codes, valid

CHANGE = D(2026, 7, 1)


@pytest.fixture
def raised_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    old = time_credit.CHILD_AGE_LIMIT.at(BEFORE_RECORDS)
    monkeypatch.setattr(
        time_credit,
        "CHILD_AGE_LIMIT",
        Effective((BEFORE_RECORDS, old), (CHANGE, {**old, LeaveType.TC_CHILD_CARE: 9})),
    )
    monkeypatch.setattr(
        parental,
        "CHILD_AGE",
        Effective(
            (BEFORE_RECORDS, parental.ChildAge(limit=12, disabled_limit=21)),
            (CHANGE, parental.ChildAge(limit=13, disabled_limit=21)),
        ),
    )


# (notice, start, birth, stopped): the child turns the old limit on 15 September 2026, before the start.
CASES = [
    (D(2026, 6, 30), D(2026, 10, 1), "turns-old-limit-before-start", True),  # old table: too old
    (D(2026, 7, 1), D(2026, 10, 1), "turns-old-limit-before-start", False),  # new table by the notice
    (D(2026, 6, 1), D(2026, 9, 14), "turns-old-limit-after-start", False),  # old table, age on the start
]


@pytest.mark.usefixtures("raised_limits")
@pytest.mark.parametrize(
    ("leave_type", "old_limit", "code"),
    [
        (LeaveType.TC_CHILD_CARE, 8, "time_credit.child_too_old"),
        (LeaveType.PARENTAL, 12, "parental.child_too_old"),
    ],
    ids=["time-credit-child-care", "parental"],
)
@pytest.mark.parametrize(("notice", "start", "case", "stopped"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_the_table_is_read_on_the_notice_and_the_age_on_the_start(
    leave_type: LeaveType,
    old_limit: int,
    code: str,
    notice: datetime.date,
    start: datetime.date,
    case: str,
    stopped: bool,
) -> None:
    birth = D(2026 - old_limit, 9, 15)
    months = 6 if leave_type is LeaveType.TC_CHILD_CARE else 5
    end = D(start.year + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1, 1) - (
        datetime.timedelta(days=1)
    )
    facts = valid(
        leave_type,
        notice_date=notice,
        today=notice,
        start=start,
        end=end,
        child_birth_date=birth,
        shorter_notice_agreed=True,
    )
    assert (code in codes(check(facts))) is stopped
