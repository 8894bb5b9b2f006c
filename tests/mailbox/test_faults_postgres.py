"""Faults under real processes on PostgreSQL: task workers (run_worker) and the sweeper
(sweep_outbox --loop) as an operator runs them, the fake eBox, the database cut and killed workers.

The database is cut for this test database only (connections refused and every session terminated),
which is what the processes see of a PostgreSQL restart; the server itself, which others use, is left
alone. Everything listens on 127.0.0.1 and every wait is bounded. The figures are printed (pytest -s):
docs/reliability.md quotes them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from careerbreak.core.models import AuditEvent
from careerbreak.core.taskqueue import WORKER_LOST
from careerbreak.mailbox.models import OutboxMessage, OutboxStatus
from careerbreak.mailbox.services import _enqueue_delivery
from tests.mailbox.conftest import message_fields
from tests.task_worker import DATABASE_QUEUE
from tools.fake_ebox import FakeEbox

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3
# More messages for a longer measurement (bounded: at most 1,000).
MESSAGES = min(int(os.environ.get("FAULT_TEST_MESSAGES", "40")), 1000)
# A longer cut for a measurement (bounded: at most two minutes).
CUT_SECONDS = min(float(os.environ.get("FAULT_TEST_CUT_SECONDS", "5")), 120)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="cuts a PostgreSQL database"),
    pytest.mark.django_db(transaction=True),
]

Start = Callable[..., subprocess.Popen[bytes]]


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until ``condition`` held; fails the test after ``timeout``."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            pytest.fail(f"Still not {what} after {timeout} s.")
        time.sleep(0.05)
    return time.monotonic() - began


def delivered() -> int:
    return OutboxMessage.objects.filter(status=OutboxStatus.DELIVERED).count()


@pytest.fixture
def start(fake_ebox: FakeEbox, tmp_path: Path, settings: Any) -> Iterator[Start]:
    """Start ``manage.py <command>`` against the test database, as production runs it."""
    settings.TASKS = DATABASE_QUEUE
    db = connection.settings_dict
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        # Persistent connections, as in production: the ones the database dropped must be noticed.
        DATABASE_CONN_MAX_AGE="60",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        MAILBOX_TRANSPORT="rest",
        MAILBOX_LEASE_SECONDS=str(LEASE_SECONDS),
        EBOX_API_URL=fake_ebox.api_url,
        EBOX_TOKEN_URL=fake_ebox.token_url,
        EBOX_CLIENT_ID=fake_ebox.client_id,
        EBOX_CLIENT_SECRET=fake_ebox.client_secret,
        EBOX_TIMEOUT="20",
        PYTHONUNBUFFERED="1",
    )
    started: list[tuple[subprocess.Popen[bytes], Path]] = []

    def run(*command: str) -> subprocess.Popen[bytes]:
        log = tmp_path / f"{len(started)}-{command[0]}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), *command],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started.append((process, log))
        return process

    yield run
    for process, _log in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process, log in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # Shown by pytest when the test failed.
        print(f"--- {' '.join(map(str, process.args[2:]))} (exit {process.returncode}):")  # type: ignore[index]
        print(log.read_text()[-3000:])


def create_messages(count: int) -> list[str]:
    ids = []
    for version in range(1, count + 1):
        message = OutboxMessage.objects.create(**message_fields(version=version))
        _enqueue_delivery(message.id)
        ids.append(str(message.id))
    return ids


@contextlib.contextmanager
def database_cut() -> Iterator[None]:
    """No connection to the test database while inside: new ones refused, open ones terminated."""
    db = connection.settings_dict
    name = db["NAME"]
    # From the maintenance database: PostgreSQL does not let a session refuse its own database.
    server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            terminate_sessions()
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def terminate_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
        return int(cursor.fetchone()[0])


def assert_each_delivered_once(fake_ebox: FakeEbox, count: int) -> None:
    assert delivered() == count
    stats = fake_ebox.stats()
    assert stats["unique"] == count, stats
    assert len(set(OutboxMessage.objects.values_list("external_id", flat=True))) == count
    assert AuditEvent.objects.filter(action="careerbreak.message.delivered").count() == count


def test_workers_and_the_sweeper_ride_out_the_database_going_away_and_nothing_is_lost_or_kept_twice(
    fake_ebox: FakeEbox, start: Start
) -> None:
    # Each publication takes a moment, so that the cut falls in the middle of deliveries.
    fake_ebox.delay_next(MESSAGES, seconds=0.1 if MESSAGES <= 100 else 0.01)
    create_messages(MESSAGES)
    processes = [
        start("run_worker", "--no-reload", "--interval", "0.5", "--worker-id", "worker-1"),
        start("run_worker", "--no-reload", "--interval", "0.5", "--worker-id", "worker-2"),
        start("sweep_outbox", "--loop", "1"),
    ]
    wait_for(lambda: delivered() >= 3, 60, "delivering")

    # A restart: five seconds without the database, the sessions of every process terminated.
    cut_at = time.monotonic()
    with database_cut():
        time.sleep(CUT_SECONDS)
    back_at = time.monotonic()
    delivered_before = delivered()
    # Then the persistent connections of the processes are dropped once more, as a failover does.
    wait_for(lambda: delivered() > 0 and terminate_sessions() >= 0, 5, "terminated")

    first_after = wait_for(lambda: delivered() > delivered_before, 60, "delivering again")
    wait_for(lambda: delivered() == MESSAGES, 120, "all delivered")
    print(
        f"\n{MESSAGES} messages; database away {back_at - cut_at:.1f} s; "
        f"first delivery {first_after:.1f} s after it came back, "
        f"all delivered {time.monotonic() - back_at:.1f} s after it came back "
        f"({MESSAGES - delivered_before} were left); "
        f"eBox stats {fake_ebox.stats()}; task rows {DBTaskResult.objects.count()}"
    )
    assert [p.poll() for p in processes] == [None, None, None], "a process exited"
    assert_each_delivered_once(fake_ebox, MESSAGES)
    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()


def test_a_worker_killed_in_the_middle_of_a_send_is_replaced_within_seconds_not_a_lease_of_minutes(
    fake_ebox: FakeEbox, start: Start
) -> None:
    # The first publication hangs for 8 s: longer than the lease, which the heartbeat must keep.
    fake_ebox.delay_next(1, seconds=8)
    [message_id] = create_messages(1)
    workers = {
        name: start("run_worker", "--no-reload", "--interval", "0.5", "--worker-id", name)
        for name in ("worker-a", "worker-b")
    }
    sweeper = start("sweep_outbox", "--loop", "1")

    wait_for(lambda: OutboxMessage.objects.get().status == OutboxStatus.SENDING, 60, "sending")
    time.sleep(LEASE_SECONDS + 1.5)
    message = OutboxMessage.objects.get()
    # Renewed by the heartbeat: nobody else took it over while it was being sent.
    assert (message.status, message.attempts) == (OutboxStatus.SENDING, 1)
    [running] = DBTaskResult.objects.filter(status="RUNNING")
    [holder] = running.worker_ids

    workers[holder].send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    retried = wait_for(lambda: delivered() == 1, 60, "delivered after the kill")
    print(f"\nworker killed during a send; delivered {retried:.1f} s later (lease {LEASE_SECONDS} s)")

    assert retried < LEASE_SECONDS + 8
    message = OutboxMessage.objects.get()
    assert message.attempts == 2
    assert str(message.pk) == message_id
    running.refresh_from_db()
    assert (running.status, running.exception_class_path) == ("FAILED", WORKER_LOST)
    survivor = "worker-b" if holder == "worker-a" else "worker-a"
    assert workers[survivor].poll() is None and sweeper.poll() is None
    assert time.monotonic() - killed_at < 60
    assert_each_delivered_once(fake_ebox, 1)


def test_a_worker_told_to_stop_finishes_its_send_and_a_second_signal_hands_the_message_back(
    fake_ebox: FakeEbox, start: Start
) -> None:
    fake_ebox.delay_next(2, seconds=3)
    first_id, second_id = create_messages(2)

    def sending() -> OutboxMessage | None:
        return OutboxMessage.objects.filter(status=OutboxStatus.SENDING).first()

    # SIGTERM once: the send in hand is finished, the other message is left in the queue.
    worker = start("run_worker", "--no-reload", "--interval", "0.5", "--worker-id", "worker-1")
    wait_for(lambda: sending() is not None, 60, "sending")
    in_hand = sending()
    assert in_hand is not None
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0
    in_hand.refresh_from_db()
    assert (in_hand.status, in_hand.attempts) == (OutboxStatus.DELIVERED, 1)
    [other] = OutboxMessage.objects.exclude(pk=in_hand.pk)
    assert (other.status, other.attempts) == (OutboxStatus.PENDING, 0)

    # SIGTERM twice: the send is interrupted and the message handed back, due now, no failure counted.
    worker = start("run_worker", "--no-reload", "--interval", "0.5", "--worker-id", "worker-2")
    wait_for(lambda: sending() is not None, 60, "sending")
    worker.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=20)
    other.refresh_from_db()
    assert (other.status, other.leased_until, other.last_error) == (OutboxStatus.PENDING, None, "")

    # The next worker and the sweeper deliver it: each message kept once.
    start("run_worker", "--no-reload", "--interval", "0.5", "--worker-id", "worker-3")
    start("sweep_outbox", "--loop", "1")
    wait_for(lambda: delivered() == 2, 60, "all delivered")
    assert {first_id, second_id} == {str(pk) for pk in OutboxMessage.objects.values_list("pk", flat=True)}
    assert_each_delivered_once(fake_ebox, 2)
