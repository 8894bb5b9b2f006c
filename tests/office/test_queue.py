"""The office's work queue: who sees which requests, in which order, the flags, the filters, the search
(no national number in an address, audited), the keyset pages; *Prendre en charge* and a supervisor's
reassignment. Outsiders (anonymous, employer, worker, a lower login level, a revoked role, another office)
are refused."""

from __future__ import annotations

import dataclasses
import datetime
import html
import re
from typing import Any

import pytest
from django.db import DataError, connection, transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import override

from careerbreak.core.audit import audit_event
from careerbreak.core.errors import DomainError, NotFound, PermissionDenied
from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import AccessGrant, Role, User
from careerbreak.identity.office_roles import office_role_revoke
from careerbreak.interruptions import office_queue
from careerbreak.interruptions.models import (
    Decision,
    InformationRequest,
    LeaveRequest,
    StatusTransition,
    WorkerPart,
)
from careerbreak.interruptions.office_queue import HeldBy, QueueFilters
from careerbreak.interruptions.states import Status
from careerbreak.office.queue_views import QueueRow
from careerbreak.office.templatetags.office_queue import FILTER_FIELDS_KEPT, queue_table
from careerbreak.registries.models import Enterprise
from tests.concurrency import needs_postgres, race
from tests.factories import QueuedRequestFactory, acting_self, demo_cast
from tests.office.conftest import Office, client_of

pytestmark = pytest.mark.django_db


def tickets(page: office_queue.QueuePage) -> list[str]:
    return [item.ticket for item in page.items]


# --- who sees what ---------------------------------------------------------------------------------------


def test_an_agent_sees_the_complete_requests_of_their_office_oldest_first(office: Office) -> None:
    newer = QueuedRequestFactory()
    older = QueuedRequestFactory(queued_at=newer.queued_at - datetime.timedelta(days=3))
    QueuedRequestFactory(office=None)  # no office's area
    elsewhere = QueuedRequestFactory(office=office.brussels.role.office)
    QueuedRequestFactory(status=Status.AWAITING_WORKER, queued_at=None)
    page = office_queue.queue_page(acting=office.agent.acting, filters=QueueFilters())
    assert tickets(page) == [older.ticket, newer.ticket]
    assert tickets(office_queue.queue_page(acting=office.brussels.acting, filters=QueueFilters())) == [
        elsewhere.ticket
    ]


def test_an_agent_sees_the_files_they_hold_but_not_those_a_colleague_holds(office: Office) -> None:
    mine = QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.agent.user)
    theirs = QueuedRequestFactory(status=Status.INFORMATION_REQUESTED, assigned_to=office.colleague.user)
    assert tickets(office_queue.queue_page(acting=office.agent.acting, filters=QueueFilters())) == [
        mine.ticket
    ]
    supervisor = office_queue.queue_page(acting=office.supervisor.acting, filters=QueueFilters())
    assert tickets(supervisor) == [mine.ticket, theirs.ticket]


def test_a_proposed_refusal_is_shown_to_the_other_agents_of_the_office_not_to_its_proposer(
    office: Office,
) -> None:
    held = QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.colleague.user)
    Decision.objects.create(
        request=held,
        outcome=Decision.Outcome.REFUSED,
        state=Decision.State.AWAITING_CONFIRMATION,
        decided_by=office.colleague.user,
    )
    page = office_queue.queue_page(acting=office.agent.acting, filters=QueueFilters())
    assert tickets(page) == [held.ticket]
    assert page.items[0].refusal_proposed_by == office.colleague.user.pk
    proposer = office_queue.queue_page(acting=office.colleague.acting, filters=QueueFilters())
    assert proposer.items[0].refusal_proposed_by == office.colleague.user.pk  # theirs: "awaiting a second"


def test_the_queue_flags_a_late_part_an_overdue_question_and_counts_the_warnings(office: Office) -> None:
    # Queued on fixed days (the factory's sequence moves by an hour a request, across the whole run).
    late = QueuedRequestFactory(
        findings=[{"severity": "warning", "code": "x"}, {"severity": "warning"}],
        queued_at=datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC),
    )
    WorkerPart.objects.create(request=late, late=True, submitted_at=timezone.now())
    asked = QueuedRequestFactory(
        status=Status.INFORMATION_REQUESTED,
        assigned_to=office.agent.user,
        queued_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC),
    )
    InformationRequest.objects.create(
        request=asked, question="?", deadline=datetime.date(2026, 1, 1), asked_by=office.agent.user
    )
    page = office_queue.queue_page(
        acting=office.agent.acting, filters=QueueFilters(), today=datetime.date(2026, 11, 11)
    )
    first, second = page.items
    assert (first.part_late, first.warnings, first.question_overdue) == (True, 2, False)
    assert (second.part_late, second.question_overdue) == (None, True)
    assert first.age_days == 10


