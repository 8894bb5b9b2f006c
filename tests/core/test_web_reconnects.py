"""The web process after PostgreSQL dropped its connection (a restart, a failover): the next request is
served on a new connection, not answered with an error (CONN_HEALTH_CHECKS, config/settings.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="drops a PostgreSQL connection"),
]


@pytest.fixture
def persistent_connection() -> Iterator[None]:
    """Connections kept between requests, as in production (DATABASE_CONN_MAX_AGE=60 there)."""
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.close()
    yield
    connection.settings_dict["CONN_MAX_AGE"] = saved
    connection.close()


def terminate(pid: int) -> None:
    import psycopg

    db = connection.settings_dict
    server: dict[str, Any] = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432}
    with psycopg.connect(**server, user=db["USER"], dbname="postgres", autocommit=True) as admin:
        [(done,)] = admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchall()
        assert done


@pytest.mark.django_db(transaction=True)
def test_the_first_request_after_the_database_dropped_the_connection_is_served(
    client: Client, persistent_connection: None
) -> None:
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert client.get(reverse("readyz")).status_code == 200
    old_pid = connection.connection.info.backend_pid  # kept open after the request
    terminate(old_pid)

    # What the WSGI handler does when a request starts (request_started); the test client skips it.
    close_old_connections()
    response = client.get(reverse("readyz"))

    assert response.status_code == 200, response.content
    assert response.json()["checks"]["database"] == "ok"
    assert connection.connection.info.backend_pid != old_pid
