"""The rules' reads in one statement (ADR 0046) answer what the reads they replace answer, one by one."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.test import override_settings

from careerbreak.interruptions.selectors import prior_periods_and_time_credit, rule_reads
from careerbreak.registries.headcounts import headcount_for
from careerbreak.registries.models import Enterprise, EnterpriseHeadcount, Person, PriorLeave
from careerbreak.registries.sources import LocalDimona, dimona, is_local, reset_sources
from tests.factories import EmploymentFactory, EnterpriseFactory, PersonFactory
from tests.interruptions.rules.calendar import START, D
from tests.interruptions.test_threshold_count import Case, requests_of

pytestmark = pytest.mark.django_db

TODAY = D(2026, 9, 15)


class RemoteDimona(LocalDimona):
    """Stands for a remote Dimona: not the local class itself, so its tables are not read along."""


@pytest.fixture(autouse=True)
def fresh_sources() -> Iterator[None]:
    reset_sources()
    yield
    reset_sources()


def _worker_and_enterprise() -> tuple[Person, Enterprise]:
    enterprise, elsewhere = EnterpriseFactory(reference_headcount=100), EnterpriseFactory()
    worker, colleague, child = (
        PersonFactory(birth_date=D(1980, 1, 1)),
        PersonFactory(birth_date=D(1985, 1, 1)),
        PersonFactory(birth_date=D(2020, 5, 1)),
    )
    cases: list[Case] = [
        (worker, enterprise, "TC_TRAINING", "1/5", "awaiting_worker", D(2026, 1, 1)),
        (worker, elsewhere, "PARENTAL", "1/5", "awaiting_worker", D(2025, 1, 1)),
        (worker, enterprise, "TC_TRAINING", "1/5", "cancelled", D(2026, 2, 1)),
        (worker, elsewhere, "TC_TRAINING", "half", "approved", D(2025, 1, 1)),  # the same start: in order
        (colleague, enterprise, "TC_TRAINING", "half", "awaiting_worker", D(2026, 1, 1)),
        (colleague, enterprise, "TC_TRAINING", "half", "refused", D(2026, 2, 1)),
    ]
    requests_of(cases, series=2, details={"child_niss": child.niss})
    history = [
        ("PARENTAL", "full", D(2021, 1, 1), child, elsewhere),
        ("PARENTAL", "half", D(2022, 1, 1), None, None),
        ("OLD_SCHEME", "full", D(2010, 1, 1), None, enterprise),  # a legacy code: not counted
        ("TC_TRAINING", "1/5", D(2025, 1, 1), None, enterprise),  # the start of a request's too
    ]
    for leave_type, form, start, subject, employer in history:
        PriorLeave.objects.create(
            worker=worker,
            leave_type=leave_type,
            form=form,
            start_date=start,
            end_date=start + datetime.timedelta(days=90),
            subject=subject,
            employer=employer,
        )
    PriorLeave.objects.create(  # another worker's
        worker=colleague, leave_type="PARENTAL", form="full", start_date=D(2021, 1, 1), end_date=D(2021, 2, 1)
    )
    EnterpriseHeadcount.objects.create(enterprise=enterprise, year=2024, headcount=80)
    for person, start, end in [
        (worker, D(2015, 1, 1), None),
        (worker, D(2010, 1, 1), D(2014, 12, 31)),  # the same worker again: counted once
        (colleague, D(2020, 1, 1), D(2026, 9, 15)),  # ends today: counted
        (child, D(2026, 9, 16), None),  # starts tomorrow: not counted
        (PersonFactory(), D(2019, 1, 1), D(2026, 9, 14)),  # ended yesterday: not counted
    ]:
        EmploymentFactory(employer=enterprise, worker=person, start_date=start, end_date=end)
    EmploymentFactory(worker=PersonFactory())  # another enterprise's
    return worker, enterprise


@pytest.mark.parametrize("time_credit", [False, True], ids=["not-counted", "counted"])
@pytest.mark.parametrize("year", [2024, 2025, 2023], ids=["confirmed", "registry", "unknown"])
def test_the_rules_reads_in_one_statement_answer_what_each_read_answers(
    time_credit: bool,
    year: int,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    worker, enterprise = _worker_and_enterprise()
    apart = (
        prior_periods_and_time_credit(
            worker=worker, enterprise=enterprise, on=START, time_credit=time_credit
        ),
        headcount_for(enterprise, year=year, today=TODAY),
        dimona().workers_under_contract(enterprise, on=TODAY),
    )
    assert len(apart[0][0]) == 6 and apart[2] == 2
    assert apart[0][1] == (2 if time_credit else None)
    assert apart[1] == {2024: 80, 2025: 100, 2023: None}[year]

    def read() -> tuple[object, ...]:
        found = rule_reads(
            worker=worker,
            enterprise=enterprise,
            on=START,
            today=TODAY,
            headcount_year=year,
            time_credit=time_credit,
        )
        return (
            (found.prior_periods, found.workers_on_time_credit),
            found.reference_headcount,
            found.workers_under_contract,
        )

    # One statement; the enterprise's time credits, when the request counts, a second (never prepared).
    with django_assert_num_queries(2 if time_credit else 1):
        assert read() == apart
    # With a remote Dimona, each read as its source answers it: the same answers.
    with override_settings(REGISTRY_SOURCES={"dimona": f"{__name__}.RemoteDimona"}):
        reset_sources()
        assert not is_local("dimona") and is_local("leave_history")
        with django_assert_num_queries(4):
            assert read() == apart


def test_a_person_the_national_register_answers_unsaved_still_has_their_earlier_leaves_read() -> None:
    # A remote national register answers a Person not saved here (no id): their history is read by their
    # number, as ``earlier_leaves`` reads it; they have no requests here.
    worker, enterprise = _worker_and_enterprise()
    remote = Person(niss=worker.niss, first_name="Remote", last_name="Person", birth_date=worker.birth_date)
    found = rule_reads(
        worker=remote, enterprise=enterprise, on=START, today=TODAY, headcount_year=2024, time_credit=False
    )
    apart = prior_periods_and_time_credit(worker=remote, enterprise=enterprise, on=START, time_credit=False)
    assert found.prior_periods == apart[0]
    assert [period.start for period in found.prior_periods] == [D(2021, 1, 1), D(2022, 1, 1), D(2025, 1, 1)]
