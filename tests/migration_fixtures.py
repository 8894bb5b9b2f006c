"""Migration tests: move the test database to a migration and read the models as they were there."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    """The database migrated (forward or back) to ``targets``; a fresh executor that sees the result."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def migrate_to_latest() -> None:
    """Every app back at its last migration, as the rest of the suite expects."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