def test_the_filters_narrow_the_queue(office: Office) -> None:
    caregiver = QueuedRequestFactory()
    parental = QueuedRequestFactory(leave_type="PARENTAL")
    held = QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.colleague.user)
    WorkerPart.objects.create(request=parental, late=True)
    supervisor = office.supervisor.acting

    def seen(**filters: Any) -> list[str]:
        return tickets(office_queue.queue_page(acting=supervisor, filters=QueueFilters(**filters)))

    assert seen(leave_type="PARENTAL") == [parental.ticket]
    assert seen(status=Status.UNDER_REVIEW) == [held.ticket]
    assert seen(late=True) == [parental.ticket]
    assert seen(held_by=HeldBy.NOBODY) == [caregiver.ticket, parental.ticket]
    assert seen(held_by=HeldBy.OTHERS) == [held.ticket]
    assert seen(held_by=HeldBy.ME) == []
    assert seen(ticket=held.ticket) == [held.ticket]
    assert seen(worker_niss=parental.worker.niss) == [parental.ticket]


def test_keyset_pages_give_every_request_once_in_order(office: Office) -> None:
    made = [QueuedRequestFactory().ticket for _ in range(7)]
    seen: list[str] = []
    after = ""
    while True:
        page = office_queue.queue_page(
            acting=office.agent.acting, filters=QueueFilters(), after=after, limit=3
        )
        seen += tickets(page)
        if not page.has_next:
            break
        after = page.next_cursor
    assert seen == made
    forged = office_queue.queue_page(acting=office.agent.acting, filters=QueueFilters(), after="x|1", limit=3)
    assert tickets(forged) == made[:3]


def test_anyone_but_the_office_is_refused_by_the_queue_selector(office: Office) -> None:
    jean = User.objects.create_user(demo_data.JEAN_DUBOIS_NISS)
    with pytest.raises(PermissionDenied):
        office_queue.queue_page(acting=acting_self(jean), filters=QueueFilters())


# --- the page, its search and its guard -------------------------------------------------------------------


def test_the_queue_page_lists_the_requests_with_their_age_and_a_take_charge_button(office: Office) -> None:
    item = QueuedRequestFactory(leave_type="PARENTAL")
    response = client_of(office.agent).get(reverse("office:queue"))
    assert response.status_code == 200
    text = response.content.decode()
    assert item.ticket in text and reverse("office:take", args=[item.slug]) in text
    assert "Prendre en charge" in text or "Take charge" in text
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_search_by_national_number_keeps_the_number_out_of_the_address_and_is_audited(
    office: Office,
) -> None:
    item = QueuedRequestFactory()
    client = client_of(office.agent)
    response = client.post(reverse("office:queue"), {"q": item.worker.formatted_niss})
    assert response.status_code == 302
    assert item.worker.niss not in response["Location"] and "s=" in response["Location"]
    page = client.get(response["Location"])
    assert item.ticket in page.content.decode()
    event = AuditEvent.objects.get(action="careerbreak.office_queue.searched")
    assert (event.actor_niss, event.subject_niss, event.data["found"]) == (
        office.agent.user.niss,
        item.worker.niss,
        1,
    )


def test_a_malformed_search_is_answered_on_the_page(office: Office) -> None:
    response = client_of(office.agent).post(reverse("office:queue"), {"q": "12345"})
    assert response.status_code == 400
    assert 'id="id_q_error"' in response.content.decode()


def test_the_queue_page_next_link_carries_only_the_cursor_and_leads_to_the_rest(office: Office) -> None:
    made = [QueuedRequestFactory() for _ in range(27)]
    client = client_of(office.agent)
    response = client.get(reverse("office:queue"))
    link = re.search(r'href="\?(after=[^"]+)"', response.content.decode())
    assert link is not None and made[0].worker.niss not in link.group(1)
    second = client.get(reverse("office:queue") + "?" + link.group(1).replace("&amp;", "&")).content.decode()
    assert [item.ticket for item in made if reverse("office:take", args=[item.slug]) in second] == [
        made[25].ticket,
        made[26].ticket,
    ]


