"""The outbox (what must be delivered, and how far it got) and the local eBox (what was delivered there).

An ``OutboxMessage`` is written in the transaction of the change that causes it; delivery happens later,
by a task that only nudges the row (see services.message_deliver and docs/adr/0008-outbox.md). An
``EboxMessage`` is a message in the worker's eBox as kept by the local eBox transport, the default when
no eBox REST API is configured.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careerbreak.vocabularies import Language

# One vocabulary for languages (ADR 0011); the tuple is what message texts are keyed by.
LANGUAGES: tuple[str, ...] = tuple(Language.values)


class Channel(models.TextChoices):
    EBOX = "ebox", _("eBox")
    EMAIL = "email", _("E-mail")
    # An event posted to an API client's webhook (``endpoint``), signed with its secret.
    WEBHOOK = "webhook", _("Webhook")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    # Permanent: the transport refused the message, or every attempt failed. Only an administrator's
    # "retry" moves it on.
    FAILED = "failed", _("Failed")


# What makes a message one: its channel, kind, reference, version and recipient (the unique constraint
# ``outbox_one_per_version``; ``services.message_enqueue`` inserts on conflict with it).
ONE_PER_VERSION = (
    "channel",
    "kind",
    "reference",
    "version",
    "recipient_niss",
    "recipient_email",
    "endpoint",
)


class OutboxMessage(models.Model):
    """One message to deliver to one recipient through one channel.

    The id is sent as the Idempotency-Key: a message sent twice (a worker died after sending and before
    recording it) is kept once by the receiving side.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient_niss = models.CharField(_("recipient's national number"), max_length=11, blank=True)
    recipient_email = models.EmailField(_("recipient's e-mail address"), blank=True)
    # A webhook message: whose (``webhook:<id>``); its address and secret are looked up when it is sent.
    endpoint = models.CharField(max_length=64, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=64)
    reference = models.CharField(_("reference"), max_length=64, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    subjects = models.JSONField(_("subjects"), default=dict)
    bodies = models.JSONField(_("bodies"), default=dict)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    # Dotted path of a callable key -> (filename, bytes, content type); the document is fetched when it
    # is sent, not copied into the outbox.
    attachment_provider = models.CharField(_("attachment provider"), max_length=200, blank=True)
    attachment_key = models.CharField(_("attachment key"), max_length=200, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # While status is "sending": until when the worker that claimed it may finish. Past that, the worker
    # is presumed dead and the sweeper hands the message to another.
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    # The delivery task last queued for it: the sweeper queues another only once that one has finished
    # or was lost with its worker, so that an outage never multiplies the queue.
    task_id = models.CharField(_("delivery task"), max_length=64, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    external_id = models.CharField(_("identifier at the recipient's side"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        permissions = [("retry_outboxmessage", _("Can send an outbox message again"))]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        constraints = [
            # One message per recipient, channel and version of a thing: a service that runs twice
            # does not send twice.
            models.UniqueConstraint(fields=list(ONE_PER_VERSION), name="outbox_one_per_version"),
            models.CheckConstraint(
                condition=~Q(channel="ebox") | Q(recipient_niss__regex=r"^[0-9]{11}$"),
                name="outbox_ebox_needs_niss",
            ),
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(recipient_email=""),
                name="outbox_email_needs_address",
            ),
            models.CheckConstraint(
                condition=~Q(channel="webhook") | ~Q(endpoint=""), name="outbox_webhook_needs_endpoint"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} v{self.version} → {self.channel} ({self.status})"

    @property
    def subject(self) -> str:
        """The subject in the recipient's language."""
        return str(self.subjects.get(self.language, ""))

    @property
    def body(self) -> str:
        """The body in the recipient's language."""
        return str(self.bodies.get(self.language, ""))


@dataclass(frozen=True)
class EboxText:
    subject: str
    body: str
    language: str


class EboxMessage(models.Model):
    """A message in a citizen's eBox, as kept by the local eBox transport ("Mon eBox")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The outbox message it came from (the Idempotency-Key): a redelivery finds this row again.
    outbox_message_id = models.UUIDField(unique=True, editable=False)
    recipient_niss = models.CharField(_("recipient's national number"), max_length=11, db_index=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    subjects = models.JSONField(_("subjects"), default=dict)
    bodies = models.JSONField(_("bodies"), default=dict)
    kind = models.CharField(_("kind"), max_length=64)
    reference = models.CharField(_("reference"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The attachment lives in the row: written in the same transaction, never an orphan file.
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    attachment_content_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment_data = models.BinaryField(_("attachment"), blank=True, default=b"")
    attachment_size = models.PositiveIntegerField(_("attachment size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("eBox message")
        verbose_name_plural = _("eBox messages")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_niss__regex=r"^[0-9]{11}$"), name="ebox_message_niss_shape"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.recipient_niss})"

    def text_in(self, language: str) -> EboxText:
        """Subject and body in ``language`` when the message carries it, else in the message's own, with
        the language they are written in (the pages mark it with ``lang=``, issue 15)."""
        if self.subjects.get(language) and self.bodies.get(language):
            return EboxText(str(self.subjects[language]), str(self.bodies[language]), language)
        return EboxText(self.subject, self.body, self.language)

    @property
    def has_attachment(self) -> bool:
        return bool(self.attachment_name)
