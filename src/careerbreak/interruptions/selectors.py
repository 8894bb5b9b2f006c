"""Reads of the request aggregate. Every read of personal data is filtered by what the caller may see:
the enterprise the user acts for, and for drafts the user who owns them, both from the acting context
(``identity.acting.Acting``) the interface's guard built."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from careerbreak.core.errors import NotFound
from careerbreak.core.sqlrows import Columns, converted, kept_columns, named_columns, prepared_cursor, table
from careerbreak.identity.acting import Acting
from careerbreak.interruptions.models import (
    Batch,
    BatchItem,
    Draft,
    LeaveRequest,
    RequestVersion,
    StatusTransition,
)
from careerbreak.interruptions.rules.base import PeriodStatus, PriorPeriod
from careerbreak.interruptions.rules.common import counts_towards_threshold
from careerbreak.interruptions.states import OPEN_STATUSES, Status
from careerbreak.interruptions.types import CATALOGUE, LeaveFamily, LeaveForm, LeaveType
from careerbreak.registries.headcounts import headcount_for, headcount_given
from careerbreak.registries.lookups import person_lookup
from careerbreak.registries.models import Employment, Enterprise, EnterpriseHeadcount, Person, PriorLeave
from careerbreak.registries.sources import dimona, is_local, leave_history

TIME_CREDIT_TYPES = [t.value for t in LeaveType if CATALOGUE[t].family is LeaveFamily.TIME_CREDIT]


def drafts_for(*, acting: Acting) -> QuerySet[Draft]:
    """The user's live drafts for the enterprise they act for, most recent first."""
    user, enterprise = acting.employer()
    return Draft.objects.live().filter(owner=user, enterprise=enterprise).order_by("-updated_at")


def requests_of_worker(*, acting: Acting, worker: Person) -> list[LeaveRequest]:
    """The worker's requests filed by the enterprise the user acts for (step 5 lists them beside the new
    request)."""
    _user, enterprise = acting.employer()
    return list(LeaveRequest.objects.filter(enterprise=enterprise, worker=worker).order_by("-start_date"))


def requests_filed_for(*, worker: Person, limit: int = 50) -> list[LeaveRequest]:
    """Every request filed for the worker, by any employer, newest first (the worker's own page)."""
    return list(
        LeaveRequest.objects.filter(worker=worker)
        .select_related("enterprise")
        .order_by("-created_at")[:limit]
    )


def draft_or_closed(*, acting: Acting, draft_id: uuid.UUID | str) -> Draft | LeaveRequest:
    """One of the user's own drafts, in one query: the request it was confirmed into (a new request, or a
    version of the request a modification changed), expired or not: a confirmed draft is closed, its
    steps lead to the request's ticket page; else the draft itself if it is of the enterprise acted for
    and still live (with that enterprise at hand). Another user's draft, another enterprise's or an
    expired one: NotFound, the same answer for each, so that nothing is learnt about drafts one may not
    see."""
    user, enterprise = acting.employer()
    became = LeaveRequest.objects.filter(draft_id=OuterRef("pk"), enterprise=enterprise).values("pk")[:1]
    versioned = RequestVersion.objects.filter(draft_id=OuterRef("pk"), request__enterprise=enterprise).values(
        "request_id"
    )[:1]
    draft = (
        Draft.objects.filter(pk=draft_id, owner=user)
        .annotate(closed_by=Coalesce(Subquery(became), Subquery(versioned), output_field=BigIntegerField()))
        .first()
    )
    closed_by = getattr(draft, "closed_by", None)
    if closed_by is not None:
        return LeaveRequest.objects.get(pk=closed_by)
    if draft is None or draft.enterprise_id != enterprise.pk or draft.expires_at <= timezone.now():
        raise NotFound("draft not found")
    draft.enterprise = enterprise
    return draft