def test_the_office_pages_refuse_whoever_holds_no_role(office: Office, login_as: Any) -> None:
    demo_cast()
    url = reverse("office:queue")
    anonymous = client_of(office.agent).__class__().get(url)
    assert anonymous.status_code == 302 and reverse("identity:login") in anonymous["Location"]
    bakery = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    AccessGrant.objects.get_or_create(
        niss=demo_data.JEAN_DUBOIS_NISS, enterprise=bakery, role=Role.MAIN_ACCESS_MANAGER
    )
    assert login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=bakery.number).get(url).status_code == 403
    assert login_as(demo_data.SOPHIE_LAMBERT_NISS).get(url).status_code == 403
    assert client_of(office.agent, level=400).get(url).status_code == 403
    assert client_of(office.agent, level=450).get(url).status_code == 200


def test_a_revoked_role_is_refused_at_once(office: Office) -> None:
    client = client_of(office.agent)
    assert client.get(reverse("office:queue")).status_code == 200
    office_role_revoke(acting=office.supervisor.acting, niss=office.agent.user.niss)
    assert client.get(reverse("office:queue")).status_code == 403


# --- take charge ------------------------------------------------------------------------------------------


def test_taking_charge_assigns_the_file_and_starts_the_review(office: Office) -> None:
    item = QueuedRequestFactory()
    response = client_of(office.agent).post(reverse("office:take", args=[item.slug]))
    assert response.status_code == 302 and response["Location"] == reverse("office:review", args=[item.slug])
    item.refresh_from_db()
    assert (item.status, item.assigned_to) == (Status.UNDER_REVIEW, office.agent.user)
    row = StatusTransition.objects.get(request=item, to_status=Status.UNDER_REVIEW)
    assert (row.actor, row.actor_niss) == ("office", office.agent.user.niss)
    assert AuditEvent.objects.filter(
        action="careerbreak.request.review_started", object_id=item.ticket
    ).exists()


def test_the_second_agent_to_take_a_file_is_told_it_is_taken(office: Office) -> None:
    item = QueuedRequestFactory()
    office_queue.request_take(acting=office.agent.acting, ticket=item.ticket)
    response = client_of(office.colleague).post(reverse("office:take", args=[item.slug]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("office:queue")
    assert "notice-error" in response.content.decode()
    item.refresh_from_db()
    assert item.assigned_to == office.agent.user


def test_an_agent_of_another_office_can_neither_take_nor_open_the_file(office: Office) -> None:
    item = QueuedRequestFactory()
    client = client_of(office.brussels)
    assert client.post(reverse("office:take", args=[item.slug])).status_code == 404
    assert client.get(reverse("office:review", args=[item.slug])).status_code == 404
    with pytest.raises(NotFound):
        office_queue.request_take(acting=office.brussels.acting, ticket=item.ticket)
    item.refresh_from_db()
    assert item.status == Status.COMPLETE


def test_taking_charge_is_refused_to_a_get(office: Office) -> None:
    item = QueuedRequestFactory()
    assert client_of(office.agent).get(reverse("office:take", args=[item.slug])).status_code == 405


@needs_postgres()
@pytest.mark.django_db(transaction=True)
def test_two_agents_taking_the_same_file_at_once_give_one_winner(office: Office) -> None:
    item = QueuedRequestFactory()
    results = race(
        [
            lambda: office_queue.request_take(acting=office.agent.acting, ticket=item.ticket),
            lambda: office_queue.request_take(acting=office.colleague.acting, ticket=item.ticket),
        ]
    )
    assert sum(isinstance(r, LeaveRequest) for r in results) == 1, results
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(losers) == 1 and losers[0].code == "taken"
    assert StatusTransition.objects.filter(request=item, to_status=Status.UNDER_REVIEW).count() == 1


# --- reassign ---------------------------------------------------------------------------------------------


def test_a_supervisor_gives_a_file_to_an_agent_of_its_office(office: Office) -> None:
    item = QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.agent.user)
    client = client_of(office.supervisor)
    page = client.get(reverse("office:reassign", args=[item.slug]))
    text = page.content.decode()
    assert office.colleague.user.niss in text and office.brussels.user.niss not in text
    response = client.post(
        reverse("office:reassign", args=[item.slug]), {"agent": office.colleague.user.niss}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assigned_to == office.colleague.user
    event = AuditEvent.objects.get(action="careerbreak.request.reassigned")
    assert event.data == {"from": office.agent.user.niss, "to": office.colleague.user.niss}


def test_an_agent_of_another_office_is_not_a_choice_for_the_reassignment(office: Office) -> None:
    item = QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.agent.user)
    response = client_of(office.supervisor).post(
        reverse("office:reassign", args=[item.slug]), {"agent": office.brussels.user.niss}
    )
    assert response.status_code == 400
    with pytest.raises(DomainError):
        office_queue.request_reassign(
            acting=office.supervisor.acting, ticket=item.ticket, agent_niss=office.brussels.user.niss
        )
    item.refresh_from_db()
    assert item.assigned_to == office.agent.user


def test_only_a_supervisor_reassigns(office: Office) -> None:
    item = QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.agent.user)
    assert client_of(office.agent).get(reverse("office:reassign", args=[item.slug])).status_code == 403
    with pytest.raises(PermissionDenied):
        office_queue.request_reassign(
            acting=office.agent.acting, ticket=item.ticket, agent_niss=office.colleague.user.niss
        )


