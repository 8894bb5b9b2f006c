"""Time credit with motive (rules.time_credit): CCT 103, RD 12.12.2001 as amended by RD 26.01.2023."""

import datetime
from decimal import Decimal

import pytest

from careerbreak.interruptions.rules import Severity, check
from careerbreak.interruptions.rules.base import EmploymentPeriod
from careerbreak.interruptions.rules.dates import add_months
from careerbreak.interruptions.types import LeaveForm, LeaveType, PriorRegime, RequestKind

from .calendar import DAY, FIFTH, FULL, HALF, NOTICE, START, D, months_from_start
from .factories import (
    CHILD_NISS,
    PATIENT_NISS,
    change,
    codes,
    error_codes,
    only,
    period,
    stopped_by,
    valid,
    warned_only,
)

# Per-request duration — DOMAIN.md §4; CCT 103 [S29].


def test_a_one_fifth_child_care_time_credit_of_5_months_is_stopped_and_says_why() -> None:
    facts = valid(LeaveType.TC_CHILD_CARE, form=FIFTH, end=months_from_start(5))
    finding = only(check(facts), "duration.too_short")
    assert finding.is_error and finding.field == "end"
    message = finding.message
    assert "1/5" in message and "at least 6 months" in message and "lasts 5 months" in message
    assert "31/03/2027" in message  # the earliest end that makes 6 months


@pytest.mark.parametrize(
    ("leave_type", "form", "months", "code"),
    [
        (LeaveType.TC_CHILD_CARE, FIFTH, 6, None),
        (LeaveType.TC_CHILD_CARE, FULL, 3, None),
        (LeaveType.TC_CHILD_CARE, HALF, 3, None),
        (LeaveType.TC_TRAINING, FIFTH, 6, None),
        (LeaveType.TC_DISABLED_CHILD, FULL, 3, None),
        (LeaveType.TC_PALLIATIVE, FIFTH, 1, None),
        (LeaveType.TC_SERIOUS_ILLNESS, FULL, 1, None),
        (LeaveType.TC_SERIOUS_ILLNESS, FULL, 3, None),
        (LeaveType.TC_SERIOUS_ILLNESS, FULL, 4, "duration.too_long"),
        (LeaveType.TC_SERIOUSLY_ILL_MINOR, HALF, 4, "duration.too_long"),
        (LeaveType.TC_PALLIATIVE, FIFTH, 2, "duration.too_long"),
    ],
    ids=[
        "child-care-fifth-6",
        "child-care-full-3",
        "child-care-half-3",
        "training-fifth-6",
        "disabled-child-full-3",
        "palliative-1",
        "serious-illness-1",
        "serious-illness-3",
        "serious-illness-4",
        "seriously-ill-minor-4",
        "palliative-2",
    ],
)
def test_per_request_durations(leave_type: LeaveType, form: LeaveForm, months: int, code: str | None) -> None:
    findings = check(valid(leave_type, form=form, end=months_from_start(months)))
    duration = codes(findings) & {"duration.too_short", "duration.too_long"}
    assert duration == ({code} if code else set())


@pytest.mark.parametrize(
    ("leave_type", "form", "minimum"),
    [
        (LeaveType.TC_CHILD_CARE, FIFTH, 6),
        (LeaveType.TC_CHILD_CARE, FULL, 3),
        (LeaveType.TC_TRAINING, HALF, 3),
        (LeaveType.TC_SERIOUS_ILLNESS, FIFTH, 1),
    ],
    ids=["child-care-fifth", "child-care-full", "training-half", "serious-illness"],
)
def test_the_minimum_less_one_day_is_too_short(leave_type: LeaveType, form: LeaveForm, minimum: int) -> None:
    findings = check(valid(leave_type, form=form, end=months_from_start(minimum) - DAY))
    assert only(findings, "duration.too_short").field == "end"


def test_a_balance_left_shorter_than_the_minimum_may_still_be_taken() -> None:
    # 49 of 51 months used: 2 months of 1/5 are allowed although 1/5 normally needs 6 [S29].
    used = period(LeaveType.TC_TRAINING, D(2020, 1, 1), D(2024, 1, 31), FIFTH)  # 49 months
    facts = valid(LeaveType.TC_CHILD_CARE, form=FIFTH, end=months_from_start(2), prior_periods=(used,))
    assert not error_codes(check(facts))
    shorter = change(facts, end=months_from_start(1))
    assert "at least 2 months" in only(check(shorter), "duration.too_short").message


