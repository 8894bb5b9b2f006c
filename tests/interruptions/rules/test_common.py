"""Shared checks (rules.common): type and form on offer, dates, hours, prior regime, overlap, kind of
request, 5 % threshold."""

import datetime
from decimal import Decimal

import pytest

from careerbreak.interruptions.rules import PeriodStatus, Severity, check
from careerbreak.interruptions.types import (
    LeaveForm,
    LeaveType,
    PriorRegime,
    RequestKind,
    Sector,
    WorkerStatusCode,
)

from .calendar import DAY, NOTICE, START, D
from .factories import change, codes, error_codes, found, only, period, stopped_by, valid

# Type and form on offer — DOMAIN.md §4; ONEM coverage [S25]; caregiver dates [S61][S62].


@pytest.mark.parametrize(
    ("leave_type", "sector", "status"),
    [
        (LeaveType.TC_CHILD_CARE, Sector.FEDERAL_PUBLIC, WorkerStatusCode.PUBLIC_CONTRACTUAL),
        (LeaveType.TC_END_OF_CAREER, Sector.EDUCATION, WorkerStatusCode.TEACHING_STAFF),
        (LeaveType.PUBLIC_CAREER_BREAK, Sector.PRIVATE, WorkerStatusCode.PRIVATE_WHITE_COLLAR),
        (LeaveType.PUBLIC_CAREER_BREAK, Sector.FEDERAL_PUBLIC, WorkerStatusCode.PUBLIC_TRAINEE),
    ],
    ids=["tc-public-sector", "end-of-career-education", "public-break-private", "public-break-trainee"],
)
def test_a_type_not_offered_for_the_sector_or_status_is_stopped_alone(
    leave_type: LeaveType, sector: Sector, status: WorkerStatusCode
) -> None:
    findings = check(valid(leave_type, sector=sector, worker_status=status))
    assert [f.code for f in findings] == ["type.not_offered"]
    assert findings[0].field == "leave_type"
    assert str(status.label) in findings[0].message and str(sector.label) in findings[0].message


@pytest.mark.parametrize(
    ("sector", "status", "start", "stopped"),
    [
        (Sector.PRIVATE, WorkerStatusCode.PRIVATE_WHITE_COLLAR, D(2020, 8, 31), True),
        (Sector.PRIVATE, WorkerStatusCode.PRIVATE_WHITE_COLLAR, D(2020, 9, 1), False),
        (Sector.FEDERAL_PUBLIC, WorkerStatusCode.PUBLIC_STATUTORY, D(2020, 12, 31), True),
        (Sector.FEDERAL_PUBLIC, WorkerStatusCode.PUBLIC_STATUTORY, D(2021, 1, 1), False),
    ],
    ids=["private-31-08-2020", "private-01-09-2020", "federal-31-12-2020", "federal-01-01-2021"],
)
def test_caregiver_leave_starts_no_earlier_than_it_exists_in_the_sector(
    sector: Sector, status: WorkerStatusCode, start: datetime.date, stopped: bool
) -> None:
    facts = valid(
        LeaveType.CAREGIVER,
        sector=sector,
        worker_status=status,
        start=start,
        end=start + datetime.timedelta(days=27),
        notice_date=start - datetime.timedelta(days=30),
        today=start - datetime.timedelta(days=30),
    )
    assert ("type.not_yet_in_force" in codes(check(facts))) is stopped


@pytest.mark.parametrize(
    ("leave_type", "form"),
    [(LeaveType.TC_END_OF_CAREER, LeaveForm.FULL), (LeaveType.TC_TRAINING, LeaveForm.ONE_TENTH)],
    ids=["end-of-career-full", "time-credit-tenth"],
)
def test_a_form_the_type_does_not_have_is_stopped_and_the_possible_forms_are_named(
    leave_type: LeaveType, form: LeaveForm
) -> None:
    findings = check(valid(leave_type, form=form))
    finding = only(findings, "form.not_allowed")
    assert finding.field == "form"
    assert "half-time" in finding.message and "1/5" in finding.message
    assert codes(findings) == {"form.not_allowed"}


