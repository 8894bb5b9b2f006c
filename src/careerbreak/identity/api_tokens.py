"""Access tokens: issued by the token endpoint, checked on every call. Opaque and random; the database
keeps only their SHA-256, so a leaked table gives no usable token."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from careerbreak.identity.models import ApiAccessToken, ApiClient


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_access_token(*, client: ApiClient, scopes: Iterable[str]) -> tuple[str, ApiAccessToken]:
    """A new bearer token for ``client`` with ``scopes`` (already checked against what it may ask)."""
    token = secrets.token_urlsafe(32)
    row = ApiAccessToken.objects.create(
        token_hash=token_hash(token),
        client=client,
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + datetime.timedelta(seconds=settings.API_TOKEN_LIFETIME),
    )
    return token, row


def token_lookup(token: str) -> ApiAccessToken | None:
    """The live token (not expired, its client not revoked), or None."""
    return (
        ApiAccessToken.objects.select_related("client", "client__enterprise", "client__registered_by")
        .filter(
            token_hash=token_hash(token),
            expires_at__gt=timezone.now(),
            client__revoked_at__isnull=True,
        )
        .first()
    )
