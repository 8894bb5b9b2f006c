"""The office's information page and the supervisors' dashboard, and the worker's answer pages: the
journey through the check pages, bad input answered on the page, and every outsider refused."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.interruptions import information
from careerbreak.interruptions.models import Attachment, InformationRequest, LeaveRequest, StatusTransition
from careerbreak.interruptions.states import Status
from tests import office_fixtures
from tests.attachment_files import TEXT_AS_PDF, pdf_bytes
from tests.core.test_no_store import no_store
from tests.factories import LeaveRequestFactory
from tests.office_fixtures import (  # noqa: F401
    AGENT_NISS,
    FOREIGN_AGENT_NISS,
    OTHER_AGENT_NISS,
    SUPERVISOR_NISS,
    acting_office,
    office_client,
    office_world,
    outsider,
)
from tests.request_fixtures import TODAY

world = office_fixtures.world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

DAY = TODAY.date()


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def ask_url(world: dict[str, Any], name: str = "office:information_ask") -> str:
    return reverse(name, args=[world["request"].slug])


def deadline_data(day: datetime.date) -> dict[str, str]:
    return {"deadline_0": str(day.day), "deadline_1": str(day.month), "deadline_2": str(day.year)}


def test_the_agent_asks_through_the_check_page_and_the_file_shows_information_requested(
    world: dict[str, Any], login_as: Any
) -> None:
    client = office_client(login_as, AGENT_NISS)
    page = client.get(ask_url(world))
    assert page.status_code == 200
    assert no_store(page)
    default = information.default_deadline(DAY)
    assert f'value="{default.day}"' in page.content.decode()
    assert f'href="{ask_url(world, "office:review")}"' in page.content.decode()  # Retour: the review page
    response = client.post(
        ask_url(world), {"question": "Envoyez l'acte de naissance.", **deadline_data(default)}
    )
    assert response.status_code == 302
    assert response["Location"] == ask_url(world, "office:information_check")
    assert not InformationRequest.objects.exists()  # nothing before the check page
    check = client.get(ask_url(world, "office:information_check"))
    assert "Envoyez l'acte de naissance." in text(check)
    response = client.post(ask_url(world, "office:information_check"))
    assert response.status_code == 302
    # Back on the review page, told that the question is sent, the question in its panel.
    assert response["Location"] == ask_url(world, "office:review")
    assert LeaveRequest.objects.get(pk=world["request"].pk).status == Status.INFORMATION_REQUESTED
    after = text(client.get(response["Location"]))
    assert "Informations demandées" in after
    assert "Envoyez l'acte de naissance." in after


def test_an_empty_question_and_a_past_deadline_are_answered_on_the_page(
    world: dict[str, Any], login_as: Any
) -> None:
    client = office_client(login_as, AGENT_NISS)
    response = client.post(
        ask_url(world), {"question": " ", **deadline_data(DAY - datetime.timedelta(days=1))}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Question au travailleur" in page
    response = client.post(
        ask_url(world), {"question": "Q?", **deadline_data(DAY - datetime.timedelta(days=1))}
    )
    assert response.status_code == 400
    assert "Répondre avant le" in text(response)
    assert not InformationRequest.objects.exists()


def test_a_colleague_who_does_not_hold_the_file_sees_the_questions_but_no_form(
    world: dict[str, Any], login_as: Any
) -> None:
    client = office_client(login_as, OTHER_AGENT_NISS)
    page = client.get(ask_url(world))
    assert page.status_code == 200
    assert "<textarea" not in page.content.decode()
    client.post(ask_url(world), {"question": "Q?", **deadline_data(DAY + datetime.timedelta(days=15))})
    assert not InformationRequest.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "employer", "worker", "foreign_agent"])
def test_outsiders_are_refused_the_office_information_page(
    world: dict[str, Any], login_as: Any, who: str
) -> None:
    response = outsider(login_as, who).get(ask_url(world))
    assert response.status_code in {302, 403, 404}
    if who == "anonymous":
        assert response.status_code == 302
    if who == "foreign_agent":
        assert response.status_code == 404


def test_the_panel_flags_an_overdue_question_with_its_answer_and_files(
    world: dict[str, Any], login_as: Any
) -> None:
    information.information_ask(
        acting=acting_office(world["agent"]),
        ticket=world["request"].ticket,
        question="Q?",
        deadline=DAY + datetime.timedelta(days=8),
    )
    page = text(office_client(login_as, AGENT_NISS).get(ask_url(world)))
    assert "Q?" in page and "Pas encore de réponse" in page
    assert "En retard" not in page
    with time_machine.travel(TODAY + datetime.timedelta(days=9), tick=False):
        assert "En retard" in text(office_client(login_as, AGENT_NISS).get(ask_url(world)))


# -- the worker's side -------------------------------------------------------------------------------------


def worker_url(world: dict[str, Any], name: str = "worker:information_answer") -> str:
    return reverse(name, args=[world["request"].slug])


def asked(world: dict[str, Any]) -> InformationRequest:
    return information.information_ask(
        acting=acting_office(world["agent"]),
        ticket=world["request"].ticket,
        question="Quel est le nom de l'école ?",
        deadline=DAY + datetime.timedelta(days=15),
    )


def test_the_worker_sees_the_question_then_answers_through_the_check_page(
    world: dict[str, Any], login_as: Any
) -> None:
    asked(world)
    client = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    home = text(client.get(reverse("worker:home")))
    assert worker_url(world) in home
    request_page = text(client.get(reverse("worker:part_request", args=[world["request"].slug])))
    assert "Quel est le nom de l'école ?" in request_page
    response = client.post(
        worker_url(world),
        {
            "action": "attach",
            "answer": "",
            "file": SimpleUploadedFile("ecole.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    assert Attachment.objects.get().information_request is not None
    response = client.post(worker_url(world), {"action": "continue", "answer": "École du Centre"})
    assert response["Location"] == worker_url(world, "worker:information_check")
    assert LeaveRequest.objects.get(pk=world["request"].pk).status == Status.INFORMATION_REQUESTED
    assert no_store(client.get(worker_url(world)))
    check_page = client.get(worker_url(world, "worker:information_check"))
    assert no_store(check_page)
    check = text(check_page)
    assert "École du Centre" in check and "ecole.pdf" in check
    response = client.post(worker_url(world, "worker:information_check"))
    assert response["Location"] == worker_url(world, "worker:information_sent")
    assert client.get(response["Location"]).status_code == 200
    assert LeaveRequest.objects.get(pk=world["request"].pk).status == Status.UNDER_REVIEW
    assert InformationRequest.objects.get().answer == "École du Centre"


def test_a_bad_file_and_an_empty_answer_are_answered_on_the_page(
    world: dict[str, Any], login_as: Any
) -> None:
    asked(world)
    client = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    response = client.post(
        worker_url(world),
        {
            "action": "attach",
            "answer": "",
            "file": SimpleUploadedFile("faux.pdf", TEXT_AS_PDF, "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert "faux.pdf" in text(response)
    response = client.post(worker_url(world), {"action": "continue", "answer": ""})
    assert response.status_code == 400
    assert "Votre réponse" in text(response)
    assert not Attachment.objects.exists()
    assert InformationRequest.objects.get().answered_at is None


def test_the_worker_removes_a_document_from_the_answer(world: dict[str, Any], login_as: Any) -> None:
    asked(world)
    client = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    client.post(
        worker_url(world),
        {"action": "attach", "file": SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")},
    )
    attachment = Attachment.objects.get()
    response = client.post(
        reverse("worker:information_attachment_remove", args=[world["request"].slug, attachment.pk])
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "employer", "other_worker", "agent"])
def test_outsiders_are_refused_the_worker_answer_pages(
    world: dict[str, Any], login_as: Any, who: str
) -> None:
    asked(world)
    client = outsider(login_as, who)
    for name in ("worker:information_answer", "worker:information_check", "worker:information_sent"):
        response = client.get(worker_url(world, name))
        assert response.status_code == (302 if who == "anonymous" else 404), name
        if who == "anonymous":
            assert "login" in response["Location"]
    assert client.post(worker_url(world, "worker:information_check")).status_code in {302, 404}
    assert LeaveRequest.objects.get(pk=world["request"].pk).status == Status.INFORMATION_REQUESTED


# -- the dashboard -----------------------------------------------------------------------------------------


def decided(world: dict[str, Any], days: int) -> LeaveRequest:
    """A request of the world's office completed ``days`` days before it was approved, a week ago."""
    leave_request = LeaveRequestFactory(
        ticket=f"2026/0000{days:04d}/99",
        office=world["office"],
        status=Status.APPROVED,
        start_date=DAY,
        end_date=DAY,
        certified_at=TODAY,
    )
    approved_at = TODAY - datetime.timedelta(days=7)
    for to_status, when in (
        (Status.COMPLETE, approved_at - datetime.timedelta(days=days)),
        (Status.APPROVED, approved_at),
    ):
        row = StatusTransition.objects.create(request=leave_request, to_status=to_status, actor="office")
        StatusTransition.objects.filter(pk=row.pk).update(occurred_at=when)
    return leave_request


