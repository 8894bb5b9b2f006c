"""4. Delivery: outbox messages delivered per second by two task workers to the eBox REST server.

N messages, each as the service writes it (four languages, the employer-part PDF of a real request
as attachment, read from storage and checked against its hash when sent), are written to the outbox
with their delivery tasks while the workers are stopped; then the two workers (`manage.py db_worker`)
start and deliver through `EboxRestTransport` to the fake eBox (`tools.fake_ebox`).
The server counts what it received: every message once, none twice, none missing.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

from bench.report import Summary, fmt
from bench.stack import EBOX_URL, CpuMeter, Stack

TARGET_PER_SECOND = 200.0
KIND = "employer_part"
LANGUAGES = ("fr", "nl", "de", "en")


def _enqueue(count: int, attachment_keys: list[str], recipients: list[str], prefix: str) -> float:
    from django.db import transaction

    from careerbreak.mailbox.services import message_enqueue

    started = time.perf_counter()
    batch = 250
    for first in range(0, count, batch):
        with transaction.atomic():
            for i in range(first, min(first + batch, count)):
                reference = f"{prefix}/{i:06d}"
                message_enqueue(
                    channel="ebox",
                    recipient_niss=recipients[i % len(recipients)],
                    kind=KIND,
                    reference=reference,
                    version=1,
                    subjects={
                        lang: f"[{lang}] Votre employeur a introduit une demande ({reference})"
                        for lang in LANGUAGES
                    },
                    bodies={
                        lang: f"[{lang}] La partie employeur de votre demande {reference} est jointe. "
                        "Complétez la partie travailleur en ligne."
                        for lang in LANGUAGES
                    },
                    language="fr",
                    attachment_provider="careerbreak.interruptions.documents.employer_part_attachment",
                    attachment_key=attachment_keys[i % len(attachment_keys)],
                )
    return time.perf_counter() - started


def _drop_backlog() -> dict[str, int]:
    """What the journey left undelivered is set aside, so that the server counts only this batch."""
    from django_tasks_db.models import DBTaskResult

    from careerbreak.mailbox.models import OutboxMessage, OutboxStatus

    tasks = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).delete()[0]
    messages = OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).update(
        status=OutboxStatus.FAILED, last_error="set aside by the benchmark"
    )
    return {"tasks": tasks, "messages": messages}


def run(
    stack: Stack,
    *,
    nodelay: bool,
    count: int,
    attachment_keys: list[str],
    recipients: list[str],
    summary: Summary,
    say: Any,
) -> dict[str, Any]:
    from django.db import close_old_connections

    from careerbreak.mailbox.models import OutboxMessage, OutboxStatus

    close_old_connections()
    prefix = f"BENCH-{uuid.uuid4().hex[:8]}"
    stack.stop_workers()
    stack.restart_ebox(nodelay=nodelay)
    client = httpx.Client(timeout=60)
    dropped = _drop_backlog()
    client.post(f"{EBOX_URL}/_control", json={"reset": True}, timeout=10).raise_for_status()
    say(f"  writing {count:,} messages to the outbox (workers stopped)")
    enqueue_seconds = _enqueue(count, attachment_keys, recipients, prefix)
    say(f"  … in {enqueue_seconds:.1f} s; starting the two workers")
    meter = CpuMeter(stack)
    meter.start()
    started = time.monotonic()
    stack.start_workers()
    timeout = count / 20 + 60
    stats: dict[str, int] = {}
    while time.monotonic() - started < timeout:
        time.sleep(0.25)
        stats = client.get(f"{EBOX_URL}/_stats").json()
        if stats["unique"] >= count:
            break
    wall = time.monotonic() - started
    # Let a straggling duplicate show up, if there were to be one.
    time.sleep(1.0)
    cpu = meter.stop()
    stats = client.get(f"{EBOX_URL}/_stats").json()
    received = client.get(f"{EBOX_URL}/_messages").json()
    client.close()
    stamps = sorted(m["receivedAt"] for m in received)
    server_span = stamps[-1] - stamps[0] if len(stamps) > 1 else float("nan")
    rate = (len(stamps) - 1) / server_span if len(stamps) > 1 and server_span > 0 else float("nan")
    ours = OutboxMessage.objects.filter(reference__startswith=prefix)
    by_status = {status: ours.filter(status=status).count() for status in OutboxStatus.values}
    retried = ours.filter(attempts__gt=1).count()
    lost = count - stats["unique"]
    duplicates = stats["duplicates"] + max(0, stats["received"] - stats["unique"] - stats["duplicates"])
    result = {
        "fake_ebox": "with TCP_NODELAY (bench/fake_ebox_nodelay.py)" if nodelay else "as committed",
        "messages": count,
        "earlier_backlog_set_aside": dropped,
        "enqueue_seconds": round(enqueue_seconds, 1),
        "wall_seconds_from_worker_start": round(wall, 1),
        "delivered_per_second_server_side": round(rate, 1),
        "delivered_per_second_including_worker_start": round(stats["unique"] / wall, 1),
        "server_stats": stats,
        "lost": lost,
        "duplicated": duplicates,
        "outbox_by_status": by_status,
        "messages_tried_more_than_once": retried,
        "attachment_bytes": received[0]["attachments"][0]["size"]
        if received and received[0]["attachments"]
        else 0,
        "cpu_seconds": cpu,
    }
    say(f"    {rate:.1f} delivered/s (server clock), lost {lost}, duplicated {duplicates}")
    server = "fake eBox + TCP_NODELAY" if nodelay else "fake eBox as committed"
    summary.add(
        "delivery",
        f"messages delivered/s (2 workers; {server})",
        fmt(rate),
        "",
        "",
        f"≥ {TARGET_PER_SECOND:.0f}",
        rate >= TARGET_PER_SECOND,
    )
    summary.add(
        "delivery",
        f"lost / duplicated of {count:,} ({server})",
        f"{lost} / {duplicates}",
        "",
        "",
        "0 / 0",
        lost == 0 and duplicates == 0,
    )
    return result


def profile(
    stack: Stack, *, count: int, attachment_keys: list[str], recipients: list[str], seconds: int
) -> dict[str, Any]:
    """py-spy on one worker while the two deliver a second batch: where a delivery's time goes."""
    from bench import profiling

    stack.stop_workers()
    _drop_backlog()
    _enqueue(count, attachment_keys, recipients, f"PROFILE-{uuid.uuid4().hex[:8]}")
    stack.start_workers()
    time.sleep(3)  # past the workers' start-up (Django setup, checks)
    spy, raw = profiling.start_py_spy(
        stack.workers[0].pid, "delivery-task-worker", seconds, subprocesses=False
    )
    ebox_spy, ebox_raw = profiling.start_py_spy(
        stack.ebox.pid, "delivery-fake-ebox", seconds, subprocesses=False
    )
    spy.wait(timeout=seconds + 60)
    ebox_spy.wait(timeout=seconds + 60)
    return {"task_worker": profiling.summarise(raw), "fake_ebox": profiling.summarise(ebox_raw)}