# Dates.


@pytest.mark.parametrize(
    ("end", "stopped"), [(START - DAY, True), (START, False)], ids=["day-before", "same-day"]
)
def test_the_end_cannot_be_before_the_start(end: datetime.date, stopped: bool) -> None:
    findings = check(valid(LeaveType.PARENTAL, end=end))
    assert ("dates.end_before_start" in codes(findings)) is stopped
    if stopped:
        assert codes(findings) == {"dates.end_before_start"}


@pytest.mark.parametrize(
    ("notice", "stopped"), [(START + DAY, True), (START, False)], ids=["day-after-start", "on-start"]
)
def test_the_notice_comes_before_the_start(notice: datetime.date, stopped: bool) -> None:
    findings = check(valid(LeaveType.PARENTAL, notice_date=notice, today=START + DAY))
    assert ("notice.after_start" in error_codes(findings)) is stopped


@pytest.mark.parametrize(
    ("notice", "stopped"), [(NOTICE + DAY, True), (NOTICE, False)], ids=["tomorrow", "today"]
)
def test_the_notice_is_not_dated_after_today(notice: datetime.date, stopped: bool) -> None:
    findings = check(valid(LeaveType.PARENTAL, notice_date=notice))
    assert ("notice.in_future" in error_codes(findings)) is stopped


def test_a_missing_notice_date_is_asked_for() -> None:
    finding = only(check(valid(LeaveType.PARENTAL, notice_date=None)), "notice.missing")
    assert finding.field == "notice_date" and finding.is_error


def test_a_notice_before_the_employment_started_is_only_questioned() -> None:
    finding = only(
        check(valid(LeaveType.PARENTAL, employment_start=NOTICE + DAY)), "notice.before_employment"
    )
    assert finding.severity is Severity.WARNING


def test_a_date_before_1985_is_implausible() -> None:
    facts = valid(LeaveType.PARENTAL, child_birth_date=D(1984, 12, 31))
    finding = next(f for f in check(facts) if f.code == "dates.implausible")
    assert finding.field == "child_birth_date" and "31/12/1984" in finding.message


@pytest.mark.parametrize(
    ("today", "warned"),
    # Worker part within 2 months after the start (RD 12.12.2001; [S9][S79]).
    [(D(2026, 12, 1), False), (D(2026, 12, 2), True)],
    ids=["two-months-after-start", "two-months-and-a-day"],
)
def test_a_late_filing_warns_that_the_allowance_starts_only_when_the_worker_sends_their_part(
    today: datetime.date, warned: bool
) -> None:
    findings = check(valid(LeaveType.PARENTAL, notice_date=D(2026, 6, 1), today=today))
    if finding := found(findings, "worker_part.late", warned):
        assert "01/12/2026" in finding.message


@pytest.mark.parametrize(
    ("today", "warned"),
    # Not earlier than 6 months before the start (ONEM practice [S80]).
    [(D(2026, 3, 31), True), (D(2026, 4, 1), False)],
    ids=["six-months-and-a-day-before", "six-months-before"],
)
def test_an_early_filing_tells_when_the_worker_can_send_their_part(
    today: datetime.date, warned: bool
) -> None:
    findings = check(valid(LeaveType.PARENTAL, notice_date=today, today=today))
    if finding := found(findings, "worker_part.not_yet", warned):
        assert "01/04/2026" in finding.message


# Hours (Q and S).


@pytest.mark.parametrize(
    ("q", "s", "code"),
    [
        (Decimal(39), Decimal(38), "hours.q_above_s"),
        (Decimal(0), Decimal(38), "hours.q_not_positive"),
        (Decimal(19), Decimal(0), "hours.s_not_positive"),
    ],
    ids=["q-above-s", "q-zero", "s-zero"],
)
def test_weekly_hours_must_make_sense(q: Decimal, s: Decimal, code: str) -> None:
    assert code in error_codes(check(valid(LeaveType.PARENTAL, weekly_hours=q, reference_hours=s)))


