"""Asking the worker for information and the worker's answer (interruptions/information.py): who may
ask and answer, the deadline's bounds, the transitions, the eBox message, the attachments with the worker
part's checks, the overdue flag, and nothing half-saved on a refusal."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound, PermissionDenied
from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.interruptions import information
from careerbreak.interruptions.models import Attachment, InformationRequest, LeaveRequest, StatusTransition
from careerbreak.interruptions.states import Status
from careerbreak.mailbox.models import OutboxMessage
from tests import office_fixtures
from tests.attachment_files import TEXT_AS_PDF, pdf_bytes
from tests.factories import acting_for, acting_self, user_for
from tests.office_fixtures import (
    acting_office,
)
from tests.request_fixtures import TODAY

world = office_fixtures.world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

DAY = TODAY.date()


def ask(
    world: dict[str, Any],
    *,
    who: str = "agent",
    days: int = 15,
    question: str = "Send the birth certificate.",
) -> InformationRequest:
    return information.information_ask(
        acting=acting_office(world[who]),
        ticket=world["request"].ticket,
        question=question,
        deadline=DAY + datetime.timedelta(days=days),
    )


def sophie() -> Any:
    return acting_self(user_for(demo_data.SOPHIE_LAMBERT_NISS))


def test_the_agent_holding_the_file_asks_and_the_request_awaits_the_worker(world: dict[str, Any]) -> None:
    asked = ask(world)
    leave_request = LeaveRequest.objects.get(pk=world["request"].pk)
    assert leave_request.status == Status.INFORMATION_REQUESTED
    assert asked.deadline == DAY + datetime.timedelta(days=15)
    assert asked.asked_by == world["agent"]
    assert StatusTransition.objects.filter(
        request=leave_request, to_status=Status.INFORMATION_REQUESTED
    ).exists()
    assert AuditEvent.objects.filter(action=AuditAction.INFORMATION_ASKED, object_id=str(asked.pk)).exists()


def test_the_worker_is_told_in_the_ebox_in_their_language_without_the_question_itself(
    world: dict[str, Any],
) -> None:
    asked = ask(world, question="Quel est le nom de l'école ?")
    message = OutboxMessage.objects.get(kind=information.MESSAGE_KIND, channel="ebox")
    assert message.recipient_niss == demo_data.SOPHIE_LAMBERT_NISS
    assert message.version == asked.pk
    assert set(message.subjects) == {"fr", "nl", "de", "en"}
    assert "question" in message.subjects["fr"].lower()
    assert "l'école" not in message.bodies["fr"]
    assert message.language == "fr"


@pytest.mark.parametrize("days", [7, 61, -1, 0])
def test_a_deadline_outside_8_to_60_days_is_refused_and_nothing_is_written(
    world: dict[str, Any], days: int
) -> None:
    with pytest.raises(DomainError) as refused:
        ask(world, days=days)
    assert refused.value.field == "deadline"
    assert not InformationRequest.objects.exists()
    assert not OutboxMessage.objects.filter(kind=information.MESSAGE_KIND).exists()
    assert LeaveRequest.objects.get(pk=world["request"].pk).status == Status.UNDER_REVIEW


@pytest.mark.parametrize("days", [8, 60])
def test_the_bounds_themselves_are_accepted(world: dict[str, Any], days: int) -> None:
    assert ask(world, days=days).deadline == DAY + datetime.timedelta(days=days)


def test_an_empty_question_is_refused_naming_the_field(world: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        ask(world, question="   ")
    assert refused.value.field == "question"
    assert not InformationRequest.objects.exists()


def test_another_agent_of_the_office_who_does_not_hold_the_file_cannot_ask(world: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        ask(world, who="colleague")
    assert refused.value.code == "not_holder"
    assert not InformationRequest.objects.exists()


def test_an_agent_of_another_office_does_not_find_the_request(world: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        ask(world, who="foreign")


def test_an_employer_or_the_worker_cannot_ask(world: dict[str, Any]) -> None:
    leave_request = world["request"]
    employer = acting_for(user_for(demo_data.JEAN_DUBOIS_NISS), leave_request.enterprise)
    for acting in (employer, sophie()):
        with pytest.raises(PermissionDenied):
            information.information_ask(
                acting=acting,
                ticket=leave_request.ticket,
                question="?",
                deadline=DAY + datetime.timedelta(days=15),
            )


def test_a_second_question_waits_for_the_first_answer(world: dict[str, Any]) -> None:
    ask(world)
    with pytest.raises(DomainError) as refused:
        ask(world)
    assert refused.value.code == "not_under_review"
    assert InformationRequest.objects.count() == 1


def test_the_worker_answers_with_a_document_and_the_file_returns_to_review(world: dict[str, Any]) -> None:
    asked = ask(world)
    ticket = world["request"].ticket
    attachment = information.information_attachment_add(
        acting=sophie(), ticket=ticket, name="acte.pdf", content=pdf_bytes()
    )
    assert attachment.information_request == asked
    answered = information.information_answer(acting=sophie(), ticket=ticket, answer="Voici l'acte.")
    assert answered.answer == "Voici l'acte."
    assert answered.answered_at is not None
    leave_request = LeaveRequest.objects.get(pk=world["request"].pk)
    assert leave_request.status == Status.UNDER_REVIEW
    last = StatusTransition.objects.filter(request=leave_request).last()
    assert last is not None and last.actor == "worker"
    assert AuditEvent.objects.filter(action=AuditAction.INFORMATION_ANSWERED).exists()
    with pytest.raises(DomainError):
        information.information_answer(acting=sophie(), ticket=ticket, answer="Encore")


def test_another_worker_or_the_employer_cannot_answer(world: dict[str, Any]) -> None:
    ask(world)
    ticket = world["request"].ticket
    stranger = acting_self(user_for(demo_data.JEAN_DUBOIS_NISS))
    employer = acting_for(user_for(demo_data.JEAN_DUBOIS_NISS), world["request"].enterprise)
    for acting in (stranger, employer):
        with pytest.raises(NotFound):
            information.information_answer(acting=acting, ticket=ticket, answer="x")
        with pytest.raises(NotFound):
            information.information_attachment_add(
                acting=acting, ticket=ticket, name="a.pdf", content=pdf_bytes()
            )
    assert LeaveRequest.objects.get(pk=world["request"].pk).status == Status.INFORMATION_REQUESTED


def test_an_empty_answer_is_refused_and_the_question_stays_open(world: dict[str, Any]) -> None:
    ask(world)
    with pytest.raises(DomainError) as refused:
        information.information_answer(acting=sophie(), ticket=world["request"].ticket, answer="  ")
    assert refused.value.field == "answer"
    assert InformationRequest.objects.get().answered_at is None


def test_a_file_that_is_not_a_pdf_is_refused_and_leaves_nothing(world: dict[str, Any], media: Path) -> None:
    ask(world)
    with pytest.raises(DomainError) as refused:
        information.information_attachment_add(
            acting=sophie(), ticket=world["request"].ticket, name="faux.pdf", content=TEXT_AS_PDF
        )
    assert "faux.pdf" in str(refused.value.message)
    assert not Attachment.objects.exists()
    assert not (media / "attachments").exists() or not any((media / "attachments").rglob("*.*"))


def test_no_attachment_is_taken_without_an_open_question(world: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as refused:
        information.information_attachment_add(
            acting=sophie(), ticket=world["request"].ticket, name="a.pdf", content=pdf_bytes()
        )
    assert refused.value.code == "no_question"


def test_an_answer_takes_at_most_the_attachment_limit(world: dict[str, Any], settings: Any) -> None:
    settings.ATTACHMENTS_MAX = 1
    ask(world)
    ticket = world["request"].ticket
    information.information_attachment_add(acting=sophie(), ticket=ticket, name="a.pdf", content=pdf_bytes(1))
    with pytest.raises(DomainError) as refused:
        information.information_attachment_add(
            acting=sophie(), ticket=ticket, name="b.pdf", content=pdf_bytes(2)
        )
    assert refused.value.code == "too_many"


def test_the_worker_removes_a_document_before_answering(world: dict[str, Any]) -> None:
    ask(world)
    ticket = world["request"].ticket
    attachment = information.information_attachment_add(
        acting=sophie(), ticket=ticket, name="a.pdf", content=pdf_bytes()
    )
    assert (
        information.information_attachment_remove(acting=sophie(), ticket=ticket, attachment_id=attachment.pk)
        == "a.pdf"
    )
    assert not Attachment.objects.exists()


def test_a_question_is_overdue_the_day_after_its_deadline_only_while_unanswered(
    world: dict[str, Any],
) -> None:
    asked = ask(world, days=8)
    acting = acting_office(world["agent"])
    with time_machine.travel(TODAY + datetime.timedelta(days=8), tick=False):
        assert not information.is_overdue(asked)
        assert list(information.overdue_information_requests(acting=acting)) == []
    with time_machine.travel(TODAY + datetime.timedelta(days=9), tick=False):
        assert information.is_overdue(asked)
        assert list(information.overdue_information_requests(acting=acting)) == [asked]
        assert list(information.overdue_information_requests(acting=acting_office(world["supervisor"]))) == [
            asked
        ]
        assert list(information.overdue_information_requests(acting=acting_office(world["foreign"]))) == []
        answered = information.information_answer(
            acting=sophie(), ticket=world["request"].ticket, answer="Late"
        )
        assert not information.is_overdue(answered)
        assert list(information.overdue_information_requests(acting=acting)) == []


def test_only_the_office_reads_the_overdue_questions(world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        information.overdue_information_requests(acting=sophie())
