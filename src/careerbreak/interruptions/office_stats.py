"""The supervisors' figures (issue 13, *Office dashboard*): requests received per week, the backlog by
status and office, the median days from *Complete* to the decision.

Each is one aggregate query over the requests in the acting person's scope (``office_scope``: a
supervisor's is every office), never a loop over requests. *Received* is the day a request became
*Complete* (the worker part sent: the office has it from then), read from its ``StatusTransition``
row; *decided* is its transition to *Approved* or *Refused*.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, DateTimeField, OuterRef, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from careerbreak.identity.acting import Acting
from careerbreak.interruptions.models import StatusTransition
from careerbreak.interruptions.selectors import office_scope
from careerbreak.interruptions.states import Status
from careerbreak.registries.models import Office

WEEKS = 12
# What the office still has to decide.
BACKLOG_STATUSES = (Status.COMPLETE, Status.UNDER_REVIEW, Status.INFORMATION_REQUESTED)
DECIDED_STATUSES = (Status.APPROVED, Status.REFUSED)


@dataclass(frozen=True)
class WeekCount:
    monday: datetime.date
    count: int


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _window_start(today: datetime.date, weeks: int) -> datetime.datetime:
    first = _monday(today) - datetime.timedelta(weeks=weeks - 1)
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))


def received_per_week(
    *, acting: Acting, weeks: int = WEEKS, today: datetime.date | None = None
) -> list[WeekCount]:
    """The requests that became *Complete* in each of the last ``weeks`` weeks (Monday to Sunday, this
    week last), a week without any counted as 0. PermissionDenied outside the office."""
    today = today or timezone.localdate()
    since = _window_start(today, weeks)
    rows = (
        StatusTransition.objects.filter(
            request__in=office_scope(acting=acting), to_status=Status.COMPLETE, occurred_at__gte=since
        )
        .annotate(week=TruncWeek("occurred_at"))
        .values("week")
        .annotate(count=Count("request_id", distinct=True))
        .order_by("week")
    )
    counts: dict[datetime.date, int] = {}
    for row in rows:
        week = row["week"]
        day = timezone.localtime(week).date() if isinstance(week, datetime.datetime) else week
        counts[_monday(day)] = counts.get(_monday(day), 0) + row["count"]
    first = since.date()
    return [
        WeekCount(monday=monday, count=counts.get(monday, 0))
        for monday in (first + datetime.timedelta(weeks=n) for n in range(weeks))
    ]


@dataclass(frozen=True)
class BacklogRow:
    office: str
    counts: dict[str, int]  # by status, every status of BACKLOG_STATUSES present

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def backlog(*, acting: Acting) -> list[BacklogRow]:
    """The requests still to decide, by office (by name; "no office" last) and status."""
    rows = (
        office_scope(acting=acting)
        .filter(status__in=BACKLOG_STATUSES)
        .values("office_id", "status")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_office: dict[int | None, dict[str, int]] = {}
    for row in rows:
        counts = by_office.setdefault(row["office_id"], {str(s): 0 for s in BACKLOG_STATUSES})
        counts[row["status"]] = row["count"]
    offices = {office.pk: office for office in Office.objects.filter(pk__in=[k for k in by_office if k])}
    named = sorted(
        (BacklogRow(office=offices[pk].name, counts=counts) for pk, counts in by_office.items() if pk),
        key=lambda row: row.office,
    )
    if None in by_office:
        named.append(BacklogRow(office=_("No office (domicile outside every area)"), counts=by_office[None]))
    return named


@dataclass(frozen=True)
class DecisionDelay:
    office: str
    decided: int
    median_days: float


def _first_transition(*statuses: str) -> Subquery:
    return Subquery(
        StatusTransition.objects.filter(request=OuterRef("pk"), to_status__in=statuses)
        .order_by("occurred_at", "id")
        .values("occurred_at")[:1],
        output_field=DateTimeField(),
    )


def median_days_to_decision(
    *, acting: Acting, weeks: int = WEEKS, today: datetime.date | None = None
) -> tuple[DecisionDelay | None, list[DecisionDelay]]:
    """The median days from *Complete* to the decision of the requests decided in the last ``weeks``
    weeks: over all of them (None when none), and by office. One query."""
    today = today or timezone.localdate()
    since = _window_start(today, weeks)
    rows = (
        office_scope(acting=acting)
        .filter(status__in=DECIDED_STATUSES)
        .annotate(
            complete_at=_first_transition(Status.COMPLETE),
            decided_at=_first_transition(*DECIDED_STATUSES),
        )
        .filter(decided_at__gte=since, complete_at__isnull=False)
        .values_list("office_id", "complete_at", "decided_at")
    )
    by_office: dict[int | None, list[float]] = {}
    every: list[float] = []
    for office_id, complete_at, decided_at in rows:
        days = (decided_at - complete_at).total_seconds() / 86400
        every.append(days)
        by_office.setdefault(office_id, []).append(days)
    if not every:
        return None, []
    offices = {office.pk: office.name for office in Office.objects.filter(pk__in=[k for k in by_office if k])}
    outside = _("No office (domicile outside every area)")
    per_office = sorted(
        (
            DecisionDelay(
                office=offices.get(pk, outside) if pk else outside,
                decided=len(days),
                median_days=statistics.median(days),
            )
            for pk, days in by_office.items()
        ),
        key=lambda delay: delay.office,
    )
    overall = DecisionDelay(office=_("All offices"), decided=len(every), median_days=statistics.median(every))
    return overall, per_office