def request_for(*, acting: Acting, ticket: str) -> LeaveRequest:
    """One request of the enterprise the user acts for; NotFound for any other."""
    _user, enterprise = acting.employer()
    request = (
        LeaveRequest.objects.select_related("worker", "enterprise")
        .filter(enterprise=enterprise, ticket=ticket)
        .first()
    )
    if request is None:
        raise NotFound("request not found")
    return request


def _standing(worker: Person) -> Q:
    """The worker's requests with any employer still standing (neither cancelled nor refused)."""
    return Q(worker=worker) & ~Q(status__in=[Status.CANCELLED, Status.REFUSED])


def _on_time_credit(enterprise: Enterprise, on: datetime.date) -> Q:
    """The enterprise's open time-credit requests running on that day."""
    return Q(
        Q(enterprise=enterprise, leave_type__in=TIME_CREDIT_TYPES, status__in=list(OPEN_STATUSES)),
        start_date__lte=on,
        end_date__gte=on,
    )


# The columns of a request that ``_period`` reads, and the worker (``prior_periods_and_time_credit``).
_PERIOD_FIELDS = ("leave_type", "form", "start_date", "end_date", "details", "ticket", "status", "worker")


def _request_period(req: LeaveRequest) -> PriorPeriod:
    return _period(
        req.leave_type,
        req.form,
        req.start_date,
        req.end_date,
        req.details,
        req.ticket,
        req.status,
        req.enterprise.number,
    )


def _period(
    leave_type: str,
    form: str,
    start: datetime.date,
    end: datetime.date,
    details: dict[str, Any],
    ticket: str,
    status: str,
    employer_number: str,
) -> PriorPeriod:
    return PriorPeriod(
        leave_type=LeaveType(leave_type),
        form=LeaveForm(form),
        start=start,
        end=end,
        subject_niss=str(details.get("child_niss") or details.get("patient_niss") or ""),
        ticket=ticket,
        status=PeriodStatus.OPEN if status in OPEN_STATUSES else PeriodStatus.CLOSED,
        employer_number=employer_number,
    )


def _with_history(worker: Person, periods: list[PriorPeriod]) -> tuple[PriorPeriod, ...]:
    """``periods`` and the office's earlier history of the worker, by start."""
    for leave in leave_history().earlier_leaves(worker.niss):
        earlier = _earlier_period(
            leave.leave_type,
            leave.form,
            leave.start_date,
            leave.end_date,
            leave.subject.niss if leave.subject else "",
            leave.employer.number if leave.employer else "",
        )
        if earlier is not None:
            periods.append(earlier)
    return tuple(sorted(periods, key=lambda p: p.start))


def _earlier_period(
    leave_type: str,
    form: str,
    start: datetime.date,
    end: datetime.date,
    subject_niss: str,
    employer_number: str,
) -> PriorPeriod | None:
    """One leave of the office's earlier history as the rules count it; None for legacy codes outside
    today's catalogue, which do not count against its maxima."""
    try:
        kind, shape = LeaveType(leave_type), LeaveForm(form)
    except ValueError:
        return None
    return PriorPeriod(
        leave_type=kind,
        form=shape,
        start=start,
        end=end,
        subject_niss=subject_niss,
        status=PeriodStatus.CLOSED,
        employer_number=employer_number,
    )


def _count_on_time_credit(
    rows: Iterable[tuple[int, str, str, datetime.date | None]], on: datetime.date
) -> int:
    return len(
        {
            worker_id
            for worker_id, leave_type, form, birth_date in rows
            if counts_towards_threshold(LeaveType(leave_type), LeaveForm(form), birth_date, on)
        }
    )


def prior_periods(*, worker: Person) -> tuple[PriorPeriod, ...]:
    """The worker's requests with any employer still standing, and the office's earlier history.

    Used by the rules only (maxima, overlap): never shown to another employer.
    """
    requests = LeaveRequest.objects.filter(_standing(worker)).select_related("enterprise")
    return _with_history(worker, [_request_period(req) for req in requests])


