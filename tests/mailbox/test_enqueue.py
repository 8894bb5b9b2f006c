"""Enqueueing: a message is a row written in the caller's transaction, delivered only once it commits."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from careerbreak.mailbox.models import EboxMessage, OutboxMessage, OutboxStatus
from careerbreak.mailbox.services import TransactionRequired, message_enqueue
from tests.mailbox.conftest import Enqueue, message_fields

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_enqueueing_outside_a_transaction_is_refused_and_writes_nothing() -> None:
    with pytest.raises(TransactionRequired):
        message_enqueue(**message_fields())
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_message_enqueued_in_a_transaction_is_delivered_once_it_commits() -> None:
    with transaction.atomic():
        message = message_enqueue(**message_fields())
        # Nothing leaves before the commit: the change that causes the message may still roll back.
        assert EboxMessage.objects.count() == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert EboxMessage.objects.filter(outbox_message_id=message.id).count() == 1


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_message_and_delivers_nothing() -> None:
    from django_tasks import default_task_backend

    with override_settings(TASKS=DUMMY_TASKS):
        with pytest.raises(Boom), transaction.atomic():
            message_enqueue(**message_fields())
            raise Boom
        assert default_task_backend.results == []  # type: ignore[attr-defined]
    assert OutboxMessage.objects.count() == 0
    assert EboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_delivery_task_is_enqueued_with_the_message_id_on_commit() -> None:
    from django_tasks import default_task_backend

    with override_settings(TASKS=DUMMY_TASKS):
        with transaction.atomic():
            message = message_enqueue(**message_fields())
            assert default_task_backend.results == []  # type: ignore[attr-defined]
        results = default_task_backend.results  # type: ignore[attr-defined]
        assert [r.args for r in results] == [[str(message.id)]]
        assert results[0].task.name == "deliver_message"


def test_the_same_version_enqueued_twice_is_one_message(enqueue: Enqueue) -> None:
    first = enqueue()
    second = enqueue()
    assert first.id == second.id
    assert OutboxMessage.objects.count() == 1
    assert EboxMessage.objects.count() == 1


def test_a_new_version_of_the_same_request_is_a_new_message(enqueue: Enqueue) -> None:
    enqueue(version=1)
    enqueue(version=2)
    assert EboxMessage.objects.filter(reference="2026/00000001/51").count() == 2


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"language": "it"}, "language"),
        ({"subjects": {"nl": "Onderwerp"}}, "recipient's language"),
        ({"bodies": {"fr": "Corps", "xx": "?"}}, "unknown languages"),
        ({"recipient_niss": "123"}, "national number"),
        ({"channel": "email", "recipient_email": ""}, "address"),
        ({"attachment_provider": "", "attachment_key": "k"}, "attachment_provider"),
    ],
)
@pytest.mark.django_db
def test_a_malformed_message_is_refused_in_the_callers_transaction(
    overrides: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint), transaction.atomic():
        message_enqueue(**message_fields(**overrides))
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_an_attachment_provider_that_does_not_exist_is_refused_when_enqueueing() -> None:
    with pytest.raises(ImportError), transaction.atomic():
        message_enqueue(**message_fields(attachment_provider="tests.mailbox.attachments.nowhere"))