def test_q_equal_to_s_is_full_time_and_fine() -> None:
    assert not codes(check(valid(LeaveType.PARENTAL, weekly_hours=Decimal(38)))) & {"hours.q_above_s"}


@pytest.mark.parametrize(("days", "stopped"), [(0, True), (7, False), (8, True)])
def test_days_a_week_between_1_and_7(days: int, stopped: bool) -> None:
    findings = check(valid(LeaveType.PARENTAL, days_per_week=Decimal(days)))
    assert ("hours.days_out_of_range" in codes(findings)) is stopped


@pytest.mark.parametrize(
    ("form", "during", "warned"),
    [
        (LeaveForm.ONE_FIFTH, Decimal("30.4"), False),  # 38 less 1/5
        (LeaveForm.ONE_FIFTH, Decimal(30), True),
        (LeaveForm.HALF, Decimal(19), False),
    ],
    ids=["fifth-right", "fifth-wrong", "half-right"],
)
def test_hours_during_a_partial_leave_follow_s_and_the_form(
    form: LeaveForm, during: Decimal, warned: bool
) -> None:
    findings = check(valid(LeaveType.PARENTAL, form=form, hours_during_leave=during))
    if finding := found(findings, "hours.during_leave_mismatch", warned):
        assert finding.field == "hours_during_leave" and "30.4" in finding.message


# Prior regime of time credit — DOMAIN.md §4, CCT 103 [S12]: 1/2 needs at least 3/4-time in the 12 months
# before the notice; 1/5 needs full-time. Thematic leaves have their own conditions (below).


@pytest.mark.parametrize(
    ("leave_type", "form", "regime", "stopped"),
    [
        (LeaveType.TC_TRAINING, LeaveForm.HALF, PriorRegime.AT_LEAST_THREE_QUARTERS, False),
        (LeaveType.TC_TRAINING, LeaveForm.HALF, PriorRegime.PART_TIME, True),
        (LeaveType.TC_TRAINING, LeaveForm.ONE_FIFTH, PriorRegime.AT_LEAST_THREE_QUARTERS, True),
        (LeaveType.TC_TRAINING, LeaveForm.ONE_FIFTH, PriorRegime.FULL_TIME, False),
        (LeaveType.TC_TRAINING, LeaveForm.FULL, PriorRegime.PART_TIME, False),
        (LeaveType.PUBLIC_CAREER_BREAK, LeaveForm.HALF, PriorRegime.PART_TIME, True),
    ],
    ids=[
        "tc-half-three-quarters",
        "tc-half-part-time",
        "tc-fifth-three-quarters",
        "tc-fifth-full-time",
        "tc-full-any-regime",
        "public-half-part-time",
    ],
)
def test_partial_forms_need_the_prior_regime(
    leave_type: LeaveType, form: LeaveForm, regime: PriorRegime, stopped: bool
) -> None:
    findings = check(valid(leave_type, form=form, regime_12_months=regime))
    if finding := stopped_by(findings, "regime.insufficient", stopped):
        assert finding.field == "regime_12_months"


def test_a_partial_form_without_the_prior_regime_asks_for_it() -> None:
    finding = only(check(valid(LeaveType.TC_TRAINING, regime_12_months=None)), "regime.missing")
    assert finding.is_error and finding.field == "regime_12_months"


# Prior regime of thematic leaves (issue 11.5) — domain-research §1.3: the regime when the leave is asked
# (Q against S), per type. Parental leave: every partial form for full-timers only [S48][S50] (was: 1/2 from
# 3/4-time, DOMAIN.md §4); medical assistance: 1/2 from 3/4-time, 1/5 full-time [S56]; caregiver leave:
# part-timers full only [S62]; palliative care: not in the research, a WARNING. S = 38 hours.

E, W = Severity.ERROR, Severity.WARNING