# Career maxima — CCT 103 [S14][S26]: 51 months all motives, training 36, calendar months whatever the form.


@pytest.mark.parametrize(
    ("end", "stopped"),
    [(months_from_start(6), False), (months_from_start(6) + DAY, True)],
    ids=["reaches-51", "51-and-a-day"],
)
def test_time_credit_with_motive_stops_at_51_months_over_the_career(
    end: datetime.date, stopped: bool
) -> None:
    # 45 months of 1/5 count 45 calendar months, whatever the form.
    used = period(LeaveType.TC_CHILD_CARE, D(2019, 1, 1), D(2022, 9, 30), FIFTH)
    facts = valid(LeaveType.TC_TRAINING, form=FIFTH, end=end, prior_periods=(used,))
    findings = check(facts)
    if finding := stopped_by(findings, "maximum.all_motives", stopped):
        message = finding.message
        assert "51 months" in message and "45 months" in message and "31/03/2027" in message


def test_all_51_months_used_stops_any_new_motive() -> None:
    used = period(LeaveType.TC_SERIOUS_ILLNESS, D(2020, 1, 1), D(2024, 3, 31), FULL)  # 51 months
    finding = only(
        check(valid(LeaveType.TC_CHILD_CARE, prior_periods=(used,))), "maximum.all_motives_exhausted"
    )
    assert finding.field == "leave_type"


def test_end_of_career_and_thematic_leaves_do_not_count_against_the_51_months() -> None:
    others = (
        period(LeaveType.TC_END_OF_CAREER, D(2010, 1, 1), D(2015, 12, 31), FIFTH),
        period(LeaveType.PARENTAL, D(2016, 1, 1), D(2019, 12, 31), LeaveForm.ONE_TENTH),
    )
    assert not error_codes(check(valid(LeaveType.TC_TRAINING, prior_periods=others)))


@pytest.mark.parametrize(
    ("end", "stopped"),
    [(months_from_start(6), False), (months_from_start(6) + DAY, True)],
    ids=["reaches-36", "36-and-a-day"],
)
def test_training_time_credit_stops_at_36_months(end: datetime.date, stopped: bool) -> None:
    used = period(LeaveType.TC_TRAINING, D(2020, 1, 1), D(2022, 6, 30), FIFTH)  # 30 months
    findings = check(valid(LeaveType.TC_TRAINING, end=end, prior_periods=(used,)))
    assert ("maximum.training" in error_codes(findings)) is stopped


def test_a_modification_does_not_count_the_months_of_the_request_it_replaces() -> None:
    own = period(LeaveType.TC_TRAINING, START, D(2030, 12, 31), FIFTH, ticket="T1")
    facts = valid(
        LeaveType.TC_TRAINING, kind=RequestKind.MODIFICATION, related_ticket="T1", prior_periods=(own,)
    )
    assert not codes(check(facts)) & {"maximum.training", "maximum.all_motives"}


# Collective agreement for the starred forms — CCT 103 [S14][S27][S28].


@pytest.mark.parametrize(
    ("leave_type", "form", "needed"),
    [
        (LeaveType.TC_CHILD_CARE, FULL, True),
        (LeaveType.TC_PALLIATIVE, HALF, True),
        (LeaveType.TC_SERIOUS_ILLNESS, FULL, True),
        (LeaveType.TC_TRAINING, HALF, True),
        (LeaveType.TC_CHILD_CARE, FIFTH, False),
        (LeaveType.TC_DISABLED_CHILD, FULL, False),
        (LeaveType.TC_SERIOUSLY_ILL_MINOR, HALF, False),
    ],
    ids=["child-care-full", "palliative-half", "illness-full", "training-half", "fifth", "disabled", "minor"],
)
def test_starred_forms_need_the_collective_agreement_number_and_date(
    leave_type: LeaveType, form: LeaveForm, needed: bool
) -> None:
    end = months_from_start(1 if leave_type is LeaveType.TC_PALLIATIVE else 3 if form is not FIFTH else 6)
    facts = valid(
        leave_type, form=form, end=end, collective_agreement_number="", collective_agreement_date=None
    )
    findings = check(facts)
    assert ({"cct.number_missing", "cct.date_missing"} <= error_codes(findings)) is needed
    if needed:
        assert only(findings, "cct.number_missing").field == "collective_agreement_number"
        assert only(findings, "cct.date_missing").field == "collective_agreement_date"


