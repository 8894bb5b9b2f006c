"""The registries as small interfaces, so that a remote authentic source can replace a local table.

Five sources, each a ``Protocol``:

- ``NationalRegister`` (persons by NISS or BIS number; the national register through the Crossroads Bank),
- ``EnterpriseRegister`` (enterprises by enterprise number; BCE/KBO),
- ``Dimona`` (who works for whom, and since when; the ONSS personnel file),
- ``ReferenceData`` (worker statuses and joint committees, the lists the forms and documents name),
- ``LeaveHistory`` (the leaves the office recorded before this system, which the rules count).

Callers never build a source and never query the registries' models: they call ``national_register()``,
``enterprise_register()``, ``dimona()``, ``reference_data()`` or ``leave_history()`` and get the
configured implementation.
By default these are the ``Local…`` classes below, which read the tables filled by ``import_registry``
and ``load_demo_data``.

Replacing a source with a remote one is configuration, not code changes in callers::

    # config/settings.py
    REGISTRY_SOURCES = {
        "national_register": "careerbreak.registries.clients.cbss.CbssNationalRegister",
        "dimona": "careerbreak.registries.clients.onss.OnssDimona",
    }

A remote implementation is a class with a no-argument constructor (it reads its own settings: URL,
certificate, timeouts) whose methods have the signatures of the protocol. It returns objects with the same
attributes as the local models (a ``Person``, ``Enterprise`` or ``Employment`` built in memory and not saved
is fine; so is a dataclass with those attribute names), returns ``None`` for "unknown", and raises an
exception (never ``None``) when the remote service is unreachable, so that "unknown person" and "register
down" stay distinct for the user. Names that are not configured keep their local default. Sources are
built once per process; ``reset_sources()`` forgets them (tests that override ``REGISTRY_SOURCES``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Protocol, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from careerbreak.core.sqlrows import (
    Columns,
    columns,
    fetch,
    instance,
    optional_instance,
    prepared_cursor,
    select_list,
    table,
)
from careerbreak.registries.models import (
    Employment,
    Enterprise,
    JointCommittee,
    Office,
    OfficeArea,
    Person,
    PriorLeave,
    WorkerStatus,
)

# An enterprise as callers hold it: the model instance, or its compact 10-digit number.
EnterpriseRef = Enterprise | str


class NationalRegister(Protocol):
    def get_person(self, niss: str) -> Person | None:
        """The person with this compact NISS or BIS number, or None when unknown."""
        ...

    def get_persons(self, nisses: Iterable[str]) -> dict[str, Person]:
        """The known persons among these numbers, by number (one question for a list)."""
        ...


class EnterpriseRegister(Protocol):
    def get_enterprise(self, number: str) -> Enterprise | None:
        """The enterprise with this compact enterprise number, or None when unknown."""
        ...


class Dimona(Protocol):
    """The employments declared to the ONSS (Dimona periods), as the employer's personnel file shows them."""

    def employments_of(
        self, enterprise: EnterpriseRef, *, on: datetime.date | None = None
    ) -> Sequence[Employment]:
        """The enterprise's employments running on ``on`` (default today), by worker name.

        A worker with two running employments (two contracts) appears twice.
        """
        ...

    def employment_of(
        self, enterprise: EnterpriseRef, niss: str, *, on: datetime.date | None = None
    ) -> Employment | None:
        """The worker's employment at the enterprise running on ``on`` (default today); if none runs, the
        one that ended most recently before that day; None when the worker never worked there (employments
        that only start after ``on`` do not count)."""
        ...

    def periods_of(self, enterprise: EnterpriseRef, niss: str) -> Sequence[Employment]:
        """Every Dimona period of the worker at the enterprise, ended or running, oldest first (seniority
        spans successive contracts)."""
        ...

    def workers_under_contract(self, enterprise: EnterpriseRef, *, on: datetime.date | None = None) -> int:
        """How many distinct workers have an employment running on ``on`` (default today)."""
        ...

    def has_workers_under_contract(
        self, enterprise: EnterpriseRef, at_least: int, *, on: datetime.date | None = None
    ) -> bool:
        """Whether at least ``at_least`` distinct workers have an employment running on ``on`` (default
        today). Counts no further than ``at_least``: for the pages that only ask whether a list is too long
        to show, this costs the same for 100 workers as for 20,000."""
        ...

    def is_employed(self, enterprise: EnterpriseRef, niss: str, *, on: datetime.date | None = None) -> bool:
        """Whether the worker has an employment at the enterprise running on ``on`` (default today)."""
        ...

    def employers_of(self, niss: str, *, on: datetime.date | None = None) -> list[Enterprise]:
        """The enterprises where the worker has an employment running on ``on`` (default today), once each,
        by name."""
        ...


