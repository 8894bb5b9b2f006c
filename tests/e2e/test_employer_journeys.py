"""The employer part in a real browser, from the portal home to the ticket, and what stops it."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveSystem, NewJourney
from tests.e2e.support import TICKET, Journey

pytestmark = pytest.mark.e2e

JEAN = "78041213507"
AN = "81110324486"
SOPHIE = "90061512202"
SOPHIE_FORMATTED = "90.06.15-122.02"


def to_the_company_page(journey: Journey, *, service: str, more: str, enterprise: str, file: str,
                        login_as: str, continue_label: str) -> None:
    """Portal home → Entreprise → more online services → the service → File a request → login → company."""
    page = journey.page
    journey.check("portal-home")
    page.get_by_role("link", name=more).click()
    journey.check("online-services")
    page.get_by_role("link", name=service).click()
    journey.check("service-start")
    page.get_by_role("link", name=file).click()
    journey.log_in(login_as)
    journey.check("logged-in")
    page.get_by_role("button", name=continue_label).click()
    expect(page.locator("main")).to_contain_text(enterprise)
    journey.check("company-data")


def fill_parental_fifth(journey: Journey, plan: dict[str, str], child_birth: str) -> None:
    journey.fill_date("notice_date", plan["notice"])
    journey.fill_date("start", plan["start"])
    journey.fill_date("end", plan["end"])
    journey.radio("form", "1/5").check()
    journey.page.locator("input[name=days_per_week]").fill("5")
    journey.radio("regime_12_months", "full_time").check()
    journey.page.locator("input[name=months_of_contract_last_15]").fill("15")
    journey.fill_date("child_birth_date", child_birth)
    journey.radio("child_disabled", "no").check()
    journey.radio("employer_agreement", "yes").check()


def test_jean_files_a_parental_leave_for_sophie_in_french_from_the_portal_to_the_ticket(
    journey: NewJourney, live_system: LiveSystem
) -> None:
    j = journey("employer-french")
    page = j.page
    plan = live_system.seed["plans"]["french"]
    j.goto("/")
    expect(page.get_by_role("heading", name="Entreprise")).to_be_visible()
    to_the_company_page(
        j,
        more="Plus de services en ligne",
        service="Dossier interruption de carrière et crédit-temps",
        file="Introduire une demande",
        login_as=JEAN,
        enterprise="Boulangerie Dubois",
        continue_label="Continuer",
    )
    page.get_by_role("button", name="Suivant").click()
    # Step 4: the worker, found by number.
    expect(page.get_by_role("heading", name="Le travailleur")).to_be_visible()
    j.check("worker")
    page.get_by_label("Numéro de registre national").fill(SOPHIE_FORMATTED)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("main")).to_contain_text("Sophie Lambert")
    page.get_by_label("Statut du travailleur").select_option(label="Employé")
    expect(page.get_by_label("Commission paritaire")).not_to_have_value("")
    j.check("worker-found")
    page.get_by_role("button", name="Sélectionner").click()
    # Step 5: the type.
    expect(page.get_by_text("Étape 5 sur 7")).to_be_visible()
    j.check("request-type")
    page.get_by_label("Congé parental").check()
    page.get_by_role("button", name="Suivant").click()
    # Step 6: the leave, dates as day, month, year.
    expect(page.get_by_role("heading", name="Congé parental", level=1)).to_be_visible()
    j.check("leave-data")
    fill_parental_fifth(j, plan, live_system.seed["child_birth"])
    j.shot("leave-data-filled")
    page.get_by_role("button", name="Suivant").click()
    # Step 7: the summary, the certification.
    expect(page.get_by_role("heading", name="Vérifiez vos réponses avant de confirmer")).to_be_visible()
    start = datetime.date.fromisoformat(plan["start"]).strftime("%d/%m/%Y")
    expect(page.locator("main")).to_contain_text(start)
    j.check("summary")
    page.get_by_label("Je certifie que les données introduites sont exactes et complètes").check()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Demande confirmée")).to_be_visible()
    ticket = page.locator(".ticket").inner_text()
    assert TICKET.fullmatch(ticket), ticket
    j.check("ticket")