def test_a_collective_agreement_dated_after_today_is_stopped() -> None:
    facts = valid(
        LeaveType.TC_CHILD_CARE, form=FULL, end=months_from_start(3), collective_agreement_date=NOTICE + DAY
    )
    assert "cct.date_in_future" in error_codes(check(facts))


# The child — CCT 103 [S13][S14]: under 8 (child care), under 21 and disabled, under 18 (minor), on the start.


@pytest.mark.parametrize(
    ("leave_type", "birth", "stopped"),
    [
        (LeaveType.TC_CHILD_CARE, D(2018, 9, 30), True),  # 8 the day before the start
        (LeaveType.TC_CHILD_CARE, D(2018, 10, 1), True),  # 8 on the start
        (LeaveType.TC_CHILD_CARE, D(2018, 10, 2), False),  # 8 the day after
        (LeaveType.TC_DISABLED_CHILD, D(2005, 10, 1), True),  # 21 on the start
        (LeaveType.TC_DISABLED_CHILD, D(2005, 10, 2), False),
        (LeaveType.TC_SERIOUSLY_ILL_MINOR, D(2008, 10, 1), True),  # 18 on the start
        (LeaveType.TC_SERIOUSLY_ILL_MINOR, D(2008, 10, 2), False),
    ],
    ids=[
        "care-8-day-before",
        "care-8-on-start",
        "care-8-day-after",
        "disabled-21-on-start",
        "disabled-21-day-after",
        "minor-18-on-start",
        "minor-18-day-after",
    ],
)
def test_the_childs_age_on_the_start_date(leave_type: LeaveType, birth: datetime.date, stopped: bool) -> None:
    findings = check(valid(leave_type, child_birth_date=birth))
    if finding := stopped_by(findings, "time_credit.child_too_old", stopped):
        assert finding.field == "child_birth_date"
        assert birth.strftime("%d/%m/%Y") in finding.message and "01/10/2026" in finding.message


def test_the_child_care_motive_needs_the_childs_birth_date() -> None:
    finding = only(
        check(valid(LeaveType.TC_CHILD_CARE, child_birth_date=None)), "time_credit.child_birth_date_missing"
    )
    assert finding.field == "child_birth_date"


def test_a_leave_for_an_adopted_child_starts_from_its_registration_in_the_household() -> None:
    facts = valid(LeaveType.TC_CHILD_CARE, child_adopted_on=START + DAY)
    assert "time_credit.before_adoption" in error_codes(check(facts))
    assert "time_credit.before_adoption" not in codes(check(change(facts, child_adopted_on=START)))


def test_the_disabled_child_motive_needs_the_disability_confirmed() -> None:
    finding = only(
        check(valid(LeaveType.TC_DISABLED_CHILD, child_disabled=False)), "time_credit.child_not_disabled"
    )
    assert finding.field == "child_disabled"


def test_palliative_time_credit_reminds_of_the_doctors_certificate() -> None:
    finding = only(check(valid(LeaveType.TC_PALLIATIVE)), "time_credit.palliative_certificate")
    assert finding.severity is Severity.WARNING


# Notice — CCT 103 [S4][S20][S32]: 3 months above 20 workers, 6 months otherwise; 2 weeks after exhausted
# palliative leave; shorter if agreed in writing.


@pytest.mark.parametrize(
    ("headcount", "start", "stopped"),
    [
        (21, D(2026, 9, 1), False),  # 3 months exactly
        (21, D(2026, 8, 31), True),  # 3 months less a day
        (20, D(2026, 12, 1), False),  # 6 months exactly
        (20, D(2026, 11, 30), True),  # 6 months less a day
    ],
    ids=[
        "21-workers-3-months",
        "21-workers-3-months-less-a-day",
        "20-workers-6-months",
        "20-workers-less-a-day",
    ],
)
def test_the_notice_term_depends_on_the_headcount(
    headcount: int, start: datetime.date, stopped: bool
) -> None:
    facts = valid(
        LeaveType.TC_TRAINING,
        start=start,
        end=add_months(start, 6) - DAY,
        reference_headcount=headcount,
        employer_agreement=True,
    )
    findings = check(facts)
    if finding := stopped_by(findings, "notice.too_short", stopped):
        assert finding.field == "notice_date"
        term = "3 months" if headcount > 20 else "6 months"
        assert term in finding.message and str(headcount) in finding.message


