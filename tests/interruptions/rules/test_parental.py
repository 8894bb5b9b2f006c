"""Parental leave (rules.parental): RD 29.10.1997; ONEM T19 [S48]-[S53]."""

import datetime
from decimal import Decimal

import pytest

from careerbreak.interruptions.rules import Severity, check
from careerbreak.interruptions.rules.dates import add_months
from careerbreak.interruptions.types import LeaveForm, LeaveType, PriorRegime, Sector, WorkerStatusCode

from .calendar import DAY, FIFTH, FULL, HALF, START, TENTH, D, months_from_start
from .factories import (
    CHILD_NISS,
    change,
    error_codes,
    months_period,
    only,
    period,
    stopped_by,
    valid,
    warned_only,
)


def test_done_when_one_fifth_for_a_child_born_2024_at_an_8_worker_employer_is_accepted() -> None:
    # A full-time worker employed since 2015 at a private employer of 8 workers; notice three months ahead.
    facts = valid(
        LeaveType.PARENTAL,
        form=FIFTH,
        child_birth_date=D(2024, 2, 10),
        employment_start=D(2015, 3, 1),
        regime_12_months=PriorRegime.FULL_TIME,
        reference_headcount=8,
        workers_under_contract=8,
        notice_date=D(2026, 6, 1),
        start=D(2026, 9, 1),
        end=D(2027, 1, 31),
        hours_during_leave=Decimal("30.4"),
    )
    assert not error_codes(check(facts))


def test_done_when_parental_leave_for_a_child_of_13_is_stopped() -> None:
    facts = valid(
        LeaveType.PARENTAL, child_birth_date=D(2013, 2, 10), start=D(2026, 9, 1), end=D(2027, 1, 31)
    )
    finding = only(check(facts), "parental.child_too_old")
    assert finding.is_error and finding.field == "child_birth_date"
    message = finding.message
    assert "under 12" in message and "born 10/02/2013" in message and "13 on 01/09/2026" in message
    assert "no longer possible" in message


@pytest.mark.parametrize(
    ("birth", "disabled", "stopped"),
    [
        (D(2014, 9, 30), False, True),  # turned 12 the day before the start
        (D(2014, 10, 1), False, True),  # turns 12 on the start
        (D(2014, 10, 2), False, False),  # turns 12 the day after
        (D(2005, 10, 1), True, True),  # disabled: 21 on the start
        (D(2005, 10, 2), True, False),
        (D(2014, 10, 1), True, False),  # 12 but disabled
    ],
    ids=[
        "12-day-before",
        "12-on-start",
        "12-day-after",
        "disabled-21-on-start",
        "disabled-21-day-after",
        "disabled-12",
    ],
)
def test_the_child_is_under_12_on_the_start_or_21_if_disabled(
    birth: datetime.date, disabled: bool, stopped: bool
) -> None:
    findings = check(valid(LeaveType.PARENTAL, child_birth_date=birth, child_disabled=disabled))
    if finding := stopped_by(findings, "parental.child_too_old", stopped):
        assert ("under 21" if disabled else "under 12") in finding.message


def test_a_leave_cannot_start_before_the_birth() -> None:
    assert "parental.child_not_born" in error_codes(
        check(valid(LeaveType.PARENTAL, child_birth_date=START + DAY))
    )


def test_an_adopted_child_from_its_registration_in_the_household() -> None:
    facts = valid(LeaveType.PARENTAL, child_adopted_on=START + DAY)
    assert only(check(facts), "parental.before_adoption").field == "start"


# Blocks — [S48]: 1 month (full), 2 (1/2), 5 (1/5), 10 (1/10); flexibility with agreement "since 2019" [P].


@pytest.mark.parametrize(
    ("form", "months", "less_a_day", "stopped"),
    [
        (FULL, 1, False, False),
        (FULL, 3, False, False),
        (HALF, 2, False, False),
        (HALF, 3, False, True),
        (FIFTH, 5, False, False),
        (FIFTH, 5, True, True),
        (FIFTH, 10, False, False),
        (FIFTH, 6, False, True),
        (TENTH, 10, False, False),
        (TENTH, 5, False, True),
    ],
    ids=[
        "full-1",
        "full-3",
        "half-2",
        "half-3",
        "fifth-5",
        "fifth-5-less-a-day",
        "fifth-10",
        "fifth-6",
        "tenth-10",
        "tenth-5",
    ],
)
def test_parental_leave_is_taken_in_blocks(
    form: LeaveForm, months: int, less_a_day: bool, stopped: bool
) -> None:
    end = months_from_start(months) - (DAY if less_a_day else datetime.timedelta(0))
    facts = valid(LeaveType.PARENTAL, form=form, end=end, employer_agreement=form is TENTH or None)
    findings = check(facts)
    if finding := stopped_by(findings, "parental.blocks", stopped):
        assert finding.field == "end"
        assert f"blocks of {form.share} months" in finding.message or "blocks of 1 month" in finding.message


