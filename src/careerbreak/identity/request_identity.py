"""Who is asking, read in one query per request: the user's row, their grant at the enterprise their
session acts for (with that enterprise) and their active office role (with its office), joined (ADR 0027).

Before, a logged-in employer page read the user, then the grant, each with its own query; an office
page the user, then the role. Now Django's lazy ``request.user`` (``IdentityMiddleware`` in place of
Django's ``AuthenticationMiddleware``, ``IdentityBackend`` in place of ``ModelBackend``) reads the three
with one ``SELECT … LEFT JOIN``, and the guards take the access and the role from it.

Nothing is kept between requests: every request reads these rows again, so a revoked grant or office
role, a deactivated user or a logout takes effect at the very next request, in every process, exactly
as before. Only the reads of one request are merged. A mandate (acting for an employer through a social
secretariat) is still read by its own query when there is no grant at that enterprise
(``identity.access.enterprise_access``); so is everything for a session made before this backend (its
recorded backend, ``ModelBackend``, still logs it in).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends.base import SessionBase
from django.db import connections
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from careerbreak.core.sqlrows import Columns, columns, instance, prepared_cursor
from careerbreak.identity.access import EnterpriseAccess, enterprise_access
from careerbreak.identity.models import AccessGrant, Domain, OfficeRole, User
from careerbreak.registries.models import Enterprise, Office

# The session key under which the employer interface keeps the number of the enterprise the user acts for.
SESSION_ENTERPRISE = "acting_enterprise"

# The session of the request whose user is being read (set only while Django's get_user runs).
_SESSION: ContextVar[SessionBase | None] = ContextVar("careerbreak_identity_session", default=None)


@dataclass(frozen=True)
class RequestIdentity:
    """What was read with the user for this request: their grant at ``enterprise_number`` (None: no grant
    there, a mandate may still hold) and their active office role (None: none)."""

    enterprise_number: str | None
    grant: EnterpriseAccess | None
    office_role: OfficeRole | None


IDENTITY_ATTRIBUTE = "_request_identity"


def request_identity(user: User) -> RequestIdentity | None:
    """What was read with this user in this request, or None (read otherwise: the checks query)."""
    found = getattr(user, IDENTITY_ATTRIBUTE, None)
    return found if isinstance(found, RequestIdentity) else None


def session_enterprise_access(*, user: User, enterprise_number: str) -> EnterpriseAccess | None:
    """``identity.access.enterprise_access`` for the enterprise of the session: the grant read with the
    user when there is one (no query), else the mandate, as ``enterprise_access`` reads it."""
    identity = request_identity(user)
    if identity is None or identity.enterprise_number != enterprise_number:
        return enterprise_access(user=user, enterprise_number=enterprise_number)
    if identity.grant is not None:
        return identity.grant
    return enterprise_access(user=user, enterprise_number=enterprise_number, grant_checked=True)


def active_office_role(user: User) -> OfficeRole | None:
    """The user's active office role (with its office): read with the user, or queried."""
    identity = request_identity(user)
    if identity is not None:
        return identity.office_role
    return OfficeRole.objects.active().filter(niss=user.niss).select_related("office").first()


# -- the one query -------------------------------------------------------------------------------------


_PARTS_MODELS: tuple[tuple[type[Any], str], ...] = (
    (User, "u"),
    (AccessGrant, "g"),
    (Enterprise, "e"),
    (OfficeRole, "r"),
    (Office, "o"),
)
# (database alias) → the query and its parts' columns, written once per process (ADR 0036).
_QUERY: dict[str, tuple[str, list[Columns]]] = {}


