"""``GET /api/v1/events``: what happened to the requests and notices of the enterprises a client acts for,
written by the services in the transaction of the change, oldest first, in cursor pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import transaction

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import ApiScope, Mandate
from careerbreak.interruptions import services
from careerbreak.interruptions.models import Draft, LeaveRequest, RequestEvent
from careerbreak.interruptions.notices import notice_answer
from careerbreak.interruptions.states import Actor, Status
from careerbreak.interruptions.transitions import transition
from careerbreak.registries.models import Enterprise, Person
from tests.api.conftest import Caller, caller_of
from tests.factories import EnterpriseFactory, acting_for, notice_to, user_for
from tests.request_fixtures import TODAY, confirm, make_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

BASE = "/api/v1/events"


def bakery() -> Enterprise:
    return Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)


def jean_acting() -> Any:
    return acting_for(user_for(demo_data.JEAN_DUBOIS_NISS), bakery())


def file_leave() -> LeaveRequest:
    """Jean Dubois files Sophie Lambert's parental leave for the bakery."""
    jean = user_for(demo_data.JEAN_DUBOIS_NISS)
    return confirm(jean, bakery(), make_draft(jean, bakery()))


def modify(leave_request: LeaveRequest) -> None:
    draft = services.draft_start_modification(acting=jean_acting(), ticket=leave_request.ticket)
    Draft.objects.filter(pk=draft.pk).update(step=7, data={**draft.data})
    confirm(user_for(demo_data.JEAN_DUBOIS_NISS), bakery(), Draft.objects.get(pk=draft.pk))


def move(leave_request: LeaveRequest, to: str, actor: str) -> None:
    with transaction.atomic():
        row = LeaveRequest.objects.select_for_update().get(pk=leave_request.pk)
        transition(row, to, actor=Actor(actor), acting=jean_acting())


def types(answer: Any) -> list[tuple[str, str | None]]:
    return [(item["type"], item["ticket"]) for item in answer.json()["items"]]


def test_filing_modifying_and_cancelling_are_events_in_their_order(bakery_api: Caller) -> None:
    filed = file_leave()
    modify(filed)
    services.request_cancel(acting=jean_acting(), ticket=filed.ticket, reason="Le travailleur renonce.")
    answer = bakery_api.get(BASE)
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "private, no-store"
    assert types(answer) == [
        ("request.filed", filed.ticket),
        ("request.modified", filed.ticket),
        ("request.cancelled", filed.ticket),
    ]
    items = answer.json()["items"]
    assert [item["data"] for item in items] == [
        {"status": "awaiting_worker", "version": 1},
        {"status": "awaiting_worker", "version": 2},
        {"status": "cancelled", "version": 3},
    ]
    assert items[0]["enterprise"] == demo_data.BOULANGERIE_DUBOIS_NUMBER
    assert items[0]["id"] < items[1]["id"] < items[2]["id"]


def test_the_worker_part_the_office_s_question_and_the_decision_are_events_but_not_the_review(
    bakery_api: Caller,
) -> None:
    filed = file_leave()
    move(filed, Status.COMPLETE, Actor.WORKER)
    move(filed, Status.UNDER_REVIEW, Actor.OFFICE)
    move(filed, Status.INFORMATION_REQUESTED, Actor.OFFICE)
    move(filed, Status.UNDER_REVIEW, Actor.WORKER)
    move(filed, Status.APPROVED, Actor.OFFICE)
    items = bakery_api.get(BASE).json()["items"]
    assert [item["type"] for item in items] == [
        "request.filed",
        "request.worker_part_completed",
        "request.information_requested",
        "request.decided",
    ]
    # The outcome, never an amount nor the worker.
    assert items[-1]["data"] == {"status": "approved", "version": 1}
    assert demo_data.SOPHIE_LAMBERT_NISS not in str(items)


def test_a_notice_received_and_answered_are_events(bakery_api: Caller) -> None:
    # (A parental leave 1/10: it needs the employer's agreement, so it may be refused.)
    notice = notice_to(bakery(), Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS), form="1/10")
    with transaction.atomic():
        notice_answer(acting=jean_acting(), notice_id=notice.pk, decision="refused", reason="Non.")
    items = bakery_api.get(BASE).json()["items"]
    assert [(i["type"], i["notice"], i["data"]["status"]) for i in items] == [
        ("notice.received", notice.pk, "sent"),
        ("notice.answered", notice.pk, "refused"),
    ]