def workers_on_time_credit(*, enterprise: Enterprise, on: datetime.date) -> int:
    """Distinct workers of the enterprise on time credit on that day (the 5 % threshold), counted as the
    rule counts them (`rules.common.counts_towards_threshold`): an end-of-career 1/5 from 55 does not."""
    rows = LeaveRequest.objects.filter(_on_time_credit(enterprise, on)).values_list(
        "worker_id", "leave_type", "form", "worker__birth_date"
    )
    return _count_on_time_credit(rows, on)


def _sql_strings(values: Iterable[str]) -> str:
    """Code constants (enum values: letters and underscores) as SQL string literals, sorted."""
    texts = sorted(str(value) for value in values)
    assert all(re.fullmatch(r"[A-Za-z_]+", text) for text in texts), texts
    return ", ".join(f"'{text}'" for text in texts)


# The worker's requests still standing (``_standing``; parameter: the worker's id) and the enterprise's
# open time credits on the day (``_on_time_credit``; parameters: the enterprise's id, the day twice), as
# SQL conditions on the requests ``r``; the statuses and types written in as literals (ADR 0040).
_STANDING_SQL = f"(r.worker_id = %s AND r.status NOT IN ({_sql_strings([Status.CANCELLED, Status.REFUSED])}))"
_ON_CREDIT_SQL = (
    f"(r.enterprise_id = %s AND r.leave_type IN ({_sql_strings(TIME_CREDIT_TYPES)}) "
    f"AND r.status IN ({_sql_strings(OPEN_STATUSES)}) AND r.start_date <= %s AND r.end_date >= %s)"
)


def _employer_sql() -> str:
    """The enterprise number of the request ``r``, by a subquery on its primary key (ADR 0040)."""
    return f"(SELECT e.number FROM {table(Enterprise)} e WHERE e.id = r.enterprise_id)"  # noqa: S608


@cache
def _prior_and_credit_sql(using: str, time_credit: bool) -> tuple[str, Columns]:
    """The text of ``prior_periods_and_time_credit``'s read on the database ``using``, with or without the
    time credit, and its columns, made once per process."""
    requests = named_columns(LeaveRequest, "r", *_PERIOD_FIELDS)
    fields = kept_columns(
        requests + named_columns(Enterprise, "e", "number") + named_columns(Person, "p", "birth_date")
    )
    request_columns = ", ".join(column for column, _field in requests)
    standing, on_credit, employer = _STANDING_SQL, _ON_CREDIT_SQL, _employer_sql()
    if time_credit:
        sql = (
            f"SELECT {request_columns}, {employer}, "  # noqa: S608
            f"(SELECT p.birth_date FROM {table(Person)} p WHERE p.id = r.worker_id), "
            f"CASE WHEN {standing} THEN 1 ELSE 0 END, CASE WHEN {on_credit} THEN 1 ELSE 0 END "
            f"FROM {table(LeaveRequest)} r WHERE {standing} OR {on_credit} "
            "ORDER BY r.created_at DESC, r.id DESC"
        )
    else:  # the worker's half alone: every row standing, none counted, no birth date needed
        sql = (
            f"SELECT {request_columns}, {employer}, NULL, 1, 0 "  # noqa: S608
            f"FROM {table(LeaveRequest)} r WHERE {standing} ORDER BY r.created_at DESC, r.id DESC"
        )
    return sql, fields