# --- the query compiled once per shape (docs/performance.md §5) -------------------------------------------


def test_the_compiled_queue_gives_the_rows_the_orm_gives_for_every_shape(office: Office) -> None:
    late = QueuedRequestFactory(leave_type="PARENTAL", findings=[{"severity": "warning"}])
    WorkerPart.objects.create(request=late, late=True, submitted_at=timezone.now())
    QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.agent.user)
    theirs = QueuedRequestFactory(status=Status.INFORMATION_REQUESTED, assigned_to=office.colleague.user)
    InformationRequest.objects.create(
        request=theirs, question="?", deadline=datetime.date(2026, 1, 1), asked_by=office.colleague.user
    )
    Decision.objects.create(
        request=theirs,
        outcome=Decision.Outcome.REFUSED,
        state=Decision.State.AWAITING_CONFIRMATION,
        decided_by=office.colleague.user,
    )
    QueuedRequestFactory(office=office.brussels.role.office)
    made = [QueuedRequestFactory() for _ in range(4)]
    cursor = f"{made[0].queued_at.isoformat()}|{made[0].pk}"
    shapes = [
        QueueFilters(),
        QueueFilters(status=Status.UNDER_REVIEW),
        QueueFilters(leave_type="PARENTAL"),
        QueueFilters(late=True),
        QueueFilters(held_by=HeldBy.ME),
        QueueFilters(held_by=HeldBy.NOBODY),
        QueueFilters(held_by=HeldBy.OTHERS),
        QueueFilters(held_by="nonsense"),
        QueueFilters(worker_niss=late.worker.niss),
        QueueFilters(ticket=theirs.ticket),
        QueueFilters(status=Status.COMPLETE, leave_type="PARENTAL", late=True, held_by=HeldBy.NOBODY),
    ]
    day = datetime.date(2026, 11, 20)
    connection.ensure_connection()
    prepared = connection.vendor == "postgresql" and connection.connection.prepare_threshold is not None
    seen_rows = 0
    for member in (office.agent, office.colleague, office.brussels, office.supervisor):
        for filters in shapes:
            for after in ("", cursor, "forged|1"):
                for limit in (2, 25):
                    expected = list(
                        office_queue.queue_query(
                            acting=member.acting, filters=filters, after=after, today=day
                        )[: limit + 1]
                    )
                    compiled, audited = office_queue._queue_rows(
                        acting=member.acting, filters=filters, after=after, day=day, limit=limit
                    )
                    assert compiled == expected, (member.user.niss, filters, after, limit)
                    assert not audited
                    seen_rows += len(compiled)
                    if filters.search:  # the same rows read by the statement that writes the audit row
                        written = AuditEvent.objects.filter(action="test.searched").count()
                        event = audit_event(action="test.searched", acting=member.acting)
                        with_audit, audited = office_queue._queue_rows(
                            acting=member.acting,
                            filters=filters,
                            after=after,
                            day=day,
                            limit=limit,
                            audit=event,
                        )
                        assert with_audit == expected, (member.user.niss, filters, after, limit)
                        assert audited == prepared
                        rows = AuditEvent.objects.filter(action="test.searched").order_by("-id")
                        assert rows.count() == written + audited
                        if audited:
                            assert rows[0].data == {"found": min(len(expected), limit)}
                            assert rows[0].actor_niss == member.user.niss
    assert seen_rows > 100
    # Every shape was compiled and kept (on SQLite as on PostgreSQL), none left to the ORM.
    kept = office_queue._compiled.shapes.values()
    assert kept and all(isinstance(shape, office_queue._Compiled) for shape in kept)