def test_a_shorter_notice_agreed_in_writing_is_accepted() -> None:
    facts = valid(LeaveType.TC_TRAINING, start=D(2026, 8, 1), end=D(2027, 1, 31), shorter_notice_agreed=True)
    assert "notice.too_short" not in codes(check(facts))


def test_an_unknown_headcount_leaves_the_notice_unchecked_with_a_warning() -> None:
    finding = only(check(valid(LeaveType.TC_TRAINING, reference_headcount=None)), "notice.headcount_unknown")
    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("start", "stopped"), [(D(2026, 6, 15), False), (D(2026, 6, 14), True)], ids=["two-weeks", "13-days"]
)
def test_two_weeks_notice_after_an_exhausted_palliative_leave(start: datetime.date, stopped: bool) -> None:
    palliative = period(LeaveType.PALLIATIVE, add_months(start, -3), start - DAY, subject=PATIENT_NISS)
    facts = valid(
        LeaveType.TC_SERIOUS_ILLNESS,
        start=start,
        end=add_months(start, 3) - DAY,
        prior_periods=(palliative,),
        employer_agreement=True,
    )
    findings = check(facts)
    if finding := stopped_by(findings, "notice.too_short", stopped):
        assert "2 weeks" in finding.message


def test_palliative_leave_not_yet_exhausted_keeps_the_ordinary_notice() -> None:
    start = D(2026, 6, 15)
    palliative = period(
        LeaveType.PALLIATIVE, D(2026, 5, 15), start - DAY, subject=PATIENT_NISS
    )  # 1 month of 3
    facts = valid(LeaveType.TC_SERIOUS_ILLNESS, start=start, end=D(2026, 9, 14), prior_periods=(palliative,))
    assert "3 months" in only(check(facts), "notice.too_short").message


# Seniority — CCT 103 [S12][S30]: 24 months with the employer on the date of the notice.


@pytest.mark.parametrize(
    ("employment_start", "stopped"),
    [(D(2024, 6, 1), False), (D(2024, 6, 2), True)],
    ids=["24-months-exactly", "24-months-less-a-day"],
)
def test_time_credit_needs_24_months_of_seniority_at_the_notice(
    employment_start: datetime.date, stopped: bool
) -> None:
    findings = check(valid(LeaveType.TC_TRAINING, employment_start=employment_start))
    if finding := stopped_by(findings, "seniority.insufficient", stopped):
        assert "24 months" in finding.message and "02/06/2026" in finding.message


def test_no_seniority_after_exhausted_parental_leave_followed_immediately_by_time_credit() -> None:
    parental = period(LeaveType.PARENTAL, D(2026, 6, 1), START - DAY, FULL, subject=CHILD_NISS)  # 4 months
    facts = valid(LeaveType.TC_CHILD_CARE, employment_start=D(2025, 6, 1), prior_periods=(parental,))
    assert "seniority.insufficient" not in codes(check(facts))
    not_exhausted = change(
        facts, prior_periods=(period(LeaveType.PARENTAL, D(2026, 7, 1), START - DAY, FULL),)
    )
    assert "seniority.insufficient" in codes(check(not_exhausted))


# Seniority spans contracts (issue 11.4) — CCT 103 [S12][S30]: every Dimona period with the same employer
# before the notice counts, gaps excluded; the research gives no reference window, so none is applied (the
# reading that does not refuse wrongly). Notice on 1 June 2026: 24 months = 730 days before it.


@pytest.mark.parametrize(
    ("periods", "stopped"),
    [
        ([(D(2024, 6, 1), None)], False),  # one running contract, 24 months exactly
        ([(D(2024, 6, 2), None)], True),  # one running contract, a day short
        ([(D(2023, 1, 1), D(2023, 12, 31)), (D(2025, 6, 1), None)], False),  # 365 + 365 days = 730
        ([(D(2023, 1, 2), D(2023, 12, 31)), (D(2025, 6, 1), None)], True),  # 364 + 365 days = 729
        ([(D(2020, 1, 1), D(2022, 12, 31)), (D(2026, 5, 1), None)], False),  # an old long contract counts
        ([(D(2024, 6, 2), D(2025, 5, 31)), (D(2025, 1, 1), None)], True),  # overlapping contracts count once
        ([(D(2024, 6, 1), D(2025, 5, 31)), (D(2025, 6, 1), None)], False),  # back-to-back contracts
        ([(D(2026, 7, 1), None)], None),  # starts after the notice: nothing known at the notice
    ],
    ids=[
        "one-contract-24-months",
        "one-contract-a-day-short",
        "two-contracts-730-days",
        "two-contracts-729-days",
        "old-long-contract",
        "overlap-counted-once",
        "back-to-back",
        "only-after-the-notice",
    ],
)
def test_seniority_counts_every_period_with_the_employer(
    periods: list[tuple[datetime.date, datetime.date | None]], stopped: bool | None
) -> None:
    facts = valid(
        LeaveType.TC_TRAINING,
        employment_start=periods[-1][0],
        employment_periods=tuple(EmploymentPeriod(start, end) for start, end in periods),
    )
    findings = check(facts)
    if stopped is None:
        assert only(findings, "seniority.unknown").is_error
        return
    assert ("seniority.insufficient" in error_codes(findings)) is stopped
    if stopped and len(periods) > 1:
        finding = only(findings, "seniority.insufficient")
        assert "All 2 periods" in finding.message and "24 months" in finding.message
        assert finding.field == "notice_date" and "every employment" in finding.reference


