"""Deleting the API's rows nothing needs any longer (``manage.py prune_api``, run hourly by the outbox
sweeper): access tokens past their expiry, assertion ``jti`` rows past theirs (plus the clock leeway
the token endpoint grants), and ``Idempotency-Key`` rows older than their keeping time.

Each rule is the same as the one the live code applies: an expired token is refused
(``api_tokens.token_lookup``), an assertion past ``exp`` + ``LEEWAY`` is refused before its jti is
looked at (``api_clients``), and an idempotency row older than the keeping time is taken over by the
next use of its key (``identity.idempotency``). Deleting them changes no answer.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from careerbreak.identity.api_clients import LEEWAY
from careerbreak.identity.idempotency import idempotency_expired_before
from careerbreak.identity.models import ApiAccessToken, ApiAssertionJti, IdempotencyKey


def _delete(rows: QuerySet[ApiAccessToken] | QuerySet[ApiAssertionJti] | QuerySet[IdempotencyKey]) -> int:
    # The count of the rows of the model itself (no cascade hangs on these rows).
    return rows.delete()[0]


def api_rows_prune(*, now: datetime.datetime) -> dict[str, int]:
    """Delete, as of ``now``, the expired tokens, the jti rows no assertion can replay any more, and
    the idempotency keys past their keeping time; the count deleted of each."""
    return {
        "access_tokens": _delete(ApiAccessToken.objects.filter(expires_at__lte=now)),
        "assertion_jtis": _delete(
            ApiAssertionJti.objects.filter(expires_at__lt=now - datetime.timedelta(seconds=LEEWAY))
        ),
        "idempotency_keys": _delete(
            IdempotencyKey.objects.filter(created_at__lt=idempotency_expired_before(now))
        ),
    }
