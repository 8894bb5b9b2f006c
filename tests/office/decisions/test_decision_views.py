"""The office's decision pages: approve with a check page showing the periods and amounts, refuse with
legal reasons and a check page, the second agent's confirmation (four eyes) or sending back; outsiders
(anonymous, employer, worker, an agent of another office) refused; bad input answered on the page; the
employer then sees the outcome and its date, never the amount."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careerbreak.demo import data as demo_data
from careerbreak.interruptions.allowance import Category, NoAllowanceReason, Scheme
from careerbreak.interruptions.decision_letter import decision_attachment
from careerbreak.interruptions.models import Decision, LeaveRequest
from careerbreak.interruptions.refusals import CATALOGUE
from careerbreak.interruptions.states import Status
from careerbreak.mailbox.models import OutboxMessage
from tests.office.decisions.conftest import ANNE_NISS, BERT_NISS, OLGA_NISS, SAM_NISS, Office, status_of
from tests.test_no_raw_codes import codes_in, pdf_text, visible_text

NAMES = ("office:approve", "office:refuse", "office:refusal_confirm", "office:decision")


def _url(name: str, leave_request: LeaveRequest) -> str:
    return reverse(name, args=[leave_request.slug])


@pytest.fixture
def anne(login_as: Any, office: Office) -> Client:
    return login_as(ANNE_NISS)


@pytest.fixture
def bert(login_as: Any, office: Office) -> Client:
    return login_as(BERT_NISS)


@pytest.mark.parametrize("name", NAMES)
def test_outsiders_are_refused(name: str, office: Office, login_as: Any) -> None:
    url = _url(name, office.request)
    assert Client().get(url).status_code == 302  # anonymous: to the login
    employer = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    assert employer.get(url).status_code == 403
    assert login_as(demo_data.SOPHIE_LAMBERT_NISS).get(url).status_code == 403
    assert login_as(OLGA_NISS).get(url).status_code == 404  # another office's file: as if unknown
    if name != "office:decision":
        assert login_as(OLGA_NISS).post(url, {"with_allowance": "yes", "confirm": "1"}).status_code == 404
    assert login_as(ANNE_NISS, assurance_level=400).get(url).status_code == 403
    assert status_of(office.request) == Status.UNDER_REVIEW


def test_the_holder_approves_after_a_check_page_with_the_periods_and_amounts(
    anne: Client, office: Office
) -> None:
    url = _url("office:approve", office.request)
    actions = anne.get(_url("office:decision", office.request)).content.decode()
    assert url in actions and _url("office:refuse", office.request) in actions  # the holder's actions
    page = anne.get(url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert f'href="{_url("office:review", office.request)}" class="back-link"' in page.content.decode()
    check = anne.post(url, {"with_allowance": "yes", "note": ""})
    assert check.status_code == 200
    content = check.content.decode()
    assert "143,04" in content
    assert status_of(office.request) == Status.UNDER_REVIEW  # nothing decided before the confirmation
    done = anne.post(url, {"with_allowance": "yes", "note": "", "confirm": "1"})
    assert done.status_code == 302
    # Back on the review page, told that the decision is sent, with a link to the decision.
    assert done["Location"] == _url("office:review", office.request)
    assert status_of(office.request) == Status.APPROVED
    assert OutboxMessage.objects.filter(kind="decision_c62", channel="ebox").count() == 1
    review = anne.get(done["Location"]).content.decode()
    assert "La demande est approuvée" in review and _url("office:decision", office.request) in review
    decision_page = anne.get(_url("office:decision", office.request)).content.decode()
    assert "143,04" in decision_page
    # A second submit of the same form (the back button) decides nothing more.
    anne.post(url, {"with_allowance": "yes", "note": "", "confirm": "1"})
    assert Decision.objects.count() == 1


def test_approving_without_an_allowance_asks_the_reason_on_the_page(anne: Client, office: Office) -> None:
    url = _url("office:approve", office.request)
    response = anne.post(url, {"with_allowance": "no"})
    assert response.status_code == 400
    assert "Choisissez pourquoi aucune allocation n" in response.content.decode()
    check = anne.post(url, {"with_allowance": "no", "no_allowance_reason": "domicile_outside"})
    assert "Domicile hors de la Belgique" in check.content.decode()
    anne.post(url, {"with_allowance": "no", "no_allowance_reason": "domicile_outside", "confirm": "1"})
    assert Decision.objects.get().no_allowance_reason == "domicile_outside"


def test_nonsense_is_answered_on_the_page(anne: Client, office: Office) -> None:
    url = _url("office:approve", office.request)
    assert anne.post(url, {"with_allowance": "perhaps"}).status_code == 400
    assert anne.post(url, {"with_allowance": "no", "no_allowance_reason": "whim"}).status_code == 400
    assert anne.post(url, {"with_allowance": "yes", "note": "x" * 5000}).status_code == 400
    refuse = _url("office:refuse", office.request)
    response = anne.post(refuse, {"reasons": ["made_up"], "confirm": "1"})
    assert response.status_code == 400
    assert "Choisissez des motifs dans la liste" in response.content.decode()
    assert anne.post(refuse, {"confirm": "1"}).status_code == 400
    assert not Decision.objects.exists()


def test_an_agent_who_does_not_hold_the_file_is_told_so_on_the_page(bert: Client, office: Office) -> None:
    response = bert.post(_url("office:approve", office.request), {"with_allowance": "yes", "confirm": "1"})
    assert response.status_code == 400
    assert "Seul l'agent qui a pris le dossier en charge" in response.content.decode().replace("&#x27;", "'")
    decision_page = bert.get(_url("office:decision", office.request)).content.decode().replace("&#x27;", "'")
    assert "Seul l'agent qui a ce dossier en charge" in decision_page
    assert _url("office:approve", office.request) not in decision_page


def test_a_refusal_is_proposed_after_a_check_page_then_confirmed_by_a_second_agent(
    anne: Client, bert: Client, office: Office
) -> None:
    url = _url("office:refuse", office.request)
    form = anne.get(url).content.decode()
    assert "CCT n° 103" in form  # each reason with its legal reference
    check = anne.post(url, {"reasons": ["child_age"], "note": "Enfant de 13 ans."})
    assert check.status_code == 200
    assert "Enfant de 13 ans." in check.content.decode()
    assert not Decision.objects.exists()
    done = anne.post(url, {"reasons": ["child_age"], "note": "Enfant de 13 ans.", "confirm": "1"})
    assert done.status_code == 302
    assert Decision.objects.get().state == Decision.State.AWAITING_CONFIRMATION
    confirm_url = _url("office:refusal_confirm", office.request)
    own = anne.get(confirm_url).content.decode()
    assert "Vous avez proposé ce refus" in own
    assert 'value="confirm"' not in own
    refused = anne.post(confirm_url, {"action": "confirm"})
    assert refused.status_code == 400  # four eyes
    assert status_of(office.request) == Status.UNDER_REVIEW
    page = bert.get(confirm_url).content.decode()
    assert "Enfant de 13 ans." in page and 'value="confirm"' in page
    assert bert.post(confirm_url, {"action": "confirm"}).status_code == 302
    assert status_of(office.request) == Status.REFUSED
    assert OutboxMessage.objects.filter(kind="decision_c62", channel="ebox").count() == 1


def test_a_supervisor_sends_a_refusal_back_with_a_reason_asked_on_the_page(
    anne: Client, office: Office, login_as: Any
) -> None:
    anne.post(_url("office:refuse", office.request), {"reasons": ["child_age"], "confirm": "1"})
    sam = login_as(SAM_NISS)
    url = _url("office:refusal_confirm", office.request)
    empty = sam.post(url, {"action": "send_back", "sent_back_reason": ""})
    assert empty.status_code == 400
    assert "Indiquez pourquoi le refus est renvoyé" in empty.content.decode()
    assert sam.post(url, {"action": "send_back", "sent_back_reason": "L'enfant a 7 ans."}).status_code == 302
    assert Decision.objects.get().state == Decision.State.SENT_BACK
    assert status_of(office.request) == Status.UNDER_REVIEW
    assert "L&#x27;enfant a 7 ans." in anne.get(_url("office:decision", office.request)).content.decode()
    assert sam.post(url, {"action": "confirm"}).status_code == 400  # nothing pending any more


def _employer_pages(login_as: Any, leave_request: LeaveRequest) -> list[str]:
    jean = login_as(demo_data.JEAN_DUBOIS_NISS, enterprise=demo_data.BOULANGERIE_DUBOIS_NUMBER)
    return [
        jean.get(reverse("employer:consultation")).content.decode(),
        jean.get(reverse("employer:request_detail", args=[leave_request.slug])).content.decode(),
    ]


def test_the_employer_sees_the_approval_and_its_date_never_the_amount(
    anne: Client, office: Office, login_as: Any
) -> None:
    anne.post(
        _url("office:approve", office.request),
        {"with_allowance": "yes", "note": "Note privée", "confirm": "1"},
    )
    for page in _employer_pages(login_as, office.request):
        assert "Approuvée" in page
        assert "décidée le" in page
        for secret in ("143,04", "143.04", "€", "Note privée", "Allocation"):
            assert secret not in page, secret


def test_the_employer_sees_the_refusal_but_not_its_reasons_or_note(
    anne: Client, bert: Client, office: Office, login_as: Any
) -> None:
    anne.post(
        _url("office:refuse", office.request),
        {"reasons": ["child_age"], "note": "Note privée", "confirm": "1"},
    )
    bert.post(_url("office:refusal_confirm", office.request), {"action": "confirm"})
    for page in _employer_pages(login_as, office.request):
        assert "Refusée" in page
        assert "décidée le" in page
        assert "Note privée" not in page
        assert "limite d&#x27;âge" not in page


def _my_codes(text: str) -> set[str]:
    words = {reason.code for reason in CATALOGUE}
    for vocabulary in (Scheme, Category, NoAllowanceReason, Decision.State, Decision.Outcome):
        words |= {member.value for member in vocabulary if member.value != str(member.label)}
    found = {word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)}
    return found | codes_in(text)


def test_no_decision_page_and_no_c62_shows_a_code(
    anne: Client, bert: Client, office: Office, media: object
) -> None:
    approve, refuse = _url("office:approve", office.request), _url("office:refuse", office.request)
    pages = {
        "approve": anne.get(approve),
        "approve check": anne.post(
            approve, {"with_allowance": "no", "no_allowance_reason": "domicile_outside"}
        ),
        "approve check, allowance": anne.post(approve, {"with_allowance": "yes"}),
        "refuse": anne.get(refuse),
        "refuse check": anne.post(refuse, {"reasons": ["child_age", "career_not_met"]}),
    }
    anne.post(refuse, {"reasons": ["child_age"], "confirm": "1"})
    pages["refusal to confirm"] = bert.get(_url("office:refusal_confirm", office.request))
    pages["decision, pending"] = anne.get(_url("office:decision", office.request))
    bert.post(_url("office:refusal_confirm", office.request), {"action": "confirm"})
    pages["decision, refused"] = anne.get(_url("office:decision", office.request))
    found = {name: _my_codes(visible_text(r.content.decode())) for name, r in pages.items()}
    assert not {name: codes for name, codes in found.items() if codes}
    _name, pdf, _type = decision_attachment(str(Decision.objects.get().pk))
    assert not _my_codes(pdf_text(pdf))
