"""Faults of the eBox and of the worker, in one process with the database queue and simulated time.

The queue is django-tasks-db's, as in production; a worker is its Worker in batch mode (every task that
is ready runs now); time moves with time_machine. Each test bounds its own number of steps.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from typing import Any

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from careerbreak.core.models import AuditEvent
from careerbreak.core.taskqueue import WORKER_LOST
from careerbreak.mailbox import services
from careerbreak.mailbox.models import OutboxMessage, OutboxStatus
from careerbreak.mailbox.services import message_deliver, outbox_sweep
from tests.mailbox.conftest import Enqueue
from tools.fake_ebox import FakeEbox

# Real transactions for the tests that run django-tasks-db's worker: it closes its connection between
# tasks (close_old_connections), which a test wrapped in one transaction would not survive on PostgreSQL.
with_worker = pytest.mark.django_db(transaction=True)

MESSAGES = 20


def run_ready_tasks() -> None:
    """What the task workers do, for the tasks that are ready now."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def waiting_per_message() -> Counter[str]:
    """How many delivery tasks wait (or run) for each message."""
    return Counter(
        args_kwargs["args"][0]
        for args_kwargs in DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).values_list(
            "args_kwargs", flat=True
        )
    )


def ebox_down(fake_ebox: FakeEbox) -> None:
    fake_ebox.fail_next(100_000, status=503)


def ebox_back(fake_ebox: FakeEbox) -> None:
    with fake_ebox.state.lock:
        fake_ebox.state.failures.clear()


def recover(fake_ebox: FakeEbox, clock: Any, *, every: int) -> None:
    """The eBox is back: sweep and run the ready tasks every ``every`` seconds until all is delivered (60
    rounds at most), never with more than one task waiting per message."""
    ebox_back(fake_ebox)
    for _ in range(60):
        if not OutboxMessage.objects.exclude(status=OutboxStatus.DELIVERED).exists():
            break
        clock.shift(every)
        outbox_sweep()
        run_ready_tasks()
        assert max(waiting_per_message().values(), default=0) <= 1


def assert_each_delivered_once(fake_ebox: FakeEbox, count: int) -> None:
    assert OutboxMessage.objects.filter(status=OutboxStatus.DELIVERED).count() == count
    assert fake_ebox.stats()["unique"] == count
    assert len({m.external_id for m in OutboxMessage.objects.all()}) == count
    # Recorded as delivered once each, whatever was sent again.
    assert AuditEvent.objects.filter(action="careerbreak.message.delivered").count() == count


@with_worker
def test_an_outage_with_a_sweep_every_five_seconds_leaves_at_most_one_queued_task_per_message(
    enqueue: Enqueue, fake_ebox: FakeEbox, database_queue: None, settings: Any
) -> None:
    settings.MAILBOX_BACKOFF_BASE_SECONDS = 10
    ebox_down(fake_ebox)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for version in range(1, MESSAGES + 1):
            enqueue(version=version)
        # Two minutes of outage, the sweeper every 5 s, the workers taking whatever is ready.
        for _ in range(24):
            # The sweeper comes before the workers got to the retries that just fell due.
            outbox_sweep()
            waiting = waiting_per_message()
            assert max(waiting.values(), default=0) <= 1, waiting
            run_ready_tasks()
            clock.shift(5)
        attempts_during_outage = sum(OutboxMessage.objects.values_list("attempts", flat=True))
        # Backoff: a message is tried about five times in two minutes (10, 20, 40, 80 s), not 24.
        assert attempts_during_outage <= MESSAGES * 6

        recover(fake_ebox, clock, every=5)

    print(
        f"\n{MESSAGES} messages, 2 min of outage then recovery, a sweep every 5 s: "
        f"{DBTaskResult.objects.count()} task rows, "
        f"{sum(OutboxMessage.objects.values_list('attempts', flat=True))} attempts, eBox {fake_ebox.stats()}"
    )
    assert_each_delivered_once(fake_ebox, MESSAGES)
    # Every task row was an attempt: none found its message taken or not due.
    assert not DBTaskResult.objects.filter(return_value="skipped").exists()
    assert DBTaskResult.objects.count() == sum(OutboxMessage.objects.values_list("attempts", flat=True))
    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()


