"""From a draft to the facts: every Dimona period with the employer reaches the rules (issue 11, point 4)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.interruptions.facts import build_facts, worker_and_employment
from careerbreak.interruptions.rules.base import EmploymentPeriod
from careerbreak.registries.models import Employment, Enterprise, Person
from tests.factories import EmploymentFactory, LeaveRequestFactory, PersonFactory, demo_cast
from tests.request_fixtures import make_draft

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.django_db
def test_the_facts_hold_every_dimona_period_of_the_worker_with_the_employer() -> None:
    demo_cast()
    jean = User.objects.create_user(demo_data.JEAN_DUBOIS_NISS)
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    sophie = Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS)
    current = Employment.objects.get(employer=bakery, worker=sophie)
    earlier = EmploymentFactory(
        employer=bakery,
        worker=sophie,
        start_date=current.start_date - datetime.timedelta(days=800),
        end_date=current.start_date - datetime.timedelta(days=400),
    )
    EmploymentFactory(worker=sophie, start_date=datetime.date(2001, 1, 1))  # another employer: not counted
    draft = make_draft(jean, bakery)
    person, employment = worker_and_employment(draft, today=TODAY)
    assert person == sophie and employment == current
    facts = build_facts(draft, today=TODAY, person=sophie, employment=employment)
    assert facts.employment_periods == (
        EmploymentPeriod(earlier.start_date, earlier.end_date),
        EmploymentPeriod(current.start_date, current.end_date),
    )
    assert facts.employment_start == current.start_date


@pytest.mark.django_db
def test_a_stored_request_keeps_the_findings_it_was_confirmed_with(filed: Any) -> None:
    """Issue 11: the rules changed; a request already filed is not judged again (its findings are stored)."""
    stored = list(filed.findings)
    version_findings = [list(version.findings) for version in filed.versions.all()]
    Enterprise.objects.filter(pk=filed.enterprise_id).update(reference_headcount=None)
    again = type(filed).objects.get(pk=filed.pk)
    assert again.findings == stored
    assert [list(version.findings) for version in again.versions.all()] == version_findings
    assert {finding["code"] for finding in again.findings}.isdisjoint({"notice.headcount_unknown"})


@pytest.mark.django_db
def test_the_workers_on_time_credit_are_read_only_for_a_request_that_counts_towards_the_threshold(
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    # The threshold rule, the only reader of the count, skips a request that does not count (ADR 0040).
    demo_cast()
    jean = User.objects.create_user(demo_data.JEAN_DUBOIS_NISS)
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    sophie = Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS)
    colleague = PersonFactory()
    LeaveRequestFactory(
        ticket="2026/00009001/01",
        worker=colleague,
        enterprise=bakery,
        leave_type="TC_TRAINING",
        form="1/5",
        status="approved",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        certified_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
    )
    draft = make_draft(jean, bakery)
    employment = Employment.objects.get(employer=bakery, worker=sophie)
    parental = build_facts(draft, today=TODAY, person=sophie, employment=employment)
    assert parental.workers_on_time_credit is None
    draft.data = {**draft.data, "type": {"leave_type": "TC_TRAINING", "kind": "new", "related_ticket": ""}}
    draft.save()
    draft.refresh_from_db()
    training = build_facts(draft, today=TODAY, person=sophie, employment=employment)
    assert training.workers_on_time_credit == 1
    assert training.employment_periods == parental.employment_periods
