"""Shared fixtures. The suite runs on SQLite by default, on PostgreSQL when DATABASE_URL is set.

The cast of every view test, built by the factories of ``tests/factories.py``: Alice acts for her
enterprise (main access manager), Bob is a plain user there, Oscar is the outsider (logged in, access to
another enterprise only), Nina has no access at all. Tests about the demo's named people (Jean Dubois,
Sophie Lambert, …) get them from ``tests.factories.demo_cast()`` (the ``demo`` fixture), without the demo's
generated persons; ``jean`` is Jean Dubois logged in for his bakery.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from careerbreak.core.middleware import RENEWED_AT
from careerbreak.demo.data import BOULANGERIE_DUBOIS_NUMBER, JEAN_DUBOIS_NISS
from careerbreak.identity.access import has_several_enterprises
from careerbreak.identity.models import Role
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.step_forms import forget_reference_lists
from careerbreak.registries.models import Enterprise, Person
from tests.factories import (
    AccessGrantFactory,
    EmploymentFactory,
    EnterpriseFactory,
    MandateFactory,
    PersonFactory,
    demo_cast,
    user_for,
)
from tests.request_fixtures import TODAY, file_sophie_s_leave
from tests.task_worker import DATABASE_QUEUE

# Valid identifiers (mod-97), used across tests.
ALICE_NISS = "78041213507"
BOB_NISS = "90061512202"
OSCAR_NISS = "64090103383"
NINA_NISS = "81110324486"
LUC_NISS = "75022805713"
ACME_NUMBER = "0812345603"
OTHER_NUMBER = "0876543270"
SECRETARIAT_NUMBER = "0899000156"


def _django_db_kwargs(item: pytest.Item) -> dict[str, Any] | None:
    marker = item.get_closest_marker("django_db")
    return dict(marker.kwargs) if marker is not None else None


def _is_transactional(item: pytest.Item) -> bool:
    kwargs = _django_db_kwargs(item)
    fixtures = getattr(item, "fixturenames", ())
    return bool(kwargs and kwargs.get("transaction")) or "transactional_db" in fixtures


def _is_serialized(item: pytest.Item) -> bool:
    kwargs = _django_db_kwargs(item)
    return bool(kwargs and kwargs.get("transaction") and kwargs.get("serialized_rollback"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests with ``serialized_rollback`` run first among the transactional tests.

    A transactional test without it ends with a flush that creates the content types again under new ids;
    a serialized test after it then fails to load the database's saved contents (duplicate content type).
    Before any such flush, and after one another (their own flush creates nothing), they always load.
    """
    serialized = [item for item in items if _is_serialized(item)]
    if not serialized:
        return
    rest = [item for item in items if not _is_serialized(item)]
    first_transactional = next((n for n, item in enumerate(rest) if _is_transactional(item)), len(rest))
    items[:] = rest[:first_transactional] + serialized + rest[first_transactional:]


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Every test starts with nothing counted: the rate limits stay on, and no test throttles the next."""
    caches["default"].clear()


@pytest.fixture(autouse=True)
def fresh_reference_lists() -> None:
    """Every test reads step 4's statuses and committees from its own database (a transactional test
    flushes and reloads them)."""
    forget_reference_lists()


def make_person(niss: str, first: str, last: str, **extra: object) -> Person:
    return PersonFactory(
        niss=niss, first_name=first, last_name=last, birth_date=datetime.date(1980, 1, 1), **extra
    )


def make_enterprise(number: str, name: str, **extra: object) -> Enterprise:
    return EnterpriseFactory(number=number, name=name, **extra)


@pytest.fixture
def world(db: None) -> dict[str, object]:
    people = {
        "alice": make_person(ALICE_NISS, "Alice", "Manager"),
        "bob": make_person(BOB_NISS, "Bob", "User"),
        "oscar": make_person(OSCAR_NISS, "Oscar", "Outsider"),
        "nina": make_person(NINA_NISS, "Nina", "Nobody"),
        "luc": make_person(LUC_NISS, "Luc", "Secretariat"),
    }
    acme = make_enterprise(ACME_NUMBER, "Acme Bakery SRL")
    other = make_enterprise(OTHER_NUMBER, "Other Logistics SA", reference_headcount=60)
    secretariat = make_enterprise(SECRETARIAT_NUMBER, "PayCo Social Secretariat", is_social_secretariat=True)
    AccessGrantFactory(niss=ALICE_NISS, enterprise=acme, role=Role.MAIN_ACCESS_MANAGER)
    AccessGrantFactory(niss=BOB_NISS, enterprise=acme, role=Role.USER)
    AccessGrantFactory(niss=OSCAR_NISS, enterprise=other, role=Role.MAIN_ACCESS_MANAGER)
    AccessGrantFactory(niss=LUC_NISS, enterprise=secretariat, role=Role.USER)
    MandateFactory(secretariat=secretariat, employer=acme)
    for index, person in enumerate([people["bob"], people["nina"]]):
        EmploymentFactory(period_id=f"T{index}", employer=acme, worker=person)
    return {**people, "acme": acme, "other": other, "secretariat": secretariat}


LoginAs = Callable[..., Client]


@pytest.fixture
def login_as(db: None) -> LoginAs:
    """A test client logged in as the person with this NISS, as after an OIDC login with that level."""

    def login(niss: str, *, assurance_level: int = 500, enterprise: str | None = None) -> Client:
        client = Client()
        user = user_for(niss)
        client.force_login(user)
        session = client.session
        session["assurance_level"] = assurance_level
        # As after the login callback, whose response renews the session (ADR 0022): the next pages within
        # the minute do not write it back.
        session[RENEWED_AT] = int(time.time())
        if enterprise:
            # As the choice of enterprise does: the enterprise, and whether there are others to switch to.
            session["acting_enterprise"] = enterprise
            session["several_enterprises"] = has_several_enterprises(user=user)
        session.save()
        return client

    return login


@pytest.fixture
def frozen_today() -> Iterator[None]:
    """The clock stopped on the demo's "today" (``TODAY``): the notices and starts of the ready-made
    requests are valid on that day, and rate counters, kept in fixed windows, never straddle two."""
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def english() -> Iterator[None]:
    """Messages are checked on their English msgid, whatever the catalogues say later."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo(db: None) -> None:
    """The demo's named cast (``tests.factories.demo_cast``)."""
    demo_cast()


@pytest.fixture
def jean(demo: None, login_as: LoginAs) -> Client:
    """Jean Dubois, of the demo's cast, logged in and acting for his bakery."""
    return login_as(JEAN_DUBOIS_NISS, enterprise=BOULANGERIE_DUBOIS_NUMBER)


@pytest.fixture
def filed(db: None, frozen_today: None) -> LeaveRequest:
    """Sophie Lambert's parental leave, filed by Jean Dubois for his bakery."""
    return file_sophie_s_leave()


@pytest.fixture
def database_queue(settings: Any) -> None:
    """The test's tasks go through the database queue (tests.task_worker.run_database_worker runs them)."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Documents go to a temporary folder, never to var/media."""
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location
