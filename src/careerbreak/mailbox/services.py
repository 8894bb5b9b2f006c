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
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.module_loading import import_string

from careerbreak.core import taskqueue
from careerbreak.core.audit import AuditActor, audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.models import AuditEvent
from careerbreak.core.tasks import gather
from careerbreak.mailbox.models import (
    LANGUAGES,
    ONE_PER_VERSION,
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
    DeliveryError,
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

    message = OutboxMessage(
        channel=channel,
        kind=kind,
        reference=reference,
        version=version,
        recipient_niss=recipient_niss,
        recipient_email=recipient_email,
        endpoint=endpoint,
        subjects={lang: str(text) for lang, text in subjects.items()},
        bodies={lang: str(text) for lang, text in bodies.items()},
        language=language,
        attachment_provider=attachment_provider,
        attachment_key=attachment_key,
    )
    message_id = _insert_once(message)
    created = message_id == message.id
    if not created:
        message = OutboxMessage.objects.get(pk=message_id)
    if created:
        _nudge_on_commit(message.id)
    return message


def _insert_once(message: OutboxMessage) -> uuid.UUID:
    """Insert ``message`` unless a row with its channel, kind, reference, version and recipient exists;
    the id of the row that holds them (``message``'s when it was inserted). One statement, ``INSERT … ON
    CONFLICT (that unique key) DO UPDATE SET channel = EXCLUDED.channel RETURNING id`` (the update
    changes nothing: it is there so that the existing row's id is returned), instead of a select, a
    savepoint and the insert (``get_or_create``). PostgreSQL, and SQLite from 3.35."""
    meta = OutboxMessage._meta
    rows = OutboxMessage.objects._insert(  # type: ignore[attr-defined]
        [message],
        fields=[field for field in meta.concrete_fields if not field.generated],
        returning_fields=[meta.pk],
        on_conflict=OnConflict.UPDATE,
        update_fields=[meta.get_field("channel")],
        unique_fields=[meta.get_field(name) for name in ONE_PER_VERSION],
    )
    (returned,) = rows[0]
    return uuid.UUID(str(returned))


class _Nudge:
    """The delivery task queued when a transaction commits, for the messages it wrote (up to
    ``MAILBOX_BATCH_SIZE``): a service, or a batch of them, that writes many messages in one transaction
    queues a few tasks, not one per message.

    Registered with ``transaction.on_commit``, so it is discarded with the transaction, or with the
    savepoint it was registered in; a message written in a deeper savepoint that is rolled back leaves
    its id here, and the task finds no such message (nothing to do).
    """

    def __init__(self) -> None:
        self.message_ids: list[uuid.UUID] = []

    def __call__(self) -> None:
        # Inside ``core.tasks.tasks_gathered`` (the API's batch task), with the messages of the next
        # transactions, up to MAILBOX_BATCH_SIZE a task.
        gather(_enqueue_committed, self.message_ids, size=settings.MAILBOX_BATCH_SIZE)


def _enqueue_committed(message_ids: list[uuid.UUID]) -> None:
    _enqueue_deliveries([(message_id, None) for message_id in message_ids])


def _nudge_on_commit(message_id: uuid.UUID) -> None:
    connection_ = transaction.get_connection()
    open_savepoints = set(connection_.savepoint_ids)
    # The last nudge of this transaction that commits with the message: registered at this savepoint
    # level or an outer one still open (if that one is rolled back, so is the message). Django keeps
    # the pending callbacks with the savepoints they were registered in.
    for savepoints, callback, _robust in reversed(connection_.run_on_commit):
        if isinstance(callback, _Nudge) and set(savepoints) <= open_savepoints:
            if len(callback.message_ids) < settings.MAILBOX_BATCH_SIZE:
                callback.message_ids.append(message_id)
                return
            break
    nudge = _Nudge()
    nudge.message_ids.append(message_id)
    transaction.on_commit(nudge)


def _enqueue_delivery(
    message_id: uuid.UUID | str, *, run_after: datetime.datetime | None = None, replacing: str | None = None
) -> None:
    """Queue a delivery task for one message (see ``_enqueue_deliveries``)."""
    _enqueue_deliveries([(message_id, replacing)], run_after=run_after)


def _enqueue_deliveries(
    messages: Sequence[tuple[uuid.UUID | str, str | None]], *, run_after: datetime.datetime | None = None
) -> None:
    """Queue one delivery task for these messages and note its id on them, so that the sweeper can tell
    they are queued.

    Each message comes with ``replacing``: the task id the caller saw on it (or None, whatever is
    noted); if another one was noted meanwhile (a worker scheduled its retry), that one is kept and the
    task queued here will find nothing to do for that message.
    """
    from careerbreak.mailbox.tasks import deliver_message

    if not messages:
        return
    task = deliver_message if run_after is None else deliver_message.using(run_after=run_after)
    result = task.enqueue(*(str(message_id) for message_id, _replacing in messages))
    noted = Q(pk__in=[message_id for message_id, replacing in messages if replacing is None])
    for message_id, replacing in messages:
        if replacing is not None:
            noted |= Q(pk=message_id, task_id=replacing)
    OutboxMessage.objects.filter(noted).update(task_id=str(result.id))


# -- delivery ----------------------------------------------------------------------------------------


def _claim(message_ids: Sequence[uuid.UUID | str]) -> list[OutboxMessage]:
    """Take those of the messages that are ours to send now, for one delivery attempt each.

    The claim is one transaction, committed before sending: the leases are visible to every other
    worker, and no transaction stays open while a remote service is called. The attempt number is the
    claim's token: whoever claims a row after us counts another attempt, and our later writes to it no
    longer match.
    """
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.MAILBOX_LEASE_SECONDS)
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: a row another worker is claiming right now is skipped, not waited for.
        with transaction.atomic():
            messages = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(due_for_delivery(now), pk__in=message_ids)
                .order_by()
            )
            if messages:
                OutboxMessage.objects.filter(pk__in=[message.pk for message in messages]).update(
                    status=OutboxStatus.SENDING, leased_until=lease, attempts=F("attempts") + 1
                )
            for message in messages:
                message.status = OutboxStatus.SENDING
                message.leased_until = lease
                message.attempts += 1
            return messages
    # SQLite: the database serialises writers; each conditional UPDATE tells by its row count who won.
    with transaction.atomic():
        won = [
            message_id
            for message_id in message_ids
            if OutboxMessage.objects.filter(due_for_delivery(now), pk=message_id).update(
                status=OutboxStatus.SENDING, leased_until=lease, attempts=F("attempts") + 1
            )
        ]
        return list(OutboxMessage.objects.filter(pk__in=won).order_by()) if won else []


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