class ReferenceData(Protocol):
    """The worker statuses and joint committees (imported reference lists)."""

    def worker_statuses(self) -> list[WorkerStatus]:
        """Every worker status."""
        ...

    def worker_status(self, code: str) -> WorkerStatus | None:
        """The status with this code, or None."""
        ...

    def joint_committees(self) -> list[JointCommittee]:
        """The joint committees in force, by number."""
        ...

    def joint_committee(self, number: str) -> JointCommittee | None:
        """The joint committee with this number, or None."""
        ...


class LeaveHistory(Protocol):
    """The office's history of leaves from before this system."""

    def earlier_leaves(self, niss: str) -> Sequence[PriorLeave]:
        """The worker's earlier leaves, with their ``employer`` and ``subject`` (child, patient) at hand."""
        ...


class LocalNationalRegister:
    def get_person(self, niss: str) -> Person | None:
        return Person.objects.filter(niss=niss).first()

    def get_persons(self, nisses: Iterable[str]) -> dict[str, Person]:
        wanted = set(nisses)
        if not wanted:
            return {}
        return {p.niss: p for p in Person.objects.filter(niss__in=wanted)}


class LocalEnterpriseRegister:
    def get_enterprise(self, number: str) -> Enterprise | None:
        return Enterprise.objects.filter(number=number).first()


def _enterprise_filter(enterprise: EnterpriseRef) -> Q:
    if isinstance(enterprise, Enterprise):
        return Q(employer_id=enterprise.pk)
    return Q(employer__number=enterprise)