def prior_periods_and_time_credit(
    *, worker: Person, enterprise: Enterprise, on: datetime.date, time_credit: bool = True
) -> tuple[tuple[PriorPeriod, ...], int | None]:
    """``prior_periods(worker=…)`` and ``workers_on_time_credit(enterprise=…, on=…)`` with one read of the
    requests (each row says which of the two it belongs to, the same filters as theirs); without
    ``time_credit``, the worker's periods alone and None for the count (not read).

    SQL rather than the ORM (ADR 0030): compiling the annotated query was a fifth of an API validation's
    CPU. The same filters as ``_standing`` and ``_on_time_credit``, the same order as the ORM's (the
    model's ordering), each value through the converters a queryset applies; tested against both.
    With the count the read is not prepared (ADR 0034: no generic plan of its enterprise's half stays an
    index scan on the benchmark's largest enterprise), so PostgreSQL plans it on every call: the statuses
    and types are written into its text (code constants, not input) and the enterprise's number and the
    worker's birth date are read by subqueries on their primary keys rather than joins, which leaves the
    planner one table to plan. The worker's half alone is prepared: its generic plan is the worker's
    index (ADR 0040)."""
    using = LeaveRequest._default_manager.db
    sql, fields = _prior_and_credit_sql(using, time_credit)
    if time_credit:
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [worker.pk, enterprise.pk, on, on, worker.pk, enterprise.pk, on, on])
            rows = cursor.fetchall()
    else:
        with prepared_cursor(using) as cursor:
            cursor.execute(sql, [worker.pk])
            rows = cursor.fetchall()
    periods, credit_rows = [], []
    count = len(fields)
    for row in rows:
        leave_type, form, start, end, details, ticket, status, worker_id, employer_number, birth_date = (
            converted(fields, row[:count], using)
        )
        if row[count]:
            periods.append(_period(leave_type, form, start, end, details, ticket, status, employer_number))
        if row[count + 1]:
            credit_rows.append((worker_id, leave_type, form, birth_date))
    return _with_history(worker, periods), _count_on_time_credit(credit_rows, on) if time_credit else None


@dataclass(frozen=True)
class RuleReads:
    """What the rules' facts read of the database besides the draft and the worker's Dimona periods."""

    prior_periods: tuple[PriorPeriod, ...]  # ``prior_periods``
    workers_on_time_credit: int | None  # ``workers_on_time_credit``; None: not asked (not read)
    reference_headcount: int | None  # ``registries.headcounts.headcount_for``
    workers_under_contract: int  # ``Dimona.workers_under_contract``


def rule_reads(
    *,
    worker: Person,
    enterprise: Enterprise,
    on: datetime.date,
    today: datetime.date,
    headcount_year: int,
    time_credit: bool,
) -> RuleReads:
    """``prior_periods_and_time_credit(worker=…, enterprise=…, on=…, time_credit=…)``, the headcount of
    ``headcount_year`` (``headcount_for``) and the enterprise's workers under contract ``today``, the
    same answers; with the local Dimona and history (``registries.sources.is_local``), in one prepared
    statement (ADR 0046): the worker's standing requests, their earlier leaves, and a row with the
    confirmed headcount and the workers under contract; a request that counts towards the threshold adds
    the read of the enterprise's time credits (client-bound: ADR 0034). With a remote source, each read
    as its source answers it."""
    if not (is_local("dimona") and is_local("leave_history")):
        prior, on_credit = prior_periods_and_time_credit(
            worker=worker, enterprise=enterprise, on=on, time_credit=time_credit
        )
        return RuleReads(
            prior,
            on_credit,
            headcount_for(enterprise, year=headcount_year, today=today),
            dimona().workers_under_contract(enterprise, on=today),
        )
    using = LeaveRequest._default_manager.db
    sql, fields = _rule_reads_sql(using)
    with prepared_cursor(using) as cursor:
        cursor.execute(
            sql, [worker.pk, worker.niss, enterprise.pk, headcount_year, enterprise.pk, today, today]
        )
        rows = cursor.fetchall()
    periods: list[PriorPeriod] = []
    confirmed: int | None = None
    under_contract = 0
    count = len(fields)
    for row in rows:
        part = row[0]
        if part == _COUNTS:
            confirmed, under_contract = row[count + 1], row[count + 2] or 0
            continue
        leave_type, form, start, end, details, ticket, status, employer_number, subject_niss = converted(
            fields, row[1 : count + 1], using
        )
        if part == _STANDING:
            periods.append(_period(leave_type, form, start, end, details, ticket, status, employer_number))
        else:
            leave = _earlier_period(leave_type, form, start, end, subject_niss or "", employer_number or "")
            if leave is not None:
                periods.append(leave)
    return RuleReads(
        tuple(sorted(periods, key=lambda p: p.start)),
        _time_credit_count(enterprise, on) if time_credit else None,
        headcount_given(
            enterprise, int(confirmed) if confirmed is not None else None, year=headcount_year, today=today
        ),
        int(under_contract),
    )


