"""The storage failing while a PDF is written: no document row without its file, and the PDF is stored
later (the render task tries again on the database queue; the next read renders it)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django_tasks import TaskResultStatus

from careerbreak.documents.models import Document
from careerbreak.documents.services import DocumentStorageError, document_bytes
from careerbreak.interruptions.documents import employer_part_document
from careerbreak.interruptions.models import RequestVersion
from careerbreak.interruptions.tasks import RENDER_MAX_ATTEMPTS, render_employer_part
from tests.documents.conftest import CONFIRMED_AT, S3Bucket
from tests.documents.failing_storage import FailingStorage
from tests.documents.test_storage import store, stored_files
from tests.task_worker import run_database_worker


@pytest.fixture
def failing(settings: Any, media: Path) -> Iterator[type[FailingStorage]]:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.documents.failing_storage.FailingStorage",
            "OPTIONS": {"location": media},
        },
    }
    FailingStorage.failing = True
    FailingStorage.attempts = 0
    yield FailingStorage
    FailingStorage.failing = False


@pytest.mark.django_db
def test_a_storage_that_cannot_write_leaves_no_row_and_no_file(
    failing: type[FailingStorage], media: Path
) -> None:
    with pytest.raises(DocumentStorageError):
        store()
    assert failing.attempts == 1
    assert not Document.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_the_next_read_after_a_failure_renders_and_stores_the_document(
    failing: type[FailingStorage], version: RequestVersion
) -> None:
    with pytest.raises(DocumentStorageError):
        employer_part_document(version)
    assert not Document.objects.exists()
    failing.failing = False
    document = employer_part_document(version)
    assert document_bytes(document).startswith(b"%PDF")


def render_on_the_database_queue(version: RequestVersion, **kwargs: Any) -> None:
    """Enqueue the rendering of ``version`` and let the database queue's worker run what is due."""
    render_employer_part.enqueue(version.pk, **kwargs)
    run_database_worker()


@pytest.mark.django_db
def test_the_render_task_is_tried_again_later_on_the_database_queue(
    failing: type[FailingStorage], version: RequestVersion, database_queue: None
) -> None:
    from django_tasks_db.models import DBTaskResult

    render_on_the_database_queue(version)
    # Both were enqueued at the same (frozen) instant: tell them apart by their arguments.
    [first] = DBTaskResult.objects.exclude(args_kwargs__kwargs__has_key="attempt")
    [retry] = DBTaskResult.objects.filter(args_kwargs__kwargs__has_key="attempt")
    # The failure is visible (the task failed) and nothing half-stored is left.
    assert first.status == TaskResultStatus.FAILED
    assert "DocumentStorageError" in first.exception_class_path
    assert not Document.objects.exists()
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs == {"args": [version.pk], "kwargs": {"attempt": 2}}
    assert retry.run_after == CONFIRMED_AT + datetime.timedelta(minutes=1)

    # Not before it is due, even though the storage is back.
    failing.failing = False
    run_database_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.READY

    with time_machine.travel(CONFIRMED_AT + datetime.timedelta(minutes=2), tick=False):
        run_database_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    document = Document.objects.get()
    assert retry.return_value == document.pk
    assert document_bytes(document).startswith(b"%PDF")


@pytest.mark.django_db
def test_the_render_task_gives_up_after_its_last_attempt(
    failing: type[FailingStorage], version: RequestVersion, database_queue: None
) -> None:
    from django_tasks_db.models import DBTaskResult

    render_on_the_database_queue(version, attempt=RENDER_MAX_ATTEMPTS)
    [result] = DBTaskResult.objects.all()
    assert result.status == TaskResultStatus.FAILED
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_object_storage_down_while_writing_leaves_no_row(s3_bucket: S3Bucket) -> None:
    s3_bucket.client.delete_bucket(Bucket=s3_bucket.name)
    with pytest.raises(DocumentStorageError):
        store()
    assert not Document.objects.exists()
    s3_bucket.client.create_bucket(
        Bucket=s3_bucket.name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    assert document_bytes(store()).startswith(b"%PDF")