@pytest.mark.parametrize(
    ("form", "end", "agreement", "stopped"),
    [
        (FULL, START + datetime.timedelta(days=13), True, False),  # 2 weeks with agreement
        (FULL, START + datetime.timedelta(days=13), None, True),
        (FULL, START + datetime.timedelta(days=12), True, True),  # not whole weeks
        (HALF, months_from_start(1), True, False),  # half-time by the month with agreement
        (HALF, months_from_start(1), None, True),
    ],
    ids=[
        "full-2-weeks-agreed",
        "full-2-weeks-not-agreed",
        "full-13-days",
        "half-1-month-agreed",
        "half-1-month",
    ],
)
def test_flexible_parental_leave_with_the_employers_agreement(
    form: LeaveForm, end: datetime.date, agreement: bool | None, stopped: bool
) -> None:
    facts = valid(LeaveType.PARENTAL, form=form, end=end, employer_agreement=agreement)
    assert ("parental.blocks" in error_codes(check(facts))) is stopped


@pytest.mark.parametrize(
    ("notice", "stopped"),
    [(D(2018, 12, 31), True), (D(2019, 1, 1), False)],
    ids=["notice-31-12-2018", "notice-01-01-2019"],
)
def test_weeks_of_full_time_parental_leave_exist_from_2019(notice: datetime.date, stopped: bool) -> None:
    # The research says "since 2019" [P] [S52]; the row is dated 1.01.2019.
    start = add_months(notice, 3)
    facts = valid(
        LeaveType.PARENTAL,
        form=FULL,
        notice_date=notice,
        today=notice,
        start=start,
        end=start + datetime.timedelta(days=6),
        employer_agreement=True,
        child_birth_date=D(2015, 1, 1),
    )
    assert ("parental.blocks" in error_codes(check(facts))) is stopped


# Per child — [S48]: 4 months full-time or 8 half-time, 20 at 1/5, 40 at 1/10, forms combined.


@pytest.mark.parametrize(
    ("prior_form", "prior_months", "form", "months", "stopped"),
    [
        (FULL, 3, FIFTH, 5, False),  # 3 + 1 = 4
        (FULL, 3, FIFTH, 10, True),  # 3 + 2 = 5
        (HALF, 6, FULL, 1, False),  # 3 + 1
        (FIFTH, 15, FIFTH, 5, False),  # 20 at 1/5
        (FIFTH, 15, FIFTH, 10, True),
        (TENTH, 30, TENTH, 10, False),  # 40 at 1/10
    ],
    ids=[
        "full3-fifth5",
        "full3-fifth10",
        "half6-full1",
        "fifth15-fifth5",
        "fifth15-fifth10",
        "tenth30-tenth10",
    ],
)
def test_the_maximum_per_child_combines_the_forms(
    prior_form: LeaveForm, prior_months: int, form: LeaveForm, months: int, stopped: bool
) -> None:
    prior = months_period(LeaveType.PARENTAL, D(2024, 3, 1), prior_months, prior_form, subject=CHILD_NISS)
    facts = valid(
        LeaveType.PARENTAL,
        form=form,
        end=months_from_start(months),
        prior_periods=(prior,),
        employer_agreement=True,
    )
    findings = check(facts)
    if finding := stopped_by(findings, "parental.maximum", stopped):
        assert "4 months full-time" in finding.message and "5 months in the form 1/5" in finding.message


def test_a_child_whose_leave_is_used_up_is_stopped() -> None:
    prior = period(LeaveType.PARENTAL, D(2024, 3, 1), D(2024, 6, 30), FULL, subject=CHILD_NISS)
    finding = only(check(valid(LeaveType.PARENTAL, prior_periods=(prior,))), "parental.exhausted")
    assert finding.field == "child_niss"


def test_another_childs_leave_does_not_count() -> None:
    prior = period(LeaveType.PARENTAL, D(2024, 3, 1), D(2024, 6, 30), FULL, subject="20010100222")
    assert not error_codes(check(valid(LeaveType.PARENTAL, prior_periods=(prior,))))