@pytest.mark.parametrize(
    ("leave_type", "form", "q", "finding"),
    [
        (LeaveType.PARENTAL, LeaveForm.HALF, "38", None),
        (LeaveType.PARENTAL, LeaveForm.HALF, "37.9", ("regime.insufficient", E)),  # was accepted from 28.5
        (LeaveType.PARENTAL, LeaveForm.ONE_FIFTH, "30", ("regime.insufficient", E)),
        (LeaveType.PARENTAL, LeaveForm.ONE_TENTH, "28.5", ("regime.insufficient", E)),
        (LeaveType.PARENTAL, LeaveForm.FULL, "10", None),
        (LeaveType.MEDICAL_ASSISTANCE, LeaveForm.HALF, "28.5", None),  # exactly three-quarters
        (LeaveType.MEDICAL_ASSISTANCE, LeaveForm.HALF, "28.4", ("regime.insufficient", E)),
        (LeaveType.MEDICAL_ASSISTANCE, LeaveForm.ONE_FIFTH, "30", ("regime.insufficient", E)),
        (LeaveType.MEDICAL_ASSISTANCE, LeaveForm.FULL, "10", None),
        (LeaveType.CAREGIVER, LeaveForm.HALF, "30", ("regime.insufficient", E)),
        (LeaveType.CAREGIVER, LeaveForm.ONE_FIFTH, "38", None),
        (LeaveType.CAREGIVER, LeaveForm.FULL, "10", None),
        (LeaveType.PALLIATIVE, LeaveForm.HALF, "20", ("regime.unconfirmed", W)),
        (LeaveType.PALLIATIVE, LeaveForm.HALF, "28.5", None),
    ],
    ids=[
        "parental-half-full-time",
        "parental-half-below-full-time",
        "parental-fifth-four-fifths",
        "parental-tenth-three-quarters",
        "parental-full-part-time",
        "medical-half-three-quarters",
        "medical-half-below",
        "medical-fifth-four-fifths",
        "medical-full-part-time",
        "caregiver-half-part-timer",
        "caregiver-fifth-full-time",
        "caregiver-full-part-timer",
        "palliative-half-part-time-warned",
        "palliative-half-three-quarters",
    ],
)
def test_thematic_leaves_check_their_own_regime_when_the_leave_is_asked(
    leave_type: LeaveType, form: LeaveForm, q: str, finding: tuple[str, Severity] | None
) -> None:
    facts = valid(
        leave_type,
        form=form,
        weekly_hours=Decimal(q),
        reference_hours=Decimal(38),
        hours_during_leave=None,
        employer_agreement=True,
        # The 12 months before the notice are a time-credit test: they do not decide here.
        regime_12_months=PriorRegime.FULL_TIME if finding else PriorRegime.PART_TIME,
    )
    found = [(f.code, f.severity, f.field) for f in check(facts) if f.code.startswith("regime.")]
    assert found == ([] if finding is None else [(*finding, "weekly_hours")])
    if finding:
        message = only(check(facts), finding[0]).message
        assert f"Q = {q}" in message and "S = 38" in message


def test_without_q_and_s_a_thematic_leave_reads_the_declared_regime() -> None:
    facts = valid(
        LeaveType.PARENTAL,
        weekly_hours=None,
        reference_hours=None,
        hours_during_leave=None,
        regime_12_months=PriorRegime.AT_LEAST_THREE_QUARTERS,
    )
    assert only(check(facts), "regime.insufficient").field == "regime_12_months"
    unknown = only(check(change(facts, regime_12_months=None)), "regime.missing")
    assert unknown.is_error and unknown.field == "weekly_hours"


# Overlap with the worker's other requests — DOMAIN.md §3.


HERE = "0812345603"
ELSEWHERE = "0876543270"


@pytest.mark.parametrize(
    ("other_end", "stopped"),
    [(START, True), (START - DAY, False)],
    ids=["last-day-on-start", "ends-day-before"],
)
def test_an_overlap_with_another_open_request_of_the_same_enterprise_is_stopped_naming_its_ticket(
    other_end: datetime.date, stopped: bool
) -> None:
    other = period(
        LeaveType.TC_TRAINING,
        D(2026, 4, 1),
        other_end,
        ticket="2026/00000042/12",
        status=PeriodStatus.OPEN,
        employer=HERE,
    )
    findings = check(valid(LeaveType.PARENTAL, enterprise_number=HERE, prior_periods=(other,)))
    if finding := stopped_by(findings, "overlap.open_request", stopped):
        assert "2026/00000042/12" in finding.message and "01/10/2026" in finding.message


