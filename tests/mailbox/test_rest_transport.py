"""The eBox REST transport against the fake eBox: tokens, idempotency, and how each failure is classed."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from careerbreak.core.models import AuditEvent
from careerbreak.mailbox.models import OutboxMessage, OutboxStatus
from careerbreak.mailbox.services import deliver_due, message_deliver
from tests.mailbox.attachments import dummy_pdf
from tests.mailbox.conftest import SOPHIE_NISS, SUBJECTS, Enqueue
from tools.fake_ebox import FakeEbox


def deliver_when_due(message: OutboxMessage) -> None:
    """Just after the message's next attempt is due, deliver what is due; then read the message again."""
    with time_machine.travel(message.next_attempt_at + datetime.timedelta(seconds=1), tick=True):
        deliver_due()
    message.refresh_from_db()


def test_a_message_is_published_with_its_id_as_idempotency_key(enqueue: Enqueue, fake_ebox: FakeEbox) -> None:
    message = enqueue(language="de")

    assert message.status == OutboxStatus.DELIVERED
    [published] = fake_ebox.messages
    assert message.external_id == published.id
    assert published.idempotency_key == str(message.id)
    assert published.recipient == SOPHIE_NISS
    assert published.subject == SUBJECTS
    assert published.message["recipient"] == {"eboxType": "citizen", "eboxIdValue": SOPHIE_NISS}
    assert {"key": "language", "value": "de"} in published.message["businessData"]
    filename, content, content_type = dummy_pdf("2026/00000001/51")
    [attachment] = published.attachments
    assert (attachment["filename"], attachment["content"], attachment["mediaType"]) == (
        filename,
        content,
        content_type,
    )
    assert fake_ebox.stats()["received"] == 1


def test_one_token_serves_many_messages_until_it_expires(enqueue: Enqueue, fake_ebox: FakeEbox) -> None:
    for version in (1, 2, 3):
        enqueue(version=version)
    stats = fake_ebox.stats()
    assert stats["unique"] == 3
    assert stats["tokens_issued"] == 1


def test_a_token_refused_with_401_is_refreshed_once_and_the_message_delivered(
    enqueue: Enqueue, fake_ebox: FakeEbox
) -> None:
    enqueue(version=1)
    fake_ebox.expire_tokens()
    message = enqueue(version=2)

    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 1
    stats = fake_ebox.stats()
    assert (stats["unauthorized"], stats["tokens_issued"], stats["unique"]) == (1, 2, 2)


def test_a_409_duplicate_counts_as_delivered(enqueue: Enqueue, fake_ebox: FakeEbox) -> None:
    message = enqueue()
    # As if the outcome had been lost: the row says pending, the eBox already has it.
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING, external_id="")

    assert message_deliver(message_id=message.id) == "delivered"
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert message.external_id == fake_ebox.messages[0].id
    stats = fake_ebox.stats()
    assert (stats["received"], stats["unique"], stats["duplicates"]) == (2, 1, 1)


def test_503s_are_retried_later_and_later_then_the_message_is_delivered_exactly_once(
    enqueue: Enqueue, fake_ebox: FakeEbox
) -> None:
    fake_ebox.fail_next(3, status=503)
    started = timezone.now()
    message = enqueue()

    waits = []
    for attempt in (1, 2, 3):
        assert message.status == OutboxStatus.PENDING
        assert message.attempts == attempt
        assert "503" in message.last_error
        waits.append(message.next_attempt_at)
        # Not due yet: nothing is sent.
        assert deliver_due() == {}
        deliver_when_due(message)

    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 4
    assert message.last_error == ""
    delays = [(b - a).total_seconds() for a, b in zip([started, *waits], waits, strict=False)]
    assert delays[0] >= 15
    assert delays[0] <= delays[1] <= delays[2]
    stats = fake_ebox.stats()
    assert (stats["requests"], stats["injected_failures"], stats["received"], stats["unique"]) == (4, 3, 1, 1)


def test_a_timeout_is_transient_and_the_retry_is_kept_once(
    enqueue: Enqueue, fake_ebox: FakeEbox, settings: Any
) -> None:
    settings.EBOX_TIMEOUT = 0.3
    fake_ebox.delay_next(1, seconds=1.0)
    message = enqueue()

    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "in time" in message.last_error
    deliver_when_due(message)
    assert message.status == OutboxStatus.DELIVERED
    # The slow request was handled in the end too: the eBox keeps one of the two.
    deadline = time.monotonic() + 5
    while fake_ebox.stats()["received"] < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    stats = fake_ebox.stats()
    assert (stats["received"], stats["unique"], stats["duplicates"]) == (2, 1, 1)


def test_an_ebox_that_cannot_be_reached_is_a_transient_failure(enqueue: Enqueue, settings: Any) -> None:
    with FakeEbox() as gone:
        url, token_url = gone.api_url, gone.token_url
    settings.MAILBOX_TRANSPORT = "rest"
    settings.EBOX_API_URL, settings.EBOX_TOKEN_URL = url, token_url
    settings.EBOX_CLIENT_ID, settings.EBOX_CLIENT_SECRET = "x", "y"

    message = enqueue()
    assert message.status == OutboxStatus.PENDING
    assert "unreachable" in message.last_error


def test_wrong_client_credentials_keep_the_message_for_later(
    enqueue: Enqueue, fake_ebox: FakeEbox, settings: Any
) -> None:
    settings.EBOX_CLIENT_SECRET = "not-the-secret"
    message = enqueue()
    assert message.status == OutboxStatus.PENDING
    assert "token endpoint answered 401" in message.last_error
    assert fake_ebox.stats()["requests"] == 0


def test_a_400_is_permanent_and_the_message_failed(enqueue: Enqueue, fake_ebox: FakeEbox) -> None:
    fake_ebox.fail_next(1, status=400)
    message = enqueue()

    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert "400" in message.last_error
    assert deliver_due() == {}
    event = AuditEvent.objects.get(action="careerbreak.message.failed")
    assert event.object_id == str(message.id)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 504])
def test_statuses_that_mean_not_now_are_retried(enqueue: Enqueue, fake_ebox: FakeEbox, status: int) -> None:
    fake_ebox.fail_next(1, status=status)
    assert enqueue().status == OutboxStatus.PENDING


def test_after_the_last_allowed_attempt_the_message_failed(
    enqueue: Enqueue, fake_ebox: FakeEbox, settings: Any
) -> None:
    settings.MAILBOX_MAX_ATTEMPTS = 2
    fake_ebox.fail_next(5, status=503)
    message = enqueue()
    deliver_when_due(message)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 2
    assert message.last_error.startswith("Gave up after 2 attempts.")
    assert fake_ebox.stats()["requests"] == 2


def test_the_fake_ebox_refuses_a_publication_without_idempotency_key(fake_ebox: FakeEbox) -> None:
    import httpx

    token = httpx.post(
        fake_ebox.token_url,
        data={"grant_type": "client_credentials"},
        auth=(fake_ebox.client_id, fake_ebox.client_secret),
    ).json()["access_token"]
    message = {"recipient": {"eboxIdValue": SOPHIE_NISS}, "subject": {"fr": "x"}}
    response = httpx.post(
        f"{fake_ebox.api_url}/publishMessage",
        headers={"Authorization": f"Bearer {token}"},
        files={"messageToPublish": (None, json.dumps(message).encode(), "application/json")},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "missing_idempotency_key"
    assert httpx.get(f"{fake_ebox.base_url}/_stats").json()["rejected"] == 1
