"""The same employer part filed through the web form (steps 4 to 7) and through the API gives the same
stored request, versions, documents and messages, except for the ticket and the moments."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.interruptions.documents import employer_part_context
from careerbreak.interruptions.models import LeaveRequest
from careerbreak.mailbox.models import OutboxMessage
from careerbreak.registries.models import Enterprise
from tests.api.conftest import ApiCaller, body
from tests.factories import ApiClientFactory, api_token, user_for
from tests.request_fixtures import choose_type, choose_worker, parental_fifth, start_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

REQUEST_FIELDS = [
    "enterprise_id", "worker_id", "worker_status", "joint_committee", "kind", "extends_id", "leave_type",
    "form", "notice_date", "start_date", "end_date", "details", "findings", "status", "version",
    "created_by_id", "certification_text", "certification_version", "office_id",
]  # fmt: skip
VERSION_FIELDS = ["number", "kind", "snapshot", "findings", "reason", "created_by_id", "certification_text"]
# The moment of certification, and how it was filed: the web's document shows the login's assurance;
# the API's client authenticates as an organisation (client credentials), not as a person with eID or
# itsme, so its document names the client and its enterprise instead.
NOT_COMPARED_ROWS = {
    "Certifié le",
    "Connexion avec",  # the web login's means; an API filing names its client instead
    "Introduit via l'API par",
    "Entreprise du client API",
}


class _RolledBack(Exception):
    pass


def stored(leave_request: LeaveRequest) -> dict[str, Any]:
    versions = list(leave_request.versions.order_by("number"))
    documents = []
    for version in versions:
        context = employer_part_context(version)
        for name in ("ticket", "created"):
            context.pop(name)
        context["certification_rows"] = [
            row for row in context["certification_rows"] if row[0] not in NOT_COMPARED_ROWS
        ]
        documents.append(context)
    messages = list(
        OutboxMessage.objects.filter(reference=leave_request.ticket)
        .order_by("channel", "version")
        .values("channel", "recipient_niss", "recipient_email", "kind", "version", "language")
    )
    return {
        "request": {name: getattr(leave_request, name) for name in REQUEST_FIELDS},
        "versions": [{name: getattr(v, name) for name in VERSION_FIELDS} for v in versions],
        "documents": documents,
        "messages": messages,
    }


def test_a_request_filed_through_the_web_and_through_the_api_is_stored_the_same(
    demo: None, login_as: Any
) -> None:
    jean: Client = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    # Through the web, then rolled back so that the API can file the same leave (no overlap).
    try:
        with transaction.atomic():
            draft = start_draft(jean)
            choose_worker(jean, draft)
            choose_type(jean, draft, "PARENTAL")
            assert (
                jean.post(reverse("employer:step_leave", args=[draft.pk]), parental_fifth()).status_code
                == 302
            )
            jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
            web = stored(LeaveRequest.objects.get())
            raise _RolledBack
    except _RolledBack:
        pass
    assert not LeaveRequest.objects.exists()
    # The bakery's program, registered by Jean Dubois: it files under his name.
    program = ApiClientFactory(
        enterprise=Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER),
        registered_by=user_for(demo_data.JEAN_DUBOIS_NISS),
    )
    response = ApiCaller(api_token(program)).post("/api/v1/requests", body())
    assert response.status_code == 201
    api = stored(LeaveRequest.objects.get())
    assert api["messages"], "the worker is told through the outbox"
    assert api["request"] == web["request"]
    assert api["versions"] == web["versions"]
    for key in web["documents"][0]:
        assert api["documents"][0][key] == web["documents"][0][key], key
    assert api["documents"] == web["documents"]
    assert api["messages"] == web["messages"]
