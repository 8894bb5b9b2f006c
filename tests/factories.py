"""factory_boy factories for the registries, access and drafts, and the demo's cast built with them.

A view test needs a handful of people, not the demo's few hundred: ``demo_cast()`` creates the demo's
named actors (Jean Dubois and his bakery, Sophie Lambert and her child, An Verhoeven, Luc Janssens and
SecuPay's mandates, Marc Peeters, each enterprise's manager) with the numbers and facts of
``careerbreak.demo.data``, without the generated persons (``fill_headcount()`` adds an employer's
anonymous workers where a test needs its size). Tests of the demo data itself and the browser journeys'
seed still load the whole dataset.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django.db import transaction
from factory.django import DjangoModelFactory

from careerbreak.demo import data as demo
from careerbreak.identity.access import EnterpriseAccess
from careerbreak.identity.acting import Acting
from careerbreak.identity.api_tokens import issue_access_token
from careerbreak.identity.models import AccessGrant, ApiClient, ApiScope, Mandate, Role, User
from careerbreak.interruptions.models import Draft, LeaveRequest, WorkerNotice
from careerbreak.interruptions.states import Actor, NoticeStatus
from careerbreak.interruptions.transitions import transition
from careerbreak.registries.identifiers import build_niss
from careerbreak.registries.importing import load_reference_data
from careerbreak.registries.models import (
    Employment,
    Enterprise,
    JointCommittee,
    Person,
    Sector,
    WorkerStatus,
)


def _birth_date(n: int) -> datetime.date:
    # Born in 1999 or after, unlike every named person of the tests, so that no number is drawn twice.
    return datetime.date(1999, 1, 1) + datetime.timedelta(days=n // 900)


class PersonFactory(DjangoModelFactory[Person]):
    """A person of the national register, with a valid number (mod 97) and the birth date it encodes."""

    class Meta:
        model = Person
        django_get_or_create = ("niss",)

    birth_date = factory.Sequence(_birth_date)
    niss = factory.Sequence(lambda n: build_niss(_birth_date(n), n % 900 + 1))
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")


class EnterpriseFactory(DjangoModelFactory[Enterprise]):
    class Meta:
        model = Enterprise
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: f"09{n:08d}")
    name = factory.Sequence(lambda n: f"Enterprise {n}")
    sector = Sector.PRIVATE
    reference_headcount = 8
    onss_number = "123456749"
    legal_form = "SRL"
    street = "Rue du Four 12"
    postal_code = "5000"
    city = "Namur"


class EmploymentFactory(DjangoModelFactory[Employment]):
    """A Dimona period: a current, full-time employment under joint committee 118 unless told."""

    class Meta:
        model = Employment

    period_id = factory.Sequence(lambda n: f"F{n:07d}")
    employer = factory.SubFactory(EnterpriseFactory)
    worker = factory.SubFactory(PersonFactory)
    joint_committee = factory.LazyFunction(lambda: JointCommittee.objects.get(number="118"))
    start_date = datetime.date(2015, 3, 1)
    weekly_hours = Decimal("38")
    reference_hours = Decimal("38")


class UserFactory(DjangoModelFactory[User]):
    """Someone who has logged in: the user of a NISS (see ``user_for`` to name them after their person)."""

    class Meta:
        model = User
        django_get_or_create = ("niss",)

    niss = factory.Sequence(lambda n: build_niss(_birth_date(n), n % 900 + 1))


class AccessGrantFactory(DjangoModelFactory[AccessGrant]):
    """A grant for a NISS to act for an enterprise, as a plain user unless told."""

    class Meta:
        model = AccessGrant

    niss = factory.Sequence(lambda n: build_niss(_birth_date(n), n % 900 + 1))
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = Role.USER


class MandateFactory(DjangoModelFactory[Mandate]):
    """A social secretariat acting for an employer, open-ended from 2020 unless told."""

    class Meta:
        model = Mandate

    secretariat = factory.SubFactory(EnterpriseFactory, is_social_secretariat=True)
    employer = factory.SubFactory(EnterpriseFactory)
    valid_from = datetime.date(2020, 1, 1)


class DraftFactory(DjangoModelFactory[Draft]):
    class Meta:
        model = Draft

    owner = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)


class LeaveRequestFactory(DjangoModelFactory[LeaveRequest]):
    """A certified request written as a row (no rules, no version), for lists and documents: a full-time
    caregiver leave awaiting the worker unless told."""

    class Meta:
        model = LeaveRequest

    enterprise = factory.SubFactory(EnterpriseFactory)
    worker = factory.SubFactory(PersonFactory)
    worker_status = "PRIVATE_WHITE_COLLAR"
    joint_committee = "118"
    leave_type = "CAREGIVER"
    form = "full"
    status = "awaiting_worker"
    created_by = factory.SubFactory(UserFactory)
    certification_text = "x"
    certification_version = "1"
    assurance_level = 500


def acting_for(
    user: User,
    enterprise: Enterprise,
    *,
    role: str = Role.MAIN_ACCESS_MANAGER,
    via: Enterprise | None = None,
    level: int = 500,
) -> Acting:
    """The acting context the employer guards build for ``user`` at ``enterprise`` (a grant with ``role``,
    or the mandate of ``via``), at assurance ``level``: what a test hands to a service or a selector."""
    access = EnterpriseAccess(enterprise=enterprise, role=None if via else role, via=via)
    return Acting.for_enterprise(user=user, access=access, assurance_level=level)


def acting_self(user: User, *, level: int = 500) -> Acting:
    """The acting context the worker's guard builds: ``user`` acting for themselves."""
    return Acting.for_self(user=user, assurance_level=level)


