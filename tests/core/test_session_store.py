"""The session's row and who is asking, read as prepared statements on PostgreSQL (``core.session_store``,
``core.sqlrows.prepared_cursor``, ADR 0036): the same rows as Django's database store and the ORM read,
the same expiry, logout and revocation at the very next request, the same queries counted; planned once
per connection."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careerbreak.core import sqlrows
from careerbreak.core.session_store import SessionStore
from careerbreak.demo import data as demo_data
from careerbreak.identity.office_roles import office_role_revoke
from careerbreak.identity.request_identity import load_user, request_identity
from tests.concurrency import needs_postgres
from tests.office.conftest import Member, _member, client_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(db: None) -> Member:
    return _member(demo_data.OFFICE_AGENT_NISS, "Julien", "Moreau")


def _store(**data: object) -> SessionStore:
    store = SessionStore()
    for key, value in data.items():
        store[key] = value
    store.create()
    return store


def test_the_project_s_store_is_the_one_in_use(settings: object) -> None:
    assert settings.SESSION_ENGINE == "careerbreak.core.session_store"  # type: ignore[attr-defined]


def test_a_live_session_reads_what_django_s_store_reads() -> None:
    store = _store(colour="blue", searches={"x": [1, 2]})
    assert SessionStore(store.session_key).load() == DjangoSessionStore(store.session_key).load()
    assert SessionStore(store.session_key)["searches"] == {"x": [1, 2]}


def test_an_expired_or_unknown_session_reads_nothing_and_forgets_its_key() -> None:
    store = _store(colour="blue")
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    for key in (store.session_key, "no-such-session-key-at-all"):
        ours, django = SessionStore(key), DjangoSessionStore(key)
        assert ours.load() == django.load() == {}
        assert ours.session_key is None and django.session_key is None


def test_a_session_past_its_expiry_is_logged_out_at_the_next_page(agent: Member) -> None:
    client = client_of(agent)
    assert client.get(reverse("office:queue")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("office:queue"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_logged_out_session_is_refused_and_a_revoked_role_at_the_next_page(agent: Member) -> None:
    client = client_of(agent)
    assert client.get(reverse("office:queue")).status_code == 200
    supervisor = _member(demo_data.OFFICE_SUPERVISOR_NISS, "Anne", "Delcourt", kind="supervisor")
    office_role_revoke(acting=supervisor.acting, niss=agent.user.niss)
    assert client.get(reverse("office:queue")).status_code == 403
    cookie = client.cookies["sessionid"].value
    client.post(reverse("identity:logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie
    response = replay.get(reverse("office:queue"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_queue_page_reads_the_session_and_who_is_asking_in_two_queries(agent: Member) -> None:
    client = client_of(agent)
    client.get(reverse("office:queue"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("office:queue")).status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum("django_session" in text for text in sql) == 1
    assert sum("identity_officerole" in text for text in sql) == 1


@pytest.fixture
def without_prepared_statements() -> Iterator[None]:
    """The connection without a prepare threshold, as behind a pooler that refuses them (OPTIONS)."""
    connection.ensure_connection()
    raw = connection.connection
    kept = getattr(raw, "prepare_threshold", None)
    if connection.vendor == "postgresql":
        raw.prepare_threshold = None
    yield
    if connection.vendor == "postgresql":
        raw.prepare_threshold = kept


def test_without_prepared_statements_the_same_rows_are_read(
    agent: Member, without_prepared_statements: None
) -> None:
    with sqlrows.prepared_cursor(connection.alias) as cursor:  # Django's own cursor: nothing prepared
        assert not isinstance(cursor.cursor, sqlrows._PreparingCursor)
    store = _store(colour="green")
    assert SessionStore(store.session_key).load() == {"colour": "green"}
    user = load_user(agent.user.pk, enterprise_number=None)
    assert user is not None and user.niss == agent.user.niss
    identity = request_identity(user)
    assert identity is not None and identity.office_role is not None
    assert identity.office_role.pk == agent.role.pk
    assert client_of(agent).get(reverse("office:queue")).status_code == 200


@needs_postgres("prepared statements of PostgreSQL")
def test_on_postgresql_the_session_and_the_identity_are_prepared_once_with_generic_plans(
    agent: Member,
) -> None:
    client = client_of(agent)
    for _ in range(3):
        assert client.get(reverse("office:queue")).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s OR statement LIKE %s",
            ['SELECT "session_data" FROM "django_session"%', "%identity_officerole%"],
        )
        statements = cursor.fetchall()
    assert len(statements) == 2
    for statement, generic, custom in statements:
        # The values are parameters ($1…), never written into the text; planned once, generically.
        assert "$1" in statement and agent.user.niss not in statement
        assert generic >= 3 and custom == 0


@needs_postgres("psycopg's loaders of PostgreSQL's types")
def test_the_prepared_cursor_reads_dates_as_django_s_cursor_reads_them() -> None:
    """Its dates go through psycopg's C loader (``sqlrows._c_dates``, ADR 0039): the same values, the same
    time zone object, NULL, microseconds, the first and last years and a time zone other than UTC's."""
    sql = (
        "SELECT %s::timestamptz, %s::timestamptz, NULL::timestamptz, '0001-01-01 00:00:00+00'::timestamptz,"
        " '9999-12-31 23:59:59.999999+00'::timestamptz, '2026-03-29 02:30:00.5+02'::timestamptz"
    )
    moment = datetime.datetime(2026, 12, 5, 17, 3, 20, 123456, tzinfo=datetime.UTC)
    params = [moment, timezone.now()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        django_row = cursor.fetchone()
    with sqlrows.prepared_cursor(connection.alias) as cursor:
        loader = cursor.cursor.adapters.get_loader(sqlrows._TIMESTAMPTZ, sqlrows.Format.TEXT)
        assert loader is sqlrows._c_dates(connection.connection.adapters.get_loader(sqlrows._TIMESTAMPTZ, 0))
        assert loader is not None and loader.__name__ == "CTzLoader"
        for _ in range(2):
            cursor.execute(sql, params)
            row = cursor.fetchone()
            assert row[0] == moment
            assert [repr(value) for value in row] == [repr(value) for value in django_row]
