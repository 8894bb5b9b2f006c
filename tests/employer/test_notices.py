"""Written notices sent online by workers, and the employer's answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.core.models import AuditEvent
from careerbreak.demo import data as demo_data
from careerbreak.interruptions.models import Draft, NoticeSettings, WorkerNotice
from careerbreak.mailbox.models import EboxMessage
from tests.request_fixtures import NOTICE_FORM, send_notice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

NOTICE = {**NOTICE_FORM, "message": "Pour ma fille Louise."}


@pytest.fixture
def opted_in(jean: Client) -> Client:
    assert jean.post(reverse("employer:notice_settings"), {"accepts": "yes"}).status_code == 302
    return jean


@pytest.fixture
def sent(opted_in: Client, login_as: Any) -> WorkerNotice:
    sophie = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    assert send_notice(sophie, NOTICE).status_code == 302
    return WorkerNotice.objects.get()


def test_a_worker_cannot_send_a_notice_to_an_employer_that_did_not_opt_in(
    jean: Client, login_as: Any
) -> None:
    sophie = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    page = sophie.get(reverse("worker:notice_new")).content.decode()
    assert "par écrit" in page
    sophie.post(reverse("worker:notice_new"), NOTICE)
    assert not WorkerNotice.objects.exists()


def test_only_an_access_manager_opts_in(jean: Client, login_as: Any) -> None:
    luc = login_as(demo_data.LUC_JANSSENS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    assert luc.post(reverse("employer:notice_settings"), {"accepts": "yes"}).status_code == 403
    assert not NoticeSettings.objects.exists()
    jean.post(reverse("employer:notice_settings"), {"accepts": "yes"})
    assert NoticeSettings.objects.get().accepts_electronic_notices is True
    assert AuditEvent.objects.filter(
        action="careerbreak.notice_settings.opted_in", actor_niss=demo_data.JEAN_DUBOIS_NISS
    ).exists()


def test_the_employer_sees_the_notice_under_notices_to_handle(sent: WorkerNotice, opted_in: Client) -> None:
    page = opted_in.get(reverse("employer:notices")).content.decode()
    assert "Sophie Lambert" in page
    assert reverse("employer:notice_answer", args=[sent.pk]) in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_date_0": "1", "start_date_1": "11", "start_date_2": "2026"}, "après aujourd"),
        ({"start_date_2": "2099"}, "deux ans"),
        ({"months": "0"}, "1"),
        ({"leave_type": "PUBLIC_CAREER_BREAK"}, "pas ouvert dans le secteur de votre employeur"),
        ({"enterprise": demo_data.ZORGGROEP_NUMBER}, "ne reçoit pas les avertissements en ligne"),
    ],
)
def test_a_bad_notice_is_refused_with_a_message(
    opted_in: Client, login_as: Any, overrides: dict[str, str], message: str
) -> None:
    sophie = login_as(demo_data.SOPHIE_LAMBERT_NISS)
    response = sophie.post(reverse("worker:notice_new"), {**NOTICE, **overrides}, follow=True)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WorkerNotice.objects.exists()


def test_accepting_starts_a_prefilled_draft_and_tells_the_worker(
    sent: WorkerNotice, opted_in: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = opted_in.post(reverse("employer:notice_answer", args=[sent.pk]), {"decision": "accepted"})
    sent.refresh_from_db()
    assert sent.status == "accepted" and sent.answered_by_niss == demo_data.JEAN_DUBOIS_NISS
    draft = Draft.objects.get(pk=sent.draft_id)
    assert draft.data["leave"]["start"] == "2027-02-01" and draft.data["leave"]["end"] == "2027-06-30"
    assert draft.data["type"]["leave_type"] == "PARENTAL"
    assert response["Location"] in {
        reverse("employer:step_leave", args=[draft.pk]),
        reverse("employer:step_worker", args=[draft.pk]),
    }
    message = EboxMessage.objects.get(recipient_niss=demo_data.SOPHIE_LAMBERT_NISS, kind="notice_answer")
    assert "Boulangerie Dubois" in message.body
    # The Dimona employment behind the prefilled draft was looked up for Jean, on the record.
    lookup = AuditEvent.objects.get(action="careerbreak.person.looked_up")
    assert (lookup.actor_niss, lookup.subject_niss) == (
        demo_data.JEAN_DUBOIS_NISS,
        demo_data.SOPHIE_LAMBERT_NISS,
    )
    assert lookup.data["purpose"] == "notice_accepted" and lookup.data["found"] is True
    answered = AuditEvent.objects.get(action="careerbreak.notice.accepted")
    assert answered.subject_niss == demo_data.SOPHIE_LAMBERT_NISS


def test_reading_a_notice_is_on_the_worker_s_record(sent: WorkerNotice, opted_in: Client) -> None:
    assert opted_in.get(reverse("employer:notice_answer", args=[sent.pk])).status_code == 200
    event = AuditEvent.objects.get(action="careerbreak.notice.viewed")
    assert (event.actor_niss, event.subject_niss, event.object_id) == (
        demo_data.JEAN_DUBOIS_NISS,
        demo_data.SOPHIE_LAMBERT_NISS,
        str(sent.pk),
    )


@pytest.fixture
def tenth(opted_in: Client, login_as: Any) -> WorkerNotice:
    """A parental leave 1/10: it needs the employer's agreement, so the employer may refuse it."""
    assert send_notice(login_as(demo_data.SOPHIE_LAMBERT_NISS), {**NOTICE, "form": "1/10"}).status_code == 302
    return WorkerNotice.objects.get()