def user_for(niss: str, *, language: bool = False) -> User:
    """The user this NISS logs in as, named after its person when the registry knows one (``language``:
    with the person's language too, as a login through the provider records it)."""
    person = Person.objects.filter(niss=niss).first()
    extra = {"language": person.language if person else ""} if language else {}
    return UserFactory(
        niss=niss,
        first_name=person.first_name if person else "",
        last_name=person.last_name if person else "",
        **extra,
    )


# --- The demo's cast ----------------------------------------------------------------------------------


def _employment(
    spec: demo.EmployerSpec, index: int, lookups: _Lookups, *, build: bool = False, **values: Any
) -> Employment:
    """A Dimona period at this employer, numbered as the demo numbers them (``build``: not saved)."""
    committee, status, _weight, _hours = values.pop("job", spec.jobs[0])
    make = EmploymentFactory.build if build else EmploymentFactory
    return make(
        period_id=f"{spec.number}{index:05d}",
        employer=lookups.enterprises[spec.number],
        joint_committee=lookups.committees[committee] if committee else None,
        worker_status=lookups.statuses[status],
        **values,
    )


class _Lookups:
    """The rows an employment points to, read once rather than once a row."""

    def __init__(self) -> None:
        self.enterprises = {e.number: e for e in Enterprise.objects.all()}
        self.committees = {c.number: c for c in JointCommittee.objects.all()}
        self.statuses = {s.code: s for s in WorkerStatus.objects.all()}


# The fixed employments of the demo: worker, employer, start, job index, weekly hours.
_FIXED_EMPLOYMENTS: tuple[tuple[str, str, datetime.date, int, str], ...] = (
    (demo.SOPHIE_LAMBERT_NISS, demo.BOULANGERIE_DUBOIS_NUMBER, demo.SOPHIE_LAMBERT_START, 0, "38"),
    (demo.MARC_PEETERS_NISS, demo.LOGISTIQUE_MEUSE_NUMBER, demo.MARC_PEETERS_START, 1, "38"),
    (demo.AN_VERHOEVEN_NISS, demo.ZORGGROEP_NUMBER, datetime.date(2009, 9, 1), 0, "30.4"),
    (demo.ZORGGROEP_MANAGER_NISS, demo.ZORGGROEP_NUMBER, datetime.date(2001, 2, 1), 0, "38"),
    (demo.LOGISTIQUE_MEUSE_MANAGER_NISS, demo.LOGISTIQUE_MEUSE_NUMBER, datetime.date(2012, 4, 1), 1, "38"),
    (demo.LUC_JANSSENS_NISS, demo.SECUPAY_NUMBER, datetime.date(2006, 10, 1), 0, "38"),
    (demo.SECUPAY_MANAGER_NISS, demo.SECUPAY_NUMBER, datetime.date(1998, 3, 1), 0, "38"),
    (demo.WAVRE_MANAGER_NISS, demo.WAVRE_NUMBER, datetime.date(2003, 6, 1), 1, "38"),
)