# ``rule_reads``' rows: the first column says which read a row belongs to.
_STANDING, _EARLIER, _COUNTS = 0, 1, 2


@cache
def _rule_reads_sql(using: str) -> tuple[str, Columns]:
    """``rule_reads``' text on the database ``using`` and the columns converted (the second to the tenth),
    made once per process."""
    requests = named_columns(LeaveRequest, "r", *_PERIOD_FIELDS[:7])
    fields = kept_columns(
        requests + named_columns(Enterprise, "e", "number") + named_columns(Person, "s", "niss")
    )
    blanks = ", ".join(["NULL"] * 7)
    sql = (
        # The worker's standing requests in the order ``prior_periods_and_time_credit`` reads them
        f"SELECT {_STANDING} AS part, {', '.join(column for column, _field in requests)}, "  # noqa: S608
        f"{_employer_sql()} AS employer, NULL AS subject, CAST(NULL AS integer) AS headcount, "
        "CAST(NULL AS bigint) AS workers, "
        f"r.created_at AS created, r.id AS id FROM {table(LeaveRequest)} r WHERE {_STANDING_SQL} "
        # their earlier leaves (``LocalLeaveHistory.earlier_leaves``: by the worker's number, as a
        # person from a remote national register has no id here; by start),
        f"UNION ALL SELECT {_EARLIER}, l.leave_type, l.form, l.start_date, l.end_date, NULL, NULL, NULL, "
        f"e.number, s.niss, NULL, NULL, NULL, NULL FROM {table(PriorLeave)} l "
        f"LEFT OUTER JOIN {table(Person)} s ON s.id = l.subject_id "
        f"INNER JOIN {table(Person)} w ON w.id = l.worker_id "
        f"LEFT OUTER JOIN {table(Enterprise)} e ON e.id = l.employer_id WHERE w.niss = %s "
        # the confirmed headcount (``headcount_for``) and the workers under contract
        # (``LocalDimona.workers_under_contract``), one row always.
        f"UNION ALL SELECT {_COUNTS}, {blanks}, NULL, NULL, "
        f"(SELECT h.headcount FROM {table(EnterpriseHeadcount)} h "
        "WHERE h.enterprise_id = %s AND h.year = %s), "
        f"(SELECT COUNT(DISTINCT m.worker_id) FROM {table(Employment)} m WHERE m.employer_id = %s "
        "AND m.start_date <= %s AND (m.end_date IS NULL OR m.end_date >= %s)), NULL, NULL "
        "ORDER BY part, created DESC, id DESC, start_date"
    )
    return sql, fields


def _time_credit_count(enterprise: Enterprise, on: datetime.date) -> int:
    """``workers_on_time_credit(enterprise=…, on=…)`` in SQL, client-bound: its generic plan would read an
    enterprise's requests whatever their number (ADR 0034, 0040)."""
    using = LeaveRequest._default_manager.db
    sql, fields = _time_credit_sql(using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [enterprise.pk, on, on])
        rows = cursor.fetchall()
    counted = []
    for row in rows:
        worker_id, leave_type, form, birth_date = converted(fields, row, using)
        counted.append((worker_id, leave_type, form, birth_date))
    return _count_on_time_credit(counted, on)


