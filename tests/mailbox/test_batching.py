"""Several messages a delivery task (ADR 0029): queued together, claimed together, sent one by one,
recorded together; the outbox's guarantees hold for each message of the batch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careerbreak.core import taskqueue
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.models import AuditEvent
from careerbreak.mailbox import services
from careerbreak.mailbox.models import OutboxMessage, OutboxStatus
from careerbreak.mailbox.services import message_enqueue, messages_deliver
from careerbreak.mailbox.tasks import deliver_message
from tests.concurrency import needs_postgres, race
from tests.mailbox import attachments
from tests.mailbox.conftest import message_fields
from tools.fake_ebox import FakeEbox

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}

POSTGRES_ONLY = "row locks across connections and one UPDATE for a batch are PostgreSQL's"


class Boom(Exception):
    """Rolls a savepoint back."""


def enqueue_rolled_back(version: int) -> None:
    """message_enqueue in a savepoint that is rolled back."""
    with pytest.raises(Boom), transaction.atomic():
        message_enqueue(**message_fields(version=version))
        raise Boom


def create(count: int, **overrides: Any) -> list[OutboxMessage]:
    """Messages written directly: message_enqueue would deliver them on commit."""
    return [
        OutboxMessage.objects.create(**message_fields(version=v, **overrides)) for v in range(1, count + 1)
    ]


@pytest.mark.django_db(transaction=True)
def test_messages_written_in_one_transaction_are_queued_as_one_task_per_batch(settings: Any) -> None:
    from django_tasks import default_task_backend

    settings.MAILBOX_BATCH_SIZE = 2
    with override_settings(TASKS=DUMMY_TASKS):
        with transaction.atomic():
            messages = [message_enqueue(**message_fields(version=v)) for v in (1, 2, 3)]
        results = default_task_backend.results  # type: ignore[attr-defined]
        assert [r.args for r in results] == [
            [str(messages[0].id), str(messages[1].id)],
            [str(messages[2].id)],
        ]
        assert {r.task.name for r in results} == {"deliver_message"}
    noted = dict(OutboxMessage.objects.values_list("id", "task_id"))
    assert noted == {
        messages[0].id: str(results[0].id),
        messages[1].id: str(results[0].id),
        messages[2].id: str(results[1].id),
    }


@pytest.mark.django_db(transaction=True)
def test_a_message_of_a_rolled_back_savepoint_is_not_sent_and_the_others_of_its_batch_are() -> None:
    from django_tasks import default_task_backend

    with override_settings(TASKS=DUMMY_TASKS):
        with transaction.atomic():
            kept = message_enqueue(**message_fields(version=1))
            enqueue_rolled_back(version=2)
            also_kept = message_enqueue(**message_fields(version=3))
        [result] = default_task_backend.results  # type: ignore[attr-defined]
    assert OutboxMessage.objects.count() == 2
    outcome = deliver_message.call(*result.args)
    assert outcome == "delivered 2, skipped 1"
    assert set(OutboxMessage.objects.values_list("id", "status")) == {
        (kept.id, OutboxStatus.DELIVERED),
        (also_kept.id, OutboxStatus.DELIVERED),
    }


@pytest.mark.django_db(transaction=True)
def test_a_batch_rolled_back_with_its_savepoint_queues_nothing_and_later_messages_are_queued() -> None:
    from django_tasks import default_task_backend

    with override_settings(TASKS=DUMMY_TASKS):
        with transaction.atomic():
            enqueue_rolled_back(version=1)
            kept = message_enqueue(**message_fields(version=2))
        assert [r.args for r in default_task_backend.results] == [[str(kept.id)]]  # type: ignore[attr-defined]


def test_a_failing_message_does_not_hold_back_the_others_and_is_retried_with_backoff(
    db: None, fake_ebox: FakeEbox
) -> None:
    first, second, third = create(3)
    fake_ebox.fail_next(1, status=503)
    outcomes = messages_deliver(message_ids=[first.id, second.id, third.id])
    assert outcomes == {str(first.id): "retry", str(second.id): "delivered", str(third.id): "delivered"}
    first.refresh_from_db()
    assert first.status == OutboxStatus.PENDING
    assert first.attempts == 1
    assert first.next_attempt_at > timezone.now()
    assert "503" in first.last_error
    assert set(OutboxMessage.objects.filter(status=OutboxStatus.DELIVERED).values_list("id", flat=True)) == {
        second.id,
        third.id,
    }
    assert fake_ebox.stats()["unique"] == 2
    # Not due yet: a second run leaves it alone; once due, it goes.
    assert messages_deliver(message_ids=[first.id]) == {str(first.id): "skipped"}
    OutboxMessage.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    assert messages_deliver(message_ids=[first.id]) == {str(first.id): "delivered"}


def test_a_permanent_refusal_fails_that_message_only(db: None, fake_ebox: FakeEbox) -> None:
    first, second = create(2)
    fake_ebox.fail_next(1, status=400)
    outcomes = messages_deliver(message_ids=[first.id, second.id])
    assert outcomes == {str(first.id): "failed", str(second.id): "delivered"}


def test_the_attachment_of_a_document_is_read_once_per_run(
    db: None, fake_ebox: FakeEbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    dummy_pdf = attachments.dummy_pdf

    def counting(key: str) -> tuple[str, bytes, str]:
        reads.append(key)
        return dummy_pdf(key)

    monkeypatch.setattr(attachments, "dummy_pdf", counting)
    same = create(3)
    other = create(1, reference="2026/00000002/51", attachment_key="2026/00000002/51")
    outcomes = messages_deliver(message_ids=[m.id for m in same + other])
    assert set(outcomes.values()) == {"delivered"}
    assert sorted(reads) == ["2026/00000001/51", "2026/00000002/51"]
    # Each message still carries its document.
    assert [len(m.attachments) for m in fake_ebox.messages] == [1, 1, 1, 1]
    # A later run reads it again (a document is not cached across runs).
    later = create(1, reference="2026/00000003/51")
    messages_deliver(message_ids=[later[0].id])
    assert reads[-1] == "2026/00000001/51"


def test_an_attachment_that_cannot_be_read_fails_its_messages_and_not_the_others(
    db: None, fake_ebox: FakeEbox
) -> None:
    waiting = create(2, attachment_provider="tests.mailbox.attachments.not_ready_yet")
    ready = create(1, reference="2026/00000002/51")
    outcomes = messages_deliver(message_ids=[m.id for m in waiting + ready])
    assert outcomes == {
        str(waiting[0].id): "retry",
        str(waiting[1].id): "retry",
        str(ready[0].id): "delivered",
    }
    assert all("not rendered yet" in m.last_error for m in OutboxMessage.objects.filter(status="pending"))


def patch_send(monkeypatch: pytest.MonkeyPatch, before: Callable[[OutboxMessage], None]) -> None:
    """The eBox transport's send, with ``before(message)`` called first."""
    transport = services.get_transport("ebox")
    real_send = transport.send

    def send(message: OutboxMessage, attachment: Any) -> str:
        before(message)
        return real_send(message, attachment)

    monkeypatch.setattr(transport, "send", send)