def demo_cast() -> None:
    """The demo's enterprises, named persons, their employments, access grants and mandates."""
    if not JointCommittee.objects.exists():
        # Transactional tests flush the tables, reference data from the data migration included.
        load_reference_data()
    specs = {spec.number: spec for spec in demo.EMPLOYERS}
    for spec in demo.EMPLOYERS:
        EnterpriseFactory(
            number=spec.number,
            onss_number=spec.onss,
            name=spec.name,
            legal_form=spec.legal_form,
            street=spec.street,
            postal_code=spec.postal_code,
            city=spec.city,
            sector=spec.sector,
            reference_headcount=spec.reference_headcount,
            language=spec.language,
            is_social_secretariat=spec.is_social_secretariat,
        )
    for niss, first, last, birth, gender, language, street, postal_code, city in demo.FIXED_PERSONS:
        PersonFactory(
            niss=niss,
            first_name=first,
            last_name=last,
            birth_date=datetime.date.fromisoformat(birth),
            gender=gender,
            language=language,
            street=street,
            postal_code=postal_code,
            city=city,
            email=demo._email(first, last, niss),  # the demo's address: confirming mails the worker
        )
    sophie = Person.objects.get(niss=demo.SOPHIE_LAMBERT_NISS)
    sophie.children.add(Person.objects.get(niss=demo.SOPHIE_LAMBERT_CHILD_NISS))
    lookups = _Lookups()
    counts = dict.fromkeys(specs, 0)
    for niss, number, start, job, hours in _FIXED_EMPLOYMENTS:
        spec = specs[number]
        counts[number] += 1
        _employment(
            spec,
            counts[number],
            lookups,
            job=spec.jobs[job],
            worker=Person.objects.get(niss=niss),
            start_date=start,
            weekly_hours=Decimal(hours),
        )
    for spec in demo.EMPLOYERS:
        AccessGrantFactory(
            niss=spec.manager_niss,
            enterprise=Enterprise.objects.get(number=spec.number),
            role=Role.MAIN_ACCESS_MANAGER,
            granted_at=demo.GRANTED_AT,
        )
    for niss, number, manager in [
        (demo.AN_VERHOEVEN_NISS, demo.ZORGGROEP_NUMBER, demo.ZORGGROEP_MANAGER_NISS),
        (demo.LUC_JANSSENS_NISS, demo.SECUPAY_NUMBER, demo.SECUPAY_MANAGER_NISS),
    ]:
        AccessGrantFactory(
            niss=niss,
            enterprise=Enterprise.objects.get(number=number),
            role=Role.USER,
            granted_by_niss=manager,
            granted_at=demo.GRANTED_AT,
        )
    secupay = Enterprise.objects.get(number=demo.SECUPAY_NUMBER)
    for number in demo.MANDATED_EMPLOYERS:
        MandateFactory(
            secretariat=secupay,
            employer=Enterprise.objects.get(number=number),
            valid_from=demo.MANDATES_VALID_FROM,
        )
    ended_employer, valid_from, valid_until = demo.ENDED_MANDATE
    MandateFactory(
        secretariat=secupay,
        employer=Enterprise.objects.get(number=ended_employer),
        valid_from=valid_from,
        valid_until=valid_until,
    )


def fill_headcount(number: str) -> None:
    """This demo employer's Dimona filled up to its headcount with anonymous workers, written in bulk:
    the cast has only its named people, a test about a large enterprise (Zorggroep: 250) adds the rest."""
    spec = next(spec for spec in demo.EMPLOYERS if spec.number == number)
    lookups = _Lookups()
    employer = lookups.enterprises[number]
    already = Employment.objects.filter(employer=employer).count()
    workers = Person.objects.bulk_create(PersonFactory.build_batch(spec.workers - already))
    Employment.objects.bulk_create(
        _employment(spec, index, lookups, worker=worker, build=True)
        for index, worker in enumerate(workers, start=already + 1)
    )


# --- The employment office (issue 13) -------------------------------------------------------------------


def office_role_for(niss: str, *, kind: str = "agent", office: str = demo.OFFICE_AGENT_OFFICE) -> Any:
    """An active office role for ``niss``: agent of ``office`` (its code), or supervisor (``kind``)."""
    from careerbreak.identity.models import OfficeRole

    return OfficeRole.objects.create(
        niss=niss, kind=kind, office=_office(office) if kind == "agent" else None
    )


def acting_office(user: User, role: Any, *, level: int = 500) -> Acting:
    """The acting context the office guard builds for ``user`` holding ``role``."""
    return Acting.for_office(user=user, role=role, assurance_level=level)


