"""The benchmark's data, generated in its own database (never through the web), reused between runs.

- The journey pool: small employers (fewer than 100 workers each, so that step 4 shows the Dimona
  list), each with a main access manager who logs in, and workers with a child and 11 years of
  full-time contract, so that every virtual user files a valid parental leave for a worker of its own.
  The requests a run files are deleted at the start of the next run, so the pool never runs dry.
- The consultation dataset: a social secretariat with 1,000 mandates, three of whose employers have
  10,000, 100,000 and 1,000,000 requests of the last two years, written with PostgreSQL COPY.
  Generated once and kept: a run finds it and starts at once.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from careerbreak.identity.models import AccessGrant, Mandate, Role, User
from careerbreak.interruptions.tickets import format_ticket
from careerbreak.registries.identifiers import build_niss
from careerbreak.registries.models import Employment, Enterprise, JointCommittee, Person, Sector, WorkerStatus

JOURNEY_EMPLOYERS = 50
WORKERS_PER_EMPLOYER = 80  # below the 100 from which step 4 offers no Dimona list
CONSULTATION_SIZES = (10_000, 100_000, 1_000_000)
SECRETARIAT_MANDATES = 1_000
# Tickets of the generated requests: sequences far above what the journey's counter reaches.
TICKET_BASE = {10_000: 50_000_000, 100_000: 51_000_000, 1_000_000: 52_000_000}
WORKERS_FOR = {10_000: 1_000, 100_000: 5_000, 1_000_000: 20_000}

STATUS = "PRIVATE_WHITE_COLLAR"
COMMITTEE = "200"
CONTRACT_START = datetime.date(2015, 1, 1)


def enterprise_number(serial: int, series: int = 9) -> str:
    """A valid enterprise number (mod 97) in a range the demo data does not use: 09xx.xxx.xxx."""
    first8 = f"0{series}{serial:06d}"
    return f"{first8}{97 - int(first8) % 97:02d}"


class NissFactory:
    """Valid national numbers not yet in the register, deterministic for a seed."""

    def __init__(self, seed: int, first_year: int, last_year: int) -> None:
        self.random = random.Random(seed)  # noqa: S311 - test data, not secrets
        self.taken = set(Person.objects.values_list("niss", flat=True))
        self.first = datetime.date(first_year, 1, 1).toordinal()
        self.last = datetime.date(last_year, 12, 28).toordinal()

    def new(self) -> tuple[str, datetime.date]:
        while True:
            birth = datetime.date.fromordinal(self.random.randint(self.first, self.last))
            niss = build_niss(birth, self.random.randint(700, 998))
            if niss not in self.taken:
                self.taken.add(niss)
                return niss, birth


@dataclass(frozen=True)
class PoolEntry:
    manager_niss: str
    enterprise_number: str
    worker_niss: str
    child_niss: str
    child_birth: datetime.date


def _employer(serial: int, name: str, *, headcount: int, secretariat: bool = False) -> Enterprise:
    enterprise, _created = Enterprise.objects.get_or_create(
        number=enterprise_number(serial),
        defaults={
            "name": name,
            "legal_form": "SRL",
            "street": f"Rue du Banc d'Essai {serial % 200 + 1}",
            "postal_code": "5000",
            "city": "Namur",
            "sector": Sector.PRIVATE,
            "reference_headcount": headcount,
            "onss_number": f"{7_000_000 + serial:07d}{(serial % 89) + 10:02d}",
            "is_social_secretariat": secretariat,
        },
    )
    return enterprise


def _people(rows: list[Person]) -> None:
    Person.objects.bulk_create(rows, batch_size=2000)


def ensure_journey_pool() -> list[PoolEntry]:
    """The small employers, their managers and workers; created the first time, read afterwards."""
    committee = JointCommittee.objects.get(number=COMMITTEE)
    status = WorkerStatus.objects.get(code=STATUS)
    today = timezone.localdate()
    entries: list[PoolEntry] = []
    factory: NissFactory | None = None
    for index in range(1, JOURNEY_EMPLOYERS + 1):
        serial = 100 + index
        enterprise = _employer(serial, f"Banc d'Essai {index:03d} SRL", headcount=WORKERS_PER_EMPLOYER)
        grant = (
            AccessGrant.objects.active().filter(enterprise=enterprise, role=Role.MAIN_ACCESS_MANAGER).first()
        )
        if grant is None:
            factory = factory or NissFactory(seed=serial, first_year=1960, last_year=1995)
            kids = NissFactory(seed=serial + 1, first_year=today.year - 9, last_year=today.year - 2)
            with transaction.atomic():
                manager_niss, birth = factory.new()
                manager = Person(
                    niss=manager_niss,
                    first_name="Gérant",
                    last_name=f"Essai {index:03d}",
                    birth_date=birth,
                    language="fr",
                )
                workers, children, employments = [], [], []
                for w in range(WORKERS_PER_EMPLOYER):
                    niss, birth = factory.new()
                    worker = Person(
                        niss=niss,
                        first_name=f"Travailleur {w + 1:02d}",
                        last_name=f"Essai {index:03d}",
                        birth_date=birth,
                        language="fr",
                    )
                    child_niss, child_birth = kids.new()
                    child = Person(
                        niss=child_niss,
                        first_name="Enfant",
                        last_name=f"Essai {index:03d}-{w + 1:02d}",
                        birth_date=child_birth,
                    )
                    workers.append(worker)
                    children.append(child)
                _people([manager, *workers, *children])
                saved = {
                    p.niss: p
                    for p in Person.objects.filter(
                        niss__in=[w.niss for w in workers] + [c.niss for c in children]
                    )
                }
                through = Person.children.through
                through.objects.bulk_create(
                    [
                        through(from_person_id=saved[w.niss].pk, to_person_id=saved[c.niss].pk)
                        for w, c in zip(workers, children, strict=True)
                    ],
                    ignore_conflicts=True,
                )
                for w, worker in enumerate(workers):
                    employments.append(
                        Employment(
                            period_id=f"BENCH{serial:04d}{w:04d}",
                            employer=enterprise,
                            worker=saved[worker.niss],
                            joint_committee=committee,
                            worker_status=status,
                            start_date=CONTRACT_START,
                            weekly_hours=Decimal("38"),
                            reference_hours=Decimal("38"),
                        )
                    )
                Employment.objects.bulk_create(employments)
                grant = AccessGrant.objects.create(
                    niss=manager_niss, enterprise=enterprise, role=Role.MAIN_ACCESS_MANAGER
                )
        employments_here = (
            Employment.objects.filter(employer=enterprise).select_related("worker").order_by("period_id")
        )
        for employment in employments_here:
            kid = employment.worker.children.order_by("birth_date").last()
            assert kid is not None
            kid_birth = kid.birth_date
            assert kid_birth is not None
            entries.append(
                PoolEntry(
                    manager_niss=grant.niss,
                    enterprise_number=enterprise.number,
                    worker_niss=employment.worker.niss,
                    child_niss=kid.niss,
                    child_birth=kid_birth,
                )
            )
    return entries


def journey_enterprise_ids() -> list[int]:
    numbers = [enterprise_number(100 + i) for i in range(1, JOURNEY_EMPLOYERS + 1)]
    return list(Enterprise.objects.filter(number__in=numbers).values_list("pk", flat=True))


def reset_run_state() -> dict[str, int]:
    """Forget what earlier runs filed and queued, so that the pool is whole again.

    The journey employers' requests (with their versions, transitions and documents), every outbox
    message, task result, session and identity-provider code of this benchmark database.
    """
    from careerbreak.documents.models import Document
    from careerbreak.interruptions.models import Draft, LeaveRequest

    ids = journey_enterprise_ids()
    tickets = list(LeaveRequest.objects.filter(enterprise_id__in=ids).values_list("ticket", flat=True))
    deleted: dict[str, int] = {"requests": len(tickets)}
    storage = Document._meta.get_field("file").storage
    documents = Document.objects.filter(reference__in=tickets)
    for name in documents.values_list("file", flat=True):
        storage.delete(name)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM documents_document WHERE reference = ANY(%s)", [tickets])
        # The API benchmark's batches (bench/api.py), whose items point at the requests.
        cursor.execute(
            "DELETE FROM interruptions_batchitem WHERE request_id IN "
            "(SELECT id FROM interruptions_leaverequest WHERE enterprise_id = ANY(%s))",
            [ids],
        )
        for table in ("interruptions_requestversion", "interruptions_statustransition"):
            cursor.execute(
                f"DELETE FROM {table} WHERE request_id IN "  # noqa: S608 - fixed table names
                "(SELECT id FROM interruptions_leaverequest WHERE enterprise_id = ANY(%s))",
                [ids],
            )
        cursor.execute("DELETE FROM interruptions_leaverequest WHERE enterprise_id = ANY(%s)", [ids])
        for table in (
            "mailbox_eboxmessage",
            "mailbox_outboxmessage",
            "django_tasks_database_dbtaskresult",
            "django_session",
            "devidp_accesstoken",
            "devidp_authorizationcode",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            deleted[table] = cursor.rowcount
    deleted["drafts"] = Draft.objects.filter(enterprise_id__in=ids).delete()[0]
    return deleted


# -- consultation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationTarget:
    size: int
    enterprise_number: str
    enterprise_id: int
    sample_niss: str
    sample_ticket: str
    deep_cursor: str
    rows: int


SECRETARIAT_SERIAL = 1
CONSULTATION_SERIAL = {10_000: 2, 100_000: 3, 1_000_000: 4}
SECRETARIAT_USER_NISS_SEED = 4242


def secretariat_member_niss(secretariat: Enterprise, *, role: str, seed: int, last_name: str) -> str:
    """The NISS of the secretariat's person holding an active grant with ``role``; the first time, a person
    of their own (born 1970-1990, drawn from ``seed``) is created and given that grant."""
    grant = AccessGrant.objects.active().filter(enterprise=secretariat, role=role).first()
    if grant is not None:
        return grant.niss
    niss, birth = NissFactory(seed=seed, first_year=1970, last_year=1990).new()
    Person.objects.create(niss=niss, first_name="Gestionnaire", last_name=last_name, birth_date=birth)
    AccessGrant.objects.create(niss=niss, enterprise=secretariat, role=role)
    return niss


def secretariat_user_niss() -> str:
    secretariat = _employer(
        SECRETARIAT_SERIAL, "Banc d'Essai Secrétariat social ASBL", headcount=400, secretariat=True
    )
    return secretariat_member_niss(
        secretariat, role=Role.USER, seed=SECRETARIAT_USER_NISS_SEED, last_name="Secrétariat"
    )


def ensure_secretariat() -> str:
    """The secretariat, its user and its 1,000 mandates (3 of them the consultation employers)."""
    niss = secretariat_user_niss()
    secretariat = Enterprise.objects.get(number=enterprise_number(SECRETARIAT_SERIAL))
    have = Mandate.objects.filter(secretariat=secretariat).count()
    if have >= SECRETARIAT_MANDATES:
        return niss
    employers = [
        _employer(
            CONSULTATION_SERIAL[size],
            f"Banc d'Essai Consultation {size:,} SA".replace(",", "."),
            headcount=WORKERS_FOR[size],
        )
        for size in CONSULTATION_SIZES
    ]
    fillers = SECRETARIAT_MANDATES - len(employers)
    existing = set(Enterprise.objects.filter(number__startswith="09").values_list("number", flat=True))
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                number=enterprise_number(10_000 + i),
                name=f"Client {i + 1:04d} du secrétariat SRL",
                sector=Sector.PRIVATE,
                reference_headcount=5 + i % 90,
                postal_code="1000",
                city="Bruxelles",
            )
            for i in range(fillers)
            if enterprise_number(10_000 + i) not in existing
        ]
    )
    clients = list(
        Enterprise.objects.filter(number__in=[enterprise_number(10_000 + i) for i in range(fillers)])
    )
    Mandate.objects.filter(secretariat=secretariat).delete()
    Mandate.objects.bulk_create(
        [
            Mandate(secretariat=secretariat, employer=employer, valid_from=datetime.date(2020, 1, 1))
            for employer in [*employers, *clients]
        ]
    )
    return niss


LEAVE_MIX = (
    ("PARENTAL", "1/5", 40),
    ("TC_CHILD_CARE", "1/5", 25),
    ("MEDICAL_ASSISTANCE", "1/2", 15),
    ("CAREGIVER", "full", 10),
    ("PALLIATIVE", "full", 10),
)
STATUS_MIX = (
    ("approved", 50),
    ("awaiting_worker", 20),
    ("complete", 10),
    ("under_review", 10),
    ("refused", 5),
    ("cancelled", 5),
)


def _weighted(mix: tuple[tuple[Any, ...], ...]) -> list[tuple[Any, ...]]:
    return [item[:-1] for item in mix for _ in range(int(item[-1]))]


def _copy_workers(enterprise: Enterprise, count: int, seed: int) -> list[int]:
    """Persons and current employments for the enterprise's workers; returns the persons' ids."""
    committee = JointCommittee.objects.get(number=COMMITTEE)
    status = WorkerStatus.objects.get(code=STATUS)
    factory = NissFactory(seed=seed, first_year=1965, last_year=2000)
    people = []
    for i in range(count):
        niss, birth = factory.new()
        people.append(
            Person(
                niss=niss,
                first_name=f"Employé {i + 1}",
                last_name=f"Grande {enterprise.number[-4:]}",
                birth_date=birth,
            )
        )
    _people(people)
    saved = list(Person.objects.filter(niss__in=[p.niss for p in people]).values_list("pk", flat=True))
    Employment.objects.bulk_create(
        [
            Employment(
                period_id=f"C{enterprise.number[-6:]}{i:06d}",
                employer=enterprise,
                worker_id=pk,
                joint_committee=committee,
                worker_status=status,
                start_date=CONTRACT_START,
                weekly_hours=Decimal("38"),
                reference_hours=Decimal("38"),
            )
            for i, pk in enumerate(saved)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would give them later: without them PostgreSQL takes the
        # employer's 20,000 employments for one and plans every query of them accordingly.
        cursor.execute("ANALYZE registries_person, registries_employment")
    return saved


COLUMNS = (
    "ticket",
    "worker_status",
    "joint_committee",
    "kind",
    "leave_type",
    "form",
    "notice_date",
    "start_date",
    "end_date",
    "details",
    "findings",
    "status",
    "version",
    "certified_at",
    "certification_text",
    "certification_version",
    "assurance_level",
    "created_at",
    "created_by_id",
    "enterprise_id",
    "worker_id",
)


def _request_rows(
    *, size: int, enterprise_id: int, worker_ids: list[int], user_id: int, seed: int
) -> Iterator[tuple[object, ...]]:
    rnd = random.Random(seed)  # noqa: S311 - test data
    leaves = _weighted(LEAVE_MIX)
    statuses = [s[0] for s in _weighted(STATUS_MIX)]
    now = timezone.now()
    # Oldest first, so that ids grow with created_at as they do in real life; within the window.
    span = datetime.timedelta(days=700).total_seconds()
    details = json.dumps({"weekly_hours": "38", "reference_hours": "38", "employer_agreement": True})
    per_worker: dict[int, int] = {}
    base = TICKET_BASE[size]
    for i in range(size):
        created = now - datetime.timedelta(seconds=span * (1 - i / size))
        worker = worker_ids[i % len(worker_ids)]
        k = per_worker.get(worker, 0)
        per_worker[worker] = k + 1
        leave_type, form = leaves[rnd.randrange(len(leaves))]
        start = datetime.date(2023, 1, 1) + datetime.timedelta(days=31 * k)
        end = start + datetime.timedelta(days=150)
        yield (
            format_ticket(created.year, base + i + 1),
            STATUS,
            COMMITTEE,
            "new",
            leave_type,
            form,
            start - datetime.timedelta(days=70),
            start,
            end,
            details,
            "[]",
            statuses[rnd.randrange(len(statuses))],
            1,
            created,
            "I certify that the data entered are accurate and complete",
            "2026-1",
            500,
            created,
            user_id,
            enterprise_id,
            worker,
        )


def ensure_consultation(sizes: tuple[int, ...], log: object = print) -> list[ConsultationTarget]:
    """The consultation employers with their requests; generated with COPY the first time only."""
    say = log if callable(log) else print
    niss = ensure_secretariat()
    user, _created = User.objects.get_or_create(niss=niss, defaults={"first_name": "Gestionnaire"})
    from careerbreak.interruptions.models import LeaveRequest

    targets = []
    for size in sizes:
        enterprise = Enterprise.objects.get(number=enterprise_number(CONSULTATION_SERIAL[size]))
        rows = LeaveRequest.objects.filter(enterprise=enterprise).count()
        if rows < size:
            started = time.monotonic()
            say(f"  generating {size:,} requests for {enterprise.name} (COPY)…")
            with transaction.atomic():
                LeaveRequest.objects.filter(enterprise=enterprise).delete()
                Employment.objects.filter(employer=enterprise).delete()
                worker_ids = _copy_workers(enterprise, WORKERS_FOR[size], seed=size)
                with connection.cursor() as cursor:
                    copy_sql = f"COPY interruptions_leaverequest ({', '.join(COLUMNS)}) FROM STDIN"
                    with cursor.copy(copy_sql) as copy:
                        for row in _request_rows(
                            size=size,
                            enterprise_id=enterprise.pk,
                            worker_ids=worker_ids,
                            user_id=user.pk,
                            seed=size,
                        ):
                            copy.write_row(row)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE interruptions_leaverequest")
            rows = size
            say(f"  … {size:,} rows in {time.monotonic() - started:.0f} s")
        since = timezone.now() - datetime.timedelta(days=2 * 365 + 1)
        ordered = LeaveRequest.objects.filter(enterprise=enterprise, created_at__gte=since).order_by(
            "-created_at", "-id"
        )
        deep = ordered.values_list("created_at", "id")[size // 2]
        sample = ordered.select_related("worker")[size // 3]
        targets.append(
            ConsultationTarget(
                size=size,
                enterprise_number=enterprise.number,
                enterprise_id=enterprise.pk,
                sample_niss=sample.worker.niss,
                sample_ticket=sample.ticket,
                deep_cursor=f"{deep[0].isoformat()}|{deep[1]}",
                rows=rows,
            )
        )
    return targets


def table_stats() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('interruptions_leaverequest')) "
            "FROM interruptions_leaverequest"
        )
        count, size = cursor.fetchone()
    return {"leave_requests_in_table": count, "table_size_with_indexes": size}


def sample_versions(pool: list[PoolEntry], count: int = 20) -> list[int]:
    """Versions of requests filed by the journey; one is filed here (through the services) if none."""
    from careerbreak.identity.access import EnterpriseAccess
    from careerbreak.identity.acting import Acting
    from careerbreak.interruptions import services
    from careerbreak.interruptions.models import Draft, RequestVersion

    ids = journey_enterprise_ids()
    found = list(
        RequestVersion.objects.filter(request__enterprise_id__in=ids)
        .order_by("-pk")
        .values_list("pk", flat=True)[:count]
    )
    if found:
        return found
    entry = pool[-1]
    enterprise = Enterprise.objects.get(number=entry.enterprise_number)
    user, _created = User.objects.get_or_create(niss=entry.manager_niss)
    today = timezone.localdate()
    from bench.journey_form import journey_dates

    notice, start, end = journey_dates(today)
    draft = Draft.objects.create(
        owner=user,
        enterprise=enterprise,
        step=7,
        data={
            "worker": {"niss": entry.worker_niss, "status": STATUS, "joint_committee": COMMITTEE},
            "type": {"leave_type": "PARENTAL", "kind": "new", "related_ticket": ""},
            "leave": {
                "notice_date": notice.isoformat(),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "form": "1/5",
                "weekly_hours": "38",
                "reference_hours": "38",
                "days_per_week": "5",
                "hours_during_leave": "30.4",
                "regime_12_months": "full_time",
                "months_of_contract_last_15": "15",
                "child_birth_date": entry.child_birth.isoformat(),
                "child_niss": entry.child_niss,
                "child_disabled": False,
                "employer_agreement": True,
            },
        },
    )
    access = EnterpriseAccess(enterprise=enterprise, role=Role.MAIN_ACCESS_MANAGER)
    acting = Acting.for_enterprise(user=user, access=access, assurance_level=500)
    request = services.request_confirm(acting=acting, draft_id=draft.pk, certified=True)
    return [request.versions.get().pk]


def attachment_keys(version_ids: list[int]) -> list[str]:
    """The mailbox keys of these versions, their PDFs rendered and stored first (as the task does)."""
    from careerbreak.interruptions.documents import attachment_key, employer_part_document
    from careerbreak.interruptions.models import RequestVersion

    keys = []
    for version in RequestVersion.objects.filter(pk__in=version_ids).select_related(
        "request__enterprise", "request__worker", "created_by"
    ):
        employer_part_document(version)
        keys.append(attachment_key(version))
    return keys


# --- The office's work queue ------------------------------------------------------------------------

OFFICE_AGENT_NISS_SEED = 4343
QUEUE_OFFICE = "WAL"


@dataclass(frozen=True)
class QueueTarget:
    agent_niss: str
    deep_cursor: str
    sample_ticket: str
    queued: int
    rows_in_table: int


def ensure_office_queue(log: object = print) -> QueueTarget:
    """Every consultation request in the Liège office, those that reached Complete with their
    ``queued_at`` (a day after filing), and an agent of that office who logs in with eID: the queue then
    holds the complete and under-review requests of a table of a million and more."""
    from careerbreak.identity.models import OfficeRole
    from careerbreak.interruptions.models import LeaveRequest
    from careerbreak.registries.models import Office

    say = log if callable(log) else print
    office = Office.objects.get(code=QUEUE_OFFICE)
    pending = LeaveRequest.objects.filter(office__isnull=True)
    if pending.exists():
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE interruptions_leaverequest SET office_id = %s, queued_at = CASE WHEN status IN "
                "('complete', 'under_review', 'information_requested', 'approved', 'refused') "
                "THEN created_at + interval '1 day' END WHERE office_id IS NULL",
                [office.pk],
            )
            cursor.execute("ANALYZE interruptions_leaverequest")
        say(f"  office and queue date set on the requests in {time.monotonic() - started:.0f} s")
    role = OfficeRole.objects.active().filter(kind=OfficeRole.Kind.AGENT, office=office).first()
    if role is None:
        niss, birth = NissFactory(seed=OFFICE_AGENT_NISS_SEED, first_year=1970, last_year=1990).new()
        Person.objects.get_or_create(
            niss=niss, defaults={"first_name": "Agent", "last_name": "Banc d'Essai", "birth_date": birth}
        )
        role = OfficeRole.objects.create(niss=niss, kind=OfficeRole.Kind.AGENT, office=office)
    queue = LeaveRequest.objects.filter(office=office, status="complete").order_by("queued_at", "id")
    queued = queue.count()
    deep = queue.values_list("queued_at", "id")[queued // 2]
    return QueueTarget(
        agent_niss=role.niss,
        deep_cursor=f"{deep[0].isoformat()}|{deep[1]}",
        sample_ticket=queue.values_list("ticket", flat=True)[queued // 3],
        queued=queued,
        rows_in_table=LeaveRequest.objects.count(),
    )
