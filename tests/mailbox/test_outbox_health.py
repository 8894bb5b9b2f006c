"""Health check of the outbox sweeper and the deliveries: outbox_health exits 1 when a message has been
due for longer than allowed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from tests.commands import run_command
from tests.mailbox.conftest import Enqueue

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


def health(*args: str) -> tuple[int, str]:
    return run_command("outbox_health", *args)


def test_an_outbox_message_due_too_long_fails_the_outbox_check(enqueue: Enqueue) -> None:
    with time_machine.travel(NOW, tick=False):
        message = enqueue(deliver=False)
    assert message.next_attempt_at <= NOW
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        assert health("--max-late", "900")[0] == 0
    with time_machine.travel(NOW + datetime.timedelta(minutes=20), tick=False):
        status, text = health("--max-late", "900")
    assert status == 1 and "1 outbox message(s) due for more than 900 s" in text


def test_a_delivered_message_is_not_late(enqueue: Enqueue, fake_ebox: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        enqueue()
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert health()[0] == 0
