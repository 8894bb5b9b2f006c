"""deploy/backup.sh and deploy/restore.sh: a database with a filed request and its PDF, backed up, then
restored into a fresh database and documents folder, where verify_documents finds everything in order."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from careerbreak.documents.services import document_bytes
from careerbreak.interruptions.documents import employer_part_document
from tests import subprocesses
from tests.documents.conftest import CONFIRMED_AT, TICKET, make_request
from tests.subprocesses import essential_env

DEPLOY = Path(settings.BASE_DIR) / "deploy"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"),
]


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def sql(statement: str) -> None:
    """A statement on the maintenance database, outside any transaction (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as maintenance:
        maintenance.execute(statement)


@pytest.fixture
def fresh_database() -> Iterator[str]:
    name = f"{settings.DATABASES['default']['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    sql(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script: str, argument: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocesses.run(
        ["bash", str(DEPLOY / script), str(argument)], {**essential_env(), **env}, timeout=180
    )


def make_backup(media: Path, backup: Path) -> Path:
    """A backup of the test database and of ``media`` into ``backup``, by deploy/backup.sh."""
    env = {"DATABASE_URL": database_url(settings.DATABASES["default"]["NAME"]), "DOCUMENTS_ROOT": str(media)}
    made = run("backup.sh", backup, env)
    assert made.returncode == 0, made.stderr
    return backup


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_a_fresh_database_and_folder_with_every_document_intact(
    media: Path, tmp_path: Path, fresh_database: str
) -> None:
    with time_machine.travel(CONFIRMED_AT, tick=False):
        version = make_request().versions.get(number=1)
        document = employer_part_document(version)
    original = document_bytes(document)
    # A PDF whose transaction rolled back long ago: in the backup, removed by the restore.
    orphan = media / "documents/2026/00000001-51/employer_part-v7-fr.pdf"
    orphan.write_bytes(b"%PDF-1.7 left by a rolled back transaction")
    old = time.time() - 86400
    os.utime(orphan, (old, old))

    backup = make_backup(media, tmp_path / "backup")
    assert (backup / "database.dump").stat().st_size > 0
    assert (backup / document.file.name).read_bytes() == original

    restored_media = tmp_path / "restored-media"
    env: dict[str, Any] = {
        "DATABASE_URL": database_url(fresh_database),
        "DOCUMENTS_ROOT": str(restored_media),
        "CAREERBREAK_VAR_DIR": str(tmp_path / "var"),
        "PYTHON": sys.executable,
        "PYTHONPATH": str(Path(settings.BASE_DIR) / "src"),
    }
    restored = run("restore.sh", backup, env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert (
        "Checked 1 document(s) and 2 file(s): 0 missing, 0 altered, 0 orphaned, 1 orphan(s) deleted."
        in restored.stdout
    )
    assert (restored_media / document.file.name).read_bytes() == original
    assert not (restored_media / "documents/2026/00000001-51/employer_part-v7-fr.pdf").exists()

    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as restored_db:
        tickets = restored_db.execute("select ticket from interruptions_leaverequest").fetchall()
        hashes = restored_db.execute("select sha256 from documents_document").fetchall()
    assert tickets == [(TICKET,)]
    assert hashes == [(document.sha256,)]

    # A second restore into the same, now filled, database is refused.
    again = run("restore.sh", backup, env)
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tampered_backup_is_refused_before_anything_is_restored(
    media: Path, tmp_path: Path, fresh_database: str
) -> None:
    with time_machine.travel(CONFIRMED_AT, tick=False):
        document = employer_part_document(make_request().versions.get(number=1))
    backup = make_backup(media, tmp_path / "backup")
    (backup / document.file.name).write_bytes(b"%PDF-1.7 forged")
    restored = run(
        "restore.sh",
        backup,
        {
            "DATABASE_URL": database_url(fresh_database),
            "DOCUMENTS_ROOT": str(tmp_path / "m"),
            "PYTHON": sys.executable,
        },
    )
    assert restored.returncode != 0
    assert "FAILED" in restored.stdout + restored.stderr
    import psycopg

    with psycopg.connect(database_url(fresh_database)) as restored_db:
        count = restored_db.execute("select count(*) from pg_tables where schemaname = 'public'").fetchone()
    assert count == (0,)