@pytest.mark.parametrize("employer", [ELSEWHERE, ""], ids=["another-employer", "employer-unknown"])
def test_an_overlap_with_another_employer_s_open_request_is_stopped_without_its_ticket_type_or_dates(
    employer: str,
) -> None:
    other = period(
        LeaveType.MEDICAL_ASSISTANCE,
        D(2026, 4, 1),
        D(2026, 10, 15),
        ticket="2026/00000042/12",
        status=PeriodStatus.OPEN,
        employer=employer,
    )
    findings = check(valid(LeaveType.PARENTAL, enterprise_number=HERE, prior_periods=(other,)))
    message = only(findings, "overlap.open_request").message
    assert "another employer" in message or "autre employeur" in message
    assert "2026/00000042/12" not in message
    assert "01/04/2026" not in message and "15/10/2026" not in message
    assert str(LeaveType.MEDICAL_ASSISTANCE.label) not in message


def test_an_overlap_with_a_closed_period_is_a_warning() -> None:
    other = period(LeaveType.TC_TRAINING, D(2026, 9, 1), D(2026, 10, 15), ticket="T1", employer=HERE)
    findings = check(valid(LeaveType.PARENTAL, enterprise_number=HERE, prior_periods=(other,)))
    finding = only(findings, "overlap.history")
    assert finding.severity is Severity.WARNING
    assert "01/09/2026" in finding.message
    assert not error_codes(findings)


def test_an_overlap_with_another_employer_s_history_is_a_warning_without_its_type_or_dates() -> None:
    other = period(LeaveType.MEDICAL_ASSISTANCE, D(2026, 9, 1), D(2026, 10, 15), employer=ELSEWHERE)
    findings = check(valid(LeaveType.PARENTAL, enterprise_number=HERE, prior_periods=(other,)))
    finding = only(findings, "overlap.history")
    assert finding.severity is Severity.WARNING
    assert "01/09/2026" not in finding.message and "15/10/2026" not in finding.message
    assert str(LeaveType.MEDICAL_ASSISTANCE.label) not in finding.message


def test_a_modification_does_not_overlap_the_request_it_replaces() -> None:
    own = period(
        LeaveType.PARENTAL, START, D(2027, 2, 28), LeaveForm.ONE_FIFTH, ticket="T1", status=PeriodStatus.OPEN
    )
    facts = valid(
        LeaveType.PARENTAL, kind=RequestKind.MODIFICATION, related_ticket="T1", prior_periods=(own,)
    )
    assert not error_codes(check(facts))


# Kind of request — DOMAIN.md §2, §5.


def test_an_extension_needs_the_ticket_it_extends() -> None:
    finding = only(
        check(valid(LeaveType.PARENTAL, kind=RequestKind.EXTENSION)), "kind.related_ticket_missing"
    )
    assert finding.field == "related_ticket"


def test_an_unknown_ticket_is_stopped() -> None:
    facts = valid(LeaveType.PARENTAL, kind=RequestKind.EXTENSION, related_ticket="T9")
    assert "T9" in only(check(facts), "kind.related_ticket_unknown").message


@pytest.mark.parametrize(
    ("previous_end", "stopped"),
    [(START - DAY, False), (START - 2 * DAY, True)],
    ids=["contiguous", "one-day-gap"],
)
def test_an_extension_starts_the_day_after_the_extended_request(
    previous_end: datetime.date, stopped: bool
) -> None:
    previous = period(LeaveType.PARENTAL, D(2026, 5, 1), previous_end, LeaveForm.ONE_FIFTH, ticket="T1")
    facts = valid(
        LeaveType.PARENTAL, kind=RequestKind.EXTENSION, related_ticket="T1", prior_periods=(previous,)
    )
    findings = check(facts)
    if finding := stopped_by(findings, "kind.extension_not_contiguous", stopped):
        assert "30/09/2026" in finding.message


