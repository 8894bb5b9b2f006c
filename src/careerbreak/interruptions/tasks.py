"""Background work of the request aggregate. Tasks take ids and can run twice without harm."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from careerbreak.core.tasks import gather, task
from careerbreak.documents.services import DocumentStorageError
from careerbreak.interruptions.documents import employer_part_document
from careerbreak.interruptions.models import RequestVersion

logger = logging.getLogger(__name__)

# When the storage cannot write the PDF, the task tries again after 1, 2, 4, 8 and 16 minutes; after
# that, whoever reads the document (Consultation, the eBox delivery) renders it then.
RENDER_MAX_ATTEMPTS = 6
RENDER_RETRY_BASE = datetime.timedelta(minutes=1)


@task()
def render_employer_part(version_id: int, *more_version_ids: int, attempt: int = 1) -> int:
    """Render and store the PDF of a version of the employer part (of each version named: the versions
    an API batch filed are queued together); returns the (first) document's id.

    Idempotent: when the document is already stored (an earlier run, or a user who asked for it first),
    it is returned as it is. When the storage fails, nothing is stored for that version and, with a queue
    that can defer (the database queue), a task for that version alone is enqueued again for later; the
    others are rendered, and then this run fails, visibly (so does an unknown version).
    """
    first: int | None = None
    failure: Exception | None = None
    for one_id in (version_id, *more_version_ids):
        try:
            document_id = _render(one_id, attempt)
        except (DocumentStorageError, RequestVersion.DoesNotExist) as error:
            failure = failure or error
            continue
        first = document_id if first is None else first
    if failure is not None:
        raise failure
    assert first is not None
    return first


def _render(version_id: int, attempt: int) -> int:
    version = RequestVersion.objects.select_related(
        "request__enterprise", "request__worker", "created_by"
    ).get(pk=version_id)
    try:
        return employer_part_document(version).pk
    except DocumentStorageError:
        if attempt < RENDER_MAX_ATTEMPTS and render_employer_part.get_backend().supports_defer:
            when = timezone.now() + RENDER_RETRY_BASE * 2 ** (attempt - 1)
            render_employer_part.using(run_after=when).enqueue(version_id, attempt=attempt + 1)
            logger.warning(
                "PDF of version %s not stored (attempt %s); next attempt at %s", version_id, attempt, when
            )
        raise


# Versions queued in one rendering task when their transactions are gathered (``tasks_gathered``).
RENDER_BATCH_SIZE = 25


def schedule_employer_part(version: RequestVersion) -> None:
    """Queue the PDF of this version once the current transaction commits (nothing if it rolls back);
    inside ``core.tasks.tasks_gathered`` (the API's batch task), with the next versions, up to
    RENDER_BATCH_SIZE a task."""
    version_id = version.pk
    transaction.on_commit(lambda: gather(_enqueue_renders, [version_id], size=RENDER_BATCH_SIZE))


def _enqueue_renders(version_ids: list[int]) -> None:
    render_employer_part.enqueue(*version_ids)


@task()
def process_batch(batch_id: str) -> int:
    """File the pending items of an API batch (interruptions.batches); twice files nothing twice."""
    from careerbreak.interruptions.batches import batch_process

    return batch_process(batch_id=batch_id)
