"""The employment office in tests: offices, agents and supervisors as rows, and a filed request put
under review held by an agent directly (the work queue's *take charge* is not needed to test what
follows it)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from careerbreak.identity.acting import Acting
from careerbreak.identity.models import OfficeRole, User
from careerbreak.interruptions.models import LeaveRequest, StatusTransition
from careerbreak.interruptions.states import Actor, Status
from careerbreak.registries.identifiers import build_niss
from careerbreak.registries.models import Office
from tests.factories import user_for

AGENT_NISS = build_niss(datetime.date(1980, 1, 1), 11)
OTHER_AGENT_NISS = build_niss(datetime.date(1980, 1, 1), 13)
FOREIGN_AGENT_NISS = build_niss(datetime.date(1980, 1, 1), 15)
SUPERVISOR_NISS = build_niss(datetime.date(1975, 6, 1), 17)


def make_office(code: str = "BRU", name: str = "Bureau de Bruxelles") -> Office:
    return Office.objects.get_or_create(code=code, defaults={"names": {"fr": name, "nl": name, "en": name}})[
        0
    ]


def grant(niss: str, kind: str = OfficeRole.Kind.AGENT, office: Office | None = None) -> User:
    OfficeRole.objects.create(niss=niss, kind=kind, office=office)
    return user_for(niss)


def acting_office(user: User) -> Acting:
    role = OfficeRole.objects.active().filter(niss=user.niss).select_related("office").get()
    return Acting.for_office(user=user, role=role, assurance_level=500)


def office_world(leave_request: LeaveRequest) -> dict[str, Any]:
    """Two offices; the request belongs to the first and is held under review by its agent; a second
    agent of the same office, an agent of the other office and a supervisor."""
    office, other = make_office("BRU", "Bureau de Bruxelles"), make_office("LIE", "Bureau de Liège")
    agent = grant(AGENT_NISS, office=office)
    colleague = grant(OTHER_AGENT_NISS, office=office)
    foreign = grant(FOREIGN_AGENT_NISS, office=other)
    supervisor = grant(SUPERVISOR_NISS, kind=OfficeRole.Kind.SUPERVISOR)
    put_under_review(leave_request, agent, office=office)
    return {
        "office": office,
        "other_office": other,
        "agent": agent,
        "colleague": colleague,
        "foreign": foreign,
        "supervisor": supervisor,
        "request": leave_request,
    }


def put_under_review(leave_request: LeaveRequest, agent: User, *, office: Office) -> None:
    """COMPLETE then UNDER_REVIEW held by ``agent``, with the transition rows the dashboard reads."""
    StatusTransition.objects.create(
        request=leave_request, from_status=leave_request.status, to_status=Status.COMPLETE, actor=Actor.WORKER
    )
    StatusTransition.objects.create(
        request=leave_request,
        from_status=Status.COMPLETE,
        to_status=Status.UNDER_REVIEW,
        actor=Actor.OFFICE,
        actor_niss=agent.niss,
    )
    LeaveRequest.objects.filter(pk=leave_request.pk).update(
        status=Status.UNDER_REVIEW,
        office=office,
        assigned_to=agent,
    )
    leave_request.refresh_from_db()


def office_client(login_as: Any, niss: str, language: str = "fr") -> Client:
    from django.conf import settings

    client = login_as(niss, assurance_level=500)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def world(django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """Sophie's filed request (its PDF and eBox message delivered) under review in ``office_world``."""
    from tests.request_fixtures import file_sophie_s_leave

    with django_capture_on_commit_callbacks(execute=True):
        leave_request = file_sophie_s_leave()
    return office_world(leave_request)


def outsider(login_as: Any, who: str) -> Client:
    """A client for each outsider of the office's and the worker's pages."""
    from careerbreak.demo import data as demo_data

    if who == "anonymous":
        return Client()
    if who == "employer":
        return login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    if who == "worker":
        return login_as(demo_data.SOPHIE_LAMBERT_NISS)
    if who == "other_worker":
        return login_as(demo_data.JEAN_DUBOIS_NISS)
    niss = {"agent": AGENT_NISS, "foreign_agent": FOREIGN_AGENT_NISS}[who]
    return office_client(login_as, niss)
