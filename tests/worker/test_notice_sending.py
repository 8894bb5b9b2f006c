"""The worker's written notice (issue 15.10): checked before it is sent, no type chosen for them, errors
on their field, a receipt in their eBox, their own words in their list, the request it produced; and the
employer is offered only the answers the law allows for the type, on the web and through the API."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.core.errors import DomainError
from careerbreak.demo import data as demo_data
from careerbreak.identity.models import User
from careerbreak.interruptions import notices
from careerbreak.interruptions.models import Draft, LeaveRequest, WorkerNotice
from careerbreak.mailbox.models import EboxMessage
from careerbreak.registries.models import Enterprise
from tests.factories import acting_for
from tests.request_fixtures import NOTICE_FORM, parental_fifth, send_notice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def jean(demo: None, login_as: Any) -> Client:
    jean = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    assert jean.post(reverse("employer:notice_settings"), {"accepts": "yes"}).status_code == 302
    return jean


@pytest.fixture
def sophie(jean: Client, login_as: Any) -> Client:
    return login_as(demo_data.SOPHIE_LAMBERT_NISS)


def test_the_form_chooses_no_type_for_the_worker(sophie: Client) -> None:
    body = sophie.get(reverse("worker:notice_new")).content.decode()
    radios = re.findall(r'<input[^>]*name="leave_type"[^>]*>', body)
    assert len(radios) > 1
    assert not [radio for radio in radios if "checked" in radio]


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("leave_type", {"leave_type": ""}, "Choisissez le type d&#x27;interruption."),
        ("form", {"form": ""}, "Choisissez la forme de l&#x27;interruption."),
        ("months", {"months": ""}, "Indiquez la durée en mois."),
        ("months", {"months": "quatre"}, "Indiquez la durée en mois entiers, par exemple 4."),
        ("months", {"months": "61"}, "Introduisez une durée comprise entre 1 et 60 mois."),
        ("form", {"leave_type": "CAREGIVER", "form": "1/10"}, "Cette forme n&#x27;est pas possible"),
    ],
)
def test_each_error_is_said_on_its_field(
    sophie: Client, field: str, overrides: dict[str, str], message: str
) -> None:
    response = sophie.post(reverse("worker:notice_new"), {**NOTICE_FORM, **overrides}, follow=True)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in response.content.decode()
    assert not WorkerNotice.objects.exists()


def test_the_notice_is_checked_before_it_is_sent_and_its_receipt_reaches_the_ebox(
    sophie: Client, django_capture_on_commit_callbacks: Any
) -> None:
    posted = sophie.post(reverse("worker:notice_new"), {**NOTICE_FORM, "message": "Pour Louise."})
    assert posted["Location"] == reverse("worker:notice_check")
    assert not WorkerNotice.objects.exists()  # nothing sent before the check page's *Send*
    check = sophie.get(reverse("worker:notice_check")).content.decode()
    for shown in ["Boulangerie Dubois", "Congé parental", "1 février 2027", "30 juin 2027", "Pour Louise."]:
        assert shown in check, shown
    # *Change* shows the form with what was entered.
    again = sophie.get(reverse("worker:notice_new")).content.decode()
    assert 'value="Pour Louise."' in again or "Pour Louise." in again
    with django_capture_on_commit_callbacks(execute=True):
        sent = sophie.post(reverse("worker:notice_check"))
    assert sent["Location"] == reverse("worker:home")
    notice = WorkerNotice.objects.get()
    assert (notice.leave_type, notice.form, notice.months) == ("PARENTAL", "1/5", 5)
    receipt = EboxMessage.objects.get(recipient_niss=demo_data.SOPHIE_LAMBERT_NISS, kind="notice_sent")
    assert receipt.language == "fr"
    assert "Boulangerie Dubois" in receipt.subject
    assert "27 novembre 2026" in receipt.body and "délai d'avertissement" in receipt.body
    # Sent once: the check page has nothing left to send, a second *Send* sends nothing.
    assert sophie.post(reverse("worker:notice_check"))["Location"] == reverse("worker:notice_new")
    assert WorkerNotice.objects.count() == 1


def test_the_worker_s_list_uses_their_words_and_links_the_request_the_notice_produced(
    jean: Client, sophie: Client
) -> None:
    send_notice(sophie)
    home = sophie.get(reverse("worker:home")).content.decode()
    assert "Envoyé" in home and "À traiter" not in home
    notice = WorkerNotice.objects.get()
    jean.post(reverse("employer:notice_answer", args=[notice.pk]), {"decision": "accepted"})
    notice.refresh_from_db()
    draft = Draft.objects.get(pk=notice.draft_id)
    # The employer completes the prefilled draft and confirms it.
    assert jean.post(reverse("employer:step_leave", args=[draft.pk]), parental_fifth()).status_code == 302
    jean.post(reverse("employer:step_confirm", args=[draft.pk]), {"certified": "on"})
    produced = LeaveRequest.objects.get(draft=draft)
    home = sophie.get(reverse("worker:home")).content.decode()
    assert "Accepté par votre employeur" in home
    assert reverse("worker:part_request", args=[produced.slug]) in home
    listed = jean.get(reverse("employer:notices")).content.decode()
    assert reverse("employer:request_detail", args=[produced.slug]) in listed


def notice_of(leave_type: str, form: str, headcount: int | None) -> WorkerNotice:
    enterprise = Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    enterprise.reference_headcount = headcount
    enterprise.save(update_fields=["reference_headcount"])
    return WorkerNotice(
        worker_id=None,
        enterprise=enterprise,
        leave_type=leave_type,
        form=form,
        start_date=datetime.date(2027, 3, 1),
        months=3,
    )


ACCEPT, REFUSE, POSTPONE = "accepted", "refused", "postponement_proposed"


@pytest.mark.parametrize(
    ("leave_type", "form", "headcount", "allowed"),
    [
        ("TC_CHILD_CARE", "1/5", 8, {ACCEPT, REFUSE, POSTPONE}),  # 10 or fewer: needs the agreement
        ("TC_CHILD_CARE", "1/5", 60, {ACCEPT, POSTPONE}),
        ("TC_CHILD_CARE", "1/5", None, {ACCEPT, POSTPONE}),  # unknown is not small
        ("PARENTAL", "1/5", 8, {ACCEPT, POSTPONE}),
        ("PARENTAL", "1/10", 60, {ACCEPT, REFUSE, POSTPONE}),  # 1/10 needs the agreement
        ("MEDICAL_ASSISTANCE", "full", 30, {ACCEPT, REFUSE}),
        ("MEDICAL_ASSISTANCE", "full", 60, {ACCEPT}),
        ("PALLIATIVE", "full", 8, {ACCEPT}),
        ("CAREGIVER", "half", 8, {ACCEPT}),
    ],
)
def test_the_answers_the_law_allows_depend_on_the_type(
    demo: None, leave_type: str, form: str, headcount: int | None, allowed: set[str]
) -> None:
    assert set(notices.answers_allowed(notice_of(leave_type, form, headcount))) == allowed


def test_a_palliative_notice_can_only_be_accepted_on_the_web_and_the_service_refuses_the_rest(
    jean: Client, sophie: Client
) -> None:
    send_notice(sophie, {**NOTICE_FORM, "leave_type": "PALLIATIVE", "form": "full", "months": "1"})
    notice = WorkerNotice.objects.get()
    url = reverse("employer:notice_answer", args=[notice.pk])
    page = jean.get(url).content.decode()
    assert 'value="accepted"' in page
    assert 'value="refused"' not in page and 'value="postponement_proposed"' not in page
    assert jean.post(url, {"decision": "refused", "reason": "Non."}, follow=True).status_code == 400
    with pytest.raises(DomainError) as refused:
        notices.notice_answer(
            acting=acting_for(
                User.objects.get(niss=demo_data.JEAN_DUBOIS_NISS),
                Enterprise.objects.get(number=demo_data.BOULANGERIE_DUBOIS_NUMBER),
            ),
            notice_id=notice.pk,
            decision=REFUSE,
            reason="Non.",
        )
    assert refused.value.field == "decision"
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.transitions.count() == 1


def test_a_postponement_moves_the_start_by_six_months_at_most(jean: Client, sophie: Client) -> None:
    send_notice(sophie)  # parental leave from 1 February 2027
    url = reverse("employer:notice_answer", args=[WorkerNotice.objects.get().pk])
    answer = {"decision": POSTPONE, "reason": "Inventaire.", "proposed_start_date_2": "2027"}
    too_late = jean.post(
        url, {**answer, "proposed_start_date_0": "2", "proposed_start_date_1": "8"}, follow=True
    )
    assert too_late.status_code == 400
    assert "6 mois au plus" in too_late.content.decode()
    assert (
        jean.post(url, {**answer, "proposed_start_date_0": "1", "proposed_start_date_1": "8"}).status_code
        == 302
    )
