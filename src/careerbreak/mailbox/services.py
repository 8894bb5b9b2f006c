"""Writes of the mailbox: enqueue a message, deliver one, retry one, mark an eBox message read.

The outbox row is the source of truth (DESIGN §4 "Side effects are rows first"). ``message_enqueue``
writes it in the caller's transaction and nudges the delivery task once that transaction commits;
``message_deliver`` claims the row, sends it, and records the outcome; the sweeper (``outbox_sweep``,
``deliver_due``) picks up what is due again or was abandoned by a dead worker.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import random
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from careerbreak.core import taskqueue
from careerbreak.core.audit import AuditActor, audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.mailbox.models import (
    LANGUAGES,
    Channel,
    EboxMessage,
    OutboxMessage,
    OutboxStatus,
)
from careerbreak.mailbox.selectors import (
    due_for_delivery,
    ebox_attachment_for,
    ebox_message_for,
    outbox_due_ids,
    outbox_due_tasks,
)
from careerbreak.mailbox.transports import (
    Attachment,
    PermanentError,
    TransientError,
    get_transport,
)

logger = logging.getLogger(__name__)

AttachmentProvider = Callable[[str], tuple[str, bytes, str]]

# What administrators see is cut to this length.
MAX_ERROR_LENGTH = 2000


class TransactionRequired(RuntimeError):
    """message_enqueue was called outside a transaction: the message would not be tied to its cause."""


# -- enqueue -----------------------------------------------------------------------------------------


def message_enqueue(
    *,
    channel: str,
    recipient_niss: str,
    recipient_email: str = "",
    endpoint: str = "",
    kind: str,
    reference: str,
    version: int,
    subjects: Mapping[str, str],
    bodies: Mapping[str, str],
    language: str,
    attachment_provider: str = "",
    attachment_key: str = "",
) -> OutboxMessage:
    """Record a message to deliver, and have it delivered once the caller's transaction commits.

        Preconditions: called inside the transaction that makes the message true (``transaction.atomic``),
        so that a rolled-back change sends nothing. ``subjects`` and ``bodies`` map fr, nl, de, en to text
        and hold at least the recipient's ``language``; an eBox message needs the recipient's national
        number, an e-mail an address, a webhook message its ``endpoint`` (``webhook:<id>``; the body is the
    JSON posted). ``attachment_provider`` is the dotted path of a callable
        ``key -> (filename, bytes, content type)``, called when the message is sent.

        Errors: ``TransactionRequired`` outside a transaction; ``ValueError`` for a malformed message (a
        programming error, not a user's).

        Side effects: one OutboxMessage row; ``deliver_message`` enqueued on commit. The same (channel, kind,
        reference, version, recipient) enqueued twice gives the first row back and sends once.
    """
    if not transaction.get_connection().in_atomic_block:
        raise TransactionRequired("message_enqueue must be called inside the caller's transaction.atomic().")
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}.")
    if language not in LANGUAGES:
        raise ValueError(f"Unknown language {language!r}; use one of {', '.join(LANGUAGES)}.")
    for name, texts in (("subjects", subjects), ("bodies", bodies)):
        unknown = set(texts) - set(LANGUAGES)
        if unknown:
            raise ValueError(f"{name} has unknown languages: {sorted(unknown)}.")
        if not texts.get(language):
            raise ValueError(f"{name} has no text in the recipient's language {language!r}.")
    if channel == Channel.EBOX and not (len(recipient_niss) == 11 and recipient_niss.isdigit()):
        raise ValueError("An eBox message needs the recipient's national number (11 digits).")
    if channel == Channel.EMAIL and not recipient_email:
        raise ValueError("An e-mail needs the recipient's address.")
    if (channel == Channel.WEBHOOK) != bool(endpoint):
        raise ValueError("A webhook message, and only it, names its endpoint.")
    if attachment_provider:
        # Fails now, in the caller's transaction, rather than at every delivery attempt.
        import_string(attachment_provider)
    elif attachment_key:
        raise ValueError("attachment_key given without attachment_provider.")

    message, created = OutboxMessage.objects.get_or_create(
        channel=channel,
        kind=kind,
        reference=reference,
        version=version,
        recipient_niss=recipient_niss,
        recipient_email=recipient_email,
        endpoint=endpoint,
        defaults={
            "subjects": {lang: str(text) for lang, text in subjects.items()},
            "bodies": {lang: str(text) for lang, text in bodies.items()},
            "language": language,
            "attachment_provider": attachment_provider,
            "attachment_key": attachment_key,
        },
    )
    if created:
        _nudge_on_commit(message.id)
    return message


def _nudge_on_commit(message_id: uuid.UUID) -> None:
    transaction.on_commit(lambda: _enqueue_delivery(message_id))


def _enqueue_delivery(
    message_id: uuid.UUID | str, *, run_after: datetime.datetime | None = None, replacing: str | None = None
) -> None:
    """Queue a delivery task and note its id on the message, so that the sweeper can tell it is queued.

    ``replacing``: the task id the caller saw on the message; if another one was noted meanwhile (a
    worker scheduled its retry), that one is kept and the task queued here will find nothing to do.
    """
    from careerbreak.mailbox.tasks import deliver_message

    task = deliver_message if run_after is None else deliver_message.using(run_after=run_after)
    result = task.enqueue(str(message_id))
    rows = OutboxMessage.objects.filter(pk=message_id)
    if replacing is not None:
        rows = rows.filter(task_id=replacing)
    rows.update(task_id=str(result.id))


# -- delivery ----------------------------------------------------------------------------------------


def _claim(message_id: uuid.UUID | str) -> OutboxMessage | None:
    """Take the message for one delivery attempt, or None if it is not ours to send now.

    The claim is committed before sending: the lease is visible to every other worker, and no
    transaction stays open while a remote service is called. The attempt number is the claim's token:
    whoever claims the row after us counts another attempt, and our later writes no longer match.
    """
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.MAILBOX_LEASE_SECONDS)
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: a row another worker is claiming right now is skipped, not waited for.
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(due_for_delivery(now), pk=message_id)
                .first()
            )
            if message is None:
                return None
            message.status = OutboxStatus.SENDING
            message.leased_until = lease
            message.attempts += 1
            message.save(update_fields=["status", "leased_until", "attempts"])
            return message
    # SQLite: the database serialises writers; the conditional UPDATE tells by its row count who won.
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(due_for_delivery(now), pk=message_id).update(
            status=OutboxStatus.SENDING, leased_until=lease, attempts=F("attempts") + 1
        )
        if claimed != 1:
            return None
        return OutboxMessage.objects.get(pk=message_id)


def backoff_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the n-th failed attempt: exponential, capped, with jitter.

    The jitter (half to all of the delay) spreads the retries of many messages that failed together
    when the eBox went down, so they do not all come back at the same second.
    """
    base = settings.MAILBOX_BACKOFF_BASE_SECONDS
    cap = settings.MAILBOX_BACKOFF_CAP_SECONDS
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    # Not a secret: the standard generator is right for jitter.
    return datetime.timedelta(seconds=random.uniform(delay / 2, delay))  # noqa: S311


def _load_attachment(message: OutboxMessage) -> Attachment | None:
    if not message.attachment_provider:
        return None
    try:
        provider: AttachmentProvider = import_string(message.attachment_provider)
    except ImportError as exc:
        raise PermanentError(f"Attachment provider {message.attachment_provider!r} not found.") from exc
    try:
        filename, content, content_type = provider(message.attachment_key)
    except Exception as exc:
        # The document may not be ready yet (rendered by another task), or its storage is down.
        raise TransientError(f"The attachment could not be read: {exc!r}") from exc
    return Attachment(filename=filename, content=bytes(content), content_type=content_type)


def message_deliver(*, message_id: uuid.UUID | str) -> str:
    """One delivery attempt of one outbox message. Safe to call any number of times, concurrently.

    Returns what happened: "delivered", "retry" (a transient failure; back to pending with a later
    next_attempt_at), "failed" (a permanent failure, or the last allowed attempt failed), or "skipped"
    (already delivered or failed, not due yet, or being sent by another worker).
    """
    message = _claim(message_id)
    if message is None:
        return "skipped"
    if message.attempts > settings.MAILBOX_MAX_ATTEMPTS:
        # Every worker that took it died on the way (a message that crashes the process, say).
        _record_failure(
            message,
            f"Delivery interrupted {message.attempts - 1} times; not tried again.",
            permanent=True,
        )
        return "failed"
    try:
        with _lease_renewed(message):
            attachment = _load_attachment(message)
            external_id = get_transport(message.channel).send(message, attachment)
    except PermanentError as exc:
        _record_failure(message, str(exc), permanent=True)
        return "failed"
    except Exception as exc:
        # TransientError, or a bug in a transport: either way the row stays and is retried.
        if not isinstance(exc, TransientError):
            logger.exception("Unexpected error delivering outbox message %s", message.id)
        return _record_failure(message, str(exc) or repr(exc), permanent=False)
    except (KeyboardInterrupt, SystemExit):
        # The worker is being stopped in the middle of the send: give the message back now rather than
        # have the next worker wait for the lease to run out. If it did reach the eBox, the next send is
        # kept once (Idempotency-Key).
        _release(message)
        raise
    _record_delivery(message, external_id)
    return "delivered"


@contextlib.contextmanager
def _lease_renewed(message: OutboxMessage) -> Iterator[None]:
    """Keep the claim on ``message`` alive while the block runs: a heartbeat renews the lease every
    third of it. The lease can then be short, so that a worker that dies is replaced within seconds,
    while a slow send is never taken over by a second worker."""
    seconds = settings.MAILBOX_LEASE_SECONDS
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(seconds / 3):
                try:
                    renewed = OutboxMessage.objects.filter(
                        pk=message.pk, status=OutboxStatus.SENDING, attempts=message.attempts
                    ).update(leased_until=timezone.now() + datetime.timedelta(seconds=seconds))
                except DatabaseError as exc:
                    # The database is away: the lease may run out, and another worker send it again.
                    logger.warning("Could not renew the lease of outbox message %s: %s", message.pk, exc)
                    connection.close()
                    continue
                if not renewed:
                    return  # no longer ours (the lease ran out and another worker claimed it)
        finally:
            # This thread's own connection.
            connection.close()

    heartbeat = threading.Thread(target=beat, name=f"lease-{message.pk}", daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join(timeout=seconds)


def _release(message: OutboxMessage) -> None:
    """Hand a claimed message back, due now, without counting a failure."""
    try:
        OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxStatus.SENDING, attempts=message.attempts
        ).update(status=OutboxStatus.PENDING, leased_until=None, next_attempt_at=timezone.now())
    except DatabaseError:
        logger.warning("Could not release outbox message %s; its lease will run out.", message.pk)


def _record_delivery(message: OutboxMessage, external_id: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        # Whoever else holds it now (our lease ran out): it was delivered, by us.
        updated = (
            OutboxMessage.objects.filter(pk=message.pk)
            .exclude(status=OutboxStatus.DELIVERED)
            .update(
                status=OutboxStatus.DELIVERED,
                delivered_at=now,
                external_id=external_id[:200],
                leased_until=None,
                last_error="",
            )
        )
        if updated:
            _audit_message(
                AuditAction.MESSAGE_DELIVERED, message, version=message.version, external_id=external_id
            )


def _audit_message(action: AuditAction, message: OutboxMessage, **data: Any) -> None:
    """A delivery event of an outbox message: which message, and how many attempts it took."""
    audit_log(
        action=action,
        object_type="outbox_message",
        object_id=str(message.pk),
        data={
            "channel": message.channel,
            "kind": message.kind,
            "reference": message.reference,
            "attempts": message.attempts,
            **data,
        },
    )


def _record_failure(message: OutboxMessage, error: str, *, permanent: bool) -> str:
    """Note a failed attempt: failed for good, or pending again after a backoff.

    If this write itself fails (the database went away), the row stays "sending" under a lease that
    nobody renews any more: it runs out within seconds and the sweeper hands the message on.
    """
    max_attempts = settings.MAILBOX_MAX_ATTEMPTS
    give_up = permanent or message.attempts >= max_attempts
    if give_up and not permanent:
        error = f"Gave up after {message.attempts} attempts. {error}"
    error = error[:MAX_ERROR_LENGTH]
    now = timezone.now()
    with transaction.atomic():
        # Only while the claim is ours: if the lease ran out and another worker claimed the row, it
        # counted another attempt and owns the row now.
        mine = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxStatus.SENDING, attempts=message.attempts
        )
        if give_up:
            updated = mine.update(status=OutboxStatus.FAILED, leased_until=None, last_error=error)
            if updated:
                _audit_message(AuditAction.MESSAGE_FAILED, message, error=error[:300])
            logger.warning("Outbox message %s failed: %s", message.pk, error)
            return "failed"
        next_attempt_at = now + backoff_delay(message.attempts)
        rescheduled = mine.update(
            status=OutboxStatus.PENDING,
            leased_until=None,
            next_attempt_at=next_attempt_at,
            last_error=error,
        )
    logger.info(
        "Outbox message %s: attempt %s failed, next at %s", message.pk, message.attempts, next_attempt_at
    )
    if rescheduled:
        _nudge_later(message.pk, next_attempt_at)
    return "retry"


def _nudge_later(message_id: uuid.UUID, when: datetime.datetime) -> None:
    """With a queue that can defer (the database backend), schedule the retry; the sweeper is the net."""
    from careerbreak.mailbox.tasks import deliver_message

    if deliver_message.get_backend().supports_defer:
        _enqueue_delivery(message_id, run_after=when)


# -- sweeping ----------------------------------------------------------------------------------------


def outbox_sweep(*, limit: int = 1000) -> int:
    """Enqueue a delivery task for every message that is due, or stuck with a dead worker's lease,
    unless the task queued for it last is still waiting to run: at most one queued task per message,
    however long the eBox is down and however often the sweeper runs.

    A delivery task still RUNNING a whole lease after it started, on a message that is due again, lost
    its worker (killed): it is marked failed and the message gets a new task.

    Returns how many were enqueued. Enqueueing one twice would be harmless anyway: the second task
    finds it claimed or delivered and does nothing.
    """
    from careerbreak.mailbox.tasks import deliver_message

    backend = deliver_message.get_backend()
    now = timezone.now()
    due = outbox_due_tasks(limit=limit, now=now)
    noted = [task_id for _message_id, task_id in due if task_id]
    taskqueue.tasks_fail_abandoned(
        backend,
        task_ids=noted,
        started_before=now - datetime.timedelta(seconds=settings.MAILBOX_LEASE_SECONDS),
        reason="The worker delivering this message stopped (its lease ran out).",
    )
    waiting = taskqueue.waiting_task_ids(backend, noted)
    enqueued = 0
    for message_id, task_id in due:
        if task_id and _same_task(task_id, waiting):
            continue
        _enqueue_delivery(message_id, replacing=task_id)
        enqueued += 1
    return enqueued


def _same_task(task_id: str, waiting: set[str]) -> bool:
    try:
        return str(uuid.UUID(task_id)) in waiting
    except ValueError:
        return False


def deliver_due(limit: int = 100) -> dict[str, int]:
    """Deliver what is due right here, without the task queue. Returns a count per outcome."""
    outcomes: dict[str, int] = {}
    for message_id in outbox_due_ids(limit=limit):
        outcome = message_deliver(message_id=message_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


# -- administrators ----------------------------------------------------------------------------------


def message_retry(*, message_id: uuid.UUID | str, actor_niss: str = "") -> bool:
    """Give a failed (or waiting) message a fresh set of attempts, now. Returns whether it was retried.

    Side effects: the row back to pending with no attempts counted, an audit event, a delivery task
    enqueued on commit. A delivered message or one being sent is left alone.
    """
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(
            pk=message_id, status__in=[OutboxStatus.FAILED, OutboxStatus.PENDING]
        ).update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), leased_until=None)
        if not updated:
            return False
        audit_log(
            action=AuditAction.MESSAGE_RETRIED,
            actor_niss=actor_niss,
            object_type="outbox_message",
            object_id=str(message_id),
        )
        _nudge_on_commit(uuid.UUID(str(message_id)))
    return True