class LocalDimona:
    def employments_of(
        self, enterprise: EnterpriseRef, *, on: datetime.date | None = None
    ) -> Sequence[Employment]:
        return list(
            Employment.objects.filter(_enterprise_filter(enterprise))
            .current(on)
            .select_related("worker", "employer", "joint_committee", "worker_status")
            .order_by("worker__last_name", "worker__first_name", "worker__niss", "start_date")
        )

    def employment_of(
        self, enterprise: EnterpriseRef, niss: str, *, on: datetime.date | None = None
    ) -> Employment | None:
        day = on or timezone.localdate()
        employments = Employment.objects.filter(
            _enterprise_filter(enterprise), worker__niss=niss
        ).select_related("worker", "employer", "joint_committee", "worker_status")
        running = employments.current(day).order_by("-start_date", "-pk").first()
        if running is not None:
            return running
        return employments.filter(end_date__lt=day).order_by("-end_date", "-start_date", "-pk").first()

    def periods_of(self, enterprise: EnterpriseRef, niss: str) -> Sequence[Employment]:
        # With what employment_of gives, so that employment_among answers it from these (one query).
        # SQL for what the ORM reads with
        #   Employment.objects.filter(_enterprise_filter(enterprise), worker__niss=niss)
        #   .select_related("worker", "employer", "joint_committee", "worker_status")
        #   .order_by("start_date", "pk")
        # (on the path of every filing and API validation, whose CPU its compiling weighed on: ADR 0030).
        by_pk = isinstance(enterprise, Enterprise)
        sql, parts = _periods_sql(Employment._default_manager.db, by_pk)
        value = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
        periods = []
        for values in fetch(Employment, sql, [value, niss], *parts, prepared=True):  # ADR 0034
            period: Employment = instance(Employment, "m", parts[0], values[0])
            period.worker = instance(Person, "w", parts[1], values[1])
            period.employer = instance(Enterprise, "e", parts[2], values[2])
            period.joint_committee = optional_instance(JointCommittee, "j", parts[3], values[3])
            period.worker_status = optional_instance(WorkerStatus, "s", parts[4], values[4])
            periods.append(period)
        return periods

    def workers_under_contract(self, enterprise: EnterpriseRef, *, on: datetime.date | None = None) -> int:
        if not isinstance(enterprise, Enterprise):
            return (
                Employment.objects.filter(_enterprise_filter(enterprise))
                .current(on)
                .values("worker_id")
                .distinct()
                .count()
            )
        # What the query above counts, in SQL (ADR 0030): the distinct workers of the running employments.
        day = on or timezone.localdate()
        sql = (
            f"SELECT COUNT(DISTINCT worker_id) FROM {table(Employment)} WHERE employer_id = %s "  # noqa: S608
            "AND start_date <= %s AND (end_date IS NULL OR end_date >= %s)"
        )
        with prepared_cursor(Employment._default_manager.db) as cursor:  # ADR 0034
            cursor.execute(sql, [enterprise.pk, day, day])
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def has_workers_under_contract(
        self, enterprise: EnterpriseRef, at_least: int, *, on: datetime.date | None = None
    ) -> bool:
        # SELECT COUNT(*) FROM (SELECT DISTINCT worker_id … LIMIT at_least): PostgreSQL stops at the limit.
        first = (
            Employment.objects.filter(_enterprise_filter(enterprise))
            .current(on)
            .order_by()  # no ordering column in the DISTINCT: one row a worker
            .values("worker_id")
            .distinct()[:at_least]
        )
        return first.count() >= at_least

    def is_employed(self, enterprise: EnterpriseRef, niss: str, *, on: datetime.date | None = None) -> bool:
        return (
            Employment.objects.filter(_enterprise_filter(enterprise), worker__niss=niss).current(on).exists()
        )

    def employers_of(self, niss: str, *, on: datetime.date | None = None) -> list[Enterprise]:
        employers = {
            e.employer
            for e in Employment.objects.filter(worker__niss=niss).current(on).select_related("employer")
        }
        return sorted(employers, key=lambda e: e.name)


@cache
def _periods_sql(using: str, by_pk: bool) -> tuple[str, tuple[Columns, ...]]:
    """``periods_of``'s text and its columns on the database ``using``, by the enterprise's id or number,
    made once per process (ADR 0046: building them was a thirtieth of a validation's Python)."""
    parts = (
        columns(Employment, "m"),
        columns(Person, "w"),
        columns(Enterprise, "e"),
        columns(JointCommittee, "j"),
        columns(WorkerStatus, "s"),
    )
    employer = "m.employer_id" if by_pk else "e.number"
    sql = (
        f"SELECT {select_list(*parts)} FROM {table(Employment)} m "  # noqa: S608
        f"INNER JOIN {table(Person)} w ON w.id = m.worker_id "
        f"INNER JOIN {table(Enterprise)} e ON e.id = m.employer_id "
        f"LEFT OUTER JOIN {table(JointCommittee)} j ON j.id = m.joint_committee_id "
        f"LEFT OUTER JOIN {table(WorkerStatus)} s ON s.id = m.worker_status_id "
        f"WHERE {employer} = %s AND w.niss = %s ORDER BY m.start_date ASC, m.id ASC"
    )
    return sql, parts


def employment_among(periods: Sequence[Employment], on: datetime.date) -> Employment | None:
    """What ``Dimona.employment_of`` answers for ``on``, from the worker's ``periods_of`` at the same
    enterprise (read once when both are needed): the employment running that day, the latest started
    first; if none runs, the one that ended last before that day; None when none started by then."""
    running = [p for p in periods if p.start_date <= on and (p.end_date is None or p.end_date >= on)]
    if running:
        return max(running, key=lambda p: (p.start_date, p.pk or 0))
    ended = [p for p in periods if p.end_date is not None and p.end_date < on]
    if ended:
        return max(ended, key=lambda p: (p.end_date or on, p.start_date, p.pk or 0))
    return None


