"""The audit answers "who saw or changed this person's data, and when" (``manage.py audit_person``)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from careerbreak.core.audit import audit_log
from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.models import AuditEvent
from tests.conftest import ACME_NUMBER, ALICE_NISS, BOB_NISS, NINA_NISS

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("audit_person", *args, stdout=out)
    return out.getvalue()


def test_a_look_up_and_a_grant_made_through_the_pages_are_listed_for_the_person_concerned(
    world: Any, login_as: Any
) -> None:
    alice = login_as(ALICE_NISS, enterprise=ACME_NUMBER)
    alice.post(reverse("employer:access"), {"niss": NINA_NISS, "last_name": "Smith", "role": "user"})
    alice.post(reverse("employer:access"), {"niss": NINA_NISS, "last_name": "Nobody", "role": "user"})
    lines = [json.loads(line) for line in run("81.11.03-244.86", "--json").splitlines()]
    assert [(e["action"], e["actor_niss"], e["enterprise_number"]) for e in lines] == [
        ("careerbreak.person.looked_up", ALICE_NISS, ACME_NUMBER),
        ("careerbreak.person.looked_up", ALICE_NISS, ACME_NUMBER),
        ("careerbreak.access.granted", ALICE_NISS, ACME_NUMBER),
    ]
    assert [e["data"].get("found") for e in lines[:2]] == [False, True]
    assert all(e["occurred_at"] for e in lines)


def test_the_listing_names_who_when_and_what_and_leaves_other_people_out(db: None) -> None:
    audit_log(
        action="careerbreak.request.viewed",
        actor_niss=ALICE_NISS,
        enterprise_number=ACME_NUMBER,
        subject_niss=BOB_NISS,
        object_type="leave_request",
        object_id="2026/00000001/51",
    )
    audit_log(action="careerbreak.request.viewed", actor_niss=ALICE_NISS, subject_niss=NINA_NISS)
    text = run(BOB_NISS)
    assert "careerbreak.request.viewed" in text and ALICE_NISS in text and "2026/00000001/51" in text
    assert "Demande consultée" in text  # the readable label (French, the default) next to the code
    assert "1 event(s)" in text
    assert NINA_NISS not in text


def test_listing_a_person_s_trail_is_itself_audited(db: None) -> None:
    run(BOB_NISS)
    assert AuditEvent.objects.get(action="careerbreak.person.audit_listed").subject_niss == BOB_NISS


def test_a_number_that_is_not_eleven_digits_is_refused(db: None) -> None:
    with pytest.raises(CommandError):
        run("1234")


@pytest.fixture
def admin(db: None) -> Client:
    from careerbreak.identity.models import User

    client = Client()
    client.force_login(User.objects.create_superuser("71070100118", is_staff=True))
    return client


def test_the_admin_finds_events_by_the_person_concerned(world: Any, admin: Client) -> None:
    audit_log(
        action="careerbreak.request.viewed",
        actor_niss=ALICE_NISS,
        subject_niss=BOB_NISS,
        object_id="seen-bob",
    )
    audit_log(
        action="careerbreak.request.viewed",
        actor_niss=ALICE_NISS,
        subject_niss=NINA_NISS,
        object_id="seen-nina",
    )
    body = admin.get(reverse("admin:core_auditevent_changelist"), {"q": BOB_NISS}).content.decode()
    assert "seen-bob" in body and "seen-nina" not in body


def test_the_admin_shows_each_code_by_its_label_and_filters_by_it(db: None, admin: Client) -> None:
    audit_log(action=AuditAction.REQUEST_VIEWED, actor_niss=ALICE_NISS, object_id="obj-viewed-7")
    audit_log(action=AuditAction.NOTICE_SENT, actor_niss=ALICE_NISS, object_id="obj-sent-7")
    audit_log(action="test.unknown", actor_niss=ALICE_NISS, object_id="unknown")
    url = reverse("admin:core_auditevent_changelist")
    body = admin.get(url).content.decode()
    assert "Demande consultée" in body and "Avertissement envoyé" in body  # labels in French, the default
    assert "test.unknown" in body  # a code this version does not know is shown as it is
    filtered = admin.get(url, {"action": AuditAction.NOTICE_SENT}).content.decode()
    assert "obj-sent-7" in filtered and "obj-viewed-7" not in filtered
