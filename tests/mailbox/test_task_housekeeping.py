"""The task worker and the sweeper stay up when the database goes away; old task rows are pruned."""

from __future__ import annotations

import datetime
import os
import signal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from careerbreak.core.management.commands.run_worker import ResilientWorker
from careerbreak.core.taskqueue import WORKER_LOST
from careerbreak.mailbox.management.commands import sweep_outbox
from careerbreak.mailbox.models import OutboxMessage, OutboxStatus
from tests.mailbox.conftest import Enqueue, message_fields


def worker(**overrides: Any) -> ResilientWorker:
    options: dict[str, Any] = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    options.update(overrides)
    resilient = ResilientWorker(**options)
    resilient.backoff_first = 0.01
    return resilient


def fail_first(
    monkeypatch: pytest.MonkeyPatch, owner: type, name: str, times: int, message: str
) -> list[tuple[Any, ...]]:
    """``owner.name`` raises OperationalError(message) on its first ``times`` calls, then works as before.

    Returns the arguments of every call, in order."""
    real = getattr(owner, name)
    calls: list[tuple[Any, ...]] = []

    def flaky(self: Any, *args: Any) -> Any:
        calls.append(args)
        if len(calls) <= times:
            raise OperationalError(message)
        return real(self, *args)

    monkeypatch.setattr(owner, name, flaky)
    return calls


# Not inside a test transaction: the worker closes its connection on a database error, as it must.
@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_for_the_database_instead_of_exiting_then_runs_the_task(
    enqueue: Enqueue, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = enqueue()
    fail_first(monkeypatch, DBTaskResultQuerySet, "get_locked", 3, "the database system is shutting down")
    worker().run()
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_outcome_could_not_be_written_is_queued_again_and_run(
    enqueue: Enqueue, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = enqueue()
    calls = fail_first(
        monkeypatch, DBTaskResult, "set_successful", 1, "terminating connection due to administrator command"
    )
    # set_failed cannot write either while the database is away.
    monkeypatch.setattr(
        DBTaskResult, "set_failed", lambda self, exc: (_ for _ in ()).throw(OperationalError("gone"))
    )
    worker().run()
    # Delivered the first time; the second run of the task finds it delivered and does nothing.
    assert [return_value for (return_value,) in calls] == ["delivered", "skipped"]
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert len(task.worker_ids) == 2
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_stops_at_once_when_told_while_waiting_for_the_database(
    database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    resilient = worker(batch=False)

    def gone(self: DBTaskResultQuerySet) -> None:
        resilient.running = False  # SIGTERM arrived meanwhile
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", gone)
    resilient.run()  # returns instead of raising or sleeping on


def test_prune_tasks_deletes_old_finished_rows_and_fails_abandoned_running_ones(
    database_queue: None, db: None
) -> None:
    now = timezone.now()
    day = datetime.timedelta(days=1)

    def row(status: str, **fields: Any) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="careerbreak.mailbox.tasks.deliver_message",
            backend_name="default",
            run_after=now,
            **fields,
        )

    old_done = row("SUCCESSFUL", finished_at=now - 8 * day)
    old_failed = row("FAILED", finished_at=now - 8 * day)
    recent = row("SUCCESSFUL", finished_at=now - day)
    waiting = row("READY")
    abandoned = row("RUNNING", started_at=now - datetime.timedelta(hours=2))
    running = row("RUNNING", started_at=now - datetime.timedelta(minutes=5))

    out = StringIO()
    call_command("prune_tasks", "--older-than-days", "7", stdout=out)
    assert "Marked 1 abandoned task(s) failed; deleted 2 finished task(s)." in out.getvalue()
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, waiting.pk, abandoned.pk, running.pk}
    assert old_done.pk not in remaining and old_failed.pk not in remaining
    abandoned.refresh_from_db()
    assert (abandoned.status, abandoned.exception_class_path) == ("FAILED", WORKER_LOST)
    running.refresh_from_db()
    assert running.status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_loop_survives_sweeps_that_fail_and_goes_on_sweeping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Written directly: message_enqueue would deliver it on commit.
    OutboxMessage.objects.create(**message_fields())
    monkeypatch.setattr(sweep_outbox, "BACKOFF_FIRST", 0.01)
    real_sweep = sweep_outbox.outbox_sweep
    calls = []

    def flaky_sweep(*, limit: int) -> int:
        calls.append(limit)
        if len(calls) <= 3:
            raise OperationalError("terminating connection due to administrator command")
        if len(calls) == 5:
            os.kill(os.getpid(), signal.SIGTERM)
        return real_sweep(limit=limit)

    monkeypatch.setattr(sweep_outbox, "outbox_sweep", flaky_sweep)
    out = StringIO()
    call_command("sweep_outbox", "--loop", "0.01", stdout=out)
    assert len(calls) == 5
    assert "Re-queued 1 message(s)." in out.getvalue()
    assert "Pruned the API:" in out.getvalue()
    assert OutboxMessage.objects.get().status == OutboxStatus.DELIVERED


def test_a_single_sweep_that_fails_says_so_by_its_exit(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def gone(*, limit: int) -> int:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(sweep_outbox, "outbox_sweep", gone)
    with pytest.raises(OperationalError):
        call_command("sweep_outbox", stdout=StringIO())