class _Attachments:
    """The attachments of one delivery run: each document read (and checked against its SHA-256 by its
    provider) once, however many messages of the run carry it. A failure to read it is kept too: the
    other messages of the run that carry it fail the same way, without asking the storage again."""

    def __init__(self) -> None:
        self._read: dict[tuple[str, str], Attachment | DeliveryError | None] = {}

    def for_message(self, message: OutboxMessage) -> Attachment | None:
        key = (message.attachment_provider, message.attachment_key)
        if key not in self._read:
            try:
                self._read[key] = _load_attachment(message)
            except DeliveryError as exc:
                self._read[key] = exc
        read = self._read[key]
        if isinstance(read, DeliveryError):
            raise type(read)(str(read))
        return read


def message_deliver(*, message_id: uuid.UUID | str) -> str:
    """One delivery attempt of one outbox message. Safe to call any number of times, concurrently.

    Returns what happened: "delivered", "retry" (a transient failure; back to pending with a later
    next_attempt_at), "failed" (a permanent failure, or the last allowed attempt failed), or "skipped"
    (already delivered or failed, not due yet, or being sent by another worker).
    """
    return messages_deliver(message_ids=[message_id])[str(message_id)]


def messages_deliver(*, message_ids: Sequence[uuid.UUID | str]) -> dict[str, str]:
    """One delivery attempt of each of these outbox messages, in one run: those that are due are claimed
    together (one transaction), each attachment is read once, the transport's token and connections
    serve them all, and the deliveries are recorded together (one transaction a second at most).
    Safe to call any number of times, concurrently: a message claimed by another run is skipped.

    Returns the outcome of each message by its id, as ``message_deliver`` says it. A message that fails
    is recorded at once (retry with backoff, or failed) and the others go on.
    """
    outcomes = {str(message_id): "skipped" for message_id in message_ids}
    order = {message_id: index for index, message_id in enumerate(outcomes)}
    # Sent in the order given (the sweeper gives the longest due first).
    claimed = sorted(_claim(list(outcomes)), key=lambda message: order[str(message.pk)])
    if not claimed:
        return outcomes
    attachments = _Attachments()
    delivered: list[tuple[OutboxMessage, str]] = []
    first_unrecorded = 0.0
    remaining = list(claimed)
    with _leases_renewed(claimed):
        while remaining:
            message = remaining.pop(0)
            try:
                outcomes[str(message.pk)] = _attempt(message, attachments, delivered)
            except (KeyboardInterrupt, SystemExit):
                # The worker is being stopped in the middle of the run: record what was delivered and
                # give the rest back now rather than have the next worker wait for the leases to run
                # out. If the message in hand did reach the eBox, its next send is kept once
                # (Idempotency-Key).
                _record_deliveries(delivered)
                _release([message, *remaining])
                raise
            if remaining and taskqueue.stopping.is_set():
                # The worker was asked to stop: the others go back, due now, to another worker.
                _record_deliveries(delivered)
                _release(remaining)
                return outcomes
            if delivered and not first_unrecorded:
                first_unrecorded = time.monotonic()
            if delivered and (not remaining or time.monotonic() - first_unrecorded >= RECORD_EVERY_SECONDS):
                _record_deliveries(delivered)
                delivered = []
                first_unrecorded = 0.0
    return outcomes


