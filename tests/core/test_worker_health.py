"""Health check of the task workers (no HTTP port): queue_health exits 1 when a due task waits too long."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings

from tests.commands import run_command
from tests.core.traced_tasks import log_a_line
from tests.task_worker import DATABASE_QUEUE

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


health = run_command


def test_an_empty_queue_is_healthy() -> None:
    assert health("queue_health")[0] == 0


def test_a_task_due_for_longer_than_allowed_fails_the_check() -> None:
    with override_settings(TASKS=DATABASE_QUEUE):
        with time_machine.travel(NOW, tick=False):
            log_a_line.enqueue("waiting")
        with time_machine.travel(NOW + datetime.timedelta(seconds=200), tick=False):
            assert health("queue_health", "--max-wait", "300")[0] == 0
        with time_machine.travel(NOW + datetime.timedelta(seconds=400), tick=False):
            status, message = health("queue_health", "--max-wait", "300")
    assert status == 1
    assert "1 due task(s) waited more than 300 s (the oldest 400 s)" in message


def test_a_retry_scheduled_for_later_is_not_late() -> None:
    with override_settings(TASKS=DATABASE_QUEUE), time_machine.travel(NOW, tick=False):
        log_a_line.using(run_after=NOW + datetime.timedelta(hours=1)).enqueue("later")
    with time_machine.travel(NOW + datetime.timedelta(minutes=50), tick=False):
        assert health("queue_health", "--max-wait", "300")[0] == 0
    # Due from its run_after, not from when it was enqueued.
    with time_machine.travel(NOW + datetime.timedelta(minutes=62), tick=False):
        assert health("queue_health", "--max-wait", "300")[0] == 0
    with time_machine.travel(NOW + datetime.timedelta(minutes=66), tick=False):
        assert health("queue_health", "--max-wait", "300")[0] == 1
