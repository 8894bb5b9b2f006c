"""Fixtures of the mailbox tests: a message factory and the fake eBox server wired into the settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

from careerbreak.mailbox.models import OutboxMessage
from careerbreak.mailbox.services import message_enqueue
from tools.fake_ebox import FakeEbox

SOPHIE_NISS = "90061512202"
MARC_NISS = "64090103383"
PROVIDER = "tests.mailbox.attachments.dummy_pdf"

SUBJECTS = {
    "fr": "Partie employeur de votre demande 2026/00000001/51",
    "nl": "Werkgeversgedeelte van uw aanvraag 2026/00000001/51",
    "de": "Arbeitgeberteil Ihres Antrags 2026/00000001/51",
    "en": "Employer part of your request 2026/00000001/51",
}
BODIES = {
    "fr": "Votre employeur a introduit sa partie. Complétez la vôtre.",
    "nl": "Uw werkgever heeft zijn gedeelte ingediend. Vul het uwe aan.",
    "de": "Ihr Arbeitgeber hat seinen Teil eingereicht. Ergänzen Sie Ihren.",
    "en": "Your employer filed their part. Complete yours.",
}


def message_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "channel": "ebox",
        "recipient_niss": SOPHIE_NISS,
        "kind": "employer_part",
        "reference": "2026/00000001/51",
        "version": 1,
        "subjects": SUBJECTS,
        "bodies": BODIES,
        "language": "fr",
        "attachment_provider": PROVIDER,
        "attachment_key": "2026/00000001/51",
    }
    fields.update(overrides)
    return fields


Enqueue = Callable[..., OutboxMessage]


@pytest.fixture
def enqueue(db: None, django_capture_on_commit_callbacks: Any) -> Enqueue:
    """message_enqueue as a service calls it (in a transaction), delivering on commit as in production."""

    def run(*, deliver: bool = True, **overrides: Any) -> OutboxMessage:
        with django_capture_on_commit_callbacks(execute=deliver), transaction.atomic():
            message = message_enqueue(**message_fields(**overrides))
        message.refresh_from_db()
        return message

    return run


@pytest.fixture
def fake_ebox(settings: Any) -> Iterator[FakeEbox]:
    """The fake eBox REST API in a thread, and the settings that make the outbox publish to it."""
    with FakeEbox() as ebox:
        settings.MAILBOX_TRANSPORT = "rest"
        settings.EBOX_API_URL = ebox.api_url
        settings.EBOX_TOKEN_URL = ebox.token_url
        settings.EBOX_CLIENT_ID = ebox.client_id
        settings.EBOX_CLIENT_SECRET = ebox.client_secret
        settings.EBOX_TIMEOUT = 5
        yield ebox