def _query(using: str) -> tuple[str, list[Columns]]:
    """The identity query's SQL on database ``using`` and the columns of each of its parts."""
    found = _QUERY.get(using)
    if found is not None:
        return found
    parts = [columns(model, alias) for model, alias in _PARTS_MODELS]
    select = ", ".join(column for part in parts for column, _field in part)
    quote = connections[using].ops.quote_name
    # SQL rather than the ORM: a join on the national number (no foreign key) with the enterprise's and the
    # office's rows selected along is out of the ORM's reach (FilteredRelation joins them in the wrong
    # order). Only the models' own table and column names go into the text; the values are parameters.
    sql = (
        f"SELECT {select} FROM {quote(User._meta.db_table)} u "  # noqa: S608
        f"LEFT OUTER JOIN {quote(AccessGrant._meta.db_table)} g ON g.niss = u.niss AND g.domain = %s "
        "AND g.revoked_at IS NULL "
        f"AND g.enterprise_id = (SELECT id FROM {quote(Enterprise._meta.db_table)} WHERE number = %s) "
        f"LEFT OUTER JOIN {quote(Enterprise._meta.db_table)} e ON e.id = g.enterprise_id "
        f"LEFT OUTER JOIN {quote(OfficeRole._meta.db_table)} r ON r.niss = u.niss AND r.revoked_at IS NULL "
        f"LEFT OUTER JOIN {quote(Office._meta.db_table)} o ON o.id = r.office_id "
        "WHERE u.id = %s"
    )
    _QUERY[using] = (sql, parts)
    return sql, parts


def load_user(user_id: Any, *, enterprise_number: str | None) -> User | None:
    """The user ``user_id`` with, in the same query, their active grant (career-break domain) at the
    enterprise ``enterprise_number`` and their active office role; None if there is no such user.

    Run on every request that looks at its user: a prepared statement on PostgreSQL (planned once per
    connection, ``core.sqlrows.prepared_cursor``; ADR 0036), client-bound elsewhere."""
    using = User._default_manager.db
    sql, parts = _query(using)
    user_fields, grant_fields, enterprise_fields, role_fields, office_fields = parts
    pk = User._meta.pk
    assert pk is not None
    with prepared_cursor(using) as cursor:
        cursor.execute(sql, [Domain.CAREER_BREAK.value, enterprise_number or "", pk.to_python(user_id)])
        rows = cursor.fetchall()
    if not rows:
        return None
    row = list(rows[0])  # at most one: a user's id; one active grant per enterprise, one active role
    values: list[list[Any]] = []
    for part in parts:
        values.append(row[: len(part)])
        row = row[len(part) :]
    user: User = instance(User, "u", user_fields, values[0], using)
    grant = None
    if values[1][0] is not None:
        grant_row: AccessGrant = instance(AccessGrant, "g", grant_fields, values[1], using)
        enterprise: Enterprise = instance(Enterprise, "e", enterprise_fields, values[2], using)
        grant_row.enterprise = enterprise
        grant = EnterpriseAccess(enterprise=enterprise, role=grant_row.role)
    role = None
    if values[3][0] is not None:
        role = instance(OfficeRole, "r", role_fields, values[3], using)
        office = instance(Office, "o", office_fields, values[4], using) if values[4][0] is not None else None
        role.office = office
    setattr(
        user,
        IDENTITY_ATTRIBUTE,
        RequestIdentity(enterprise_number=enterprise_number, grant=grant, office_role=role),
    )
    return user


# -- how Django reads the user ----------------------------------------------------------------------------


class IdentityBackend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` reads the user's access and office role along (``load_user``):
    for the enterprise the session acts for when called for a request (``IdentityMiddleware``)."""

    def get_user(self, user_id: Any) -> User | None:
        session = _SESSION.get()
        number = session.get(SESSION_ENTERPRISE) if session is not None else None
        user = load_user(user_id, enterprise_number=number if isinstance(number, str) else None)
        return user if user is not None and self.user_can_authenticate(user) else None


def _user_of(request: HttpRequest) -> Any:
    """Django's own ``get_user`` (backend, session hash, inactive users), with the session at hand."""
    token = _SESSION.set(request.session)
    try:
        return auth.get_user(request)
    finally:
        _SESSION.reset(token)


class IdentityMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, whose lazy ``request.user`` lets ``IdentityBackend`` see
    the session (the enterprise it acts for)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user_of(request))  # type: ignore[assignment]