class LocalReferenceData:
    def worker_statuses(self) -> list[WorkerStatus]:
        return list(WorkerStatus.objects.all())

    def worker_status(self, code: str) -> WorkerStatus | None:
        return WorkerStatus.objects.filter(code=code).first()

    def joint_committees(self) -> list[JointCommittee]:
        return list(JointCommittee.objects.filter(active=True).order_by("number"))

    def joint_committee(self, number: str) -> JointCommittee | None:
        return JointCommittee.objects.filter(number=number).first()


class LocalLeaveHistory:
    def earlier_leaves(self, niss: str) -> Sequence[PriorLeave]:
        # SQL for PriorLeave.objects.filter(worker__niss=niss).select_related("subject", "employer") in the
        # model's order (on the path of every filing and API validation: ADR 0030).
        parts = (columns(PriorLeave, "l"), columns(Person, "s"), columns(Enterprise, "e"))
        sql = (
            f"SELECT {select_list(*parts)} FROM {table(PriorLeave)} l "  # noqa: S608
            f"INNER JOIN {table(Person)} w ON w.id = l.worker_id "
            f"LEFT OUTER JOIN {table(Person)} s ON s.id = l.subject_id "
            f"LEFT OUTER JOIN {table(Enterprise)} e ON e.id = l.employer_id "
            "WHERE w.niss = %s ORDER BY l.start_date ASC"
        )
        leaves = []
        for values in fetch(PriorLeave, sql, [niss], *parts, prepared=True):  # ADR 0034
            leave: PriorLeave = instance(PriorLeave, "l", parts[0], values[0])
            leave.subject = optional_instance(Person, "s", parts[1], values[1])
            leave.employer = optional_instance(Enterprise, "e", parts[2], values[2])
            leaves.append(leave)
        return leaves


_DEFAULTS = {
    "national_register": "careerbreak.registries.sources.LocalNationalRegister",
    "enterprise_register": "careerbreak.registries.sources.LocalEnterpriseRegister",
    "dimona": "careerbreak.registries.sources.LocalDimona",
    "reference_data": "careerbreak.registries.sources.LocalReferenceData",
    "leave_history": "careerbreak.registries.sources.LocalLeaveHistory",
}


@cache
def _source(name: str) -> object:
    configured: dict[str, str] = getattr(settings, "REGISTRY_SOURCES", {}) or {}
    unknown = set(configured) - set(_DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(
            f"REGISTRY_SOURCES has unknown names {sorted(unknown)}; the sources are {sorted(_DEFAULTS)}."
        )
    return import_string(configured.get(name, _DEFAULTS[name]))()


def reset_sources() -> None:
    """Forget the sources built so far (after changing ``REGISTRY_SOURCES``)."""
    _source.cache_clear()
    is_local.cache_clear()


@cache
def is_local(name: str) -> bool:
    """Whether the source ``name`` is its local default class itself (not a remote one, nor a subclass of
    it): a read that reads that source's tables along with other tables may then do so (ADR 0046)."""
    return type(_source(name)) is import_string(_DEFAULTS[name])


def national_register() -> NationalRegister:
    return cast(NationalRegister, _source("national_register"))


def enterprise_register() -> EnterpriseRegister:
    return cast(EnterpriseRegister, _source("enterprise_register"))


def dimona() -> Dimona:
    return cast(Dimona, _source("dimona"))


def reference_data() -> ReferenceData:
    return cast(ReferenceData, _source("reference_data"))


def leave_history() -> LeaveHistory:
    return cast(LeaveHistory, _source("leave_history"))


def office_for_postcode(postal_code: str) -> Office | None:
    """The employment office whose area holds a Belgian postal code, or None (abroad, unknown, blank)."""
    code = postal_code.strip()
    if not code.isdigit():
        return None
    area = (
        OfficeArea.objects.filter(postcode_from__lte=int(code), postcode_to__gte=int(code))
        .select_related("office")
        .first()
    )
    return area.office if area is not None else None
