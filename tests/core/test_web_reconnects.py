"""The web process after PostgreSQL dropped its connection (a restart, a failover): the next request gets
a new connection instead of an error (CONN_HEALTH_CHECKS, config/settings.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="drops a PostgreSQL connection"),
]


def terminate(pid: int) -> None:
    import psycopg

    db = connection.settings_dict
    server: dict[str, Any] = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432}
    with psycopg.connect(**server, user=db["USER"], dbname="postgres", autocommit=True) as admin:
        [(done,)] = admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchall()
        assert done


def backend_pid(wrapper: Any) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [(pid,)] = cursor.fetchall()
    return int(pid)


@pytest.mark.django_db
def test_a_connection_the_database_dropped_is_replaced_before_the_next_request_uses_it() -> None:
    # A connection of its own, built from our settings as a web process builds it, kept between requests
    # as in production (DATABASE_CONN_MAX_AGE=60); the test's own connection stays in its transaction.
    wrapper = connections["default"].__class__({**connection.settings_dict, "CONN_MAX_AGE": 60}, "default")
    assert wrapper.settings_dict["CONN_HEALTH_CHECKS"] is True
    try:
        # What the request handler does on request_started and request_finished (close_old_connections).
        wrapper.close_if_unusable_or_obsolete()
        first = backend_pid(wrapper)
        wrapper.close_if_unusable_or_obsolete()
        assert wrapper.connection is not None  # kept for the next request
        terminate(first)

        wrapper.close_if_unusable_or_obsolete()  # the next request starts
        assert backend_pid(wrapper) != first  # answered, on a new connection
    finally:
        wrapper.close()
