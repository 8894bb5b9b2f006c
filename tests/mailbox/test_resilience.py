"""Deliveries survive dead workers, concurrent workers and a sweeper that runs too often."""

from __future__ import annotations

import datetime
import os
import signal
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from careerbreak.mailbox import services
from careerbreak.mailbox.management.commands.sweep_outbox import Command as SweepCommand
from careerbreak.mailbox.models import EboxMessage, OutboxMessage, OutboxStatus
from careerbreak.mailbox.services import message_deliver
from careerbreak.mailbox.tasks import deliver_message
from tests.concurrency import needs_postgres, race
from tests.mailbox.conftest import Enqueue, message_fields
from tools.fake_ebox import FakeEbox

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


class WorkerKilled(BaseException):
    """What the process sees of a SIGKILL: nothing after this point runs."""


def sweep(*args: str) -> str:
    out = StringIO()
    call_command("sweep_outbox", *args, stdout=out)
    return out.getvalue()


def test_a_worker_killed_in_the_middle_of_a_delivery_is_replaced_and_the_message_arrives_once(
    enqueue: Enqueue, fake_ebox: FakeEbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = enqueue(deliver=False)
    with monkeypatch.context() as patch:
        # The eBox received it; the worker died before writing that down.
        patch.setattr(services, "_record_deliveries", lambda *a, **k: (_ for _ in ()).throw(WorkerKilled()))
        with pytest.raises(WorkerKilled):
            message_deliver(message_id=message.id)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING
    assert message.leased_until is not None and message.leased_until > timezone.now()
    assert fake_ebox.stats()["unique"] == 1

    # While the lease runs, the worker might still be alive: the sweeper leaves the message alone.
    assert "Re-queued 0" in sweep()
    with time_machine.travel(message.leased_until + datetime.timedelta(seconds=1), tick=True):
        assert "Re-queued 1" in sweep()

    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 2
    [published] = fake_ebox.messages
    assert message.external_id == published.id
    stats = fake_ebox.stats()
    assert (stats["received"], stats["unique"], stats["duplicates"]) == (2, 1, 1)


def test_a_message_that_kills_every_worker_ends_failed(enqueue: Enqueue, settings: Any) -> None:
    settings.MAILBOX_MAX_ATTEMPTS = 2
    message = enqueue(deliver=False)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, attempts=2, leased_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert message_deliver(message_id=message.id) == "failed"
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "interrupted 2 times" in message.last_error
    assert EboxMessage.objects.count() == 0


def test_a_message_claimed_by_one_worker_is_skipped_by_another_while_the_lease_runs(enqueue: Enqueue) -> None:
    message = enqueue(deliver=False)
    assert services._claim([message.id]) != []
    assert services._claim([message.id]) == []
    assert deliver_message.call(str(message.id)) == "skipped"


def test_the_sweeper_requeues_what_is_due_or_stuck_and_nothing_else(enqueue: Enqueue) -> None:
    now = timezone.now()
    minute = datetime.timedelta(minutes=1)
    rows = {
        name: enqueue(deliver=False, reference=name)
        for name in ("due", "stuck", "later", "in_flight", "delivered", "failed")
    }
    updates: dict[str, dict[str, Any]] = {
        "due": {"next_attempt_at": now - minute},
        "stuck": {"status": OutboxStatus.SENDING, "leased_until": now - minute},
        "later": {"next_attempt_at": now + minute},
        "in_flight": {"status": OutboxStatus.SENDING, "leased_until": now + minute},
        "delivered": {"status": OutboxStatus.DELIVERED},
        "failed": {"status": OutboxStatus.FAILED},
    }
    for name, values in updates.items():
        OutboxMessage.objects.filter(pk=rows[name].pk).update(**values)

    from django_tasks import default_task_backend

    with override_settings(TASKS=DUMMY_TASKS):
        assert "Re-queued 2" in sweep()
        # One task for both (several messages a task, ADR 0029).
        queued = {arg for r in default_task_backend.results for arg in r.args}  # type: ignore[attr-defined]
    assert queued == {str(rows["due"].id), str(rows["stuck"].id)}


def test_the_sweeper_delivers_inline_when_asked(enqueue: Enqueue) -> None:
    for version in (1, 2):
        enqueue(deliver=False, version=version)
    assert "delivered 2" in sweep("--inline")
    assert EboxMessage.objects.count() == 2
    assert "nothing due" in sweep("--inline")


def test_deliver_due_counts_what_happened(enqueue: Enqueue) -> None:
    enqueue(deliver=False, version=1)
    enqueue(deliver=False, version=2, attachment_provider="tests.mailbox.attachments.not_ready_yet")
    assert services.deliver_due(10) == {"delivered": 1, "retry": 1}
    retried = OutboxMessage.objects.get(version=2)
    assert "not rendered yet" in retried.last_error


def test_the_sweeper_loops_until_told_to_stop(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    sweeps = []

    def counting_sweep(self: SweepCommand, *, limit: int, inline: bool) -> None:
        sweeps.append(limit)
        if len(sweeps) == 3:
            os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(SweepCommand, "sweep", counting_sweep)
    sweep("--loop", "0.01", "--limit", "7")
    assert sweeps == [7, 7, 7]
    assert signal.getsignal(signal.SIGTERM) is previous


@needs_postgres("two workers racing for a row needs row locks across connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_the_same_message_picked_by_two_workers_at_once_is_sent_once(fake_ebox: FakeEbox) -> None:
    # Written directly: message_enqueue would deliver it on commit, before the race.
    message = OutboxMessage.objects.create(**message_fields())
    # A slow eBox widens the window in which the second worker could also send.
    fake_ebox.delay_next(1, seconds=0.3)
    workers = 4
    outcomes = race([lambda: deliver_message.call(str(message.id))] * workers, timeout=30)

    assert sorted(outcomes) == ["delivered"] + ["skipped"] * (workers - 1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 1
    stats = fake_ebox.stats()
    assert (stats["requests"], stats["unique"]) == (1, 1)


def test_with_a_queue_that_can_defer_a_retry_is_scheduled_for_when_it_is_due(enqueue: Enqueue) -> None:
    from django_tasks_db.models import DBTaskResult

    message = enqueue(deliver=False, attachment_provider="tests.mailbox.attachments.not_ready_yet")
    database_queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=database_queue):
        assert message_deliver(message_id=message.id) == "retry"
    message.refresh_from_db()
    [scheduled] = DBTaskResult.objects.all()
    assert scheduled.args_kwargs == {"args": [str(message.id)], "kwargs": {}}
    assert scheduled.run_after == message.next_attempt_at
