"""The background rendering: run after commit, idempotent, and the on-demand path agrees with it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tasks import TaskResultStatus

from careerbreak.documents.models import Document
from careerbreak.interruptions.documents import employer_part_document
from careerbreak.interruptions.models import RequestVersion
from careerbreak.interruptions.tasks import render_employer_part, schedule_employer_part


@pytest.mark.django_db
def test_the_task_renders_and_stores_the_document(version: RequestVersion) -> None:
    result = render_employer_part.enqueue(version.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    document = Document.objects.get()
    assert result.return_value == document.pk
    assert document.reference == version.request.ticket and document.version == 1


@pytest.mark.django_db
def test_running_the_task_twice_stores_one_document(version: RequestVersion) -> None:
    first = render_employer_part.enqueue(version.pk)
    second = render_employer_part.enqueue(version.pk)
    assert first.return_value == second.return_value
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_the_task_after_an_on_demand_rendering_keeps_that_document(version: RequestVersion) -> None:
    on_demand = employer_part_document(version)
    assert render_employer_part.enqueue(version.pk).return_value == on_demand.pk
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_scheduling_renders_only_once_the_transaction_commits(
    version: RequestVersion, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        schedule_employer_part(version)
    assert len(callbacks) == 1
    assert not Document.objects.exists()  # nothing before the commit
    callbacks[0]()
    assert Document.objects.get().version == 1


@pytest.mark.django_db
def test_an_unknown_version_fails_the_task_visibly(db: None) -> None:
    result = render_employer_part.enqueue(987654)
    assert result.status == TaskResultStatus.FAILED


@pytest.mark.django_db
def test_a_task_of_several_versions_renders_each_and_fails_visibly_for_an_unknown_one(
    version: RequestVersion,
) -> None:
    result = render_employer_part.enqueue(987654, version.pk)
    assert result.status == TaskResultStatus.FAILED  # the unknown version
    assert Document.objects.get().version == 1  # the other was rendered all the same
    assert render_employer_part.enqueue(version.pk, version.pk).return_value == Document.objects.get().pk