@cache
def _time_credit_sql(using: str) -> tuple[str, Columns]:
    """The text of ``_time_credit_count``'s read on the database ``using`` and its columns, made once per
    process."""
    sql = (
        "SELECT r.worker_id, r.leave_type, r.form, "  # noqa: S608
        f"(SELECT p.birth_date FROM {table(Person)} p WHERE p.id = r.worker_id) "
        f"FROM {table(LeaveRequest)} r WHERE {_ON_CREDIT_SQL}"
    )
    fields = kept_columns(
        named_columns(LeaveRequest, "r", "worker", "leave_type", "form")
        + named_columns(Person, "p", "birth_date")
    )
    return sql, fields


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""
    leave_type: str = ""
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None
    worker_niss: str = ""
    ticket: str = ""
    # The API's "updated since": created, given a version or changed status at or after this moment.
    updated_since: datetime.datetime | None = None

    @property
    def any(self) -> bool:
        return any(
            (self.status, self.leave_type, self.period_from, self.period_to, self.worker_niss, self.ticket)
        )


@dataclass(frozen=True)
class Page:
    items: list[LeaveRequest]
    next_cursor: str
    has_next: bool


CONSULTATION_WINDOW_DAYS = 2 * 365 + 1


def _cursor(leave_request: LeaveRequest) -> str:
    return f"{leave_request.created_at.isoformat()}|{leave_request.pk}"


# A cursor comes back from the browser: anything outside these bounds was not written by _cursor().
CURSOR_EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
CURSOR_LATEST = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
CURSOR_MAX_ID = 2**63 - 1  # the largest bigint: a larger id overflows the database's integer
CURSOR_MAX_LENGTH = 100


def _parse_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    """The position a cursor names, or None (the first page) for anything _cursor() cannot have written.

    A forged cursor must not reach the database: a naive or far-away datetime overflowed when converted
    to UTC, an id beyond a bigint overflowed the query (server errors, issue 9).
    """
    if len(cursor) > CURSOR_MAX_LENGTH:
        return None
    try:
        created_text, pk_text = cursor.split("|", 1)
        created = datetime.datetime.fromisoformat(created_text)
    except (ValueError, TypeError, OverflowError):
        return None
    if created.tzinfo is None or not pk_text.isascii() or not pk_text.isdigit():
        return None
    pk = int(pk_text)
    try:
        in_bounds = CURSOR_EARLIEST <= created < CURSOR_LATEST
    except OverflowError:
        return None
    if not in_bounds or not 0 < pk <= CURSOR_MAX_ID:
        return None
    return created, pk


def keyset_after(
    queryset: QuerySet[LeaveRequest], field: str, cursor: str, *, descending: bool
) -> QuerySet[LeaveRequest]:
    """The rows after ``cursor`` (written by ``_cursor``: a ``field`` value and an id) in the order
    (``field``, id), descending or ascending; all of them for an empty or forged cursor.

    The plain bound first lets PostgreSQL start the index scan at the cursor; the OR alone made it walk
    every newer row (240 ms at a million requests, 0.2 ms with the bound: docs/performance.md).
    """
    position = _parse_cursor(cursor) if cursor else None
    if position is None:
        return queryset
    value, pk = position
    if descending:
        return queryset.filter(**{f"{field}__lte": value}).filter(
            Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": pk})
        )
    return queryset.filter(**{f"{field}__gte": value}).filter(
        Q(**{f"{field}__gt": value}) | Q(**{field: value, "id__gt": pk})
    )


def requests_page(*, acting: Acting, filters: RequestFilters, after: str = "", limit: int = 25) -> Page:
    """The last two years' requests of the enterprise the user acts for, newest first, a page at a time.

    Keyset pagination on (created_at, id): a deep page costs the same as the first, with the index
    (enterprise, -created_at, -id). Filters by status, type, a period overlapping the leave, the worker's
    NISS or the ticket.
    """
    _user, enterprise = acting.employer()
    rows = list(requests_query(enterprise=enterprise, filters=filters, after=after)[: limit + 1])
    has_next = len(rows) > limit
    items = rows[:limit]
    return Page(items=items, next_cursor=_cursor(items[-1]) if has_next and items else "", has_next=has_next)


