"""The store behind ``Idempotency-Key`` (api/idempotency.py): one row per client and key.

``idempotency_begin`` claims the key before the call runs (the unique constraint makes two concurrent
claims one winner); ``idempotency_finish`` keeps the answer; ``idempotency_release`` frees the key of a
call that failed without an answer worth replaying. Keys are kept ``API_IDEMPOTENCY_KEEP_HOURS`` (never
fewer than ``IDEMPOTENCY_MIN_HOURS``, the 24 hours the API promises); an older row is taken over by the
next use of its key, and deleted by ``manage.py prune_api``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from careerbreak.identity.models import ApiClient, IdempotencyKey

# What the API promises (docs/api.md): a smaller API_IDEMPOTENCY_KEEP_HOURS counts as this.
IDEMPOTENCY_MIN_HOURS = 24


@dataclass(frozen=True)
class Claim:
    """What ``idempotency_begin`` found: ``new`` (run the call), ``replay`` (the stored answer),
    ``mismatch`` (the key was used for another body or operation) or ``in_progress``."""

    outcome: str
    row: IdempotencyKey | None = None


def idempotency_keep_hours() -> float:
    return max(float(IDEMPOTENCY_MIN_HOURS), float(settings.API_IDEMPOTENCY_KEEP_HOURS))


def idempotency_expired_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Rows created before this moment are past their keeping time."""
    return (now or timezone.now()) - datetime.timedelta(hours=idempotency_keep_hours())


def idempotency_begin(*, client: ApiClient, key: str, operation: str, fingerprint: str) -> Claim:
    """Claim ``key`` for ``client``'s call, or say why not. Writes the in-progress row for a new key;
    deletes the client's rows of this key older than the keeping time first."""
    IdempotencyKey.objects.filter(
        client=client, key=key, created_at__lt=idempotency_expired_before()
    ).delete()
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(
                client=client, key=key, operation=operation, fingerprint=fingerprint
            )
        return Claim("new", row)
    except IntegrityError:
        pass
    existing = IdempotencyKey.objects.filter(client=client, key=key).first()
    if existing is None:  # released between the two statements: the caller may try again
        return Claim("in_progress")
    if existing.operation != operation or existing.fingerprint != fingerprint:
        return Claim("mismatch", existing)
    if existing.status is None:
        return Claim("in_progress", existing)
    return Claim("replay", existing)


def idempotency_finish(
    *, row: IdempotencyKey, status: int, content_type: str, body: str, headers: dict[str, str]
) -> None:
    """Keep the answer of the call that claimed ``row``, to replay it."""
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status=status, content_type=content_type, body=body, headers=headers
    )


def idempotency_release(*, row: IdempotencyKey) -> None:
    """Free the key of a call that ended without an answer to keep (a server error)."""
    IdempotencyKey.objects.filter(pk=row.pk, status__isnull=True).delete()
