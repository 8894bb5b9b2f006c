"""The employment office in French (issue 13), each actor in their own browser:

- an agent (the demo agent of the Liège office, through the development identity provider) takes a
  complete file, asks the worker for information; the worker answers (a text and a PDF); the agent downloads
  the document, approves with the allowance; the worker reads the C62 in the eBox (its PDF has the amount)
  and the employer sees *Approuvée* in Consultation, never the amount;
- a refusal proposed by the agent and confirmed by a second agent of the office; the employer sees
  *Refusée*;
- the "done when" on ``make run``'s demo data: the demo agent decides the demo's complete request, its
  worker finds the C62 with the allowance, the employer sees the decision.

axe-core on every page (no serious or critical finding), no sideways scroll at 320 CSS px on the office's
pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.attachment_files import pdf_bytes
from tests.e2e.conftest import LiveSystem, NewJourney
from tests.e2e.support import Journey
from tests.e2e.test_worker_part import log_in_typed
from tests.e2e.test_worker_part_more import no_sideways_scroll

pytestmark = pytest.mark.e2e

AGENT = "79052111774"  # Julien Moreau, the demo agent of the Liège office
ISABELLE = "83012421242"  # Isabelle Renard, Logistique Meuse's main access manager
AMOUNT = "143,04"  # the demo's provisional rate of a parental leave at 1/5, in French
QUESTION = "Envoyez-nous l'acte de naissance de votre enfant, s'il vous plaît."
ANSWER = "Voici l'acte de naissance demandé."


def narrow(j: Journey, label: str) -> None:
    """The page at 320 CSS px: no sideways scroll; then back to the usual width."""
    j.page.set_viewport_size({"width": 320, "height": 800})
    no_sideways_scroll(j, label)
    j.page.set_viewport_size({"width": 1100, "height": 900})


def agent_logs_in(j: Journey, niss: str = AGENT, *, typed: bool = False) -> None:
    j.goto("/office/")
    if typed:
        log_in_typed(j, niss)
    else:
        j.log_in(niss, "agent-login")
    expect(j.page.locator("html")).to_have_attribute("lang", "fr")
    expect(j.page.get_by_role("heading", name="File de travail", level=1)).to_be_visible()
    j.check("queue")


def take(j: Journey, ticket: str) -> None:
    """*Prendre en charge* on the queue's row: the review page, the file held by the agent."""
    page = j.page
    row = page.locator("tr", has_text=ticket)
    expect(row).to_contain_text("Complète")
    row.get_by_role("button", name=re.compile("Prendre en charge")).click()
    expect(page.get_by_role("heading", name=f"Examen de la demande {ticket}", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Vous traitez ce dossier.")
    expect(page.locator("main")).to_contain_text("En cours d'examen")
    j.check("review-held")
    narrow(j, "review")


def approve_with_allowance(j: Journey, ticket: str) -> None:
    page = j.page
    page.get_by_role("link", name="Approuver", exact=True).click()
    expect(page.get_by_role("heading", name=f"Approuver la demande {ticket}")).to_be_visible()
    j.check("approve")
    page.get_by_label("Avec l'allocation mensuelle").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Vérifiez la décision avant d'approuver")).to_be_visible()
    expect(page.locator("main")).to_contain_text(AMOUNT)
    j.check("approve-check")
    narrow(j, "approve-check")
    page.get_by_role("button", name="Approuver").click()
    expect(page.get_by_role("heading", name=f"Examen de la demande {ticket}", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("La demande est approuvée.")
    expect(page.locator(".decision-actions")).to_contain_text("Approuvée")
    j.check("approved")


def worker_reads_the_c62(j: Journey, ticket: str) -> str:
    """The worker's eBox: the decision's message, and its PDF's text."""
    j.goto("/worker/ebox/")
    approved = f"Votre demande {ticket} a été approuvée"
    return j.ebox_message(approved, heading=approved, label="ebox-c62")


def employer_sees(e: Journey, ticket: str, outcome: str) -> None:
    """Isabelle Renard in Consultation: the outcome on the row and the detail, never an amount."""
    employer = e.page
    e.goto("/employer/consultation/")
    log_in_typed(e, ISABELLE)
    expect(employer.get_by_role("heading", name="Consultation", level=1)).to_be_visible()
    row = employer.locator("tr", has_text=ticket)
    expect(row).to_contain_text(outcome)
    e.check("consultation")
    employer.get_by_role("link", name=ticket).click()
    main = employer.locator("main")
    expect(main).to_contain_text(outcome)
    expect(main).not_to_contain_text(AMOUNT)
    expect(main).not_to_contain_text(ANSWER)
    e.check("request-detail")


def test_an_agent_asks_the_worker_then_approves_and_the_worker_and_the_employer_see_the_decision(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    case: dict[str, Any] = live_system.seed["office_approve"]
    ticket = case["ticket"]
    a = journey("office-approve-agent")
    page = a.page
    agent_logs_in(a)
    narrow(a, "queue")
    take(a, ticket)

    # The question, its check page, back on the review page.
    page.get_by_role("link", name="Demander des informations au travailleur").click()
    a.check("ask")
    page.get_by_label("Question au travailleur").fill(QUESTION)
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("main")).to_contain_text(QUESTION)
    a.check("ask-check")
    page.get_by_role("button", name="Envoyer la question").click()
    expect(page.get_by_role("heading", name=f"Examen de la demande {ticket}", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("La question a été envoyée dans l'eBox du travailleur.")
    expect(page.locator("main")).to_contain_text("Informations demandées")
    expect(page.locator("main")).to_contain_text("Pas encore de réponse")
    a.check("review-asked")

    # The worker answers: a text and a PDF, checked, sent.
    w = journey("office-approve-worker")
    worker = w.page
    w.goto("/worker/")
    log_in_typed(w, case["niss"])
    worker.get_by_role("link", name=f"Répondre à la question sur la demande {ticket}").click()
    expect(worker.get_by_role("heading", name="Répondre à l'office de l'emploi", level=1)).to_be_visible()
    expect(worker.locator("main")).to_contain_text(QUESTION)
    w.check("answer")
    worker.get_by_label("Votre réponse").fill(ANSWER)
    worker.get_by_label("Joindre un document").set_input_files(
        {"name": "acte-de-naissance.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    worker.get_by_role("button", name="Joindre ce fichier").click()
    expect(worker.locator("main")).to_contain_text("acte-de-naissance.pdf")
    w.check("answer-attached")
    if not worker.get_by_label("Votre réponse").input_value():
        worker.get_by_label("Votre réponse").fill(ANSWER)
    worker.get_by_role("button", name="Continuer").click()
    expect(worker.locator("main")).to_contain_text(ANSWER)
    w.check("answer-check")
    worker.get_by_role("button", name="Envoyer ma réponse").click()
    expect(worker.get_by_role("heading", name="Votre réponse a été envoyée")).to_be_visible()
    w.check("answer-sent")

    # The agent reads the answer, downloads the document (never shown inline), approves with the allowance.
    a.page.reload()
    expect(page.locator("main")).to_contain_text(ANSWER)
    expect(page.locator("main")).to_contain_text("En cours d'examen")
    download = page.get_by_role("link", name="Télécharger acte-de-naissance.pdf")
    expect(download).to_be_visible()
    answer = page.request.get(a.system.url(download.get_attribute("href") or ""))
    assert answer.status == 200
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.body().startswith(b"%PDF")
    a.check("review-answered")
    approve_with_allowance(a, ticket)

    # The worker's C62; the employer's outcome.
    text = worker_reads_the_c62(w, ticket)
    assert ticket in text and AMOUNT in text, text[:2000]
    employer_sees(journey("office-approve-employer"), ticket, "Approuvée")


def test_a_refusal_proposed_by_one_agent_is_confirmed_by_a_second_and_the_employer_sees_it(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    ticket = live_system.seed["office_refuse"]["ticket"]
    a = journey("office-refuse-agent")
    page = a.page
    agent_logs_in(a)
    take(a, ticket)
    page.get_by_role("link", name="Refuser", exact=True).click()
    a.check("refuse")
    page.locator("input[name=reasons][value=seniority_not_met]").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("main")).to_contain_text("CCT n° 103")
    a.check("refuse-check")
    page.get_by_role("button", name="Proposer le refus").click()
    main = page.locator("main")
    expect(main).to_contain_text("Le refus est proposé. Un second agent doit le confirmer")
    expect(main).to_contain_text("en attente de la confirmation d'un second agent")
    # The proposer never confirms their own refusal.
    expect(page.get_by_role("link", name="Confirmer ou renvoyer le refus")).to_have_count(0)
    a.check("refusal-proposed")

    # The second agent of the office: the queue flags the refusal to confirm.
    s = journey("office-refuse-second-agent")
    second = s.page
    agent_logs_in(s, live_system.seed["second_agent"], typed=True)
    row = second.locator("tr", has_text=ticket)
    expect(row).to_contain_text("Refus à confirmer")
    row.get_by_role("link", name=re.compile("Ouvrir")).click()
    second.get_by_role("link", name="Confirmer ou renvoyer le refus").click()
    expect(second.locator("main")).to_contain_text("CCT n° 103")
    s.check("refusal-confirm")
    narrow(s, "refusal-confirm")
    second.get_by_role("button", name="Confirmer le refus").click()
    expect(second.get_by_role("heading", name=f"Examen de la demande {ticket}", level=1)).to_be_visible()
    expect(second.locator(".decision-actions")).to_contain_text("Refusée")
    s.check("refused")
    employer_sees(journey("office-refuse-employer"), ticket, "Refusée")


def test_done_when_the_demo_agent_decides_the_demo_s_complete_request(
    journey: NewJourney, demo_system: LiveSystem
) -> None:
    """Issue 13's "done when", on ``make run``'s demo data."""
    case: dict[str, str] = demo_system.seed["office_complete"]
    ticket = case["ticket"]
    a = journey("done-when-office-agent", system=demo_system)
    agent_logs_in(a)
    take(a, ticket)
    approve_with_allowance(a, ticket)
    w = journey("done-when-office-worker", system=demo_system)
    w.goto("/worker/")
    log_in_typed(w, case["niss"])
    text = worker_reads_the_c62(w, ticket)
    assert ticket in text and AMOUNT in text, text[:2000]
    employer_sees(journey("done-when-office-employer", system=demo_system), ticket, "Approuvée")