# Deliveries of a run are recorded together, at the end of the run or once the oldest one waited this
# long: "delivered" shows soon, and one transaction serves many messages.
RECORD_EVERY_SECONDS = 1.0


def _attempt(
    message: OutboxMessage, attachments: _Attachments, delivered: list[tuple[OutboxMessage, str]]
) -> str:
    """Send one claimed message. A delivery is appended to ``delivered`` (recorded by the caller); a
    failure is recorded here and now."""
    if message.attempts > settings.MAILBOX_MAX_ATTEMPTS:
        # Every worker that took it died on the way (a message that crashes the process, say).
        return _record_failure(
            message, f"Delivery interrupted {message.attempts - 1} times; not tried again.", permanent=True
        )
    try:
        attachment = attachments.for_message(message)
        external_id = get_transport(message.channel).send(message, attachment)
    except PermanentError as exc:
        return _record_failure(message, str(exc), permanent=True)
    except Exception as exc:
        # TransientError, or a bug in a transport: either way the row stays and is retried.
        if not isinstance(exc, TransientError):
            logger.exception("Unexpected error delivering outbox message %s", message.id)
        return _record_failure(message, str(exc) or repr(exc), permanent=False)
    delivered.append((message, external_id))
    return "delivered"


def _claimed_by_us(messages: Sequence[OutboxMessage]) -> Q:
    """These rows while still claimed by our attempt (nobody claimed them since, nobody recorded them)."""
    mine = Q(pk__in=[])
    for message in messages:
        mine |= Q(pk=message.pk, attempts=message.attempts)
    return mine & Q(status=OutboxStatus.SENDING)


