"""Background work of the request aggregate. Tasks take ids and can run twice without harm."""

from __future__ import annotations

from django.db import transaction

from careerbreak.core.tasks import task
from careerbreak.interruptions.documents import employer_part_document
from careerbreak.interruptions.models import RequestVersion


@task()
def render_employer_part(version_id: int) -> int:
    """Render and store the PDF of a version of the employer part; returns the document's id.

    Idempotent: when the document is already stored (an earlier run, or a user who asked for it first),
    it is returned as it is.
    """
    version = RequestVersion.objects.select_related(
        "request__enterprise", "request__worker", "created_by"
    ).get(pk=version_id)
    return employer_part_document(version).pk


def schedule_employer_part(version: RequestVersion) -> None:
    """Queue the PDF of this version once the current transaction commits (nothing if it rolls back)."""
    version_id = version.pk
    transaction.on_commit(lambda: render_employer_part.enqueue(version_id))
