"""Access tokens: issued by the token endpoint, checked on every call. Opaque and random; the database
keeps only their SHA-256, so a leaked table gives no usable token."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.utils import timezone

from careerbreak.core.sqlrows import Columns, columns, fetch, instance, optional_instance, select_list, table
from careerbreak.identity.models import ApiAccessToken, ApiClient, Domain, Mandate, User
from careerbreak.registries.models import Enterprise


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
    found = token_and_mandate(token, employer_number="")
    return found[0] if found is not None else None


def token_and_mandate(token: str, *, employer_number: str) -> tuple[ApiAccessToken, Mandate | None] | None:
    """The live token (not expired, its client not revoked) with its client, the client's enterprise and
    registrant, and in the same query the mandate that the employer ``employer_number`` gave the client's
    enterprise valid today (career-break domain; with its employer), or None (no such token).

    What ``ApiAccessToken.objects.select_related(…).filter(…).first()`` and
    ``identity.access.organisation_access``'s mandate query read, in one statement read again on every
    call (ADR 0030): nothing is kept, so a revoked client, an expired token or an ended mandate is refused
    at the very next call. SQL rather than the ORM, whose compiling of these two queries was a fifth of a
    validation's CPU; only the models' table and column names go into the text, values are parameters.
    """
    sql, parts = _token_sql(ApiAccessToken._default_manager.db)
    day = timezone.localdate()
    params = [employer_number, Domain.CAREER_BREAK, day, day, token_hash(token), timezone.now()]
    # Prepared (ADR 0034): planning this join was 1 ms of PostgreSQL's CPU per call, its run 0.1 ms.
    rows = fetch(ApiAccessToken, sql, params, *parts, prepared=True)
    if not rows:
        return None
    values = rows[0]
    found: ApiAccessToken = instance(ApiAccessToken, "t", parts[0], values[0])
    client: ApiClient = instance(ApiClient, "c", parts[1], values[1])
    client.enterprise = instance(Enterprise, "e", parts[2], values[2])
    client.registered_by = instance(User, "u", parts[3], values[3])
    found.client = client
    mandate: Mandate | None = optional_instance(Mandate, "m", parts[4], values[4])
    if mandate is not None:
        mandate.secretariat = client.enterprise
        mandate.employer = instance(Enterprise, "me", parts[5], values[5])
    return found, mandate


@cache
def _token_sql(using: str) -> tuple[str, tuple[Columns, ...]]:
    """``token_and_mandate``'s text and its columns on the database ``using``, made once per process
    (ADR 0046)."""
    parts = (
        columns(ApiAccessToken, "t"),
        columns(ApiClient, "c"),
        columns(Enterprise, "e"),
        columns(User, "u"),
        columns(Mandate, "m"),
        columns(Enterprise, "me"),
    )
    sql = (
        f"SELECT {select_list(*parts)} FROM {table(ApiAccessToken)} t "  # noqa: S608
        f"INNER JOIN {table(ApiClient)} c ON c.id = t.client_id "
        f"INNER JOIN {table(Enterprise)} e ON e.id = c.enterprise_id "
        f"INNER JOIN {table(User)} u ON u.id = c.registered_by_id "
        f"LEFT OUTER JOIN {table(Mandate)} m ON m.secretariat_id = c.enterprise_id "
        f"AND m.employer_id = (SELECT id FROM {table(Enterprise)} WHERE number = %s) AND m.domain = %s "
        "AND m.valid_from <= %s AND (m.valid_until IS NULL OR m.valid_until >= %s) "
        f"LEFT OUTER JOIN {table(Enterprise)} me ON me.id = m.employer_id "
        "WHERE t.token_hash = %s AND t.expires_at > %s AND c.revoked_at IS NULL "
        # The mandate Mandate.Meta.ordering puts first (the latest start) for one employer.
        "ORDER BY m.valid_from DESC, m.id LIMIT 1"
    )
    return sql, parts