def test_the_supervisor_sees_three_charts_each_with_its_table(world: dict[str, Any], login_as: Any) -> None:
    decided(world, 2)
    decided(world, 5)
    client = office_client(login_as, SUPERVISOR_NISS)
    response = client.get(reverse("office:dashboard"))
    assert response.status_code == 200
    assert no_store(response)
    page = text(response)
    assert page.count('role="img"') == 3
    assert page.count("<table") == 3
    charts = page[page.index("<svg") : page.rindex("</svg>")]
    assert "<script" not in charts and "https://" not in charts
    assert "Bureau de Bruxelles" in page
    # The median of 2 and 5 days, as French writes it; the week of the two completions counted.
    assert "3,5" in page
    week = (DAY - datetime.timedelta(days=DAY.weekday())).strftime("%d/%m/%Y")
    assert week in page


def test_the_figures_take_a_fixed_number_of_queries(world: dict[str, Any]) -> None:
    from careerbreak.interruptions import office_stats

    acting = acting_office(world["supervisor"])
    for days in range(1, 6):
        decided(world, days)
    with CaptureQueriesContext(connection) as queries:
        weeks = office_stats.received_per_week(acting=acting)
        backlog = office_stats.backlog(acting=acting)
        overall, per_office = office_stats.median_days_to_decision(acting=acting)
    assert len(queries) <= 5
    assert len(weeks) == 12 and sum(w.count for w in weeks) == 6
    assert [row.counts["under_review"] for row in backlog] == [1]
    assert overall is not None and overall.median_days == 3 and overall.decided == 5
    assert [d.office for d in per_office] == ["Bureau de Bruxelles"]


def test_an_agent_sees_only_the_figures_of_their_office(world: dict[str, Any]) -> None:
    from careerbreak.interruptions import office_stats

    assert office_stats.backlog(acting=acting_office(world["foreign"])) == []


@pytest.mark.parametrize("who", ["anonymous", "employer", "worker", "agent"])
def test_the_dashboard_is_for_supervisors_only(world: dict[str, Any], login_as: Any, who: str) -> None:
    response = outsider(login_as, who).get(reverse("office:dashboard"))
    assert response.status_code == (302 if who == "anonymous" else 403)
