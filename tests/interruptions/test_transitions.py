"""transition(): the table decides, and an allowed change writes the status, its row and its audit event."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError
from careerbreak.core.models import AuditEvent
from careerbreak.identity.acting import Acting, Via
from careerbreak.interruptions.models import LeaveRequest, NoticeTransition, StatusTransition, WorkerNotice
from careerbreak.interruptions.states import NOTICE_TRANSITIONS, TRANSITIONS, Actor, NoticeStatus, Status
from careerbreak.interruptions.transitions import MACHINES, transition
from tests.factories import EnterpriseFactory, LeaveRequestFactory, PersonFactory, UserFactory, acting_for

pytestmark = pytest.mark.django_db


def _request(status: str = Status.AWAITING_WORKER) -> LeaveRequest:
    return LeaveRequestFactory(
        status=status,
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 6, 30),
        certified_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
        ticket="2026/00000009/51",
    )


def _employer(leave_request: LeaveRequest) -> Acting:
    return acting_for(UserFactory(), leave_request.enterprise, level=450)


def test_the_worker_completes_a_request_awaiting_them() -> None:
    """The call the worker's part makes (docs/architecture.md): AWAITING_WORKER → COMPLETE by the worker."""
    leave_request = _request()
    worker = UserFactory(niss=leave_request.worker.niss)
    acting = Acting.for_self(user=worker, assurance_level=400, ip_address="192.0.2.7")
    transition(leave_request, Status.COMPLETE, actor=Actor.WORKER, acting=acting)
    leave_request.refresh_from_db()
    assert leave_request.status == Status.COMPLETE
    row = StatusTransition.objects.get(request=leave_request)
    assert (row.from_status, row.to_status, row.actor, row.actor_niss) == (
        Status.AWAITING_WORKER,
        Status.COMPLETE,
        Actor.WORKER,
        worker.niss,
    )
    event = AuditEvent.objects.get(action=AuditAction.REQUEST_COMPLETED)
    assert event.actor_niss == worker.niss and event.subject_niss == leave_request.worker.niss
    assert event.enterprise_number == leave_request.enterprise.number  # the request's, the worker has none
    assert (event.assurance_level, event.ip_address) == (400, "192.0.2.7")
    assert (event.object_type, event.object_id) == ("leave_request", leave_request.ticket)


def test_a_change_the_table_does_not_allow_is_refused_in_the_user_s_language_and_writes_nothing() -> None:
    leave_request = _request()
    with translation.override("fr"), pytest.raises(DomainError) as refused:
        # The employer cannot approve: only the office decides.
        transition(leave_request, Status.APPROVED, actor=Actor.EMPLOYER, acting=_employer(leave_request))
    assert refused.value.code == "transition_refused"
    with translation.override("fr"):
        assert str(refused.value.message) == "Ce changement n'est pas possible dans l'état actuel."
    leave_request.refresh_from_db()
    assert leave_request.status == Status.AWAITING_WORKER
    assert not StatusTransition.objects.exists() and not AuditEvent.objects.exists()


def test_the_worker_cannot_complete_a_request_that_is_not_awaiting_them() -> None:
    leave_request = _request(Status.CANCELLED)
    acting = Acting.for_self(user=UserFactory(niss=leave_request.worker.niss), assurance_level=400)
    with pytest.raises(DomainError) as refused:
        transition(leave_request, Status.COMPLETE, actor=Actor.WORKER, acting=acting)
    assert refused.value.code == "not_awaiting"  # the completion's own refusal (REQUEST.refusals)
    assert not StatusTransition.objects.exists()


def test_cancelling_twice_is_refused_with_the_cancellation_s_own_message() -> None:
    leave_request = _request()
    acting = _employer(leave_request)
    transition(leave_request, Status.CANCELLED, actor=Actor.EMPLOYER, acting=acting, reason="Erreur.")
    with pytest.raises(DomainError) as refused:
        transition(leave_request, Status.CANCELLED, actor=Actor.EMPLOYER, acting=acting, reason="Encore.")
    assert refused.value.code == "not_cancellable"
    assert list(StatusTransition.objects.values_list("reason", flat=True)) == ["Erreur."]
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_CANCELLED).count() == 1


def test_a_new_notice_is_inserted_with_its_first_transition() -> None:
    worker, enterprise = PersonFactory(), EnterpriseFactory()
    notice = WorkerNotice(
        worker=worker,
        enterprise=enterprise,
        leave_type="PARENTAL",
        form="full",
        start_date=datetime.date(2027, 3, 1),
        months=2,
    )
    acting = Acting(niss=worker.niss, assurance_level=None, via=Via.SELF)
    transition(notice, NoticeStatus.SENT, actor=Actor.WORKER, acting=acting)
    assert WorkerNotice.objects.get().status == NoticeStatus.SENT
    row = NoticeTransition.objects.get(notice=notice)
    assert (row.from_status, row.to_status, row.actor, row.actor_niss) == ("", "sent", "worker", worker.niss)
    event = AuditEvent.objects.get(action=AuditAction.NOTICE_SENT)
    assert (event.subject_niss, event.enterprise_number, event.object_id) == (
        worker.niss,
        enterprise.number,
        str(notice.pk),
    )
    # The employer cannot send a notice in the worker's name.
    other = WorkerNotice(
        worker=worker, enterprise=enterprise, leave_type="PARENTAL", form="full", start_date=notice.start_date
    )
    with pytest.raises(DomainError):
        transition(other, NoticeStatus.SENT, actor=Actor.EMPLOYER, acting=acting)
    assert WorkerNotice.objects.count() == 1


def test_every_change_in_the_tables_has_a_defined_namespaced_code_and_statuses_of_its_aggregate() -> None:
    for table, statuses in ((TRANSITIONS, Status), (NOTICE_TRANSITIONS, NoticeStatus)):
        for (from_status, to_status, actor), action in table.items():
            assert from_status in {"", *statuses.values} and to_status in statuses.values
            assert actor in Actor.values
            assert action in AuditAction.values and action.startswith("careerbreak.")
    assert set(MACHINES) == {LeaveRequest, WorkerNotice}


def test_no_code_outside_transitions_py_writes_a_request_s_or_a_notice_s_status() -> None:
    """Every status change goes through transition(): no assignment, create(status=…) or update(status=…)."""
    import re
    from pathlib import Path

    import careerbreak

    root = Path(careerbreak.__file__).parent
    writes = re.compile(
        r"\.status\s*=[^=]|\b(create|update|LeaveRequest|WorkerNotice)\([^)]*\bstatus="
        r"|^\s+status=(Status|NoticeStatus|WorkerNotice\.Status)\."  # a keyword argument on its own line
    )
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts and path.name != "transitions.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if writes.search(line) and not re.search(r"Outbox|message\.status|self\.status", line)
    ]
    assert found == []