def test_an_unknown_employment_start_is_stopped() -> None:
    assert only(check(valid(LeaveType.TC_TRAINING, employment_start=None)), "seniority.unknown").is_error


# Small enterprises — CCT 103 [S32][S35]: 10 workers or fewer, the employer's agreement.


@pytest.mark.parametrize(
    ("headcount", "agreement", "stopped"),
    [(10, None, True), (10, False, True), (10, True, False), (11, None, False)],
    ids=["10-no-answer", "10-refused", "10-agreed", "11-workers"],
)
def test_time_credit_in_an_enterprise_of_10_or_fewer_needs_the_employers_agreement(
    headcount: int, agreement: bool | None, stopped: bool
) -> None:
    facts = valid(
        LeaveType.TC_TRAINING,
        reference_headcount=headcount,
        employer_agreement=agreement,
        start=D(2026, 12, 1),
        end=D(2027, 5, 31),
    )
    findings = check(facts)
    if finding := stopped_by(findings, "agreement.small_enterprise", stopped):
        assert finding.field == "employer_agreement"


# 1/5 over fewer than 5 days — CCT 103; from 1.01.2026 (CCT 103/7 [S40]) with a collective or written
# agreement.


@pytest.mark.parametrize(
    ("notice", "agreement", "code"),
    [
        (D(2025, 12, 31), True, "fifth.fewer_days"),
        (D(2026, 1, 1), None, "fifth.fewer_days_without_agreement"),
        (D(2026, 1, 1), True, None),
    ],
    ids=["before-2026-even-agreed", "from-2026-without-agreement", "from-2026-agreed"],
)
def test_one_fifth_over_fewer_than_five_days(
    notice: datetime.date, agreement: bool | None, code: str | None
) -> None:
    facts = valid(
        LeaveType.TC_TRAINING,
        days_per_week=Decimal("4.5"),
        notice_date=notice,
        today=notice,
        employer_agreement=agreement,
    )
    found = error_codes(check(facts)) & {"fifth.fewer_days", "fifth.fewer_days_without_agreement"}
    assert found == ({code} if code else set())


def test_one_fifth_over_five_days_needs_no_agreement() -> None:
    assert not error_codes(check(valid(LeaveType.TC_TRAINING, days_per_week=Decimal(5))))


def test_one_fifth_without_days_a_week_asks_for_them() -> None:
    assert only(check(valid(LeaveType.TC_TRAINING, days_per_week=None)), "fifth.days_missing").is_error


# Allowance rules from 1.02.2023 (RD 26.01.2023 [S15][S16][S17]): warnings, the leave stays possible.


@pytest.mark.parametrize(
    ("notice", "warned"), [(D(2023, 1, 31), False), (D(2023, 2, 1), True)], ids=["31-01-2023", "01-02-2023"]
)
def test_full_time_child_care_allowance_only_for_a_child_under_5_from_february_2023(
    notice: datetime.date, warned: bool
) -> None:
    start = add_months(notice, 3)
    facts = valid(
        LeaveType.TC_CHILD_CARE,
        form=FULL,
        notice_date=notice,
        today=notice,
        start=start,
        end=add_months(start, 3) - DAY,
        child_birth_date=add_months(start, -5 * 12),  # 5 on the start
        employment_start=D(2015, 1, 1),
    )
    findings = check(facts)
    if finding := warned_only(findings, "allowance.child_care_full_age", warned):
        assert finding.severity is Severity.WARNING and "under 5" in finding.message


