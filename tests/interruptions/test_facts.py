"""From a draft to the facts: every Dimona period with the employer reaches the rules (issue 11, point 4)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.interruptions.drafts import DraftData, LeaveData, TypeChoice, WorkerChoice
from careerbreak.interruptions.facts import build_facts, worker_and_employment
from careerbreak.interruptions.models import Draft
from careerbreak.interruptions.rules.base import EmploymentPeriod
from careerbreak.interruptions.step_forms import LeaveDataForm, leave_form_data, leave_form_shape
from careerbreak.interruptions.types import LeaveType
from careerbreak.registries.models import Employment, Enterprise, Person
from tests.api.conftest import BODY
from tests.factories import EmploymentFactory, LeaveRequestFactory, PersonFactory, demo_cast
from tests.request_fixtures import make_draft

TODAY = datetime.date(2026, 11, 27)


def _jean_bakery_sophie() -> tuple[User, Enterprise, Person]:
    """The demo's cast: Jean Dubois (a user), his bakery, and Sophie Lambert who works there."""
    demo_cast()
    return (
        User.objects.create_user(demo_data.JEAN_DUBOIS_NISS),
        Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER),
        Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS),
    )


@pytest.mark.django_db
def test_the_facts_hold_every_dimona_period_of_the_worker_with_the_employer() -> None:
    jean, bakery, sophie = _jean_bakery_sophie()
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
    jean, bakery, sophie = _jean_bakery_sophie()
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


@pytest.mark.django_db
def test_the_facts_of_a_content_handed_typed_are_those_read_from_its_json() -> None:
    # The API's filing hands build_facts the content its forms cleaned (ADR 0042), where it wrote it into
    # a draft's JSON and read it back before: the same facts, to the last decimal.
    jean, bakery, sophie = _jean_bakery_sophie()
    employment = Employment.objects.get(employer=bakery, worker=sophie)
    shape = leave_form_shape(
        LeaveType.PARENTAL, sector=bakery.sector, reference_headcount=bakery.reference_headcount
    )
    for leave in (
        {
            **BODY["leave"],
            "hours_during_leave": "30.40",
            "notice_date": "2026-11-20",
            "months_of_contract_last_15": 14.5,
        },
        {
            **BODY["leave"],
            "form": "half",
            "hours_during_leave": 19,
            "child_disabled": True,
            "end": "31/05/2027",
        },
    ):
        with translation.override("en"):
            form = LeaveDataForm(
                leave_form_data(shape, leave),
                leave_type=LeaveType.PARENTAL,
                sector=bakery.sector,
                reference_headcount=bakery.reference_headcount,
                copy_fields=False,
            )
            assert form.is_valid(), form.errors
        content = DraftData(
            worker=WorkerChoice(niss=sophie.niss, status="PRIVATE_WHITE_COLLAR", joint_committee="118"),
            type=TypeChoice(leave_type=LeaveType.PARENTAL),
            leave=LeaveData.from_json(form.relevant_values()),
        )
        typed = build_facts(
            Draft(owner=jean, enterprise=bakery, step=7),
            today=TODAY,
            person=sophie,
            employment=employment,
            content=content,
        )
        stored = Draft(owner=jean, enterprise=bakery, step=7, data=content.to_json())
        assert typed == build_facts(stored, today=TODAY, person=sophie, employment=employment)
        assert typed.hours_during_leave == content.leave.hours_during_leave  # type: ignore[union-attr]