# -- the worker's eBox -------------------------------------------------------------------------------


def ebox_mark_read(*, acting: AuditActor, message_id: uuid.UUID | str) -> EboxMessage:
    """The recipient (``acting`` for themselves) opened a message of their eBox: note when, the first time
    (and audit it).

    Errors: ``NotFound`` if the message is not this person's.
    """
    niss = acting.niss
    with transaction.atomic():
        message = ebox_message_for(niss, message_id)
        if message.read_at is None:
            now = timezone.now()
            EboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
            message.read_at = now
            audit_log(
                action=AuditAction.MESSAGE_READ,
                actor_niss=niss,
                subject_niss=niss,
                object_type="ebox_message",
                object_id=str(message.pk),
                acting=acting,
                data={"kind": message.kind, "reference": message.reference, "version": message.version},
            )
    return message


def ebox_attachment_download(*, acting: AuditActor, message_id: str) -> Attachment:
    """The attachment of one of the person's eBox messages (``acting`` for themselves), audited as a
    download of their document. Errors: ``NotFound`` if the message is not theirs or has none."""
    attachment = ebox_attachment_for(acting.niss, message_id)
    audit_log(
        action=AuditAction.DOCUMENT_DOWNLOADED,
        acting=acting,
        subject_niss=acting.niss,
        object_type="ebox_message",
        object_id=message_id,
        data={"filename": attachment.filename},
    )
    return attachment
