"""The worker's pages: requests, Mon eBox and its documents, notices; each refused to everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.mailbox.models import EboxMessage
from careerbreak.mailbox.services import message_enqueue
from tests.factories import demo_cast
from tests.request_fixtures import file_sophie_s_leave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def filed(db: None, django_capture_on_commit_callbacks: Any) -> LeaveRequest:
    """As the shared one, with the eBox message to Sophie sent on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return file_sophie_s_leave()


def test_an_anonymous_visitor_is_sent_to_the_login(client: Client) -> None:
    for name in ["worker:home", "worker:ebox", "worker:notice_new"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("identity:login"))


def test_sophie_sees_the_request_filed_for_her_and_the_message_in_her_ebox(
    filed: LeaveRequest, login_as: Any
) -> None:
    sophie = login_as(demo_data.SOPHIE_LAMBERT_NISS, assurance_level=450)
    home = sophie.get(reverse("worker:home")).content.decode()
    assert filed.ticket in home
    assert "Boulangerie Dubois" in home
    message = EboxMessage.objects.get(recipient_niss=demo_data.SOPHIE_LAMBERT_NISS, reference=filed.ticket)
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
    read = AuditEvent.objects.get(action="careerbreak.message.read")
    downloaded = AuditEvent.objects.get(action="careerbreak.document.downloaded")
    assert read.subject_niss == downloaded.subject_niss == demo_data.SOPHIE_LAMBERT_NISS
    assert downloaded.actor_niss == demo_data.SOPHIE_LAMBERT_NISS and downloaded.object_id == str(message.pk)


def test_nobody_else_can_open_sophie_s_messages_or_documents(filed: LeaveRequest, login_as: Any) -> None:
    message = EboxMessage.objects.get(recipient_niss=demo_data.SOPHIE_LAMBERT_NISS)
    for niss in (demo_data.MARC_PEETERS_NISS, demo_data.JEAN_DUBOIS_NISS):
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
    sophie = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    assert sophie.get(reverse("worker:ebox_message", args=["not-a-uuid"])).status_code == 404


def test_a_message_without_document_has_no_document_link(
    db: None, login_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    demo_cast()
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message_enqueue(
            channel="ebox",
            recipient_niss=demo_data.SOPHIE_LAMBERT_NISS,
            kind="info",
            reference="x",
            version=1,
            subjects={"fr": "Bonjour"},
            bodies={"fr": "Texte"},
            language="fr",
        )
    message = EboxMessage.objects.get(recipient_niss=demo_data.SOPHIE_LAMBERT_NISS)
    sophie = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    page = sophie.get(reverse("worker:ebox_message", args=[message.pk])).content.decode()
    assert reverse("worker:ebox_attachment", args=[message.pk]) not in page
    assert sophie.get(reverse("worker:ebox_attachment", args=[message.pk])).status_code == 404
