"""The demo's request awaiting a worker part: Sophie Lambert's parental leave, filed by the bakery."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from careerbreak.demo import data as demo_data
from careerbreak.demo.requests import file_demo_request
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import User
from careerbreak.interruptions import worker_part
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.states import Status
from tests.factories import demo_cast

pytestmark = pytest.mark.django_db


def test_sophie_s_demo_request_awaits_her_part_and_can_be_sent_at_once_and_is_filed_once() -> None:
    demo_cast()
    today = datetime.date(2026, 12, 5)
    filed, created = file_demo_request(today)
    assert created
    assert filed.status == Status.AWAITING_WORKER
    assert filed.enterprise.number == demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert filed.start_date == datetime.date(2027, 3, 1)
    assert worker_part.sendable_from(filed.start_date) <= today
    again, created_again = file_demo_request(today)
    assert (again.pk, created_again) == (filed.pk, False)
    sophie = User.objects.create_user(demo_data.SOPHIE_LAMBERT_NISS)
    rows = worker_part.to_complete(acting=Acting.for_self(user=sophie, assurance_level=450), today=today)
    assert [row.request.pk for row in rows] == [filed.pk]


def test_the_command_files_it_unless_told_not_to() -> None:
    out = io.StringIO()
    call_command("load_demo_data", "--without-requests", stdout=out)
    assert not LeaveRequest.objects.exists()
    call_command("load_demo_data", stdout=out)
    filed = LeaveRequest.objects.get(worker__niss=demo_data.SOPHIE_LAMBERT_NISS)
    assert f"Demo request {filed.ticket}" in out.getvalue()
    assert "awaiting the worker" in out.getvalue()