def assert_delivered_and_handed_back(delivered: OutboxMessage, *handed_back: OutboxMessage) -> None:
    """``delivered`` marked so; the others pending and due now, for another worker."""
    assert dict(OutboxMessage.objects.values_list("id", "status")) == {
        delivered.id: OutboxStatus.DELIVERED,
        **{message.id: OutboxStatus.PENDING for message in handed_back},
    }
    due_now = OutboxMessage.objects.filter(status="pending", next_attempt_at__lte=timezone.now())
    assert due_now.count() == len(handed_back)


def test_a_worker_stopped_in_the_middle_of_a_batch_records_what_went_and_hands_back_the_rest(
    db: None, fake_ebox: FakeEbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = create(3)

    def interrupt_the_second(message: OutboxMessage) -> None:
        if message.pk == second.pk:
            raise KeyboardInterrupt

    patch_send(monkeypatch, interrupt_the_second)
    with pytest.raises(KeyboardInterrupt):
        messages_deliver(message_ids=[first.id, second.id, third.id])
    assert_delivered_and_handed_back(first, second, third)
    monkeypatch.undo()
    assert set(messages_deliver(message_ids=[second.id, third.id]).values()) == {"delivered"}
    assert fake_ebox.stats()["unique"] == 3


def test_a_worker_asked_to_stop_ends_its_batch_after_the_message_in_hand(
    db: None, fake_ebox: FakeEbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = create(3)
    # The first SIGTERM arrives while the first message is being sent.
    patch_send(monkeypatch, lambda message: taskqueue.stopping.set())
    try:
        outcomes = messages_deliver(message_ids=[first.id, second.id, third.id])
    finally:
        taskqueue.stopping.clear()
    assert outcomes == {str(first.id): "delivered", str(second.id): "skipped", str(third.id): "skipped"}
    assert_delivered_and_handed_back(first, second, third)
    assert fake_ebox.stats()["unique"] == 1


def test_each_delivery_of_a_batch_is_audited_once(db: None, fake_ebox: FakeEbox) -> None:
    messages = create(3)
    ids = [m.id for m in messages]
    messages_deliver(message_ids=ids)
    messages_deliver(message_ids=ids)
    audited = AuditEvent.objects.filter(action=AuditAction.MESSAGE_DELIVERED)
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(str(i) for i in ids)
    by_id = {str(m.pk): m for m in OutboxMessage.objects.all()}
    for event in audited:
        assert event.data["external_id"] == by_id[event.object_id].external_id != ""


@needs_postgres(POSTGRES_ONLY)
def test_the_queries_of_a_run_do_not_grow_with_its_messages(db: None, fake_ebox: FakeEbox) -> None:
    def queries_for(count: int, reference: str) -> int:
        messages = create(count, reference=reference, attachment_key=reference)
        with CaptureQueriesContext(connection) as queries:
            outcomes = messages_deliver(message_ids=[m.id for m in messages])
        assert set(outcomes.values()) == {"delivered"}
        return len(queries)

    assert queries_for(2, "2026/00000001/51") == queries_for(10, "2026/00000002/51")


@needs_postgres(POSTGRES_ONLY)
@pytest.mark.django_db(transaction=True)
def test_two_runs_in_parallel_never_send_the_same_message(fake_ebox: FakeEbox) -> None:
    messages = create(12)
    ids = [str(m.id) for m in messages]
    # A slow eBox keeps the first run's claims open while the others try.
    fake_ebox.delay_next(2, seconds=0.2)
    # Four runs, each taking the messages in another order.
    orders = [ids[i:] + ids[:i] for i in range(0, 12, 3)]
    outcomes = race([lambda order=order: messages_deliver(message_ids=order) for order in orders])

    delivered_by = {i: [o[i] for o in outcomes].count("delivered") for i in ids}
    assert delivered_by == dict.fromkeys(ids, 1)
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.DELIVERED, 1)}
    stats = fake_ebox.stats()
    assert (stats["requests"], stats["unique"], stats["duplicates"]) == (12, 12, 0)
