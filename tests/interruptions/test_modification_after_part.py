"""A modification of the employer part after the worker sent their part (ADR 0014): nothing re-opens, the
worker is told in the eBox what changed (old → new, in their language) and their page of the request shows
it; the audit tells the office that the part was certified on an earlier version."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.interruptions import services
from careerbreak.interruptions.changes import version_changes
from careerbreak.interruptions.models import Draft, LeaveRequest, WorkerPart
from careerbreak.interruptions.states import Status
from careerbreak.mailbox.models import OutboxMessage
from careerbreak.registries.models import Enterprise, Person
from tests.factories import acting_for
from tests.interruptions.test_worker_part import answer_all, sophie
from tests.request_fixtures import TODAY, confirm, file_sophie_s_leave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

__all__ = ["sophie"]  # the fixture, used by name


@pytest.fixture
def filed() -> LeaveRequest:
    return file_sophie_s_leave()


def modify(leave_request: LeaveRequest, **leave: Any) -> LeaveRequest:
    """Jean Dubois modifies the request with these step-6 values, the next day."""
    with time_machine.travel(TODAY + datetime.timedelta(days=1), tick=False):
        return _modify(leave_request, **leave)


def _modify(leave_request: LeaveRequest, **leave: Any) -> LeaveRequest:
    jean = User.objects.get(niss=demo_data.JEAN_DUBOIS_NISS)
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    draft = services.draft_start_modification(acting=acting_for(jean, bakery), ticket=leave_request.ticket)
    Draft.objects.filter(pk=draft.pk).update(
        step=7, data={**draft.data, "leave": {**draft.data["leave"], **leave}}
    )
    return confirm(jean, bakery, Draft.objects.get(pk=draft.pk))


def complete(leave_request: LeaveRequest, acting: Any) -> WorkerPart:
    from careerbreak.interruptions import worker_part

    answer_all(acting, leave_request.ticket)
    worker_part.worker_part_submit(acting=acting, ticket=leave_request.ticket, certified=True)
    return WorkerPart.objects.get(request=leave_request)


def modification_message(leave_request: LeaveRequest) -> OutboxMessage:
    return OutboxMessage.objects.get(
        kind="employer_part", channel="ebox", version=2, reference=leave_request.ticket
    )


def test_version_changes_lists_only_what_differs_old_to_new() -> None:
    old = {"form": "1/5", "start_date": "2027-02-01", "end_date": "2027-06-30", "details": {}}
    new = {**old, "end_date": "2027-05-31"}
    from django.utils import translation

    with translation.override("en"):
        changes = version_changes(old, new)
    assert [(c.label, c.old, c.new) for c in changes] == [("End date", "30 June 2027", "31 May 2027")]
    assert version_changes(old, dict(old)) == []


def test_a_modification_after_the_part_reopens_nothing_and_tells_the_worker_what_changed(
    filed: LeaveRequest, sophie: Any
) -> None:
    part = complete(filed, sophie)
    Person.objects.filter(niss=filed.worker.niss).update(language="nl")
    modify(filed, start="2027-03-01", end="2027-07-31")
    filed.refresh_from_db()
    assert filed.status == Status.COMPLETE
    again = WorkerPart.objects.get(request=filed)
    assert (again.submitted_at, again.data) == (part.submitted_at, part.data)
    message = modification_message(filed)
    assert message.language == "nl"
    assert "Einddatum: 30 juni 2027 → 31 juli 2027" in message.body
    assert "1 februari 2027 → 1 maart 2027" in message.body
    assert "30 juin 2027 → 31 juillet 2027" in message.bodies["fr"]
    assert "End date: 30 June 2027 → 31 July 2027" in message.bodies["en"]
    assert "Vorm van de onderbreking" not in message.body  # unchanged fields are not listed
    assert "niet opnieuw te bevestigen" in message.body
    event = AuditEvent.objects.get(action="careerbreak.request.modified")
    assert event.data["worker_part_complete"] is True


def test_before_the_part_the_message_lists_the_changes_without_the_part_sentence(filed: LeaveRequest) -> None:
    modify(filed, start="2027-03-01", end="2027-07-31")
    body = modification_message(filed).bodies["en"]
    assert "End date: 30 June 2027 → 31 July 2027" in body
    assert "already sent your part" not in body
    assert AuditEvent.objects.get(action="careerbreak.request.modified").data["worker_part_complete"] is False


def test_the_worker_s_page_of_the_request_shows_what_changed_since_their_part(
    filed: LeaveRequest, sophie: Any, login_as: Any
) -> None:
    complete(filed, sophie)
    url = reverse("worker:part_request", args=[filed.slug])
    client = login_as(demo_data.SOPHIE_LAMBERT_NISS, assurance_level=450)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Changed by your employer" not in html.unescape(client.get(url).content.decode())
    modify(filed, start="2027-03-01", end="2027-07-31")
    page = html.unescape(client.get(url).content.decode())
    assert "Changed by your employer after you sent your part" in page
    assert "30 June 2027" in page and "31 July 2027" in page
    assert "you do not need to confirm it again" in page
