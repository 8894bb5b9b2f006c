"""The office's decisions as services: approve with the allowance split at an indexation, or without it
and why; a refusal proposed by the holder and confirmed by a second agent (four eyes) or sent back; one
decision for a double submit; the C62 letter in the worker's eBox, an accessible PDF in her language."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from pypdf import PdfReader

from careerbreak.core.audit_actions import AuditAction
from careerbreak.core.errors import DomainError, NotFound
from careerbreak.core.models import AuditEvent
from careerbreak.documents.wording import written_date
from careerbreak.interruptions import decisions
from careerbreak.interruptions.decision_letter import decision_attachment, format_amount
from careerbreak.interruptions.models import AllowancePeriod, AllowanceRate, Decision
from careerbreak.interruptions.states import Status
from careerbreak.mailbox.models import OutboxMessage
from tests.documents.conftest import catalog, xmp
from tests.factories import acting_self, user_for
from tests.office.decisions.conftest import Office, status_of

D = datetime.date


def test_the_holder_approves_with_the_allowance_of_the_rate_table(office: Office) -> None:
    decision = decisions.request_approve(
        acting=office.anne_acts, ticket=office.request.ticket, with_allowance=True
    )
    assert status_of(office.request) == Status.APPROVED
    assert decision.state == Decision.State.FINAL
    periods = list(AllowancePeriod.objects.filter(decision=decision))
    # Sophie's parental leave 1/5 from 1.02.2027 to 30.06.2027 at the 1.05.2024 rate.
    assert [(p.start_date, p.end_date, p.monthly_amount) for p in periods] == [
        (D(2027, 2, 1), D(2027, 6, 30), Decimal("143.04"))
    ]
    assert AuditEvent.objects.filter(
        action=AuditAction.REQUEST_APPROVED, object_id=office.request.ticket
    ).exists()


def _approved_across_an_indexation(office: Office, amount: Decimal) -> Decision:
    """The request (a 1/5 from 1.02.2027 to 30.06.2027) approved with the allowance after the thematic 1/5
    rate was indexed to ``amount`` from 1.04.2027."""
    AllowanceRate.objects.create(
        scheme="thematic", form="1/5", category="standard", monthly_amount=amount, valid_from=D(2027, 4, 1)
    )
    ticket = office.request.ticket
    return decisions.request_approve(acting=office.anne_acts, ticket=ticket, with_allowance=True)


def test_a_leave_crossing_an_indexation_is_stored_as_two_periods(office: Office) -> None:
    decision = _approved_across_an_indexation(office, Decimal("145.90"))
    assert [(p.start_date, p.end_date, p.monthly_amount) for p in decision.periods.all()] == [
        (D(2027, 2, 1), D(2027, 3, 31), Decimal("143.04")),
        (D(2027, 4, 1), D(2027, 6, 30), Decimal("145.90")),
    ]


def test_no_rate_for_the_leave_refuses_the_approval_with_the_allowance_and_writes_nothing(
    office: Office,
) -> None:
    AllowanceRate.objects.all().delete()
    with pytest.raises(DomainError) as raised:
        decisions.request_approve(acting=office.anne_acts, ticket=office.request.ticket, with_allowance=True)
    assert raised.value.code == "no_rate"
    assert status_of(office.request) == Status.UNDER_REVIEW
    assert not Decision.objects.exists()
    assert not OutboxMessage.objects.filter(kind="decision_c62").exists()


def test_approving_without_an_allowance_needs_a_reason_from_the_list(office: Office) -> None:
    def approve(reason: str) -> Decision:
        ticket = office.request.ticket
        return decisions.request_approve(
            acting=office.anne_acts, ticket=ticket, with_allowance=False, no_allowance_reason=reason
        )

    # An unknown reason, and "other" without the note that says it.
    for reason, field in (("x", "no_allowance_reason"), ("other_reason", "note")):
        with pytest.raises(DomainError) as raised:
            approve(reason)
        assert raised.value.field == field
    decision = approve("domicile_outside")
    assert decision.no_allowance_reason == "domicile_outside"
    assert not decision.periods.exists()


def test_only_the_agent_holding_the_file_approves_or_proposes(office: Office) -> None:
    for acting in (office.bert_acts, office.sam_acts):
        with pytest.raises(DomainError) as raised:
            decisions.request_approve(acting=acting, ticket=office.request.ticket, with_allowance=True)
        assert raised.value.code == "not_holder"
        with pytest.raises(DomainError) as raised:
            decisions.refusal_propose(acting=acting, ticket=office.request.ticket, reasons=["child_age"])
        assert raised.value.code == "not_holder"
    assert status_of(office.request) == Status.UNDER_REVIEW


def test_an_agent_of_another_office_and_a_worker_are_refused(office: Office) -> None:
    with pytest.raises(NotFound):
        decisions.request_approve(acting=office.olga_acts, ticket=office.request.ticket, with_allowance=True)
    sophie = acting_self(user_for(office.request.worker.niss))
    with pytest.raises(DomainError):
        decisions.request_approve(acting=sophie, ticket=office.request.ticket, with_allowance=True)
    with pytest.raises(DomainError):
        decisions.refusal_confirm(acting=sophie, ticket=office.request.ticket)


def test_a_double_submit_of_the_approval_gives_one_decision_and_one_letter(office: Office) -> None:
    first = decisions.request_approve(
        acting=office.anne_acts, ticket=office.request.ticket, with_allowance=True
    )
    again = decisions.request_approve(
        acting=office.anne_acts, ticket=office.request.ticket, with_allowance=True
    )
    assert first.pk == again.pk
    assert Decision.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="decision_c62", channel="ebox").count() == 1


def test_the_database_keeps_one_final_decision_per_request(office: Office) -> None:
    decisions.request_approve(acting=office.anne_acts, ticket=office.request.ticket, with_allowance=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            request=office.request, outcome="refused", state="final", decided_by=office.bert
        )


def test_a_refusal_is_proposed_then_confirmed_by_a_second_agent(office: Office) -> None:
    ticket = office.request.ticket
    proposal = decisions.refusal_propose(
        acting=office.anne_acts, ticket=ticket, reasons=["seniority_not_met", "notice_too_short"], note="Vu."
    )
    assert proposal.state == Decision.State.AWAITING_CONFIRMATION
    assert proposal.refusal_reasons == ["notice_too_short", "seniority_not_met"]
    assert status_of(office.request) == Status.UNDER_REVIEW
    assert not OutboxMessage.objects.filter(kind="decision_c62").exists()
    # Four eyes: the proposer cannot confirm; nor approve meanwhile.
    with pytest.raises(DomainError) as raised:
        decisions.refusal_confirm(acting=office.anne_acts, ticket=ticket)
    assert raised.value.code == "four_eyes"
    with pytest.raises(DomainError) as raised:
        decisions.request_approve(acting=office.anne_acts, ticket=ticket, with_allowance=True)
    assert raised.value.code == "refusal_pending"
    confirmed = decisions.refusal_confirm(acting=office.bert_acts, ticket=ticket)
    assert confirmed.pk == proposal.pk
    assert confirmed.state == Decision.State.FINAL
    assert confirmed.confirmed_by == office.bert
    assert status_of(office.request) == Status.REFUSED
    assert OutboxMessage.objects.filter(kind="decision_c62", channel="ebox").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.REFUSAL_PROPOSED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.REQUEST_REFUSED, actor_niss=office.bert.niss).exists()
    # Confirming twice (a double click) changes nothing.
    assert decisions.refusal_confirm(acting=office.bert_acts, ticket=ticket).pk == proposal.pk


def test_a_supervisor_confirms_but_an_agent_of_another_office_cannot(office: Office) -> None:
    ticket = office.request.ticket
    decisions.refusal_propose(acting=office.anne_acts, ticket=ticket, reasons=["child_age"])
    with pytest.raises(NotFound):
        decisions.refusal_confirm(acting=office.olga_acts, ticket=ticket)
    decisions.refusal_confirm(acting=office.sam_acts, ticket=ticket)
    assert status_of(office.request) == Status.REFUSED


def test_a_double_submit_of_the_proposal_gives_one_pending_refusal(office: Office) -> None:
    ticket = office.request.ticket
    first = decisions.refusal_propose(acting=office.anne_acts, ticket=ticket, reasons=["child_age"])
    again = decisions.refusal_propose(acting=office.anne_acts, ticket=ticket, reasons=["child_age"])
    assert first.pk == again.pk
    assert Decision.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            request=office.request, outcome="refused", state="awaiting_confirmation", decided_by=office.anne
        )


def test_a_refusal_needs_known_reasons(office: Office) -> None:
    for reasons in ([], ["made_up"]):
        with pytest.raises(DomainError) as raised:
            decisions.refusal_propose(acting=office.anne_acts, ticket=office.request.ticket, reasons=reasons)
        assert raised.value.field == "reasons"
    assert not Decision.objects.exists()


def test_a_sent_back_refusal_leaves_the_file_under_review_for_a_new_decision(office: Office) -> None:
    ticket = office.request.ticket
    decisions.refusal_propose(acting=office.anne_acts, ticket=ticket, reasons=["child_age"])
    with pytest.raises(DomainError) as raised:
        decisions.refusal_send_back(acting=office.bert_acts, ticket=ticket, reason="  ")
    assert raised.value.field == "sent_back_reason"
    with pytest.raises(DomainError):
        decisions.refusal_send_back(acting=office.anne_acts, ticket=ticket, reason="Mine")
    sent_back = decisions.refusal_send_back(acting=office.bert_acts, ticket=ticket, reason="Child is 7.")
    assert sent_back.state == Decision.State.SENT_BACK
    assert sent_back.sent_back_reason == "Child is 7."
    assert status_of(office.request) == Status.UNDER_REVIEW
    assert AuditEvent.objects.filter(action=AuditAction.REFUSAL_SENT_BACK).exists()
    decisions.request_approve(acting=office.anne_acts, ticket=ticket, with_allowance=True)
    assert status_of(office.request) == Status.APPROVED


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages)


def test_the_c62_of_an_approval_is_an_accessible_pdf_with_the_periods_and_amounts_in_the_worker_s_language(
    office: Office, media: object
) -> None:
    decision = _approved_across_an_indexation(office, Decimal("1145.90"))
    message = OutboxMessage.objects.get(kind="decision_c62", channel="ebox")
    assert message.recipient_niss == office.request.worker.niss
    assert message.attachment_key == str(decision.pk)
    filename, content, media_type = decision_attachment(message.attachment_key)
    language = office.request.worker.language or "fr"
    assert media_type == "application/pdf"
    assert filename.endswith(f"-{language}.pdf")
    root = catalog(content)
    assert root["/Lang"] == language
    assert "/StructTreeRoot" in root
    assert 'pdfuaid:part="1"' in xmp(content)
    text = _pdf_text(content).replace("\u202f", " ").replace("\xa0", " ")
    with translation.override(language):
        expected = [
            office.request.ticket,
            "Sophie Lambert",
            format_amount(Decimal("143.04")),
            format_amount(Decimal("1145.90")),
            written_date(D(2027, 3, 31)),
            written_date(D(2027, 4, 1)),
        ]
    for value in expected:
        assert value.replace("\u202f", " ").replace("\xa0", " ") in text, value
    assert language == "fr"
    assert "1 145,90 €" in text  # the locale's grouping and decimal comma
    assert "1er avril 2027" in text  # the first of the month as French writes it
    # The issuer at the top, and the office that decided under it.
    assert text.startswith("Office national de l'emploi (ONEM/RVA)")
    assert office.request.office is not None
    with translation.override(language):
        assert text.index(office.request.office.name) < text.index(office.request.ticket)
    assert "Approuvée" in text
    assert "tribunal du travail" in text
    assert "trois mois" in text


def test_the_c62_of_a_refusal_lists_the_reasons_with_their_legal_references(
    office: Office, media: object
) -> None:
    ticket = office.request.ticket
    decisions.refusal_propose(
        acting=office.anne_acts, ticket=ticket, reasons=["child_age"], note="Enfant de 13 ans."
    )
    decision = decisions.refusal_confirm(acting=office.bert_acts, ticket=ticket)
    _name, content, _type = decision_attachment(str(decision.pk))
    text = _pdf_text(content)
    assert "CCT n° 103; RD 29.10.1997" in text
    assert "Enfant de 13 ans." in text
    assert "art. 23" in text
