"""A read's audit row committed before the response leaves (``core.audit.audit_committed_before_response``,
ADR 0040): sent at once, its commit awaited when the block ends (the office guard: after the page is drawn,
before it is sent); an error in writing it is raised, the page never sent; inside a transaction, or outside
the block, the row is written at once as any other."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction

from careerbreak.core.audit import audit_committed_before_response, audit_log
from careerbreak.core.models import AuditEvent
from careerbreak.identity.models import User
from tests.concurrency import needs_postgres

READ = "careerbreak.office_queue.searched"


def _in_pipeline() -> bool:
    """Whether the connection is in psycopg's pipeline mode: a row sent whose commit is not yet awaited."""
    return bool(connection.connection.pgconn.pipeline_status)


@needs_postgres("psycopg's pipeline mode")
@pytest.mark.django_db(transaction=True)
def test_a_read_row_is_sent_at_once_and_its_commit_awaited_when_the_block_ends() -> None:
    with audit_committed_before_response():
        audit_log(action=READ, actor_niss="85073003328", data={"found": 1}, before_response=True)
        assert _in_pipeline()  # sent, its commit not awaited yet
        assert User.objects.count() == 0  # the page's other reads still run meanwhile
        assert _in_pipeline()
    assert not _in_pipeline()
    assert connection.connection.info.transaction_status == 0  # idle: committed
    event = AuditEvent.objects.get(action=READ)
    assert (event.actor_niss, event.data, event.occurred_at is not None) == (
        "85073003328",
        {"found": 1},
        True,
    )


@needs_postgres("psycopg's pipeline mode")
@pytest.mark.django_db(transaction=True)
def test_a_row_that_cannot_be_written_raises_and_the_connection_serves_on() -> None:
    with pytest.raises(DataError), audit_committed_before_response():
        audit_log(action="x" * 100, before_response=True)  # longer than the column
    assert not _in_pipeline()
    assert AuditEvent.objects.count() == 0
    audit_log(action=READ)
    assert AuditEvent.objects.count() == 1


@needs_postgres("psycopg's pipeline mode")
@pytest.mark.django_db(transaction=True)
def test_an_error_of_the_view_goes_on_and_the_row_sent_is_still_committed() -> None:
    with pytest.raises(ZeroDivisionError), audit_committed_before_response():
        audit_log(action=READ, before_response=True)
        _ = 1 / 0
    assert not _in_pipeline()
    assert AuditEvent.objects.filter(action=READ).count() == 1


@needs_postgres("psycopg's pipeline mode")
@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_or_outside_the_block_the_row_is_written_at_once() -> None:
    with pytest.raises(ZeroDivisionError), audit_committed_before_response(), transaction.atomic():
        audit_log(action=READ, before_response=True)
        assert not _in_pipeline()
        assert AuditEvent.objects.count() == 1
        _ = 1 / 0  # the transaction's rollback takes its row along, as for any audit row
    assert AuditEvent.objects.count() == 0
    audit_log(action=READ, before_response=True)
    assert not _in_pipeline()
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_in_a_test_transaction_the_row_is_written_at_once_on_any_database() -> None:
    with audit_committed_before_response():
        audit_log(action=READ, before_response=True)
        assert AuditEvent.objects.filter(action=READ).count() == 1
