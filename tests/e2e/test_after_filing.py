"""After the employer's part: Consultation and the PDF, the worker's eBox, a modification, a notice."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveSystem, NewJourney
from tests.e2e.support import Journey

pytestmark = pytest.mark.e2e

JEAN = "78041213507"
SOPHIE = "90061512202"


def first_of_month(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def open_filed_request(j: Journey, ticket: str) -> None:
    """Log in from Consultation on the service's start page, and open the request filed by seed.py."""
    page = j.page
    j.goto("/employer/")
    page.get_by_role("link", name="Consultation").click()
    j.log_in(JEAN)
    expect(page.get_by_role("heading", name="Consultation", level=1)).to_be_visible()
    j.check("consultation")
    page.get_by_role("link", name=ticket).click()
    expect(page.get_by_role("heading", name=f"Demande {ticket}")).to_be_visible()


def test_consultation_lists_the_request_and_its_pdf_is_downloaded_and_read(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    j = journey("consultation-pdf")
    page = j.page
    ticket = live_system.seed["filed"]["ticket"]
    open_filed_request(j, ticket)
    j.check("request-detail")
    # The search by the worker's national number finds it too.
    page.get_by_role("link", name="Consultation").first.click()
    page.get_by_label("Numéro de registre national du travailleur ou ticket").fill("90.06.15-122.02")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name=ticket)).to_be_visible()
    # The search is posted and read back by an opaque id: the number is in no address of the history.
    assert re.search(r"/employer/consultation/\?s=[\w-]+$", page.url), page.url
    assert "900615" not in page.url and "90.06.15" not in page.url
    j.check("consultation-search")
    # Back and forward keep the results (the id is in the session, the page is read again).
    page.go_back()
    page.go_forward()
    expect(page.get_by_role("link", name=ticket)).to_be_visible()
    page.get_by_role("link", name=ticket).click()
    link = page.get_by_role("link", name="PDF, version 1")
    text = j.pdf_text(link.get_attribute("href") or "")
    assert ticket in text
    assert "Sophie Lambert" in text
    assert "Boulangerie Dubois" in text