class QueuedRequestFactory(LeaveRequestFactory):
    """A request that the worker completed (in the office's work queue), of the Liège office unless told."""

    ticket = factory.Sequence(lambda n: f"2026/{n + 1:08d}/{(n + 1) % 97 or 97:02d}")
    status = "complete"
    start_date = datetime.date(2027, 2, 1)
    end_date = datetime.date(2027, 6, 30)
    certified_at = factory.LazyFunction(lambda: datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
    queued_at = factory.Sequence(
        lambda n: datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC) + datetime.timedelta(hours=n)
    )
    office = factory.LazyFunction(lambda: _office(demo.OFFICE_AGENT_OFFICE))


def _office(code: str) -> Any:
    """The office with this code (loaded again after a transactional test's flush emptied the table)."""
    from careerbreak.registries.importing import load_offices
    from careerbreak.registries.models import Office

    if not Office.objects.exists():
        load_offices()
    return Office.objects.get(code=code)


# --- The employment office: offices, roles, a request under review (issue 13) ---------------------------


class OfficeFactory(DjangoModelFactory["Office"]):
    """An office of the employment office, named in the four languages."""

    class Meta:
        model = "registries.Office"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"OFF{n:03d}")
    names = factory.LazyAttribute(
        lambda o: {
            "fr": f"Bureau {o.code}",
            "nl": f"Kantoor {o.code}",
            "de": f"Büro {o.code}",
            "en": f"Office {o.code}",
        }
    )


def office_role(niss: str, *, office: Any = None, supervisor: bool = False) -> Any:
    """An active office role for ``niss``: agent of ``office``, or supervisor of all offices."""
    from careerbreak.identity.models import OfficeRole

    kind = OfficeRole.Kind.SUPERVISOR if supervisor else OfficeRole.Kind.AGENT
    return OfficeRole.objects.create(niss=niss, kind=kind, office=None if supervisor else office)


def put_under_review(leave_request: LeaveRequest, agent: User) -> LeaveRequest:
    """The request taken in charge by ``agent``: held by them, *Under review* (as o1's take-charge does)."""
    from django.utils import timezone

    LeaveRequest.objects.filter(pk=leave_request.pk).update(
        status="under_review", assigned_to=agent, assigned_at=timezone.now()
    )
    leave_request.refresh_from_db()
    return leave_request


# --- API clients ----------------------------------------------------------------------------------

API_TEST_SECRET = "s3cret-for-tests"


class ApiClientFactory(DjangoModelFactory[ApiClient]):
    """An API client of an enterprise using client_secret_basic with ``API_TEST_SECRET``, every scope."""

    class Meta:
        model = ApiClient

    client_id = factory.Sequence(lambda n: f"cb-test-{n}")
    name = factory.Sequence(lambda n: f"Payroll {n}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    auth_method = ApiClient.AuthMethod.CLIENT_SECRET_BASIC
    secret_hash = factory.LazyFunction(lambda: make_password(API_TEST_SECRET))
    scopes = factory.LazyFunction(lambda: sorted(ApiScope.values))
    registered_by = factory.SubFactory(UserFactory)


def bearer_for(client: ApiClient, *scopes: str) -> dict[str, str]:
    """Headers for the test client: a live token of ``client`` with ``scopes`` (none: all its own)."""
    token, _row = issue_access_token(client=client, scopes=scopes or client.scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# The API tests of notices and events call it by this name.
api_bearer = bearer_for


def api_token(client: ApiClient, *scopes: str) -> str:
    """A live bearer token of ``client`` with ``scopes`` (all the client's by default)."""
    return issue_access_token(client=client, scopes=scopes or client.scopes)[0]


def notice_to(enterprise: Enterprise, worker: Person, **fields: Any) -> WorkerNotice:
    """A worker's notice sent to ``enterprise`` (through the transition, without ``notice_send``'s checks
    of opt-in and employment): a parental leave 1/5 from 1 February 2027 unless told."""
    values: dict[str, Any] = {
        "leave_type": "PARENTAL",
        "form": "1/5",
        "start_date": datetime.date(2027, 2, 1),
        "months": 5,
        **fields,
    }
    notice = WorkerNotice(worker=worker, enterprise=enterprise, **values)
    with transaction.atomic():
        transition(notice, NoticeStatus.SENT, actor=Actor.WORKER, acting=acting_self(user_for(worker.niss)))
    return notice
