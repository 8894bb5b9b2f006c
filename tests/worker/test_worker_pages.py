"""The worker's pages: requests, Mon eBox and its documents, notices; each refused to everyone else."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.demo.data import (
    BOULANGERIE_DUBOIS_NUMBER,
    JEAN_DUBOIS_NISS,
    MARC_PEETERS_NISS,
    SOPHIE_LAMBERT_NISS,
)
from careerbreak.identity.models import User
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.mailbox.models import EboxMessage
from careerbreak.mailbox.services import message_enqueue
from careerbreak.registries.models import Enterprise
from tests.factories import demo_cast
from tests.request_fixtures import TODAY, confirm, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def filed(db: None, django_capture_on_commit_callbacks: Any) -> LeaveRequest:
    demo_cast()
    jean = User.objects.create_user(JEAN_DUBOIS_NISS, first_name="Jean", last_name="Dubois")
    bakery = Enterprise.objects.get(number=BOULANGERIE_DUBOIS_NUMBER)
    with django_capture_on_commit_callbacks(execute=True):
        return confirm(jean, bakery, make_draft(jean, bakery))


def test_an_anonymous_visitor_is_sent_to_the_login(client: Client) -> None:
    for name in ["worker:home", "worker:ebox", "worker:notice_new"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("identity:login"))


def test_sophie_sees_the_request_filed_for_her_and_the_message_in_her_ebox(
    filed: LeaveRequest, login_as: Any
) -> None:
    sophie = login_as(SOPHIE_LAMBERT_NISS, assurance_level=450)
    home = sophie.get(reverse("worker:home")).content.decode()
    assert filed.ticket in home
    assert "Boulangerie Dubois" in home
    message = EboxMessage.objects.get(recipient_niss=SOPHIE_LAMBERT_NISS, reference=filed.ticket)
    ebox = sophie.get(reverse("worker:ebox")).content.decode()
    assert reverse("worker:ebox_message", args=[message.pk]) in ebox
    page = sophie.get(reverse("worker:ebox_message", args=[message.pk])).content.decode()
    assert filed.ticket in page
    message.refresh_from_db()
    assert message.read_at is not None
    pdf = sophie.get(reverse("worker:ebox_attachment", args=[message.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # Reading the message and downloading its document are on the record of the person concerned.
    read = AuditEvent.objects.get(action="ebox.message_read")
    downloaded = AuditEvent.objects.get(action="document.downloaded")
    assert read.subject_niss == downloaded.subject_niss == SOPHIE_LAMBERT_NISS
    assert downloaded.actor_niss == SOPHIE_LAMBERT_NISS and downloaded.object_id == str(message.pk)


def test_nobody_else_can_open_sophie_s_messages_or_documents(filed: LeaveRequest, login_as: Any) -> None:
    message = EboxMessage.objects.get(recipient_niss=SOPHIE_LAMBERT_NISS)
    for niss in (MARC_PEETERS_NISS, JEAN_DUBOIS_NISS):
        other = login_as(niss)
        assert (
            reverse("worker:ebox_message", args=[message.pk])
            not in other.get(reverse("worker:ebox")).content.decode()
        )
        assert other.get(reverse("worker:ebox_message", args=[message.pk])).status_code == 404
        assert other.get(reverse("worker:ebox_attachment", args=[message.pk])).status_code == 404
        assert filed.ticket not in other.get(reverse("worker:home")).content.decode()
    message.refresh_from_db()
    assert message.read_at is None


def test_a_malformed_message_id_is_not_found(filed: LeaveRequest, login_as: Any) -> None:
    sophie = login_as(SOPHIE_LAMBERT_NISS)
    assert sophie.get(reverse("worker:ebox_message", args=["not-a-uuid"])).status_code == 404


def test_a_message_without_document_has_no_document_link(
    db: None, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    demo_cast()
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message_enqueue(
            channel="ebox",
            recipient_niss=SOPHIE_LAMBERT_NISS,
            kind="info",
            reference="x",
            version=1,
            subjects={"fr": "Bonjour"},
            bodies={"fr": "Texte"},
            language="fr",
        )
    message = EboxMessage.objects.get(recipient_niss=SOPHIE_LAMBERT_NISS)
    sophie = login_as(SOPHIE_LAMBERT_NISS)
    page = sophie.get(reverse("worker:ebox_message", args=[message.pk])).content.decode()
    assert reverse("worker:ebox_attachment", args=[message.pk]) not in page
    assert sophie.get(reverse("worker:ebox_attachment", args=[message.pk])).status_code == 404