@with_worker
def test_the_ebox_down_for_six_hours_backs_off_to_the_cap_then_everything_arrives_once(
    enqueue: Enqueue, fake_ebox: FakeEbox, database_queue: None, settings: Any
) -> None:
    settings.MAILBOX_BACKOFF_BASE_SECONDS = 30
    settings.MAILBOX_BACKOFF_CAP_SECONDS = 1800
    settings.MAILBOX_MAX_ATTEMPTS = 30
    ebox_down(fake_ebox)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for version in range(1, 6):
            enqueue(version=version)
        tried_at: dict[str, list[datetime.datetime]] = {}
        for _ in range(6 * 60):  # six hours, a sweep every minute
            run_ready_tasks()
            outbox_sweep()
            for message in OutboxMessage.objects.all():
                seen = tried_at.setdefault(str(message.pk), [])
                if len(seen) < message.attempts:
                    seen.append(timezone.now())
            assert max(waiting_per_message().values(), default=0) <= 1
            clock.shift(60)
        recover(fake_ebox, clock, every=60)

    print(f"\nsix hours of eBox outage: tries per message {sorted(len(t) for t in tried_at.values())}")
    assert_each_delivered_once(fake_ebox, 5)
    for times in tried_at.values():
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
        # The gaps double (each drawn between half and all of the delay) up to the cap of half an
        # hour and stay there: 17 to 31 tries in six hours, not one per sweep (360).
        assert 12 <= len(times) <= 32, len(times)
        assert max(gaps) <= 1800 + 60
        assert sum(gaps[-3:]) / 3 >= 900


def test_a_failure_that_could_not_be_recorded_is_retried_at_the_next_sweep_after_a_short_lease(
    enqueue: Enqueue, fake_ebox: FakeEbox, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.MAILBOX_LEASE_SECONDS = 6
    message = enqueue(deliver=False)
    fake_ebox.fail_next(1, status=503)

    def database_gone(*args: object, **kwargs: object) -> str:
        raise OperationalError("terminating connection due to administrator command")

    with monkeypatch.context() as patch:
        patch.setattr(services, "_record_failure", database_gone)
        with pytest.raises(OperationalError):
            message_deliver(message_id=message.id)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING
    assert message.leased_until is not None

    with time_machine.travel(message.leased_until + datetime.timedelta(seconds=1), tick=False):
        assert outbox_sweep() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 2
    assert fake_ebox.stats()["unique"] == 1


def test_a_worker_stopped_in_the_middle_of_a_send_hands_the_message_back_due_now(
    enqueue: Enqueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = enqueue(deliver=False)

    def interrupted(*args: object) -> None:
        raise SystemExit(1)  # the worker's second SIGTERM

    monkeypatch.setattr(services, "_load_attachment", interrupted)
    with pytest.raises(SystemExit):
        message_deliver(message_id=message.id)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.leased_until is None
    assert message.next_attempt_at <= timezone.now()
    assert message.last_error == ""


@with_worker
def test_a_delivery_task_left_running_by_a_killed_worker_is_failed_and_its_message_queued_again(
    enqueue: Enqueue, database_queue: None, settings: Any
) -> None:
    settings.MAILBOX_LEASE_SECONDS = 6
    message = enqueue()
    [task] = DBTaskResult.objects.all()
    # A worker took the task and claimed the message, then was killed (SIGKILL): both stay as they were.
    task.claim("killed-worker")
    assert services._claim([message.id]) != []

    # While the lease runs, the message and its task are left alone.
    assert outbox_sweep() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=7), tick=False):
        assert outbox_sweep() == 1
        task.refresh_from_db()
        assert task.status == "FAILED"
        assert task.exception_class_path == WORKER_LOST
        assert waiting_per_message() == {str(message.id): 1}
        run_ready_tasks()
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 2
