"""manage.py verify_documents: missing, altered and orphaned files reported, exit status non-zero, and
--delete-orphans removes only files no row points at."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.db import transaction

from careerbreak.core.models import AuditEvent
from careerbreak.documents.models import Document
from tests.commands import run_command
from tests.documents.conftest import S3Bucket
from tests.documents.test_storage import alter, store

pytestmark = pytest.mark.django_db


def verify(*args: str) -> tuple[int, str]:
    return run_command("verify_documents", *args)


def orphan_from_a_rollback() -> str:
    """A PDF written inside a transaction that rolled back: its file stays, its row is gone."""
    with pytest.raises(RuntimeError), transaction.atomic():
        document = store(version=9)
        name = document.file.name
        raise RuntimeError("the confirmation failed after the PDF was written")
    assert not Document.objects.filter(version=9).exists()
    return name


def age(media: Path, name: str, seconds: int = 2 * 3600) -> None:
    then = time.time() - seconds
    os.utime(media / name, (then, then))


def test_everything_in_order_exits_zero(media: Path) -> None:
    store(version=1)
    store(version=2)
    status, output = verify()
    assert status == 0
    assert "Checked 2 document(s) and 2 file(s): 0 missing, 0 altered, 0 orphaned." in output


def test_an_empty_storage_is_in_order(media: Path) -> None:
    assert verify() == (0, "Checked 0 document(s) and 0 file(s): 0 missing, 0 altered, 0 orphaned.\n")


def test_a_missing_file_is_reported(media: Path) -> None:
    document = store()
    (media / document.file.name).unlink()
    status, output = verify()
    assert status == 1
    assert f"missing  {document.file.name}" in output and "1 missing" in output


def test_an_altered_file_is_reported(media: Path) -> None:
    document = store()
    alter(media / document.file.name)
    status, output = verify()
    assert status == 1
    assert f"altered  {document.file.name}" in output and "1 altered" in output


def test_a_file_left_by_a_rolled_back_transaction_is_reported_as_orphaned(media: Path) -> None:
    kept = store(version=1)
    name = orphan_from_a_rollback()
    age(media, name)
    status, output = verify()
    assert status == 1
    assert f"orphaned {name}" in output and kept.file.name not in output
    assert (media / name).exists()  # reported only


def test_a_recent_file_without_its_row_is_not_judged_yet(media: Path) -> None:
    name = orphan_from_a_rollback()
    status, output = verify()
    assert status == 0
    assert "1 recent file(s) not judged yet" in output
    assert verify("--grace-minutes", "0")[0] == 1
    assert (media / name).exists()


def test_delete_orphans_removes_only_the_orphans_and_audits_it(media: Path) -> None:
    kept = store(version=1)
    name = orphan_from_a_rollback()
    age(media, name)
    status, output = verify("--delete-orphans")
    assert status == 0
    assert f"deleted  {name}" in output
    assert not (media / name).exists()
    assert (media / kept.file.name).exists()
    event = AuditEvent.objects.get(action="careerbreak.document.orphan_deleted")
    assert event.data == {"name": name}
    assert verify() == (0, "Checked 1 document(s) and 1 file(s): 0 missing, 0 altered, 0 orphaned.\n")


def test_delete_orphans_still_fails_on_missing_or_altered_files(media: Path) -> None:
    document = store(version=1)
    (media / document.file.name).unlink()
    name = orphan_from_a_rollback()
    age(media, name)
    status, output = verify("--delete-orphans")
    assert status == 1
    assert "1 missing" in output and "0 orphaned" in output and "1 orphan(s) deleted" in output


def test_a_file_whose_row_arrived_after_the_scan_is_not_deleted(media: Path) -> None:
    from careerbreak.documents.verification import orphans_delete

    document = store()
    # As if the scan had seen the file before the row was committed.
    assert orphans_delete([document.file.name]) == []
    assert (media / document.file.name).exists()


def test_on_object_storage_the_same_three_cases_are_found(s3_bucket: S3Bucket) -> None:
    missing = store(version=1)
    altered = store(version=2)
    s3_bucket.delete(missing.file.name)
    s3_bucket.write(altered.file.name, b"%PDF-1.7 forged")
    s3_bucket.write("documents/2026/00000001-51/employer_part-v3-fr.pdf", b"no row")
    status, output = verify("--grace-minutes", "0")
    assert status == 1
    assert f"missing  {missing.file.name}" in output
    assert f"altered  {altered.file.name}" in output
    assert "orphaned documents/2026/00000001-51/employer_part-v3-fr.pdf" in output
    assert verify("--grace-minutes", "0", "--delete-orphans")[0] == 1
    assert s3_bucket.keys() == [altered.file.name]


def test_on_object_storage_a_recent_object_without_its_row_is_not_judged_yet(s3_bucket: S3Bucket) -> None:
    s3_bucket.write("documents/2026/00000001-51/employer_part-v3-fr.pdf", b"its row is on its way")
    status, output = verify()
    assert status == 0 and "1 recent file(s) not judged yet" in output