@contextlib.contextmanager
def _leases_renewed(messages: Sequence[OutboxMessage]) -> Iterator[None]:
    """Keep the claims on ``messages`` alive while the block runs: a heartbeat renews their leases every
    third of a lease. The lease can then be short, so that a worker that dies is replaced within
    seconds, while a slow send is never taken over by a second worker. A message recorded meanwhile
    (delivered, failed, back to pending) is no longer renewed."""
    seconds = settings.MAILBOX_LEASE_SECONDS
    stop = threading.Event()
    label = messages[0].pk if len(messages) == 1 else f"{messages[0].pk}+{len(messages) - 1}"

    def beat() -> None:
        try:
            while not stop.wait(seconds / 3):
                try:
                    renewed = OutboxMessage.objects.filter(_claimed_by_us(messages)).update(
                        leased_until=timezone.now() + datetime.timedelta(seconds=seconds)
                    )
                except DatabaseError as exc:
                    # The database is away: the lease may run out, and another worker send it again.
                    logger.warning("Could not renew the lease of outbox message %s: %s", label, exc)
                    connection.close()
                    continue
                if not renewed:
                    return  # none is ours any more (recorded, or the lease ran out and another took it)
        finally:
            # This thread's own connection.
            connection.close()

    heartbeat = threading.Thread(target=beat, name=f"lease-{label}", daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join(timeout=seconds)


def _release(messages: Sequence[OutboxMessage]) -> None:
    """Hand claimed messages back, due now, without counting a failure."""
    try:
        OutboxMessage.objects.filter(_claimed_by_us(messages)).update(
            status=OutboxStatus.PENDING, leased_until=None, next_attempt_at=timezone.now()
        )
    except DatabaseError:
        logger.warning("Could not release outbox messages %s; their leases will run out.", messages)


def _record_deliveries(delivered: Sequence[tuple[OutboxMessage, str]]) -> None:
    """Mark the messages delivered, with an audit row each, in one transaction.

    Whoever else holds a message now (our lease ran out and another worker claimed it): it was
    delivered, by us. One already marked delivered (by that other worker) is left alone and not audited
    twice. If this transaction fails (the database went away), the messages stay "sending" under
    leases nobody renews: sent again once they run out, they are kept once (Idempotency-Key).
    """
    if not delivered:
        return
    now = timezone.now()
    external_ids = {message.pk: external_id[:200] for message, external_id in delivered}
    with transaction.atomic():
        undelivered = OutboxMessage.objects.filter(pk__in=external_ids).exclude(status=OutboxStatus.DELIVERED)
        fields = {
            "status": OutboxStatus.DELIVERED,
            "delivered_at": now,
            "leased_until": None,
            "last_error": "",
        }
        if connection.features.has_select_for_update:
            # PostgreSQL: lock the rows still to mark, then one UPDATE for all of them.
            mine = set(undelivered.select_for_update().order_by().values_list("pk", flat=True))
            if mine:
                OutboxMessage.objects.filter(pk__in=mine).update(
                    external_id=Case(
                        *(When(pk=pk, then=Value(external_ids[pk])) for pk in mine), default=F("external_id")
                    ),
                    **fields,
                )
        else:
            # SQLite: the conditional UPDATE's row count says whether it was still to mark.
            mine = {
                pk
                for pk, external_id in external_ids.items()
                if undelivered.filter(pk=pk).update(external_id=external_id, **fields)
            }
        AuditEvent.objects.bulk_create(
            [
                _message_event(
                    AuditAction.MESSAGE_DELIVERED, message, version=message.version, external_id=external_id
                )
                for message, external_id in delivered
                if message.pk in mine
            ]
        )


def _message_event(action: AuditAction, message: OutboxMessage, **data: Any) -> AuditEvent:
    """A delivery event of an outbox message: which message, and how many attempts it took."""
    return AuditEvent(
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


def _audit_message(action: AuditAction, message: OutboxMessage, **data: Any) -> None:
    """A delivery event of an outbox message, written now (see ``_message_event``)."""
    _message_event(action, message, **data).save(force_insert=True)


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
    unqueued = [
        (message_id, task_id) for message_id, task_id in due if not (task_id and _same_task(task_id, waiting))
    ]
    # Several messages a task (ADR 0029): after an outage, the backlog goes out in batches.
    batch = settings.MAILBOX_BATCH_SIZE
    for first in range(0, len(unqueued), batch):
        _enqueue_deliveries(unqueued[first : first + batch])
    return len(unqueued)


def _same_task(task_id: str, waiting: set[str]) -> bool:
    try:
        return str(uuid.UUID(task_id)) in waiting
    except ValueError:
        return False


def deliver_due(limit: int = 100) -> dict[str, int]:
    """Deliver what is due right here, without the task queue. Returns a count per outcome."""
    outcomes: dict[str, int] = {}
    due = outbox_due_ids(limit=limit)
    batch = settings.MAILBOX_BATCH_SIZE
    for first in range(0, len(due), batch):
        for outcome in messages_deliver(message_ids=due[first : first + batch]).values():
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