def requests_query(
    *, enterprise: Enterprise, filters: RequestFilters, after: str = ""
) -> QuerySet[LeaveRequest]:
    """The query behind ``requests_page``, ordered and unsliced (the benchmark explains it as it is)."""
    since = timezone.now() - datetime.timedelta(days=CONSULTATION_WINDOW_DAYS)
    queryset = LeaveRequest.objects.filter(enterprise=enterprise, created_at__gte=since)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.leave_type:
        queryset = queryset.filter(leave_type=filters.leave_type)
    if filters.period_from:
        queryset = queryset.filter(end_date__gte=filters.period_from)
    if filters.period_to:
        queryset = queryset.filter(start_date__lte=filters.period_to)
    if filters.worker_niss:
        queryset = queryset.filter(worker__niss=filters.worker_niss)
    if filters.ticket:
        queryset = queryset.filter(ticket=filters.ticket)
    if filters.updated_since:
        since_when = filters.updated_since
        queryset = queryset.filter(
            Q(created_at__gte=since_when)
            | Q(pk__in=RequestVersion.objects.filter(created_at__gte=since_when).values("request_id"))
            | Q(pk__in=StatusTransition.objects.filter(occurred_at__gte=since_when).values("request_id"))
        )
    queryset = keyset_after(queryset, "created_at", after, descending=True)
    # The day the worker sent their part, and nothing else of it (the employer never sees its answers).
    return (
        queryset.select_related("worker", "enterprise")
        .annotate(worker_part_sent_at=F("worker_part__submitted_at"), decided_at=decided_at())
        .order_by("-created_at", "-id")
    )


def decided_at() -> Subquery:
    """When the office decided (approved or refused): what the employer sees of a decision, with the
    status; never its allowance, reasons or note (``interruptions.decisions``)."""
    return Subquery(
        StatusTransition.objects.filter(
            request=OuterRef("pk"), to_status__in=[Status.APPROVED, Status.REFUSED]
        ).values("occurred_at")[:1]
    )


def request_detail(*, acting: Acting, ticket: str) -> LeaveRequest:
    """One request of the enterprise the user acts for, with its versions and transitions; NotFound for
    any other."""
    _user, enterprise = acting.employer()
    request = (
        LeaveRequest.objects.select_related("worker", "enterprise", "created_by")
        .prefetch_related("versions__created_by", "transitions")
        .annotate(worker_part_sent_at=F("worker_part__submitted_at"), decided_at=decided_at())
        .filter(enterprise=enterprise, ticket=ticket)
        .first()
    )
    if request is None:
        raise NotFound("request not found")
    return request


@dataclass(frozen=True)
class WorkerCheck:
    """Step 4's look-up of a worker: who, their employment here, or the message that says why they
    cannot be chosen (``problem``; then ``person`` is set only for someone the enterprise employed)."""

    person: Person | None
    employment: Employment | None
    problem: str | None = None
    # Every Dimona period of the worker at the enterprise, read with the employment (the rules count them).
    periods: tuple[Employment, ...] = ()


def worker_to_choose(
    *, acting: Acting, niss: str, purpose: str, on: datetime.date | None = None
) -> WorkerCheck:
    """The worker with ``niss`` and their employment at the enterprise the user acts for, or why not.

    Only the enterprise's own Dimona employments are searched: a number that is not among them gets one
    message, the same whether the national register knows the person or not, and no name (the register
    is not read, so nothing about strangers, children included, can leak). Every look-up is audited.
    """
    _user, enterprise = acting.employer()
    today = on or timezone.localdate()
    found = person_lookup(
        acting=acting, enterprise=enterprise, niss=niss, purpose=purpose, employed_only=True, on=today
    )
    person, employment = found.person, found.employment
    if person is None or employment is None:
        return WorkerCheck(
            None,
            None,
            _(
                "No worker with this number is declared in Dimona at %(enterprise)s. Check the number "
                "against the worker's identity card, or the Dimona declaration."
            )
            % {"enterprise": enterprise.name},
        )
    if employment.end_date is not None and employment.end_date < today:
        # Someone the enterprise employed: naming them tells it nothing it did not know.
        return WorkerCheck(
            person,
            employment,
            periods=found.periods,
            problem=_(
                "The employment of %(name)s at %(enterprise)s ended on %(end)s. "
                "A request can only be filed for a worker under contract."
            )
            % {
                "name": person.full_name,
                "enterprise": enterprise.name,
                "end": date_format(employment.end_date, "SHORT_DATE_FORMAT"),
            },
        )
    return WorkerCheck(person, employment, periods=found.periods)


