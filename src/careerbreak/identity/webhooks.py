"""API clients' webhooks: registered, listed, deleted; and what a delivery needs to sign (ADR 0021).

The signing secret is random, shown once when the webhook is registered, and kept encrypted with a key
derived from ``WEBHOOK_SECRET_KEY`` (Fernet: AES-128-CBC and HMAC-SHA256). It cannot be only hashed, as a
client secret is: we never compare it, we sign every delivery with it. A dump of the database alone
does not give the secrets; the key lives in the settings, not in the database.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from careerbreak.core.audit import AuditActor, audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.identity.models import ApiClient, Domain, Mandate, Webhook
from careerbreak.registries.models import Enterprise

# A client's webhooks, at most: each event is delivered to every one of them.
MAX_WEBHOOKS_PER_CLIENT = 5
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _fernet() -> Fernet:
    key = hashlib.sha256(b"careerbreak.webhook-secret:" + settings.WEBHOOK_SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode("ascii")


def open_secret(sealed: str) -> str:
    """The secret in clear. Raises ``InvalidToken`` if ``WEBHOOK_SECRET_KEY`` changed since it was sealed."""
    return _fernet().decrypt(sealed.encode("ascii")).decode()


def check_webhook_url(url: str) -> str:
    """The URL, or DomainError (field ``url``): HTTPS only, but for localhost where
    ``WEBHOOK_ALLOW_LOCAL_HTTP`` (development and the tests' local receiver)."""
    url = url.strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password or len(url) > 500 or not url.isprintable():
        raise DomainError(_("Give the full address of your webhook, starting with https://."), field="url")
    local_http = parts.scheme == "http" and host in LOCAL_HOSTS and settings.WEBHOOK_ALLOW_LOCAL_HTTP
    if parts.scheme != "https" and not local_http:
        raise DomainError(_("A webhook address must start with https://."), field="url")
    return url


def webhook_register(*, acting: AuditActor, client: ApiClient, url: str) -> tuple[Webhook, str]:
    """Register ``url`` for ``client``'s events. Returns the webhook and its signing secret, which is
    never shown again.

    Errors: DomainError (``url``: not HTTPS, malformed; ``limit``: the client has
    ``MAX_WEBHOOKS_PER_CLIENT`` already). Side effects: the webhook row and an audit event.
    """
    url = check_webhook_url(url)
    with transaction.atomic():
        # The client row is locked so that two registrations at once cannot pass the limit together.
        ApiClient.objects.select_for_update().filter(pk=client.pk).first()
        if Webhook.objects.active().filter(client=client).count() >= MAX_WEBHOOKS_PER_CLIENT:
            raise DomainError(
                _("A client has at most %(count)s webhooks: delete one first.")
                % {"count": MAX_WEBHOOKS_PER_CLIENT},
                field="url",
                code="limit",
            )
        secret = "whsec_" + secrets.token_urlsafe(32)
        webhook = Webhook.objects.create(client=client, url=url, secret_encrypted=seal_secret(secret))
        audit_log(
            action=AuditAction.WEBHOOK_REGISTERED,
            acting=acting,
            enterprise_number=client.enterprise.number,
            object_type="webhook",
            object_id=webhook.pk,
            data={"client_id": client.client_id, "url": url},
        )
    return webhook, secret


def webhooks_of(*, client: ApiClient) -> list[Webhook]:
    """The client's webhooks (not deleted), oldest first."""
    return list(Webhook.objects.active().filter(client=client))


def webhook_delete(*, acting: AuditActor, client: ApiClient, webhook_id: int) -> None:
    """Stop delivering to a webhook of ``client``. Deliveries already queued fail permanently.

    Errors: NotFound (no such webhook of this client). Side effects: ``deleted_at`` and an audit event.
    """
    with transaction.atomic():
        updated = (
            Webhook.objects.active().filter(client=client, pk=webhook_id).update(deleted_at=timezone.now())
        )
        if not updated:
            raise NotFound("webhook not found")
        audit_log(
            action=AuditAction.WEBHOOK_DELETED,
            acting=acting,
            enterprise_number=client.enterprise.number,
            object_type="webhook",
            object_id=webhook_id,
            data={"client_id": client.client_id},
        )


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret: str


def webhook_target(endpoint: str) -> WebhookTarget | None:
    """Where and how to deliver to ``endpoint`` (``webhook:<id>``, as the outbox row names it): None
    once the webhook is deleted or its client revoked. The mailbox's webhook transport calls it by its
    dotted path (``MAILBOX_WEBHOOK_TARGETS``)."""
    kind, _sep, key = endpoint.partition(":")
    if kind != "webhook" or not key.isdigit():
        return None
    webhook = Webhook.objects.active().filter(pk=int(key)).first()
    if webhook is None:
        return None
    try:
        return WebhookTarget(url=webhook.url, secret=open_secret(webhook.secret_encrypted))
    except InvalidToken:
        return None


# Inside ``webhook_endpoints_kept()``: the endpoints read, by enterprise and day.
_kept: ContextVar[dict[tuple[int, datetime.date], list[str]] | None] = ContextVar(
    "webhook_endpoints_kept", default=None
)


@contextmanager
def webhook_endpoints_kept() -> Iterator[None]:
    """A block (one run of the API's batch task: at most ``batches.RUN_ITEMS`` items, seconds) in which
    ``webhook_endpoints_for`` reads each enterprise's webhooks of a day once, not once per event. A
    webhook registered during the block receives the events written after it (the next run's); one
    deleted, or whose client is revoked, during the block receives nothing: its outbox rows find no
    target when they are sent (``webhook_target``). ADR 0037."""
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def webhook_endpoints_for(*, enterprise: Enterprise, on: datetime.date) -> list[str]:
    """The outbox endpoints (``webhook:<id>``) of the live webhooks that receive ``enterprise``'s events
    of day ``on``: those of its own API clients and of the social secretariats holding its mandate on that
    day. One query (none for an enterprise and day already read inside ``webhook_endpoints_kept``)."""
    kept = _kept.get()
    if kept is None:
        return _webhook_endpoints(enterprise, on)
    key = (enterprise.pk, on)
    if key not in kept:
        kept[key] = _webhook_endpoints(enterprise, on)
    return list(kept[key])


def _webhook_endpoints(enterprise: Enterprise, on: datetime.date) -> list[str]:
    mandated = Mandate.objects.valid_on(on).filter(
        domain=Domain.CAREER_BREAK,
        employer=enterprise,
        secretariat=OuterRef("client__enterprise"),
        secretariat__is_social_secretariat=True,
    )
    rows = Webhook.objects.active().filter(Q(client__enterprise=enterprise) | Q(Exists(mandated)))
    return [f"webhook:{pk}" for pk in rows.values_list("pk", flat=True)]