@needs_postgres("prepared statements of PostgreSQL")
def test_on_postgresql_the_queue_runs_prepared_with_one_generic_plan_that_sees_its_statuses(
    office: Office,
) -> None:
    QueuedRequestFactory()
    complete = QueueFilters(status=Status.COMPLETE)
    for _ in range(3):  # a page size of its own: a statement no other test prepares
        page = office_queue.queue_page(acting=office.supervisor.acting, filters=complete, limit=7)
        assert len(page.items) == 1
    kept = [
        shape for shape in office_queue._compiled.shapes.values() if isinstance(shape, office_queue._Compiled)
    ]
    assert kept and all(shape.prepared_sql for shape in kept)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ["%interruptions_leaverequest%LIMIT 8"],
        )
        [(statement, generic, custom)] = cursor.fetchall()
    # Planned once, generically; the statuses of the partial indexes and the page's size written in, the
    # page's values (here the status chosen) as parameters.
    assert (generic, custom) == (3, 0)
    assert "IN ('complete', 'under_review', 'information_requested')" in statement
    assert '"status" = $' in statement


def test_the_compiled_queue_never_serves_one_agent_the_rows_of_another(office: Office) -> None:
    mine = QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.agent.user)
    theirs = QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.colleague.user)
    elsewhere = QueuedRequestFactory(office=office.brussels.role.office)
    held_by_me = QueueFilters(held_by=HeldBy.ME)
    # The same shape for three agents, one after the other, in one thread: each gets their own.
    assert tickets(office_queue.queue_page(acting=office.agent.acting, filters=held_by_me)) == [mine.ticket]
    assert tickets(office_queue.queue_page(acting=office.colleague.acting, filters=held_by_me)) == [
        theirs.ticket
    ]
    assert tickets(office_queue.queue_page(acting=office.brussels.acting, filters=QueueFilters())) == [
        elsewhere.ticket
    ]
    assert tickets(office_queue.queue_page(acting=office.agent.acting, filters=QueueFilters())) == [
        mine.ticket
    ]
    # A role revoked after the shape was compiled: refused at once.
    office_role_revoke(acting=office.supervisor.acting, niss=office.brussels.user.niss)
    assert client_of(office.brussels).get(reverse("office:queue")).status_code == 403


