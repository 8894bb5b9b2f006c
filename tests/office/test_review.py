"""The review page: everything about one request (employer part and versions, worker part, attachments as
downloads, the rules today, rights, history, messages), each opening audited; refused to outsiders."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.interruptions import worker_part
from careerbreak.interruptions.attachments import attachment_add
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.interruptions.office_review import request_review
from careerbreak.interruptions.states import Status
from tests.attachment_files import pdf_bytes
from tests.interruptions.test_worker_part import answer_all, sophie
from tests.office.conftest import Office, client_of
from tests.request_fixtures import file_sophie_s_leave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "media")]

__all__ = ["sophie"]


@pytest.fixture
def complete(sophie: Any, django_capture_on_commit_callbacks: Any) -> LeaveRequest:
    """Sophie Lambert's parental leave, filed by the bakery, her part sent with one attachment."""
    with django_capture_on_commit_callbacks(execute=True):
        filed = file_sophie_s_leave()
        answer_all(sophie, filed.ticket)
        attachment_add(
            acting=sophie, ticket=filed.ticket, kind="other", name="attestation.pdf", content=pdf_bytes()
        )
        worker_part.worker_part_submit(acting=sophie, ticket=filed.ticket, certified=True)
    filed.refresh_from_db()
    return filed


def test_a_request_filed_for_a_worker_of_wavre_belongs_to_the_liege_office_and_enters_its_queue(
    complete: LeaveRequest, office: Office
) -> None:
    assert complete.office == office.agent.role.office
    assert complete.status == Status.COMPLETE and complete.queued_at is not None


def test_the_review_shows_every_part_of_the_file(complete: LeaveRequest, office: Office) -> None:
    response = client_of(office.agent).get(reverse("office:review", args=[complete.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert complete.ticket in text
    assert "Boulangerie Dubois" in text and "Sophie Lambert" in text
    assert "attestation.pdf" in text
    attachment = complete.worker_part.attachments.get()
    assert reverse("office:attachment", args=[complete.slug, attachment.pk]) in text
    assert "Complète" in text or "Complete" in text  # the history's translated status
    assert "complete" not in [t.strip() for t in text.split(">")]
    assert response.context["leave_request"] == complete
    assert response.context["holds"] is False
    assert response.context["office_role"] == office.agent.role
    assert response.context["review"].messages  # the employer part's and the acknowledgement's messages
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_every_opening_of_a_file_is_audited(complete: LeaveRequest, office: Office) -> None:
    client_of(office.agent).get(reverse("office:review", args=[complete.slug]))
    client_of(office.supervisor).get(reverse("office:review", args=[complete.slug]))
    events = AuditEvent.objects.filter(
        action="careerbreak.request.opened_by_office", object_id=complete.ticket
    )
    assert sorted(e.actor_niss for e in events) == sorted(
        [office.agent.user.niss, office.supervisor.user.niss]
    )
    assert {e.subject_niss for e in events} == {demo_data.SOPHIE_LAMBERT_NISS}


def test_the_rules_run_again_on_today_s_facts_without_counting_the_request_against_itself(
    complete: LeaveRequest, office: Office
) -> None:
    review = request_review(acting=office.agent.acting, ticket=complete.ticket)
    assert not [f for f in review.findings if f.is_error], [f.message for f in review.findings]
    assert review.rights.rights  # the parental leave's maximum, with this request counted


def test_the_holder_sees_that_they_hold_the_file(complete: LeaveRequest, office: Office) -> None:
    client = client_of(office.agent)
    client.post(reverse("office:take", args=[complete.slug]))
    response = client.get(reverse("office:review", args=[complete.slug]))
    assert response.context["holds"] is True


def test_an_attachment_is_always_a_download_and_audited(complete: LeaveRequest, office: Office) -> None:
    attachment = complete.worker_part.attachments.get()
    response = client_of(office.agent).get(reverse("office:attachment", args=[complete.slug, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="careerbreak.attachment.downloaded")
    assert event.actor_niss == office.agent.user.niss


def test_outsiders_can_neither_open_the_file_nor_its_attachments(
    complete: LeaveRequest, office: Office, login_as: Any
) -> None:
    attachment = complete.worker_part.attachments.get()
    review = reverse("office:review", args=[complete.slug])
    download = reverse("office:attachment", args=[complete.slug, attachment.pk])
    assert client_of(office.brussels).get(review).status_code == 404
    assert client_of(office.brussels).get(download).status_code == 404
    sophie_client = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    assert sophie_client.get(review).status_code == 403
    jean = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    assert jean.get(download).status_code == 403
    assert client_of(office.agent, level=400).get(review).status_code == 403
    assert not AuditEvent.objects.filter(action="careerbreak.request.opened_by_office").exists()


def test_a_document_of_an_answer_is_downloadable_from_its_question_once_the_answer_is_sent(
    complete: LeaveRequest, office: Office, sophie: Any
) -> None:
    import datetime

    from django.utils import timezone

    from careerbreak.interruptions import information, office_queue

    office_queue.request_take(acting=office.agent.acting, ticket=complete.ticket)
    information.information_ask(
        acting=office.agent.acting,
        ticket=complete.ticket,
        question="L'acte de naissance ?",
        deadline=timezone.localdate() + datetime.timedelta(days=15),
    )
    sent = information.information_attachment_add(
        acting=sophie, ticket=complete.ticket, name="acte.pdf", content=pdf_bytes(pages=2)
    )
    review = reverse("office:review", args=[complete.slug])
    download = reverse("office:attachment", args=[complete.slug, sent.pk])
    agent = client_of(office.agent)
    # Not yet sent: the worker may still remove it; the office neither lists nor reads it.
    assert download not in agent.get(review).content.decode()
    assert agent.get(download).status_code == 404
    information.information_answer(acting=sophie, ticket=complete.ticket, answer="Le voici.")
    page = agent.get(review).content.decode()
    panel, part = page.split("Questions au travailleur", 1)[1].split("Partie employeur", 1)
    assert download in panel and "Télécharger acte.pdf" in panel
    # Listed under its question, not among the worker part's own documents.
    assert download not in part.split("Annexes", 1)[1]
    response = agent.get(download)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert client_of(office.brussels).get(download).status_code == 404
