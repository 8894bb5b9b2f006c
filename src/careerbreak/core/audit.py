"""Writing audit events. Call inside the transaction of the change being audited.

``subject_niss`` names the person whose data the event concerns (read, looked up or changed): every
read or write of a person's data fills it, so that ``audit_person`` can say who saw that person's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol, TypedDict, Unpack

from django.db import connection, connections
from django.db.models import Field
from django.http import HttpRequest

from careerbreak.core.models import AuditEvent
from careerbreak.core.sqlrows import prepared_cursor


class AuditActor(Protocol):
    """What the audit reads of who acts: ``identity.acting.Acting`` is one.

    Declared here so that the apps below ``identity`` (registries, mailbox) audit a look-up or a read with
    the acting context without importing ``identity``.
    """

    @property
    def niss(self) -> str: ...

    @property
    def assurance_level(self) -> int | None: ...

    @property
    def ip_address(self) -> str | None: ...

    @property
    def enterprise_number(self) -> str: ...


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@dataclass
class _Together:
    """The audit rows of one call kept to be written in one insert with the call's own."""

    armed: bool = False
    depth: int = 0
    rows: list[AuditEvent] = field(default_factory=list)


_together: ContextVar[_Together | None] = ContextVar("audit_together", default=None)


@contextmanager
def audit_rows_together() -> Iterator[None]:
    """Around one call whose own audit row is written last (the API's frame): once the call is known to
    write nothing but audit rows (``audit_with_the_call``), the rows it writes outside any transaction
    wait, and all are written in one insert (one commit) when the block ends, whatever happened in it."""
    token = _together.set(_Together())
    try:
        yield
    finally:
        together = _together.get()
        _together.reset(token)
        if together is not None and together.rows:
            _insert(together.rows)


def insert_statement(
    rows: list[AuditEvent], *, computed: dict[str, str] | None = None
) -> tuple[str, list[Any]]:
    """The ``INSERT … VALUES (…), (…)`` of ``rows`` and its parameters, each value prepared as the ORM
    prepares it for saving (``pre_save`` stamps ``occurred_at``). ``computed`` (one row only) names
    columns whose value is an SQL expression written in instead of a parameter: a statement that writes
    its audit row with its read computes what the row says of that read (the work queue's search,
    ADR 0043)."""
    using = AuditEvent._default_manager.db
    connection = connections[using]
    assert len(rows) == 1 or not computed
    if computed:
        fields = [field for field in _fields() if field.column not in computed]
        sql = _insert_sql(using, 1, computed)
    else:
        fields = _fields()
        sql = _INSERTS.get((using, len(rows))) or _insert_sql(using, len(rows), {})
    params = [
        field.get_db_prep_save(field.pre_save(row, True), connection) for row in rows for field in fields
    ]
    return sql, params


# (database alias, number of rows) → the text of their insert (``_insert_sql``), made once per process.
_INSERTS: dict[tuple[str, int], str] = {}


@cache
def _fields() -> list[Field[Any, Any]]:
    """The audit table's columns an insert writes (all but the key), in field order."""
    return [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]


def _insert_sql(using: str, count: int, computed: dict[str, str]) -> str:
    quote = connections[using].ops.quote_name
    fields = _fields()
    names = ", ".join(quote(field.column) for field in fields)
    placeholders = "(" + ", ".join(computed.get(field.column, "%s") for field in fields) + ")"
    sql = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({names}) "  # noqa: S608
        f"VALUES {', '.join([placeholders] * count)}"
    )
    if not computed and count <= _KEPT_INSERTS:
        _INSERTS[(using, count)] = sql
    return sql


_KEPT_INSERTS = 10  # the texts kept: a call writes one to a few rows (a larger insert's text is made again)


def _insert(rows: list[AuditEvent]) -> None:
    """``AuditEvent.objects.bulk_create(rows)`` as one ``INSERT … VALUES (…), (…)`` statement
    (``insert_statement``), which is its own transaction outside an atomic block (bulk_create's BEGIN and
    COMMIT around its one statement were two round trips more; ADR 0030); the rows' ids are not read
    back (no caller uses them). Prepared on PostgreSQL (ADR 0034): one text per number of rows, and a
    validation writes one or two."""
    sql, params = insert_statement(rows)
    with prepared_cursor(AuditEvent._default_manager.db) as cursor:
        cursor.execute(sql, params)


def audit_writes_now() -> bool:
    """Whether an audit row written here goes to the table at once (not held for the call's own insert
    by ``audit_rows_together``)."""
    together = _together.get()
    return not (together is not None and together.armed and len(connection.atomic_blocks) == together.depth)


def audit_with_the_call() -> None:
    """Said by a call that writes nothing but audit rows (``/requests/validate``): from here on, inside
    ``audit_rows_together``, its audit rows written outside a transaction are written with the call's
    own, in one insert. Each event keeps its row; they are in the order written, stamped when written to
    the table (the end of the call, a few milliseconds later)."""
    together = _together.get()
    if together is not None:
        together.armed = True
        together.depth = len(connection.atomic_blocks)


class AuditFields(TypedDict, total=False):
    """What an audit row says besides its action (``audit_log``'s keywords)."""

    actor_niss: str
    enterprise_number: str
    subject_niss: str
    assurance_level: int | None
    object_type: str
    object_id: str | int
    request: HttpRequest | None
    acting: AuditActor | None
    data: dict[str, Any] | None
    ip_address: str | None


def audit_event(*, action: str, **fields: Unpack[AuditFields]) -> AuditEvent:
    """The row ``audit_log`` writes, unsaved (for a statement that writes it along: ``insert_statement``)."""
    acting = fields.get("acting")
    actor_niss = fields.get("actor_niss", "")
    enterprise_number = fields.get("enterprise_number", "")
    assurance_level = fields.get("assurance_level")
    data = fields.get("data")
    ip_address = fields.get("ip_address") or client_ip(fields.get("request"))
    # A call through the API names its client (the person behind it is the client's registrant).
    api_client_id = getattr(acting, "api_client_id", "")
    if api_client_id:
        data = {**(data or {}), "api_client_id": api_client_id}
    if acting is not None:
        actor_niss = actor_niss or acting.niss
        enterprise_number = enterprise_number or acting.enterprise_number
        assurance_level = assurance_level if assurance_level is not None else acting.assurance_level
        ip_address = ip_address or acting.ip_address
    return AuditEvent(
        action=action,
        actor_niss=actor_niss,
        enterprise_number=enterprise_number,
        subject_niss=fields.get("subject_niss", ""),
        assurance_level=assurance_level,
        object_type=fields.get("object_type", ""),
        object_id=str(fields.get("object_id", "")),
        ip_address=ip_address,
        data=data or {},
    )


def audit_log(*, action: str, **fields: Unpack[AuditFields]) -> AuditEvent:
    """One audit row. ``acting`` fills who acted, for which enterprise, at which level and from where,
    unless the caller names them explicitly; an act through an API client also records the client's id
    (``data["api_client_id"]``)."""
    return audit_write(audit_event(action=action, **fields))


def audit_write(event: AuditEvent) -> AuditEvent:
    """Writes ``event`` (``audit_event``'s row) as ``audit_log`` writes its row."""
    if audit_writes_now():
        # The same row as ``event.save(force_insert=True)``, by the prepared insert (``_insert``): the ORM
        # compiled its INSERT on every call and read the new id back, which no caller uses (ADR 0043).
        _insert([event])
    else:
        together = _together.get()
        assert together is not None
        together.rows.append(event)  # written with the call's own row (audit_rows_together)
    return event