def draft_worker(*, acting: Acting, draft: Draft) -> Person | None:
    """The worker of the user's own draft (chosen at step 4, or from a notice or a request), audited."""
    worker = draft.content.worker
    if worker is None:
        return None
    return person_lookup(acting=acting, enterprise=draft.enterprise, niss=worker.niss, purpose="draft").person


def office_scope(*, acting: Acting) -> QuerySet[LeaveRequest]:
    """The requests an office agent may see: those of their office; a supervisor's: every office's.

    Anyone else (an employer, a worker, the system) sees none: PermissionDenied, so that a view that
    forgot its guard fails loudly rather than shows another office's files.
    """
    from careerbreak.core.errors import PermissionDenied
    from careerbreak.identity.acting import Via

    role = acting.office_role
    if acting.via != Via.OFFICE or role is None:
        raise PermissionDenied(_("Only the employment office may see this."), code="not_office")
    requests = LeaveRequest.objects.all()
    if role.is_supervisor or role.office_id is None:
        return requests if role.is_supervisor else requests.none()
    return requests.filter(office_id=role.office_id)


def request_for_office(*, acting: Acting, ticket: str) -> LeaveRequest:
    """One request in the agent's scope (``office_scope``), by ticket; NotFound for any other, the same
    answer whether it exists elsewhere or not at all."""
    request = (
        office_scope(acting=acting)
        .select_related("worker", "enterprise", "office")
        .filter(ticket=ticket)
        .first()
    )
    if request is None:
        raise NotFound("request not found")
    return request


def enterprise_number_of_ticket(*, ticket: str) -> str | None:
    """The enterprise number a ticket was filed for, or None: the API asks it before deciding whether the
    caller may act for that enterprise (an unknown ticket and another's answer the same)."""
    return LeaveRequest.objects.filter(ticket=ticket).values_list("enterprise__number", flat=True).first()


def batch_for_client(*, client_id: int, batch_id: str) -> Batch:
    """An API client's own batch (not its items); NotFound for another's or an unknown id."""
    try:
        batch = Batch.objects.filter(pk=batch_id, client_id=client_id).first()
    except (ValueError, ValidationError):
        batch = None
    if batch is None:
        raise NotFound("batch not found")
    return batch


def batch_progress(*, batch: Batch) -> dict[str, int]:
    """How many of the batch's items are in each state, counted by PostgreSQL in one query (the index
    ``(batch, state, index)`` serves it): the poll of ``GET /batches/{id}`` loads no item for it."""
    counts = dict.fromkeys(BatchItem.State.values, 0)
    rows = BatchItem.objects.filter(batch=batch).values_list("state").annotate(n=Count("*")).order_by()
    for state, number in rows:
        counts[state] = number
    return counts


@dataclass(frozen=True, slots=True)
class BatchItemRow:
    """What ``GET /batches/{id}`` answers of an item: never its body."""

    index: int
    state: str
    ticket: str | None  # the request it filed
    problems: list[dict[str, Any]]
    warnings: list[dict[str, Any]]


def batch_items_page(*, batch: Batch, after: int | None, limit: int) -> tuple[list[BatchItemRow], bool]:
    """Up to ``limit`` items of the batch after the index ``after`` (from the first if None), in the
    order of their index (a keyset page on the unique ``(batch, index)``), with whether more follow."""
    if limit <= 0:
        return [], False
    items = BatchItem.objects.filter(batch=batch)
    if after is not None:
        items = items.filter(index__gt=after)
    rows = items.order_by("index").values_list("index", "state", "request__ticket", "problems", "warnings")
    page = [BatchItemRow(*row) for row in rows[: limit + 1]]
    return page[:limit], len(page) > limit
