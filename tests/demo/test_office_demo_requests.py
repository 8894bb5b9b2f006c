"""The office's demo files (``make run``): requests of the demo agent's office in every status, made
through the services; and the office's pages on them, the review page's decision and questions panels
together for each status, the queue's flags, the dashboard; an outsider is refused."""

from __future__ import annotations

import datetime
import html
import io
import re
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.interruptions.models import AllowancePeriod, Decision, LeaveRequest
from careerbreak.interruptions.states import Status
from careerbreak.mailbox.models import OutboxMessage
from careerbreak.vocabularies import LeaveType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def loaded() -> str:
    """The demo data loaded (the command, as ``make run`` runs it); what it printed."""
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def _by_status() -> dict[str, LeaveRequest]:
    found: dict[str, LeaveRequest] = {}
    for item in LeaveRequest.objects.filter(office__code=demo_data.OFFICE_AGENT_OFFICE).order_by("id"):
        pending = Decision.objects.filter(request=item, state=Decision.State.AWAITING_CONFIRMATION).exists()
        found["refusal_awaiting" if pending else item.status] = item
    return found


def _client(niss: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(niss=niss))
    session = client.session
    session["assurance_level"] = 500
    session.save()
    return client


def _text(response: Any) -> str:
    # The page's text as read: entities decoded (a label in a variable is escaped, "d&#x27;un").
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_the_demo_has_a_request_of_the_agent_s_office_in_every_status(loaded: str) -> None:
    found = _by_status()
    assert set(found) >= {
        Status.AWAITING_WORKER,
        Status.COMPLETE,
        Status.UNDER_REVIEW,
        Status.INFORMATION_REQUESTED,
        Status.APPROVED,
        Status.REFUSED,
        "refusal_awaiting",
    }
    assert (
        found[Status.COMPLETE].assigned_to is None and found[Status.COMPLETE].leave_type == LeaveType.PARENTAL
    )
    approved = Decision.objects.get(request=found[Status.APPROVED], state=Decision.State.FINAL)
    assert approved.with_allowance and AllowancePeriod.objects.filter(decision=approved).exists()
    assert OutboxMessage.objects.filter(kind="decision_c62", reference=found[Status.APPROVED].ticket).exists()
    refused = Decision.objects.get(request=found[Status.REFUSED], state=Decision.State.FINAL)
    assert refused.confirmed_by.niss == demo_data.OFFICE_SUPERVISOR_NISS
    assert f"Office demo request {found[Status.COMPLETE].ticket}" in loaded
    # Idempotent: a second run files nothing more.
    count = LeaveRequest.objects.count()
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert LeaveRequest.objects.count() == count and "Office demo request" not in out.getvalue()


@pytest.mark.parametrize(
    ("status", "agent_sees", "supervisor_sees"),
    [
        (Status.COMPLETE, ["Prendre en charge", "ne peut pas être décidée"], ["Confier à un agent"]),
        (
            Status.UNDER_REVIEW,
            ["Vous traitez ce dossier", "Approuver", "Demander des informations au travailleur"],
            ["Seul l'agent qui a ce dossier en charge peut"],
        ),
        (Status.INFORMATION_REQUESTED, ["acte de naissance", "Pas encore de réponse"], ["acte de naissance"]),
        (Status.APPROVED, ["Approuvée", "Voir la décision"], ["Approuvée", "Voir la décision"]),
        (Status.REFUSED, ["Refusée", "Voir la décision"], ["Refusée"]),
        (
            "refusal_awaiting",
            ["en attente de la confirmation d'un second agent"],
            ["Confirmer ou renvoyer le refus"],
        ),
    ],
)
def test_the_review_page_shows_the_decision_and_the_questions_for_each_status(
    loaded: str, status: str, agent_sees: list[str], supervisor_sees: list[str]
) -> None:
    item = _by_status()[status]
    url = reverse("office:review", args=[item.slug])
    for niss, expected in (
        (demo_data.OFFICE_AGENT_NISS, agent_sees),
        (demo_data.OFFICE_SUPERVISOR_NISS, supervisor_sees),
    ):
        response = _client(niss).get(url)
        assert response.status_code == 200
        page = _text(response)
        assert "Questions au travailleur" in page and "Décision" in page
        for words in expected:
            assert words in page, (status, niss, words)
    if status == "refusal_awaiting":
        # The proposer never confirms their own refusal.
        agent_page = _text(_client(demo_data.OFFICE_AGENT_NISS).get(url))
        assert "Confirmer ou renvoyer le refus" not in agent_page


def test_the_queue_shows_the_refusal_to_confirm_and_later_the_overdue_question(loaded: str) -> None:
    found = _by_status()
    supervisor = _client(demo_data.OFFICE_SUPERVISOR_NISS)
    page = _text(supervisor.get(reverse("office:queue")))
    assert found["refusal_awaiting"].ticket in page and "Refus à confirmer" in page
    agent = _client(demo_data.OFFICE_AGENT_NISS)
    page = _text(agent.get(reverse("office:queue")))
    assert "Refus en attente d'un second agent" in page
    assert found[Status.COMPLETE].ticket in page and "Question sans réponse" not in page
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        agent = _client(demo_data.OFFICE_AGENT_NISS)
        page = _text(agent.get(reverse("office:queue")))
    assert (
        found[Status.INFORMATION_REQUESTED].ticket in page and "Question sans réponse après le délai" in page
    )


def test_the_dashboard_is_not_empty_and_an_outsider_is_refused(loaded: str) -> None:
    page = _text(_client(demo_data.OFFICE_SUPERVISOR_NISS).get(reverse("office:dashboard")))
    assert "<svg" in page and "Aucune" not in page.split("<h1", 1)[1][:200]
    User.objects.get_or_create(niss=demo_data.SOPHIE_LAMBERT_NISS)
    sophie = _client(demo_data.SOPHIE_LAMBERT_NISS)
    item = _by_status()[Status.UNDER_REVIEW]
    assert sophie.get(reverse("office:review", args=[item.slug])).status_code == 403
    assert sophie.get(reverse("office:queue")).status_code == 403