def test_refusing_needs_a_reason_and_the_worker_reads_it(
    tenth: WorkerNotice, opted_in: Client, django_capture_on_commit_callbacks: Any
) -> None:
    sent = tenth
    url = reverse("employer:notice_answer", args=[sent.pk])
    assert opted_in.post(url, {"decision": "refused"}, follow=True).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        opted_in.post(url, {"decision": "refused", "reason": "Période de fin d'année trop chargée."})
    sent.refresh_from_db()
    assert sent.status == "refused"
    assert "trop chargée" in EboxMessage.objects.get(kind="notice_answer").body
    # The notice's history, as a request's: sent by the worker, refused by the employer with the reason.
    assert list(
        sent.transitions.values_list("from_status", "to_status", "actor", "actor_niss", "reason")
    ) == [
        ("", "sent", "worker", demo_data.SOPHIE_LAMBERT_NISS, ""),
        ("sent", "refused", "employer", demo_data.JEAN_DUBOIS_NISS, "Période de fin d'année trop chargée."),
    ]
    assert AuditEvent.objects.filter(action="careerbreak.notice.refused", object_id=str(sent.pk)).exists()


def test_a_postponement_needs_a_later_start_date(sent: WorkerNotice, opted_in: Client) -> None:
    url = reverse("employer:notice_answer", args=[sent.pk])
    earlier = {
        "decision": "postponement_proposed",
        "reason": "Inventaire.",
        "proposed_start_date_0": "1",
        "proposed_start_date_1": "1",
        "proposed_start_date_2": "2027",
    }
    assert opted_in.post(url, earlier, follow=True).status_code == 400
    later = {**earlier, "proposed_start_date_1": "4"}
    assert opted_in.post(url, later).status_code == 302
    sent.refresh_from_db()
    assert sent.status == "postponement_proposed" and str(sent.proposed_start_date) == "2027-04-01"


def test_a_notice_is_answered_once(tenth: WorkerNotice, opted_in: Client) -> None:
    sent = tenth
    url = reverse("employer:notice_answer", args=[sent.pk])
    opted_in.post(url, {"decision": "refused", "reason": "Non."})
    response = opted_in.post(url, {"decision": "accepted"}, follow=True)
    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == "refused" and sent.draft_id is None
    assert sent.transitions.count() == 2  # sent, refused: the second answer wrote nothing


def test_another_enterprise_cannot_see_or_answer_the_notice(sent: WorkerNotice, login_as: Any) -> None:
    an = login_as(demo_data.AN_VERHOEVEN_NISS, enterprise=demo_data.ZORGGROEP_NUMBER)
    assert "Sophie Lambert" not in an.get(reverse("employer:notices")).content.decode()
    assert an.get(reverse("employer:notice_answer", args=[sent.pk])).status_code == 404
    assert (
        an.post(reverse("employer:notice_answer", args=[sent.pk]), {"decision": "accepted"}).status_code
        == 404
    )
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_a_worker_of_another_employer_cannot_send_to_this_one(opted_in: Client, login_as: Any) -> None:
    marc = login_as(demo_data.MARC_PEETERS_NISS)
    marc.post(reverse("worker:notice_new"), NOTICE)
    assert not WorkerNotice.objects.exists()