def test_a_queue_row_is_drawn_escaped_with_its_notes_its_holder_and_its_take_form(office: Office) -> None:
    odd = QueuedRequestFactory(worker__first_name="Zoë <b>&", findings=[{"severity": "warning"}] * 2)
    WorkerPart.objects.create(request=odd, late=True, submitted_at=timezone.now())
    held = QueuedRequestFactory(status=Status.UNDER_REVIEW, assigned_to=office.colleague.user)
    client = client_of(office.supervisor)
    client.cookies["careerbreak_language"] = "en"
    text = client.get(reverse("office:queue")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    assert token is not None
    take = reverse("office:take", args=[odd.slug])
    assert (
        f'<td data-label="Action"><form method="post" action="{take}" class="inline-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token.group(1)}">'
        '<button type="submit" class="button button-secondary">Take charge'
        f'<span class="visually-hidden"> {odd.ticket}</span></button></form></td>'
    ) in text
    assert f'<td data-label="Worker">Zoë &lt;b&gt;&amp; {odd.worker.last_name}<br>' in text
    assert '<td data-label="To note"><span class="tag tag-warning">Late worker part</span> </td>' in text
    assert '<td data-label="Rules at filing">2 warnings</td>' in text
    assert (
        '<td data-label="Status"><span class="tag">Under review</span><br>'
        '<span class="muted">held by Claire Fontaine</span></td>'
    ) in text
    review = reverse("office:review", args=[held.slug])
    assert (
        f'<td data-label="Action"><a href="{review}">Open'
        f'<span class="visually-hidden"> {held.ticket}</span></a></td>'
    ) in text
    assert "<b>" not in text.split("<tbody>")[1]


def test_the_queue_page_makes_as_many_queries_for_thirty_requests_as_for_one(
    office: Office, django_assert_num_queries: Any
) -> None:
    client = client_of(office.agent)
    QueuedRequestFactory()
    client.get(reverse("office:queue"))  # the session's renewal, once a minute (ADR 0022)
    # The session, the user with their office role (one query, ADR 0027), the queue.
    with django_assert_num_queries(3):
        assert client.get(reverse("office:queue")).status_code == 200
    for index in range(30):
        item = QueuedRequestFactory(status=Status.UNDER_REVIEW if index % 3 else Status.COMPLETE)
        if index % 3:
            item.assigned_to = office.agent.user if index % 2 else office.colleague.user
            item.save(update_fields=["assigned_to"])
        if index % 5 == 0:
            WorkerPart.objects.create(request=item, late=True, submitted_at=timezone.now())
    with django_assert_num_queries(3):
        assert client.get(reverse("office:queue")).status_code == 200


def test_a_search_page_writes_its_audit_row_with_the_statement_that_reads_it(
    office: Office, django_assert_num_queries: Any
) -> None:
    item = QueuedRequestFactory()
    client = client_of(office.agent)
    location = client.post(reverse("office:queue"), {"q": item.worker.formatted_niss})["Location"]
    client.get(location)  # the session's renewal, once a minute (ADR 0022)
    connection.ensure_connection()
    prepared = connection.vendor == "postgresql" and connection.connection.prepare_threshold is not None
    searched = AuditEvent.objects.filter(action="careerbreak.office_queue.searched")
    before = searched.count()
    # The session, the user with their office role, the queue with its audit row (ADR 0043); elsewhere the
    # row is its own insert.
    with django_assert_num_queries(3 if prepared else 4):
        page = client.get(location)
    assert item.ticket in page.content.decode()
    assert searched.count() == before + 1
    event = searched.order_by("-id").first()
    assert event is not None
    assert (event.actor_niss, event.subject_niss, event.assurance_level, event.data) == (
        office.agent.user.niss,
        item.worker.niss,
        500,
        {"found": 1},
    )


@needs_postgres("the queue's prepared statement")
def test_a_search_whose_audit_row_cannot_be_written_is_not_read(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = QueuedRequestFactory()
    write = office_queue.audit_event
    monkeypatch.setattr(office_queue, "audit_event", lambda **kw: write(**{**kw, "action": "x" * 100}))
    with pytest.raises(DataError), transaction.atomic():  # longer than the column
        office_queue.queue_page(acting=office.agent.acting, filters=QueueFilters(ticket=item.ticket))
    assert not AuditEvent.objects.filter(action__startswith="xxx").exists()


# --- the filter fields kept per language and selection (ADR 0028) -----------------------------------------


def _filters_of(text: str) -> str:
    """The filter form's fields (after its csrf token, which changes on every page)."""
    form = text.split('class="filters">', 1)[1].split("</form>", 1)[0]
    return form.split('name="csrfmiddlewaretoken"', 1)[1].split(">", 1)[1]


@pytest.fixture
def nothing_kept(office: Office) -> None:
    """A request to list, and no filter fields kept from an earlier test."""
    QueuedRequestFactory(leave_type="PARENTAL")
    FILTER_FIELDS_KEPT.clear()


@pytest.mark.usefixtures("nothing_kept")
def test_the_kept_filter_fields_are_those_drawn_afresh_in_each_language_and_never_mixed(
    office: Office,
) -> None:
    client = client_of(office.agent)
    drawn: dict[str, str] = {}
    for language in ("fr", "nl", "de", "en"):
        client.cookies["careerbreak_language"] = language
        drawn[language] = _filters_of(client.get(reverse("office:queue")).content.decode())
    assert len(FILTER_FIELDS_KEPT) == 4
    assert 'for="id_status">Statut' in drawn["fr"] and 'for="id_status">Status' in drawn["en"]
    assert len(set(drawn.values())) == 4
    for language in (
        "en",
        "de",
        "nl",
        "fr",
    ):  # now from what the process kept: the same, language by language
        client.cookies["careerbreak_language"] = language
        assert _filters_of(client.get(reverse("office:queue")).content.decode()) == drawn[language]
    FILTER_FIELDS_KEPT.clear()
    client.cookies["careerbreak_language"] = "fr"
    assert _filters_of(client.get(reverse("office:queue")).content.decode()) == drawn["fr"]


@pytest.mark.usefixtures("nothing_kept")
def test_the_kept_filter_fields_show_each_selection_and_keep_neither_errors_nor_a_search(
    office: Office,
) -> None:
    client = client_of(office.colleague)
    client.cookies["careerbreak_language"] = "en"
    filtered = client.get(client.post(reverse("office:queue"), {"leave_type": "PARENTAL"})["Location"])
    assert '<option value="PARENTAL" selected>' in filtered.content.decode()
    plain = client.get(reverse("office:queue")).content.decode()
    assert '<option value="PARENTAL">' in plain and '<option value="" selected>' in plain
    kept = dict(FILTER_FIELDS_KEPT)
    assert len(kept) == 2
    refused = client.post(reverse("office:queue"), {"status": "nope", "late": "late"})
    assert refused.status_code == 400 and 'id="id_status_error"' in refused.content.decode()
    niss = office.agent.user.niss
    search = client.get(client.post(reverse("office:queue"), {"q": niss})["Location"]).content.decode()
    assert f'value="{niss}"' in search
    assert kept == FILTER_FIELDS_KEPT
    assert all(niss not in html for html in FILTER_FIELDS_KEPT.values())


def _row() -> QueueRow:
    return QueueRow(
        ticket="2026/00000001/97",
        review_url="/office/requests/2026-00000001-97/",
        take_url="/office/requests/2026-00000001-97/take/",
        office_name="Liège <office>",
        worker_name="Zoë <b>&",
        worker_niss="90.06.15-122.02",
        type_label="Parental leave",
        form_label="1/5",
        status_label="Complete",
        held="held by “you”",
        age="3 days",
        notes=(("Late worker part", True), ("{braces}", False)),
        rules="No warning",
    )


def test_the_queue_table_is_what_data_table_draws_around_its_rows() -> None:
    """``{% queue_table %}`` writes each cell's ``data-label`` and the frame itself: the same as
    ``{% data_table … visible %}`` (the queue's template before) around the same rows, in every language."""
    row = _row()
    rows = [row, dataclasses.replace(row, take_url="", notes=())]
    reference = Template(
        '{% load tables %}{% data_table rows as row caption _("Requests to handle") columns _("Ticket") '
        '_("Worker") _("Type of interruption") _("Status") _("Waiting") _("To note") _("Rules at filing") '
        '_("Action") visible %}{{ row }}{% end_data_table %}'
    )
    for language in ("fr", "nl", "de", "en"):
        with override(language):
            ours = str(queue_table(Context({"csrf_token": "t&k"}), rows))
            unlabelled = [
                mark_safe(re.sub(r' data-label="[^"]*"', "", part))
                for part in re.findall(r"\n    <tr>.*?</tr>\n", ours, flags=re.S)
            ]
            assert len(unlabelled) == 2 and 'data-label="' in ours
            assert ours == reference.render(Context({"rows": unlabelled}))


def test_the_labels_a_page_repeats_are_escaped_in_every_row() -> None:
    """The table escapes a label once per page and writes it in every row that carries it."""
    labels = {
        "type_label": "Type <i>",
        "form_label": "1/5 & more",
        "status_label": 'Complete "x"',
        "age": "3 <days>",
        "rules": "No <warning>",
    }
    row = dataclasses.replace(
        _row(), take_url="", held="held by <you>", notes=(("Late <part>", True),), **labels
    )
    ours = str(queue_table(Context({"csrf_token": "t"}), [row, row, dataclasses.replace(row, held="")]))
    for text in ("Liège <office>", "Zoë <b>&", "Late <part>", *labels.values()):
        assert ours.count(html.escape(text)) == 3, text
    assert ours.count(html.escape("held by <you>")) == 2
    assert "<i>" not in ours and "<you>" not in ours and "<office>" not in ours


@pytest.mark.usefixtures("nothing_kept")
def test_a_search_draws_its_box_afresh_and_the_selections_kept_as_if_drawn_afresh(office: Office) -> None:
    client = client_of(office.agent)
    niss = office.agent.user.niss
    for language in ("fr", "de"):
        client.cookies["careerbreak_language"] = language
        search = client.post(reverse("office:queue"), {"q": niss, "held_by": HeldBy.NOBODY})["Location"]
        afresh = _filters_of(client.get(search).content.decode())  # nothing kept for this selection yet
        assert not FILTER_FIELDS_KEPT
        client.get(client.post(reverse("office:queue"), {"held_by": HeldBy.NOBODY})["Location"])
        assert len(FILTER_FIELDS_KEPT) == 1
        assert _filters_of(client.get(search).content.decode()) == afresh  # the selections from what is kept
        assert f'value="{niss}"' in afresh and '<option value="nobody" selected>' in afresh
        assert all(niss not in html for html in FILTER_FIELDS_KEPT.values())
        FILTER_FIELDS_KEPT.clear()


def test_the_filter_forms_share_their_fields_and_check_a_value_against_the_choices_keys() -> None:
    """``QueueFilterForm``'s fields are not copied for each form (``_SharedFields``) and a selection is
    checked against its choices' keys kept by the field: each field accepts exactly the keys of its
    choices, as Django's ``valid_value`` over the choices does, and drawing a refused form (errors,
    ``aria-invalid``) changes nothing of the shared fields."""
    from django import forms

    from careerbreak.office.queue_views import QueueFilterForm

    first, second = QueueFilterForm({}), QueueFilterForm({"status": "nope"})
    assert first.fields is not second.fields and first.fields is not QueueFilterForm.base_fields
    assert all(first.fields[name] is second.fields[name] for name in first.fields)
    for name in ("status", "leave_type", "held_by", "late"):
        field = first.fields[name]
        assert isinstance(field, forms.ChoiceField)
        keys = [str(key) for key, _label in field.choices if key]
        assert keys
        for key in keys:
            assert field.valid_value(key) and forms.ChoiceField.valid_value(field, key)
        for other in ("nope", keys[0].lower() + "x", " " + keys[0]):
            assert not field.valid_value(other) and not forms.ChoiceField.valid_value(field, other)
        assert QueueFilterForm({name: keys[-1]}).is_valid()
        refused = QueueFilterForm({name: "nope"})
        assert not refused.is_valid() and list(refused.errors) == [name]
    attrs = {name: dict(field.widget.attrs) for name, field in QueueFilterForm.base_fields.items()}
    with override("fr"):
        assert 'aria-invalid="true"' in str(second["status"])
    assert {name: dict(field.widget.attrs) for name, field in QueueFilterForm.base_fields.items()} == attrs


# office/base.html's navigation as it was drawn in the page's own context before {% kept_include %}.
_NAV_AFRESH = """{% load i18n %}<nav class="service-nav" aria-label="{% translate 'Employment office' %}"><ul class="inline-list">
  <li><a href="{% url 'office:queue' %}"{% if nav == "queue" %} aria-current="page"{% endif %}>{% translate "Work queue" %}</a></li>
  {% if office_role.is_supervisor %}{% url 'office:dashboard' as dashboard_url %}{% if dashboard_url %}<li><a href="{{ dashboard_url }}"{% if nav == "dashboard" %} aria-current="page"{% endif %}>{% translate "Dashboard" %}</a></li>{% endif %}{% endif %}
</ul>
<p class="muted">{% if office_role.is_supervisor %}{% translate "Supervisor of every office" %}{% elif office_role %}{% blocktranslate with office=office_role.office.name %}Agent: {{ office }}{% endblocktranslate %}{% endif %}</p>
</nav>"""  # noqa: E501 - the template as it was
_NAV_KEPT = (
    '{% load kept_parts %}{% kept_include "office/includes/office_nav.html" nav=nav'
    " supervisor=office_role.is_supervisor role=office_role.pk office_name=office_role.office.name %}"
)


def test_the_kept_office_navigation_is_what_the_page_drew_for_each_role_page_and_language(
    office: Office,
) -> None:
    """office/base.html's navigation, kept per language, page, role and office by ``{% kept_include %}``,
    is the markup drawn afresh in the page's context: an agent (with their office's name, escaped), a
    supervisor, no role; the queue, the dashboard or another page; in four languages, kept or not."""
    from careerbreak.core.templatetags.kept_parts import KEPT

    agent_role, supervisor_role = office.agent.role, office.supervisor.role
    assert agent_role.office is not None
    agent_role.office.names = {**agent_role.office.names, "fr": "Liège & <Huy>"}  # escaped, and per language
    KEPT.clear()
    for _round in range(2):
        for language in ("fr", "nl", "de", "en"):
            with override(language):
                for role in (agent_role, supervisor_role, None):
                    for nav in ("queue", "dashboard", ""):
                        context = Context({"nav": nav, "office_role": role})
                        afresh = Template(_NAV_AFRESH).render(context)
                        assert Template(_NAV_KEPT).render(context) == afresh
    assert len(KEPT) == 4 * 3 * 3
    assert any("Liège &amp; &lt;Huy&gt;" in html for html in KEPT.values())
    KEPT.clear()


def test_a_kept_part_is_kept_per_script_prefix_and_refuses_an_object(office: Office) -> None:
    from django.template import TemplateSyntaxError
    from django.urls import get_script_prefix, set_script_prefix

    from careerbreak.core.templatetags.kept_parts import KEPT

    context = Context({"nav": "queue", "office_role": office.agent.role})
    KEPT.clear()
    before = get_script_prefix()
    try:
        for prefix in ("/", "/onem/"):
            set_script_prefix(prefix)
            assert Template(_NAV_KEPT).render(context) == Template(_NAV_AFRESH).render(context)
            assert f'href="{prefix}office/"' in Template(_NAV_KEPT).render(context)
    finally:
        set_script_prefix(before)
    assert len(KEPT) == 2
    with pytest.raises((TypeError, TemplateSyntaxError)):
        Template('{% load kept_parts %}{% kept_include "office/includes/office_nav.html" role=r %}').render(
            Context({"r": office.agent.role})
        )
    KEPT.clear()
