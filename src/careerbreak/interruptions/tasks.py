"""Background work of the request aggregate. Tasks take ids and can run twice without harm."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from careerbreak.core.tasks import task
from careerbreak.documents.services import DocumentStorageError
from careerbreak.interruptions.documents import employer_part_document
from careerbreak.interruptions.models import RequestVersion

logger = logging.getLogger(__name__)

# When the storage cannot write the PDF, the task tries again after 1, 2, 4, 8 and 16 minutes; after
# that, whoever reads the document (Consultation, the eBox delivery) renders it then.
RENDER_MAX_ATTEMPTS = 6
RENDER_RETRY_BASE = datetime.timedelta(minutes=1)


@task()
def render_employer_part(version_id: int, attempt: int = 1) -> int:
    """Render and store the PDF of a version of the employer part; returns the document's id.

    Idempotent: when the document is already stored (an earlier run, or a user who asked for it first),
    it is returned as it is. When the storage fails, nothing is stored and, with a queue that can defer
    (the database queue), the task is enqueued again for later; this run still fails, visibly.
    """
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


def schedule_employer_part(version: RequestVersion) -> None:
    """Queue the PDF of this version once the current transaction commits (nothing if it rolls back)."""
    version_id = version.pk
    transaction.on_commit(lambda: render_employer_part.enqueue(version_id))


@task()
def process_batch(batch_id: str) -> int:
    """File the pending items of an API batch (interruptions.batches); twice files nothing twice."""
    from careerbreak.interruptions.batches import batch_process

    return batch_process(batch_id=batch_id)
