"""Run the database queue's worker (`manage.py db_worker --batch`) inside a test."""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command

# The tasks go through the database queue (django-tasks-db), which run_database_worker works off.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_database_worker() -> None:
    """Every due task, by the real worker; without its connection recycling, which would close the test's
    connection (a test runs inside a transaction, which the worker takes for a broken connection)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
