"""Run the database queue's worker (`manage.py db_worker --batch`) inside a test."""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command


def run_database_worker() -> None:
    """Every due task, by the real worker; without its connection recycling, which would close the test's
    connection (a test runs inside a transaction, which the worker takes for a broken connection)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
