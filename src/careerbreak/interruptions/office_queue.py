"""The employment office's work queue: which requests an agent or a supervisor sees, in which order, a
page at a time (reads), and who holds a file (*Prendre en charge*, a supervisor's reassignment: writes).

An agent sees the requests of their office that are *Complete* (nobody holds them yet), those under review
or awaiting information that they hold, and those whose refusal another agent proposed and awaits their
confirmation (four eyes). A supervisor sees every office's. Oldest first by ``queued_at`` (when the request
became Complete), keyset pages on (queued_at, id), backed by the partial indexes ``office_queue`` and
``office_queue_all`` (only the statuses of the queue: a small part of the table).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound, PermissionDenied
from careerbreak.identity.acting import Acting
from careerbreak.identity.models import OfficeRole, User
from careerbreak.interruptions.models import Decision, InformationRequest, LeaveRequest
from careerbreak.interruptions.selectors import keyset_after, office_scope
from careerbreak.interruptions.states import Actor, Status
from careerbreak.interruptions.transitions import transition
from careerbreak.registries.identifiers import format_niss

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


@dataclass(frozen=True)
class QueuePage:
    items: list[LeaveRequest]
    next_cursor: str
    has_next: bool
    today: datetime.date


def _user(acting: Acting) -> User:
    if acting.user is None:
        raise PermissionDenied(_("Only the employment office may see this."), code="not_office")
    return acting.user


QUEUE_ROW_FIELDS = (
    "ticket",
    "leave_type",
    "form",
    "status",
    "findings",
    "created_at",
    "queued_at",
    "worker__niss",
    "worker__first_name",
    "worker__last_name",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "office__code",
    "office__names",
)


def queue_query(
    *, acting: Acting, filters: QueueFilters, after: str = "", today: datetime.date | None = None
) -> QuerySet[LeaveRequest]:
    """The query behind ``queue_page``, ordered and unsliced (the benchmark explains it as it is)."""
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
        queryset.select_related("worker", "assigned_to", "office")
        # Only what a queue row shows: the request's JSON details, certification and the people's
        # addresses stay in the database (a page of 25 rows read 25 full requests and persons).
        .only(*QUEUE_ROW_FIELDS)
        .annotate(
            part_late=F("worker_part__late"),
            refusal_proposed_by=Subquery(pending.order_by().values("decided_by_id")[:1]),
            question_overdue=Exists(overdue),
        )
        .order_by("queued_at", "id")
    )


def _cursor(leave_request: LeaveRequest) -> str:
    queued = leave_request.queued_at or leave_request.created_at
    return f"{queued.isoformat()}|{leave_request.pk}"


def queue_page(
    *,
    acting: Acting,
    filters: QueueFilters,
    after: str = "",
    limit: int = 25,
    today: datetime.date | None = None,
) -> QueuePage:
    """A page of the acting agent's (or supervisor's) work queue, oldest first.

    A search by national number or ticket is audited (who looked for whom, and whether it was found).
    Raises PermissionDenied for anyone but the office.
    """
    day = today or timezone.localdate()
    rows = list(queue_query(acting=acting, filters=filters, after=after, today=day)[: limit + 1])
    has_next = len(rows) > limit
    items = rows[:limit]
    for item in items:
        queued = item.queued_at or item.created_at
        item.age_days = (day - timezone.localtime(queued).date()).days  # type: ignore[attr-defined]
        item.warnings = sum(1 for f in item.findings if f.get("severity") == "warning")  # type: ignore[attr-defined]
    if filters.search:
        audit_log(
            action=AuditAction.OFFICE_QUEUE_SEARCHED,
            acting=acting,
            subject_niss=filters.worker_niss,
            object_type="office_queue",
            object_id=filters.ticket,
            data={"found": len(items)},
        )
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
