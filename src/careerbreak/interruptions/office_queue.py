"""The employment office's work queue: which requests an agent or a supervisor sees, in which order, a
page at a time (reads), and who holds a file (*Prendre en charge*, a supervisor's reassignment: writes).

An agent sees the requests of their office that are *Complete* (nobody holds them yet), those under review
or awaiting information that they hold, and those whose refusal another agent proposed and awaits their
confirmation (four eyes). A supervisor sees every office's. Oldest first by ``queued_at`` (when the request
became Complete), keyset pages on (queued_at, id), backed by the partial indexes ``office_queue`` and
``office_queue_all`` (only the statuses of the queue: a small part of the table).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import threading
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from psycopg.sql import Literal

from careerbreak.core.audit import audit_event, audit_log, audit_write, audit_writes_now, insert_statement
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound, PermissionDenied
from careerbreak.core.models import AuditEvent
from careerbreak.core.sqlrows import prepared_cursor
from careerbreak.identity.acting import Acting, Via
from careerbreak.identity.models import OfficeRole, User
from careerbreak.interruptions.models import Decision, InformationRequest, LeaveRequest
from careerbreak.interruptions.selectors import _parse_cursor, keyset_after, office_scope
from careerbreak.interruptions.states import Actor, Status
from careerbreak.interruptions.transitions import transition
from careerbreak.registries.identifiers import format_niss
from careerbreak.registries.models import Office, Person

QUEUE_STATUSES = (Status.COMPLETE, Status.UNDER_REVIEW, Status.INFORMATION_REQUESTED)
HELD_STATUSES = (Status.UNDER_REVIEW, Status.INFORMATION_REQUESTED)


class HeldBy:
    """The "held by" filter's values."""

    ME = "me"
    NOBODY = "nobody"
    OTHERS = "others"
    CHOICES = (
        (ME, _("Me")),
        (NOBODY, _("Nobody")),
        (OTHERS, _("Another agent")),
    )


@dataclass(frozen=True)
class QueueFilters:
    leave_type: str = ""
    status: str = ""
    late: bool = False
    held_by: str = ""
    worker_niss: str = ""
    ticket: str = ""

    @property
    def search(self) -> bool:
        return bool(self.worker_niss or self.ticket)


@dataclass(frozen=True, slots=True)
class QueueWorker:
    """The worker of a queue row: what a row shows of them, written by ``Person``'s own properties
    (an unsaved ``Person`` per row cost a model's initialisation, 25 a page)."""

    niss: str
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return str(_PERSON.full_name.fget(self))

    @property
    def formatted_niss(self) -> str:
        return str(_PERSON.formatted_niss.fget(self))


