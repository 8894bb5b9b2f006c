"""The 5 % threshold counts the right people (issue 11, point 2): those already absent are counted as the
new request is — CCT 103 [S32][S33]: thematic leaves and an end-of-career 1/5 from 55 are not counted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from careerbreak.interruptions.rules.common import counts_towards_threshold
from careerbreak.interruptions.selectors import (
    prior_periods,
    prior_periods_and_time_credit,
    workers_on_time_credit,
)
from careerbreak.interruptions.types import LeaveForm, LeaveType
from careerbreak.registries.models import Enterprise, Person
from tests.factories import EnterpriseFactory, LeaveRequestFactory, PersonFactory
from tests.interruptions.rules.calendar import FIFTH, HALF, START, D

FIFTY_FIVE_ON_START = D(1971, 10, 1)  # 55 on START, 1 October 2026
FIFTY_FOUR_ON_START = D(1971, 10, 2)  # 55 the day after


@pytest.mark.parametrize(
    ("leave_type", "form", "birth", "counted"),
    [
        (LeaveType.TC_TRAINING, FIFTH, FIFTY_FIVE_ON_START, True),
        (LeaveType.TC_END_OF_CAREER, FIFTH, FIFTY_FIVE_ON_START, False),
        (LeaveType.TC_END_OF_CAREER, FIFTH, FIFTY_FOUR_ON_START, True),
        (LeaveType.TC_END_OF_CAREER, HALF, D(1960, 1, 1), True),
        (LeaveType.TC_END_OF_CAREER, FIFTH, None, True),
        (LeaveType.PARENTAL, FIFTH, D(1990, 1, 1), False),
        (LeaveType.PUBLIC_CAREER_BREAK, LeaveForm.FULL, D(1990, 1, 1), False),
    ],
    ids=[
        "training",
        "end-of-career-fifth-55",
        "end-of-career-fifth-54",
        "end-of-career-half-60",
        "end-of-career-fifth-birth-unknown",
        "parental",
        "public-career-break",
    ],
)
def test_who_counts_towards_the_threshold(
    leave_type: LeaveType, form: LeaveForm, birth: datetime.date | None, counted: bool
) -> None:
    assert counts_towards_threshold(leave_type, form, birth, START) is counted


@pytest.mark.django_db
def test_workers_already_absent_are_counted_as_the_rule_counts_them() -> None:
    enterprise = EnterpriseFactory(reference_headcount=100)
    on = {"start_date": D(2026, 1, 1), "end_date": D(2027, 12, 31), "enterprise": enterprise}
    cases = [
        ("TC_TRAINING", "1/5", FIFTY_FIVE_ON_START, "awaiting_worker"),  # counted
        ("TC_END_OF_CAREER", "1/5", FIFTY_FOUR_ON_START, "awaiting_worker"),  # counted: 54 on the day
        ("TC_END_OF_CAREER", "half", D(1960, 1, 1), "awaiting_worker"),  # counted: half-time
        ("TC_END_OF_CAREER", "1/5", FIFTY_FIVE_ON_START, "awaiting_worker"),  # not: 1/5 from 55
        ("TC_END_OF_CAREER", "1/5", D(1960, 1, 1), "awaiting_worker"),  # not: 1/5 from 55
        ("PARENTAL", "1/5", D(1990, 1, 1), "awaiting_worker"),  # not: thematic leave
        ("TC_TRAINING", "1/5", D(1990, 1, 1), "cancelled"),  # not: cancelled
    ]
    for number, (leave_type, form, birth, status) in enumerate(cases):
        LeaveRequestFactory(
            ticket=f"2026/00000{number:03d}/01",
            worker=PersonFactory(birth_date=birth),
            leave_type=leave_type,
            form=form,
            status=status,
            certified_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
            **on,
        )
    assert workers_on_time_credit(enterprise=enterprise, on=START) == 3
    # A day earlier the worker born on 2 October 1971 is still 54, and the one born on 1 October 1971 too.
    assert workers_on_time_credit(enterprise=enterprise, on=START - datetime.timedelta(days=1)) == 4


Case = tuple[Person, Enterprise, str, str, str, datetime.date]


def requests_of(cases: list[Case], *, series: int, details: dict[str, Any] | None = None) -> None:
    """One request per case (worker, enterprise, type, form, status, start), each 700 days long, with
    tickets of the ``series``; ``details`` for the parental leaves."""
    for number, (person, employer, leave_type, form, status, start) in enumerate(cases):
        LeaveRequestFactory(
            ticket=f"2026/0000{series}{number:03d}/01",
            worker=person,
            enterprise=employer,
            leave_type=leave_type,
            form=form,
            status=status,
            start_date=start,
            end_date=start + datetime.timedelta(days=700),
            details=(details or {}) if leave_type == "PARENTAL" else {},
            certified_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        )


@pytest.mark.django_db
def test_the_rules_read_the_worker_s_periods_and_the_threshold_count_in_one_query_with_the_same_answers(
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    enterprise, elsewhere = EnterpriseFactory(reference_headcount=100), EnterpriseFactory()
    worker, colleague = PersonFactory(birth_date=D(1980, 1, 1)), PersonFactory(birth_date=D(1985, 1, 1))
    cases = [
        (worker, enterprise, "TC_TRAINING", "1/5", "awaiting_worker", D(2026, 1, 1)),  # both
        (worker, elsewhere, "PARENTAL", "1/5", "awaiting_worker", D(2025, 1, 1)),  # the worker's only
        (worker, enterprise, "TC_TRAINING", "1/5", "cancelled", D(2026, 2, 1)),  # neither
        (worker, elsewhere, "PARENTAL", "1/5", "approved", D(2020, 1, 1)),  # the worker's
        (colleague, enterprise, "TC_TRAINING", "half", "awaiting_worker", D(2026, 1, 1)),  # the count's
        (colleague, enterprise, "TC_TRAINING", "half", "refused", D(2026, 2, 1)),  # neither
        (colleague, enterprise, "TC_TRAINING", "half", "awaiting_worker", D(2028, 1, 1)),  # not that day
    ]
    requests_of(cases, series=1)
    apart = (prior_periods(worker=worker), workers_on_time_credit(enterprise=enterprise, on=START))
    with django_assert_num_queries(2):  # the requests, and the office's earlier history
        together = prior_periods_and_time_credit(worker=worker, enterprise=enterprise, on=START)
    assert together == apart
    assert len(together[0]) == 3 and together[1] == 2
    # A request that does not count towards the threshold reads the worker's half alone (ADR 0040): the
    # same periods, the count not read.
    with django_assert_num_queries(2):
        alone = prior_periods_and_time_credit(
            worker=worker, enterprise=enterprise, on=START, time_credit=False
        )
    assert alone == (apart[0], None)