def test_an_extension_keeps_the_type() -> None:
    previous = period(LeaveType.TC_TRAINING, D(2026, 4, 1), START - DAY, ticket="T1")
    facts = valid(
        LeaveType.PARENTAL, kind=RequestKind.EXTENSION, related_ticket="T1", prior_periods=(previous,)
    )
    assert "kind.extension_other_type" in error_codes(check(facts))


def test_a_closed_request_can_no_longer_be_modified() -> None:
    closed = period(
        LeaveType.PARENTAL, D(2025, 1, 1), D(2025, 5, 31), ticket="T1", status=PeriodStatus.CLOSED
    )
    facts = valid(
        LeaveType.PARENTAL, kind=RequestKind.MODIFICATION, related_ticket="T1", prior_periods=(closed,)
    )
    assert "kind.related_closed" in error_codes(check(facts))


def test_a_cancellation_of_an_open_request_is_only_checked_for_its_ticket() -> None:
    own = period(LeaveType.PARENTAL, START, D(2027, 2, 28), ticket="T1", status=PeriodStatus.OPEN)
    # Everything else about this request would be wrong; a cancellation does not care.
    facts = valid(
        LeaveType.PARENTAL,
        kind=RequestKind.CANCELLATION,
        related_ticket="T1",
        prior_periods=(own,),
        child_birth_date=D(2010, 1, 1),
        notice_date=None,
    )
    assert check(facts) == []
    assert "kind.related_ticket_unknown" in codes(check(change(facts, related_ticket="T2")))


# 5 % threshold — CCT 103 [S32][S33]: a warning, the employer may postpone.


@pytest.mark.parametrize(
    ("headcount", "on_credit", "warned"),
    [(100, 4, False), (100, 5, True), (10, 3, False)],
    ids=["reaches-5-percent", "above-5-percent", "ten-workers-agreement-anyway"],
)
def test_more_than_five_percent_on_time_credit_warns(headcount: int, on_credit: int, warned: bool) -> None:
    facts = valid(
        LeaveType.TC_TRAINING,
        reference_headcount=headcount,
        workers_on_time_credit=on_credit,
        employer_agreement=True,
    )
    findings = check(facts)
    if finding := found(findings, "threshold.exceeded", warned):
        assert finding.severity is Severity.WARNING
        assert "6 of 100" in finding.message and "5 %" in finding.message


def test_thematic_leaves_and_end_of_career_fifth_from_55_do_not_count_for_the_threshold() -> None:
    crowded = {"reference_headcount": 100, "workers_on_time_credit": 50}
    assert "threshold.exceeded" not in codes(check(valid(LeaveType.PARENTAL, **crowded)))
    assert "threshold.exceeded" not in codes(check(valid(LeaveType.TC_END_OF_CAREER, **crowded)))
    half = valid(LeaveType.TC_END_OF_CAREER, form=LeaveForm.HALF, end=D(2026, 12, 31), **crowded)
    assert "threshold.exceeded" in codes(check(half))


def test_plain_strings_from_a_form_or_the_api_are_read_as_the_catalogue_values() -> None:
    facts = change(
        valid(LeaveType.PARENTAL),
        leave_type="PARENTAL",
        form="1/5",
        sector="private",
        worker_status="PRIVATE_WHITE_COLLAR",
        regime_12_months="three_quarters",
        months_of_contract_last_15=11,
        weekly_hours=30,
        reference_hours=38.0,
    )
    assert facts.form is LeaveForm.ONE_FIFTH and facts.sector is Sector.PRIVATE
    assert facts.reference_hours == Decimal(38)
    # The private-sector and full-time rules still apply to the plain values.
    assert {"parental.contract_insufficient", "regime.insufficient"} <= error_codes(check(facts))


def test_an_unknown_value_is_refused_when_the_facts_are_built() -> None:
    with pytest.raises(ValueError, match="moon"):
        valid(LeaveType.PARENTAL, sector="moon")