_PERSON: Any = Person  # its properties' getters, read on a QueueWorker (typed for a Person)


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One request of the queue, as its page shows it: the columns ``QUEUE_COLUMNS`` read, the worker
    (``QueueWorker``), the holder and the office as unsaved model instances holding only what a row shows
    (one per holder and office on a page; their names are written by the models' own properties), and
    what the page works out (its age, its warnings)."""

    pk: int
    ticket: str
    leave_type: str
    form: str
    status: str
    created_at: datetime.datetime
    queued_at: datetime.datetime | None
    assigned_to_id: int | None
    assigned_to: User | None
    worker: QueueWorker
    office: Office | None
    part_late: bool | None
    refusal_proposed_by: int | None
    question_overdue: bool
    age_days: int
    warnings: int

    @property
    def slug(self) -> str:
        """The ticket as it stands in URLs (``LeaveRequest.slug``)."""
        return self.ticket.replace("/", "-")


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    next_cursor: str
    has_next: bool
    today: datetime.date


def _user(acting: Acting) -> User:
    if acting.user is None:
        raise PermissionDenied(_("Only the employment office may see this."), code="not_office")
    return acting.user


# What a queue row shows, in this order (the annotations last, in the order ``queue_query`` adds them,
# which is the order of the SQL's columns): not the request's JSON details, certification or the
# people's addresses (a page of 25 rows read 25 full requests and persons).
QUEUE_COLUMNS = (
    "id",
    "ticket",
    "leave_type",
    "form",
    "status",
    "findings",
    "created_at",
    "queued_at",
    "assigned_to_id",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "worker__niss",
    "worker__first_name",
    "worker__last_name",
    "office_id",
    "office__code",
    "office__names",
    "part_late",
    "refusal_proposed_by",
    "question_overdue",
)


def queue_query(
    *, acting: Acting, filters: QueueFilters, after: str = "", today: datetime.date | None = None
) -> QuerySet[LeaveRequest, tuple[Any, ...]]:
    """The query behind ``queue_page``: ``QUEUE_COLUMNS`` of the rows, ordered and unsliced (the
    benchmark explains it as it is)."""
    day = today or timezone.localdate()
    user = _user(acting)
    pending = Decision.objects.filter(request=OuterRef("pk"), state=Decision.State.AWAITING_CONFIRMATION)
    # Repeating the statuses of the partial indexes lets PostgreSQL prove that they hold the rows.
    queryset = office_scope(acting=acting).filter(status__in=QUEUE_STATUSES)
    role = acting.office_role
    if role is not None and not role.is_supervisor:
        queryset = queryset.filter(
            Q(status=Status.COMPLETE) | Q(assigned_to=user) | Exists(pending.exclude(decided_by=user))
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.leave_type:
        queryset = queryset.filter(leave_type=filters.leave_type)
    if filters.late:
        queryset = queryset.filter(worker_part__late=True)
    if filters.held_by == HeldBy.ME:
        queryset = queryset.filter(assigned_to=user)
    elif filters.held_by == HeldBy.NOBODY:
        queryset = queryset.filter(assigned_to__isnull=True)
    elif filters.held_by == HeldBy.OTHERS:
        queryset = queryset.filter(assigned_to__isnull=False).exclude(assigned_to=user)
    if filters.worker_niss:
        queryset = queryset.filter(worker__niss=filters.worker_niss)
    if filters.ticket:
        queryset = queryset.filter(ticket=filters.ticket)
    queryset = keyset_after(queryset, "queued_at", after, descending=False)
    overdue = InformationRequest.objects.filter(
        request=OuterRef("pk"), answered_at__isnull=True, deadline__lt=day
    )
    return (
        queryset.annotate(
            part_late=F("worker_part__late"),
            refusal_proposed_by=Subquery(pending.order_by().values("decided_by_id")[:1]),
            question_overdue=Exists(overdue),
        )
        .values_list(*QUEUE_COLUMNS)
        .order_by("queued_at", "id")
    )


# --- The query compiled once per shape ------------------------------------------------------------------
#
# Building the queryset above and compiling it to SQL cost about 2 ms of CPU a page, more than the rest of
# the query's work (docs/performance.md §5). Its SQL depends only on the query's *shape* (agent or
# supervisor, which filters are set, whether a cursor is given, the page's size); the values (the
# agent's id and office, the filters' values, the cursor, today) are parameters. So each shape is
# compiled once per thread (a database connection belongs to its thread) with stand-in values, the
# positions of the stand-ins among the parameters are noted, and each page then fills in its own values
# (ADR 0028). What is kept holds no data of anyone (SQL text, the query's constants, the columns'
# converters) and is checked when it is made: filled with the first page's real values, it must give
# exactly the SQL and parameters that Django compiles for that page, or the shape is never kept (the ORM
# serves it).

_STAND_INS: dict[str, Any] = {
    "user": 8_800_000_001,
    "office": 8_800_000_002,
    "after_pk": 8_800_000_003,
    "after_queued": datetime.datetime(2099, 12, 31, 23, 59, 58, 987_654, tzinfo=datetime.UTC),
    "day": datetime.date(1901, 2, 3),
    "status": "~queue-stand-in-status~",
    "leave_type": "~queue-stand-in-leave-type~",
    "worker_niss": "~queue-stand-in-niss~",
    "ticket": "~queue-stand-in-ticket~",
}
_STAND_IN_CURSOR = f"{_STAND_INS['after_queued'].isoformat()}|{_STAND_INS['after_pk']}"
_EMPTY = "empty"  # the shape matches nothing (an agent without an office)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[tuple[str, Any], ...]  # ("", constant) or (name of a value, None)
    converters: list[tuple[int, tuple[list[Any], Any]]]
    # On PostgreSQL, the SQL run as a prepared statement: the constants written in (see _prepared), the
    # values' names in the order of its placeholders. Empty elsewhere.
    prepared_sql: str = ""
    prepared_names: tuple[str, ...] = ()

    def fill(self, values: dict[str, Any]) -> list[Any]:
        return [values[name] if name else constant for name, constant in self.params]


# --- The query as a prepared statement (PostgreSQL) ----------------------------------------------------
#
# Django binds parameters on the client: PostgreSQL parses and plans each page's query afresh, 1 to 2 ms of
# its CPU for a query that then runs in 0.1 to 0.4 ms (docs/performance.md §5). Each kept shape is
# therefore run as a prepared statement, bound on the server (ADR 0031): parsed and planned once per
# connection, with one generic plan (``plan_cache_mode = force_generic_plan``, config/settings.py). The
# query's constants are written into its text, so that the generic plan still sees the statuses of the
# partial indexes ``office_queue`` and ``office_queue_all`` (the page's size is written in by Django
# already); only the page's values (the agent, the office, the filters, the cursor, today) are parameters.

_PLACEHOLDER = re.compile(r"%%|%s")
_WRITTEN_IN = (bool, str, int)  # bool first: a bool is an int


def _prepared(compiled: _Compiled) -> _Compiled:
    """``compiled`` with its SQL for a prepared statement (PostgreSQL), or as it is elsewhere."""
    if connection.vendor != "postgresql":
        return compiled
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:  # prepared statements turned off (OPTIONS)
        return compiled
    params = iter(compiled.params)
    names: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%%"
        name, constant = next(params)
        if name:
            names.append(name)
            return "%s"
        # The plain value (a choice is a str, psycopg's Int4 an int), written as psycopg writes it.
        plain = next((kind(constant) for kind in _WRITTEN_IN if isinstance(constant, kind)), None)
        if plain is None:
            raise ValueError(constant)
        return Literal(plain).as_string(connection.connection).replace("%", "%%")

    try:
        sql = _PLACEHOLDER.sub(placeholder, compiled.sql)
    except ValueError:  # a constant of another type: bound on the client, as Django does
        return compiled
    return dataclasses.replace(compiled, prepared_sql=sql, prepared_names=tuple(names))


# --- A search's audit row written by the statement that reads the page (PostgreSQL) ------------------------
#
# A search by ticket or national number is audited every time the list is read, and its row's commit waits
# for the disk (``synchronous_commit`` on). Written by its own INSERT after the read, it was the page's
# fourth round trip, and the only one the other pages do not make. On the prepared path the read and the
# row are one statement (ADR 0043): ``WITH page AS (<the page's query>), audit AS (INSERT … VALUES (…,
# <found, counted from page>)) SELECT * FROM page ORDER BY <queued_at>, <id>``. PostgreSQL runs a
# data-modifying ``WITH`` exactly once, whatever the outer query reads; the read and its audit row are
# committed together (or, inside a transaction, belong to it), and a row that cannot be written fails
# the read. The outer ORDER BY is the page's own (the same columns, directions and NULLs last), by position.

_QUEUED_AT = QUEUE_COLUMNS.index("queued_at") + 1
_ID = QUEUE_COLUMNS.index("id") + 1
# (the page's prepared text, its size, the insert's text) → the statement reading it with its audit row.
_WITH_AUDIT: dict[tuple[str, int, str], str] = {}


def _with_audit(sql: str, limit: int, audit: AuditEvent) -> tuple[str, list[Any]]:
    """The statement reading the page of ``sql`` and writing ``audit`` with, in its data, how many
    requests the page found (at most ``limit``: ``len(items)`` of ``queue_page``), and the insert's
    parameters (after the page's)."""
    found = f"(SELECT jsonb_build_object('found', LEAST(count(*), {int(limit)})) FROM page)"  # noqa: S608
    insert, params = insert_statement([audit], computed={"data": found})
    key = (sql, limit, insert)
    text = _WITH_AUDIT.get(key)
    if text is None:
        text = _WITH_AUDIT[key] = (
            f"WITH page AS ({sql}), audit AS ({insert}) "  # noqa: S608 - the kept texts, values as parameters
            f"SELECT * FROM page ORDER BY {_QUEUED_AT}, {_ID}"
        )
    return text, params


def _run(
    compiled: _Compiled, values: dict[str, Any], *, audit: AuditEvent | None = None, limit: int = 0
) -> tuple[list[tuple[Any, ...]], bool]:
    """The rows of a kept shape: as a prepared statement on PostgreSQL, client-bound elsewhere. Either way
    through Django's cursor wrapper (query counts, logging and the database's wrappers see it). With
    ``audit`` (a search's row), on the prepared path the same statement writes it (``_with_audit``);
    the second value says whether it was written."""
    adapted = _adapted(values)
    if compiled.prepared_sql:
        sql, params = compiled.prepared_sql, [adapted[name] for name in compiled.prepared_names]
        written = audit is not None
        if audit is not None:
            sql, audit_params = _with_audit(sql, limit, audit)
            params += audit_params
        with prepared_cursor(connection.alias) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall(), written
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.fill(adapted))
        return cursor.fetchall(), False


_compiled = threading.local()


def _adapted(values: dict[str, Any]) -> dict[str, Any]:
    """The values as the database adapter receives them (dates as text on SQLite)."""
    ops = connection.ops
    adapted = dict(values)
    if "after_queued" in adapted:
        adapted["after_queued"] = ops.adapt_datetimefield_value(adapted["after_queued"])
    adapted["day"] = ops.adapt_datefield_value(adapted["day"])
    return adapted


def _compile(
    *,
    acting: Acting,
    role: OfficeRole,
    filters: QueueFilters,
    after: str,
    day: datetime.date,
    limit: int,
) -> _Compiled | str | None:
    """The shape of this page compiled with stand-ins, checked against this page's own compilation."""
    stand_in_user = User(pk=_STAND_INS["user"], niss=acting.niss)
    stand_in_role = OfficeRole(
        kind=role.kind, office_id=None if role.office_id is None else _STAND_INS["office"]
    )
    stand_in_acting = dataclasses.replace(acting, user=stand_in_user, office_role=stand_in_role)
    stand_in_filters = dataclasses.replace(
        filters,
        **{
            name: _STAND_INS[name]
            for name in ("status", "leave_type", "worker_niss", "ticket")
            if getattr(filters, name)
        },
    )
    query = queue_query(
        acting=stand_in_acting,
        filters=stand_in_filters,
        after=_STAND_IN_CURSOR if after else "",
        today=_STAND_INS["day"],
    )[: limit + 1].query
    try:
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _EMPTY
    stand_ins = _adapted(_STAND_INS)
    template = []
    for param in params:
        names = [n for n, v in stand_ins.items() if type(v) is type(param) and v == param]
        template.append((names[0], None) if len(names) == 1 else ("", param))
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    compiled = _Compiled(sql, tuple(template), list(compiler.get_converters(fields).items()))
    # The check: this page's values in the kept SQL are what Django compiles for this page.
    real = queue_query(acting=acting, filters=filters, after=after, today=day)[: limit + 1]
    real_sql, real_params = real.query.get_compiler(connection=connection).as_sql()
    if len(fields) != len(QUEUE_COLUMNS) or (real_sql, list(real_params)) != (
        sql,
        compiled.fill(_adapted(_values(acting, filters, after, day))),
    ):
        return None
    return _prepared(compiled)


def _values(acting: Acting, filters: QueueFilters, after: str, day: datetime.date) -> dict[str, Any]:
    role = acting.office_role
    values: dict[str, Any] = {
        "user": _user(acting).pk,
        "office": role.office_id if role is not None else None,
        "day": day,
        "status": filters.status,
        "leave_type": filters.leave_type,
        "worker_niss": filters.worker_niss,
        "ticket": filters.ticket,
    }
    position = _parse_cursor(after) if after else None
    if position is not None:
        values["after_queued"], values["after_pk"] = position
    return values


def _queue_rows(
    *,
    acting: Acting,
    filters: QueueFilters,
    after: str,
    day: datetime.date,
    limit: int,
    audit: AuditEvent | None = None,
) -> tuple[list[tuple[Any, ...]], bool]:
    """The page's rows (``QUEUE_COLUMNS``), at most ``limit`` + 1, through the compiled shape; with
    ``audit``, whether the statement wrote that row too (``_with_audit``: the prepared path)."""
    role = acting.office_role
    _user(acting)  # raises PermissionDenied for anyone without a user
    if acting.via != Via.OFFICE or role is None:  # as office_scope, which the compiled SQL went through
        raise PermissionDenied(_("Only the employment office may see this."), code="not_office")
    position = _parse_cursor(after) if after else None
    shape = (
        connection.alias,
        role.is_supervisor,
        role.office_id is None,
        bool(filters.status),
        bool(filters.leave_type),
        filters.late,
        filters.held_by if filters.held_by in (HeldBy.ME, HeldBy.NOBODY, HeldBy.OTHERS) else "",
        bool(filters.worker_niss),
        bool(filters.ticket),
        position is not None,
        limit,
    )
    cache: dict[tuple[Any, ...], _Compiled | str | None] | None = getattr(_compiled, "shapes", None)
    if cache is None:
        cache = _compiled.shapes = {}
    if shape not in cache:
        cache[shape] = _compile(
            acting=acting, role=role, filters=filters, after=after if position else "", day=day, limit=limit
        )
    compiled = cache[shape]
    if compiled == _EMPTY:
        return [], False
    if not isinstance(compiled, _Compiled):  # a shape that cannot be kept: the ORM, as written
        return list(queue_query(acting=acting, filters=filters, after=after, today=day)[: limit + 1]), False
    rows, audited = _run(compiled, _values(acting, filters, after, day), audit=audit, limit=limit)
    if not compiled.converters:
        return rows, audited
    # The converters are the JSON columns' (the findings, the office's names): a page's rows mostly carry
    # the same texts (no findings, the agent's one office), so each text is decoded once per page and its
    # value shared by the rows that carry it (read only: the findings are counted, the names shown).
    converted = []
    decoded: dict[tuple[int, Any], Any] = {}
    for row in rows:
        values = list(row)
        for position_in_row, (converters, expression) in compiled.converters:
            raw = values[position_in_row]
            key = (position_in_row, raw) if isinstance(raw, str) else None
            if key is not None and key in decoded:
                values[position_in_row] = decoded[key]
                continue
            value = raw
            for converter in converters:
                value = converter(value, expression, connection)
            values[position_in_row] = value
            if key is not None:
                decoded[key] = value
        converted.append(tuple(values))
    return converted, audited


def _cursor(item: QueueItem) -> str:
    queued = item.queued_at or item.created_at
    return f"{queued.isoformat()}|{item.pk}"


def queue_page(
    *,
    acting: Acting,
    filters: QueueFilters,
    after: str = "",
    limit: int = 25,
    today: datetime.date | None = None,
) -> QueuePage:
    """A page of the acting agent's (or supervisor's) work queue, oldest first.

    A search by national number or ticket is audited (who looked for whom, and whether it was found),
    every time: on PostgreSQL by the statement that reads the page (``_with_audit``, ADR 0043), else
    once the page is read. Raises PermissionDenied for anyone but the office.
    """
    day = today or timezone.localdate()
    # A search's audit row, written by the page's own statement where it can be (``_with_audit``: its
    # ``found`` filled in by the statement), else below once the page is read.
    audit = (
        audit_event(
            action=AuditAction.OFFICE_QUEUE_SEARCHED,
            acting=acting,
            subject_niss=filters.worker_niss,
            object_type="office_queue",
            object_id=filters.ticket,
        )
        if filters.search
        else None
    )
    rows, audited = _queue_rows(
        acting=acting,
        filters=filters,
        after=after,
        day=day,
        limit=limit,
        audit=audit if audit_writes_now() else None,
    )
    has_next = len(rows) > limit
    here = timezone.get_current_timezone()
    offices: dict[int, Office] = {}
    holders: dict[int, User] = {}
    items = []
    for (
        pk,
        ticket,
        leave_type,
        form,
        status,
        findings,
        created_at,
        queued_at,
        assigned_to_id,
        holder_first_name,
        holder_last_name,
        worker_niss,
        worker_first_name,
        worker_last_name,
        office_id,
        office_code,
        office_names,
        part_late,
        refusal_proposed_by,
        question_overdue,
    ) in rows[:limit]:
        if assigned_to_id is not None and assigned_to_id not in holders:
            holders[assigned_to_id] = User(
                pk=assigned_to_id, first_name=holder_first_name, last_name=holder_last_name
            )
        if office_id is not None and office_id not in offices:
            offices[office_id] = Office(pk=office_id, code=office_code, names=office_names)
        queued = queued_at or created_at
        items.append(
            QueueItem(
                pk=pk,
                ticket=ticket,
                leave_type=leave_type,
                form=form,
                status=status,
                created_at=created_at,
                queued_at=queued_at,
                assigned_to_id=assigned_to_id,
                assigned_to=holders.get(assigned_to_id) if assigned_to_id is not None else None,
                worker=QueueWorker(worker_niss, worker_first_name, worker_last_name),
                office=offices.get(office_id) if office_id is not None else None,
                part_late=part_late,
                refusal_proposed_by=refusal_proposed_by,
                question_overdue=question_overdue,
                age_days=(day - timezone.localtime(queued, here).date()).days,
                warnings=sum(1 for f in findings if f.get("severity") == "warning"),
            )
        )
    if audit is not None and not audited:
        audit.data = {"found": len(items)}
        audit_write(audit)
    return QueuePage(
        items=items,
        next_cursor=_cursor(items[-1]) if has_next and items else "",
        has_next=has_next,
        today=day,
    )


# --- Who holds a file ----------------------------------------------------------------------------------


TAKEN_BY_ANOTHER = _("Another agent took this request a moment ago: it is no longer in your queue.")


def request_take(*, acting: Acting, ticket: str) -> LeaveRequest:
    """*Prendre en charge*: the acting agent holds the request, which moves *Complete* → *Under review*.

    One transaction on the locked row: of two agents who take the same file at once, the first wins and
    the second gets DomainError ``taken`` (translated) once the first commits. Raises NotFound outside
    the agent's office, DomainError ``taken`` when it is no longer Complete. Writes the assignment, the
    transition row and its audit event (``request.review_started``).
    """
    user = _user(acting)
    with transaction.atomic():
        found = office_scope(acting=acting).filter(ticket=ticket).values_list("pk", flat=True).first()
        if found is None:
            raise NotFound("request not found")
        leave_request = (
            LeaveRequest.objects.select_for_update().select_related("worker", "enterprise").get(pk=found)
        )
        held_by_another = leave_request.assigned_to_id not in (None, user.pk)
        if leave_request.status != Status.COMPLETE or held_by_another:
            raise DomainError(TAKEN_BY_ANOTHER, code="taken")
        leave_request.assigned_to = user
        leave_request.assigned_at = timezone.now()
        transition(
            leave_request,
            Status.UNDER_REVIEW,
            actor=Actor.OFFICE,
            acting=acting,
            update_fields=["assigned_to", "assigned_at"],
            data={"assigned_to": user.niss},
        )
    return leave_request


def agent_choices(*, acting: Acting, leave_request: LeaveRequest) -> list[tuple[str, str]]:
    """The active agents of the request's office who have logged in (whom a supervisor may give the file
    to), as (national number, "name (national number)"), by name."""
    if acting.office_role is None or not acting.office_role.is_supervisor:
        raise PermissionDenied(_("Only a supervisor may give a file to another agent."), code="supervisor")
    if leave_request.office_id is None:
        return []
    agents = OfficeRole.objects.active().filter(kind=OfficeRole.Kind.AGENT, office_id=leave_request.office_id)
    users = User.objects.filter(niss__in=agents.values("niss")).order_by("last_name", "first_name", "niss")
    return [(user.niss, f"{user.get_full_name()} ({format_niss(user.niss)})") for user in users]


def request_reassign(*, acting: Acting, ticket: str, agent_niss: str) -> LeaveRequest:
    """A supervisor gives the file to an agent of the request's office (a Complete request stays
    Complete: the agent then finds it held by them). Raises PermissionDenied (not a supervisor), NotFound
    (no such request), DomainError ``agent`` (not an active agent of that office) or ``decided`` (already
    decided or cancelled). Writes the assignment and an audit event naming both agents."""
    if acting.office_role is None or not acting.office_role.is_supervisor:
        raise PermissionDenied(_("Only a supervisor may give a file to another agent."), code="supervisor")
    with transaction.atomic():
        leave_request = (
            office_scope(acting=acting)
            .select_for_update()
            .select_related("worker")
            .filter(ticket=ticket)
            .first()
        )
        if leave_request is None:
            raise NotFound("request not found")
        if leave_request.status not in QUEUE_STATUSES:
            raise DomainError(_("This request is already decided or cancelled."), code="decided")
        is_agent = (
            leave_request.office_id is not None
            and OfficeRole.objects.active()
            .filter(kind=OfficeRole.Kind.AGENT, office_id=leave_request.office_id, niss=agent_niss)
            .exists()
        )
        agent = User.objects.filter(niss=agent_niss).first() if is_agent else None
        if agent is None:
            raise DomainError(
                _("Choose an agent of the request's office who has logged in at least once."),
                code="agent",
                field="agent",
            )
        previous = leave_request.assigned_to.niss if leave_request.assigned_to else ""
        leave_request.assigned_to = agent
        leave_request.assigned_at = timezone.now()
        leave_request.save(update_fields=["assigned_to", "assigned_at"])
        audit_log(
            action=AuditAction.REQUEST_REASSIGNED,
            acting=acting,
            enterprise_number=leave_request.enterprise.number,
            subject_niss=leave_request.worker.niss,
            object_type="leave_request",
            object_id=leave_request.ticket,
            data={"from": previous, "to": agent.niss},
        )
    return leave_request
