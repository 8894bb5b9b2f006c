"""Administrators see failed messages and send them again; nobody else reaches those pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.identity.models import User
from careerbreak.mailbox.models import EboxMessage, OutboxMessage, OutboxStatus
from tests.mailbox.conftest import Enqueue

CHANGELIST = "admin:mailbox_outboxmessage_changelist"


@pytest.fixture
def failed(enqueue: Enqueue) -> OutboxMessage:
    message = enqueue(deliver=False)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, attempts=8, last_error="eBox answered 400: recipient unknown"
    )
    return message


@pytest.fixture
def admin_client_(db: None) -> Client:
    admin = User.objects.create_superuser("71070100118", is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    return client


def test_a_failed_message_is_listed_with_its_error_under_the_failed_filter(
    failed: OutboxMessage, admin_client_: Client
) -> None:
    response = admin_client_.get(reverse(CHANGELIST), {"status__exact": "failed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026/00000001/51" in page
    assert "eBox answered 400: recipient unknown" in page
    assert response.context["cl"].result_count == 1
    assert 'value="retry"' in page
    delivered = admin_client_.get(reverse(CHANGELIST), {"status__exact": "delivered"})
    assert delivered.context["cl"].result_count == 0
    by_channel = admin_client_.get(reverse(CHANGELIST), {"channel__exact": "ebox"})
    assert by_channel.context["cl"].result_count == 1


def test_the_detail_page_of_a_message_opens(failed: OutboxMessage, admin_client_: Client) -> None:
    response = admin_client_.get(reverse("admin:mailbox_outboxmessage_change", args=[failed.pk]))
    assert response.status_code == 200
    assert "recipient unknown" in response.content.decode()


def test_the_retry_action_sends_a_failed_message_again(
    failed: OutboxMessage, admin_client_: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse(CHANGELIST), {"action": "retry", "_selected_action": [str(failed.pk)]}, follow=True
        )
    assert response.status_code == 200
    assert "1 message will be sent again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.DELIVERED
    assert failed.attempts == 1
    assert EboxMessage.objects.count() == 1
    event = AuditEvent.objects.get(action="careerbreak.message.retried")
    assert event.actor_niss == "71070100118"


def test_the_retry_action_leaves_delivered_messages_alone(enqueue: Enqueue, admin_client_: Client) -> None:
    delivered = enqueue()
    response = admin_client_.post(
        reverse(CHANGELIST), {"action": "retry", "_selected_action": [str(delivered.pk)]}, follow=True
    )
    assert "1 message was left alone" in response.content.decode()
    delivered.refresh_from_db()
    assert delivered.status == OutboxStatus.DELIVERED
    assert not AuditEvent.objects.filter(action="careerbreak.message.retried").exists()


def test_a_user_who_is_not_staff_is_refused(failed: OutboxMessage, db: None) -> None:
    worker = User.objects.create_user("90061512202")
    client = Client()
    client.force_login(worker)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    response = client.post(reverse(CHANGELIST), {"action": "retry", "_selected_action": [str(failed.pk)]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.FAILED


def test_an_anonymous_visitor_is_sent_to_the_login_page(failed: OutboxMessage, client: Client) -> None:
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_the_retry_permission_cannot_retry(failed: OutboxMessage, db: None) -> None:
    from django.contrib.auth.models import Permission

    clerk = User.objects.create_user("81110324486", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    client = Client()
    client.force_login(clerk)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert 'value="retry"' not in response.content.decode()
    response = client.post(reverse(CHANGELIST), {"action": "retry", "_selected_action": [str(failed.pk)]})
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.FAILED