def test_the_balance_of_a_child_shorter_than_a_block_may_be_taken() -> None:
    # 3.5 months full-time used: 1 month half-time is left, shorter than a 2-month block.
    prior = (
        period(LeaveType.PARENTAL, D(2024, 3, 1), D(2024, 5, 31), FULL, subject=CHILD_NISS),
        period(LeaveType.PARENTAL, D(2025, 1, 1), D(2025, 1, 31), HALF, subject=CHILD_NISS),
    )
    facts = valid(LeaveType.PARENTAL, form=HALF, end=months_from_start(1), prior_periods=prior)
    assert not error_codes(check(facts))


def test_without_the_childs_number_the_months_cannot_be_counted_a_warning() -> None:
    finding = only(check(valid(LeaveType.PARENTAL, child_niss="")), "parental.child_niss_missing")
    assert finding.severity is Severity.WARNING and finding.field == "child_niss"


# Private sector — [S50][S51]: 12 months of contract in the 15 before the notice; none in the public sector.


@pytest.mark.parametrize(
    ("months", "stopped"),
    [(Decimal(12), False), (Decimal("11.9"), True), (None, True)],
    ids=["12", "11.9", "none"],
)
def test_private_sector_parental_leave_needs_12_months_of_contract_in_15(
    months: Decimal | None, stopped: bool
) -> None:
    findings = check(valid(LeaveType.PARENTAL, months_of_contract_last_15=months))
    found = error_codes(findings) & {"parental.contract_insufficient", "parental.contract_missing"}
    assert bool(found) is stopped
    if found:
        finding = only(findings, found.pop())
        assert finding.field == "months_of_contract_last_15" and "12 months" in finding.message


def test_public_sector_parental_leave_needs_no_contract_months() -> None:
    facts = valid(
        LeaveType.PARENTAL,
        sector=Sector.LOCAL_PUBLIC,
        worker_status=WorkerStatusCode.PUBLIC_STATUTORY,
        months_of_contract_last_15=None,
    )
    assert not error_codes(check(facts))


@pytest.mark.parametrize(("agreement", "stopped"), [(True, False), (None, True), (False, True)])
def test_one_tenth_needs_the_employers_agreement(agreement: bool | None, stopped: bool) -> None:
    facts = valid(LeaveType.PARENTAL, form=TENTH, end=months_from_start(10), employer_agreement=agreement)
    assert ("parental.tenth_needs_agreement" in error_codes(check(facts))) is stopped


@pytest.mark.parametrize(
    ("start", "warned"),
    [(D(2026, 8, 1), False), (D(2026, 7, 31), True)],
    ids=["2-months", "2-months-less-a-day"],
)
def test_private_sector_notice_of_two_months_is_only_a_warning(start: datetime.date, warned: bool) -> None:
    # Notice 2 to 3 months before: [U], so a warning only.
    facts = valid(LeaveType.PARENTAL, start=start, end=add_months(start, 5) - DAY)
    findings = check(facts)
    warned_only(findings, "parental.notice_short", warned)


@pytest.mark.parametrize(
    ("birth", "warned"),
    [(D(2012, 3, 7), True), (D(2012, 3, 8), False)],
    ids=["born-07-03-2012", "born-08-03-2012"],
)
def test_the_fourth_month_is_paid_only_for_children_born_from_8_march_2012(
    birth: datetime.date, warned: bool
) -> None:
    prior = period(LeaveType.PARENTAL, D(2020, 1, 1), D(2020, 3, 31), FULL, subject=CHILD_NISS)
    facts = valid(
        LeaveType.PARENTAL,
        form=FULL,
        end=months_from_start(1),
        child_birth_date=birth,
        child_disabled=True,
        prior_periods=(prior,),
    )
    findings = check(facts)
    warned_only(findings, "parental.fourth_month_unpaid", warned)


def test_parental_leave_does_not_use_time_credit_months() -> None:
    used = period(LeaveType.TC_CHILD_CARE, D(2020, 1, 1), D(2024, 3, 31))  # 51 months
    assert not error_codes(check(valid(LeaveType.PARENTAL, prior_periods=(used,))))


def test_a_request_changed_to_one_tenth_with_agreement_is_accepted() -> None:
    facts = change(valid(LeaveType.PARENTAL), form=TENTH, end=months_from_start(10), employer_agreement=True)
    assert not error_codes(check(facts))