def test_sophie_logs_in_and_opens_the_message_and_its_document_in_her_ebox(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    j = journey("worker-ebox")
    page = j.page
    ticket = live_system.seed["filed"]["ticket"]
    j.goto("/")
    page.get_by_role("link", name="Mon dossier interruption de carrière et mon eBox").click()
    j.log_in(SOPHIE)
    expect(page.get_by_role("heading", name="Mon dossier interruption de carrière")).to_be_visible()
    expect(page.locator("main")).to_contain_text(ticket)
    j.check("worker-home")
    page.get_by_role("link", name="Mon eBox").first.click()
    # The task worker delivers the message: it may take a moment after start-up.
    text = j.ebox_message(ticket, heading=ticket)
    assert ticket in text


def test_jean_modifies_the_filed_request_and_a_second_version_is_kept(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    j = journey("modification")
    page = j.page
    ticket = live_system.seed["filed"]["ticket"]
    plan = live_system.seed["plans"]["filed"]
    open_filed_request(j, ticket)
    page.get_by_role("button", name="Modifier").click()
    # Step 6, prefilled with the request's data.
    start = datetime.date.fromisoformat(plan["start"])
    expect(page.locator("input[name=start_1]")).to_have_value(str(start.month))
    j.check("modification-leave-data")
    # One month later, still a block of five months.
    later = first_of_month(start, 1)
    end = first_of_month(start, 6) - datetime.timedelta(days=1)
    j.fill_date("start", later)
    j.fill_date("end", end)
    # The other pages of step 6 come prefilled with the request's data (the child from the register).
    for _page in range(6):
        before = page.url
        page.get_by_role("button", name="Suivant").click()
        expect(page).not_to_have_url(before)
        if not page.get_by_text("Étape 6 sur 7").count():
            break
    expect(page.get_by_role("heading", name="Vérifiez vos réponses avant de confirmer")).to_be_visible()
    expect(page.locator("main")).to_contain_text(later.strftime("%d/%m/%Y"))
    j.check("modification-summary")
    page.get_by_label("Je certifie que les données introduites sont exactes et complètes").check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator(".ticket")).to_have_text(ticket)
    j.check("modification-confirmed")
    page.get_by_role("link", name="Consultation").first.click()
    page.get_by_role("link", name=ticket).click()
    expect(page.get_by_role("link", name="PDF, version 2")).to_be_visible()
    expect(page.get_by_role("link", name="PDF, version 1")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"{later:%d/%m/%Y} – {end:%d/%m/%Y}")
    j.check("request-detail-version-2")


def test_sophie_sends_her_notice_online_and_jean_accepts_it(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    employer = journey("notice-employer")
    page = employer.page
    # Jean, access manager, opts in.
    employer.goto("/employer/notices/")
    employer.log_in(JEAN)
    expect(page.get_by_role("heading", name="Avertissements à traiter")).to_be_visible()
    receive = page.get_by_role("button", name="Recevoir les avertissements en ligne")
    if receive.count():
        receive.click()
    expect(page.get_by_role("button", name="Ne plus recevoir les avertissements en ligne")).to_be_visible()
    employer.check("notices-opted-in")

    worker = journey("notice-worker")
    w = worker.page
    worker.goto("/worker/")
    worker.log_in(SOPHIE)
    w.get_by_role("link", name="Envoyer mon avertissement écrit en ligne").click()
    worker.check("notice-form")
    # No type is chosen for her; each mistake is said on its field.
    assert not w.locator("input[name=leave_type]:checked").count()
    w.get_by_label("Boulangerie Dubois SRL").check()
    w.get_by_role("button", name="Continuer").click()
    expect(w.locator("#id_leave_type .error-message")).to_contain_text("Choisissez le type d'interruption.")
    worker.check("notice-form-errors")
    worker.radio("leave_type", "PARENTAL").check()
    worker.radio("form", "1/5").check()
    worker.fill_date("start_date", live_system.seed["plans"]["worker-notice"]["start"])
    w.get_by_label("Durée en mois").fill("5")
    w.get_by_label("Message à votre employeur").fill("Pour Louise.")
    w.get_by_role("button", name="Continuer").click()
    # She checks her notice before sending it.
    expect(w.get_by_role("heading", name="Vérifiez votre avertissement avant de l'envoyer")).to_be_visible()
    expect(w.locator("main")).to_contain_text("Pour Louise.")
    worker.check("notice-check")
    w.get_by_role("button", name="Envoyer mon avertissement").click()
    expect(w.get_by_text("Votre avertissement a été envoyé à votre employeur.")).to_be_visible()
    # In her words: sent, not "to handle".
    expect(w.locator("main")).to_contain_text("Envoyé")
    expect(w.locator("main")).not_to_contain_text("À traiter")
    worker.check("notice-sent")
    # Its receipt, with the date it reached the employer, is in her eBox.
    w.get_by_role("link", name="Mon eBox").first.click()
    receipt = w.get_by_role("link", name=re.compile("Accusé de réception de votre avertissement écrit"))
    worker.reload_until(receipt)
    receipt.first.click()
    expect(w.locator("main")).to_contain_text("délai d'avertissement")
    worker.check("notice-receipt")

    page.reload()
    page.get_by_role("link", name="Sophie Lambert").first.click()
    expect(page.locator("main")).to_contain_text("Pour Louise.")
    # A parental leave 1/5 is her right: Jean may accept it or put it off, not refuse it.
    expect(page.locator("input[name=decision][value=refused]")).to_have_count(0)
    expect(page.locator("input[name=decision][value=postponement_proposed]")).to_have_count(1)
    employer.check("notice-answer")
    page.get_by_label("Accepter").check()
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_text("Votre réponse a été envoyée dans l'eBox du travailleur.")).to_be_visible()
    # Accepting opens a draft of the request, prefilled from the notice.
    expect(page.get_by_text(re.compile(r"Étape \d sur 7"))).to_be_visible()
    employer.check("notice-accepted-draft")