def test_a_change_rolled_back_leaves_no_event(bakery_api: Caller) -> None:
    filed = file_leave()
    before = RequestEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        row = LeaveRequest.objects.select_for_update().get(pk=filed.pk)
        transition(row, Status.COMPLETE, actor=Actor.WORKER, acting=jean_acting())
        raise RuntimeError("the rest of the change failed")
    assert RequestEvent.objects.count() == before


def test_the_feed_pages_with_after_and_its_next_link(bakery_api: Caller) -> None:
    filed = file_leave()
    modify(filed)
    services.request_cancel(acting=jean_acting(), ticket=filed.ticket, reason="Le travailleur renonce.")
    first = bakery_api.get(BASE, limit=2).json()
    assert [i["type"] for i in first["items"]] == ["request.filed", "request.modified"]
    second = bakery_api.get(first["next"]).json()
    assert [i["type"] for i in second["items"]] == ["request.cancelled"]
    # At the end, ``next`` keeps the place: polling it gives what happens later.
    third = bakery_api.get(second["next"]).json()
    assert third["items"] == []
    assert third["next"] == second["next"]
    notice = notice_to(bakery(), Person.objects.get(niss=demo_data.SOPHIE_LAMBERT_NISS))
    assert [i["notice"] for i in bakery_api.get(third["next"]).json()["items"]] == [notice.pk]


def test_an_event_shows_once_it_has_settled(bakery_api: Caller, settings: Any) -> None:
    settings.EVENTS_SETTLE_SECONDS = 5
    file_leave()
    assert bakery_api.get(BASE).json()["items"] == []
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=6), tick=False):
        assert len(bakery_api.get(BASE).json()["items"]) == 1


def test_a_secretariat_follows_its_mandates_but_not_an_ended_one(secupay_api: Caller) -> None:
    filed = file_leave()
    meuse = Enterprise.objects.get(number=demo_data.LOGISTIQUE_MEUSE_NUMBER)
    notice_to(meuse, Person.objects.get(niss=demo_data.MARC_PEETERS_NISS))
    assert types(secupay_api.get(BASE)) == [("request.filed", filed.ticket)]
    assert types(secupay_api.get(BASE, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)) == [
        ("request.filed", filed.ticket)
    ]
    refused = secupay_api.get(BASE, enterprise=demo_data.LOGISTIQUE_MEUSE_NUMBER)
    assert refused.status_code == 403
    assert refused.json()["type"] == "/api/v1/problems/enterprise-not-allowed"


def test_when_the_mandate_ends_the_secretariat_no_longer_reads_the_employer_s_events(
    secupay_api: Caller,
) -> None:
    file_leave()
    assert len(secupay_api.get(BASE).json()["items"]) == 1
    Mandate.objects.filter(employer=bakery()).update(valid_until=TODAY - datetime.timedelta(days=1))
    assert secupay_api.get(BASE).json()["items"] == []


def test_a_new_secretariat_reads_only_what_happened_since_its_mandate(cast: None) -> None:
    old = file_leave()
    RequestEvent.objects.update(occurred_on=TODAY - datetime.timedelta(days=10))
    newcomer = EnterpriseFactory(is_social_secretariat=True)
    Mandate.objects.create(secretariat=newcomer, employer=bakery(), valid_from=TODAY)
    api = caller_of(newcomer.number, demo_data.SECUPAY_MANAGER_NISS)
    modify(old)
    assert types(api.get(BASE)) == [("request.modified", old.ticket)]


def test_the_outsider_reads_none_of_the_bakery_s_events(outsider_api: Caller) -> None:
    file_leave()
    assert outsider_api.get(BASE).json()["items"] == []
    assert outsider_api.get(BASE, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER).status_code == 403


def test_the_feed_needs_the_requests_read_scope(bakery_api: Caller) -> None:
    file_leave()
    answer = bakery_api.only(ApiScope.NOTICES).get(BASE)
    assert answer.status_code == 403
    assert answer.json()["type"] == "/api/v1/problems/insufficient-scope"


def test_the_enterprise_filter_takes_the_number_with_or_without_dots_and_refuses_another_shape(
    secupay_api: Caller,
) -> None:
    filed = file_leave()
    assert types(secupay_api.get(BASE, enterprise="0812.345.603")) == [("request.filed", filed.ticket)]
    refused = secupay_api.get(BASE, enterprise="BE0812345603x")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "enterprise"