def test_the_full_time_child_care_allowance_stays_for_a_child_turning_5_the_day_after_the_start() -> None:
    facts = valid(
        LeaveType.TC_CHILD_CARE, form=FULL, end=months_from_start(3), child_birth_date=D(2021, 10, 2)
    )
    assert "allowance.child_care_full_age" not in codes(check(facts))


@pytest.mark.parametrize(
    ("notice", "warned"), [(D(2023, 1, 31), False), (D(2023, 2, 1), True)], ids=["31-01-2023", "01-02-2023"]
)
def test_partial_time_credit_allowance_needs_full_time_work_from_february_2023(
    notice: datetime.date, warned: bool
) -> None:
    start = add_months(notice, 3)
    facts = valid(
        LeaveType.TC_TRAINING,
        form=HALF,
        notice_date=notice,
        today=notice,
        start=start,
        end=add_months(start, 3) - DAY,
        regime_12_months=PriorRegime.AT_LEAST_THREE_QUARTERS,
    )
    findings = check(facts)
    warned_only(findings, "allowance.occupation_partial", warned)


def test_full_time_credit_allowance_asks_the_24_month_regime_when_not_full_time() -> None:
    facts = valid(
        LeaveType.TC_TRAINING,
        form=FULL,
        end=months_from_start(3),
        regime_12_months=PriorRegime.PART_TIME,
        regime_24_months=None,
    )
    assert only(check(facts), "allowance.occupation_full").field == "regime_24_months"
    assert "allowance.occupation_full" not in codes(
        check(change(facts, regime_24_months=PriorRegime.PART_TIME))
    )


@pytest.mark.parametrize(
    ("before_february_2023", "warned"),
    [(D(2022, 6, 30), True), (D(2022, 7, 31), False)],
    ids=["29-months-taken-48", "30-months-taken-keeps-51"],
)
def test_child_care_allowance_is_capped_at_48_months_unless_30_were_taken_by_february_2023(
    before_february_2023: datetime.date, warned: bool
) -> None:
    # From 1.02.2020: 29 (or 30) months before 1.02.2023, then 15 more in 2024-2025: 44 (or 45) months used.
    used = (
        period(LeaveType.TC_CHILD_CARE, D(2020, 2, 1), before_february_2023, FIFTH),
        period(LeaveType.TC_CHILD_CARE, D(2024, 1, 1), D(2025, 3, 31), FIFTH),
    )
    facts = valid(LeaveType.TC_CHILD_CARE, prior_periods=used)
    findings = check(facts)
    if finding := warned_only(findings, "allowance.child_care_months", warned):
        message = finding.message
        assert "48 months" in message and "2 months of this leave" in message


@pytest.mark.parametrize(
    ("notice", "warned"),
    [(D(2023, 5, 31), False), (D(2023, 6, 1), True)],
    ids=["31-05-2023", "01-06-2023"],
)
def test_child_care_allowance_needs_36_months_seniority_from_june_2023(
    notice: datetime.date, warned: bool
) -> None:
    # [P] [S30]: the date is partly confirmed (one source says 1.01.2024).
    start = add_months(notice, 3)
    facts = valid(
        LeaveType.TC_CHILD_CARE,
        notice_date=notice,
        today=notice,
        start=start,
        end=add_months(start, 6) - DAY,
        employment_start=add_months(notice, -30),
        child_birth_date=add_months(start, -24),
    )
    findings = check(facts)
    warned_only(findings, "allowance.child_care_seniority", warned)


@pytest.mark.parametrize(
    ("first_start", "warned"),
    [(D(2020, 8, 1), False), (D(2020, 8, 2), True)],
    ids=["30-months-on-31-01-2023", "30-months-less-a-day"],
)
def test_the_30_months_that_keep_51_are_counted_up_to_31_january_2023(
    first_start: datetime.date, warned: bool
) -> None:
    # A period running across 1.02.2023 counts only its part before that day (RD 26.01.2023 transition).
    used = (
        period(LeaveType.TC_CHILD_CARE, first_start, D(2023, 3, 31), FIFTH),
        period(LeaveType.TC_CHILD_CARE, D(2024, 1, 1), D(2024, 11, 30), FIFTH),
    )
    findings = check(valid(LeaveType.TC_CHILD_CARE, prior_periods=used))
    warned_only(findings, "allowance.child_care_months", warned)
